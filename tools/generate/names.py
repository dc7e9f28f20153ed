"""Name, title and post pools for the synthetic generator (tools/generate/).

Plain tuples, picked by numpy index: never one call per row. A person's name is built from up to four
parts of one regional flavour: an optional prefix (Balinese birth-order names, Bugis "Andi"), a first
name, an optional middle name and an optional family name (Batak marga, Minahasa, Papuan, Ambonese).
"""

from __future__ import annotations

# --- personal names per flavour: (men, women) first names, middle names, family names --------------
FLAVOURS: dict[str, dict[str, tuple[str, ...]]] = {
    "jawa": {
        "first_l": ("Budi", "Agus", "Bambang", "Eko", "Dwi", "Tri", "Joko", "Slamet", "Sugeng", "Hadi",
                    "Wahyu", "Teguh", "Heru", "Yudi", "Bayu", "Sigit", "Arif", "Rudi", "Gunawan", "Suryo",
                    "Priyo", "Wibowo", "Hendro", "Sutrisno", "Purnomo", "Adi", "Yoga", "Danang", "Aji", "Raden"),
        "first_p": ("Sri", "Dewi", "Endang", "Tutik", "Rini", "Wulan", "Ratna", "Yuliani", "Sulastri",
                    "Suharti", "Lestari", "Puji", "Kartika", "Retno", "Ayu", "Wahyuni", "Setyaningsih",
                    "Utami", "Rahayu", "Indah", "Dyah", "Anik", "Kusuma", "Ningsih", "Mulyani"),
        "middle": ("Santoso", "Prasetyo", "Setiawan", "Nugroho", "Wijaya", "Susanto", "Purwanto", "Hartono",
                   "Kurniawan", "Saputro", "Widodo", "Rahmawati", "Handayani", "Astuti", "Lestari",
                   "Suryani", "Pratiwi", "Widyastuti", "Hidayat", "Utomo"),
        "family": (),
        "prefix_l": (), "prefix_p": (),
    },
    "sunda": {
        "first_l": ("Asep", "Ujang", "Dede", "Cecep", "Acep", "Dadang", "Iwan", "Yayat", "Jajang", "Ade",
                    "Deden", "Engkus", "Ridwan", "Rahmat", "Ayi", "Tatang", "Maman", "Aep"),
        "first_p": ("Euis", "Neneng", "Iis", "Enok", "Cucu", "Imas", "Yeni", "Rina", "Nining", "Lilis",
                    "Entin", "Nurhayati", "Tati", "Yati", "Elis", "Dedeh"),
        "middle": ("Sunandar", "Suherman", "Hermawan", "Supriatna", "Kusnadi", "Sudrajat", "Rukmana",
                   "Permana", "Sumirat", "Setiadi", "Kurniasih", "Rohayati", "Komalasari", "Nurjanah",
                   "Hidayat", "Somantri"),
        "family": (),
        "prefix_l": (), "prefix_p": (),
    },
    "batak": {
        "first_l": ("Rudolf", "Parlindungan", "Togar", "Maruli", "Horas", "Binsar", "Tigor", "Poltak",
                    "Sahat", "Benget", "Edward", "Samuel", "Daniel", "Junaidi", "Rahmat", "Ikhwan"),
        "first_p": ("Rosmawati", "Tiurma", "Lamtiur", "Rotua", "Sarma", "Dormauli", "Nurhalimah", "Maria",
                    "Rina", "Debora", "Melati", "Fitri"),
        "middle": ("Parulian", "Hotman", "Jonggi", "Hasudungan", "Martua", "Rajagukguk"),
        "family": ("Siregar", "Nasution", "Simanjuntak", "Harahap", "Lubis", "Sitompul", "Hutapea",
                   "Simatupang", "Sinaga", "Pardede", "Panjaitan", "Manurung", "Situmorang", "Silalahi",
                   "Pasaribu", "Tambunan", "Hutagalung", "Daulay", "Ritonga", "Ginting", "Sembiring",
                   "Tarigan", "Purba", "Damanik", "Saragih"),
        "prefix_l": (), "prefix_p": (),
    },
    "minang": {
        "first_l": ("Afrizal", "Zulkifli", "Yusrizal", "Syafrizal", "Erwin", "Indra", "Hendra", "Rizal",
                    "Febrian", "Yulianto", "Irwan", "Syahrul", "Ferdi", "Yasrizal"),
        "first_p": ("Yusnidar", "Rosna", "Nurhasanah", "Desmawati", "Yenni", "Elvira", "Fitria", "Yulia",
                    "Mardiah", "Zuraida", "Syafrida", "Nelmi"),
        "middle": ("Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Jambak", "Putra", "Putri",
                   "Syafri", "Amir", "Datuak", "Rangkuti"),
        "family": (),
        "prefix_l": (), "prefix_p": (),
    },
    "bugis": {
        "first_l": ("Muhammad", "Andi", "Syamsul", "Hasanuddin", "Arifin", "Baharuddin", "Amiruddin",
                    "Rustam", "Haerul", "Ilham", "Zainal", "Kamaruddin", "Fadli", "Akbar"),
        "first_p": ("Hasnah", "Sitti", "Nurhayati", "Rosmini", "Hasmawati", "Jumriah", "Irma", "Hariani",
                    "Nurul", "Kasmawati", "Sriwahyuni", "Indrawati"),
        "middle": ("Mappa", "Tenri", "Pananrangi", "Palallo", "Makkasau", "Daeng", "Sultan", "Rahman",
                   "Hamid", "Latif"),
        "family": (),
        "prefix_l": ("Andi", "Andi", "Haji"), "prefix_p": ("Andi",),
    },
    "bali": {
        "first_l": ("Putu", "Made", "Nyoman", "Ketut", "Gede", "Wayan", "Kadek", "Komang"),
        "first_p": ("Putu", "Made", "Nyoman", "Ketut", "Ayu", "Wayan", "Kadek", "Komang"),
        "middle": ("Sudarsana", "Artawan", "Suardana", "Wirawan", "Mahendra", "Sukadana", "Widiastuti",
                   "Astiti", "Sriani", "Suartini", "Dharma", "Yasa", "Arsana", "Adnyana", "Ariani",
                   "Budiasa", "Sumerta", "Wardani"),
        "family": (),
        "prefix_l": ("I", "I", "I Gusti", "Ida Bagus"), "prefix_p": ("Ni", "Ni", "I Gusti Ayu", "Ida Ayu"),
    },
    "melayu": {
        "first_l": ("Muhammad", "Ahmad", "Abdul", "Syahrial", "Hamdan", "Zulkarnain", "Fauzi", "Rahmat",
                    "Hasan", "Ismail", "Yusuf", "Faisal", "Teuku", "Khairul", "Nasrul", "Said"),
        "first_p": ("Siti", "Nur", "Fatimah", "Aisyah", "Khadijah", "Nurul", "Zahara", "Cut", "Rahmah",
                    "Maimunah", "Halimah", "Salmah", "Laila", "Fitriani"),
        "middle": ("Rahman", "Hakim", "Aziz", "Ibrahim", "Syarifah", "Husna", "Aini", "Zainuddin", "Rasyid",
                   "Fauziah", "Maulana", "Hidayah", "Safitri", "Amalia"),
        "family": (),
        "prefix_l": (), "prefix_p": (),
    },
    "timur": {  # Minahasa, Maluku, Nusa Tenggara Timur (Christian names with family names)
        "first_l": ("Johanis", "Yohanes", "Fransiskus", "Petrus", "Stefanus", "Marthen", "Hendrik",
                    "Jefri", "Ronald", "Alfons", "Paulus", "Benediktus", "Yosef", "Markus"),
        "first_p": ("Maria", "Yohana", "Agustina", "Theresia", "Margaretha", "Fransiska", "Elisabeth",
                    "Veronika", "Selvi", "Magdalena", "Yuliana", "Christina"),
        "middle": ("Anselmus", "Kristian", "Imanuel", "Dominggus", "Natalia", "Desi"),
        "family": ("Lumenta", "Sumampouw", "Pangemanan", "Rondonuwu", "Wuisan", "Mandagi", "Lasut",
                   "Pattiasina", "Latuconsina", "Tuhumury", "Manuputty", "Leiwakabessy", "Fernandez",
                   "Da Costa", "Tefa", "Nggadas", "Ratu", "Seran", "Bere", "Lado"),
        "prefix_l": (), "prefix_p": (),
    },
    "papua": {
        "first_l": ("Yance", "Yosias", "Isak", "Markus", "Musa", "Nikolaus", "Frans", "Octovianus",
                    "Yulianus", "Demianus", "Obed", "Barnabas", "Elieser", "Habel"),
        "first_p": ("Yosina", "Mince", "Naomi", "Ribka", "Fince", "Lea", "Ruth", "Sara", "Debora",
                    "Orpa", "Martha", "Yuliana"),
        "middle": ("Willem", "Johan", "Agustinus", "Maria"),
        "family": ("Wonda", "Kogoya", "Rumbiak", "Mansoben", "Wenda", "Tabuni", "Murib", "Karubaba",
                   "Rumkorem", "Yoku", "Kambu", "Wanimbo", "Mote", "Pigai", "Gobai", "Asso", "Wetipo",
                   "Ayomi", "Kaisiepo", "Sawaki"),
        "prefix_l": (), "prefix_p": (),
    },
}  # fmt: skip
FLAVOUR_NAMES = tuple(FLAVOURS)

# Flavour weights per province code (order of FLAVOUR_NAMES); provinces not listed use DEFAULT_FLAVOUR.
DEFAULT_FLAVOUR = {"jawa": 0.35, "melayu": 0.35, "sunda": 0.05, "bugis": 0.1, "timur": 0.1, "batak": 0.05}
PROVINCE_FLAVOUR: dict[str, dict[str, float]] = {
    "11": {"melayu": 0.9, "jawa": 0.1},
    "12": {"batak": 0.6, "melayu": 0.25, "jawa": 0.15},
    "13": {"minang": 0.9, "melayu": 0.05, "jawa": 0.05},
    "14": {"melayu": 0.5, "minang": 0.2, "jawa": 0.2, "batak": 0.1},
    "15": {"melayu": 0.6, "jawa": 0.3, "minang": 0.1},
    "16": {"melayu": 0.7, "jawa": 0.3},
    "17": {"melayu": 0.7, "jawa": 0.2, "minang": 0.1},
    "18": {"jawa": 0.6, "melayu": 0.3, "sunda": 0.1},
    "19": {"melayu": 0.8, "jawa": 0.2},
    "21": {"melayu": 0.6, "jawa": 0.2, "batak": 0.1, "minang": 0.1},
    "31": {"jawa": 0.4, "sunda": 0.15, "melayu": 0.25, "batak": 0.1, "minang": 0.1},
    "32": {"sunda": 0.8, "jawa": 0.1, "melayu": 0.1},
    "33": {"jawa": 0.95, "melayu": 0.05},
    "34": {"jawa": 0.95, "melayu": 0.05},
    "35": {"jawa": 0.9, "melayu": 0.1},
    "36": {"sunda": 0.6, "jawa": 0.2, "melayu": 0.2},
    "51": {"bali": 0.85, "jawa": 0.15},
    "52": {"melayu": 0.8, "bali": 0.1, "jawa": 0.1},
    "53": {"timur": 0.9, "melayu": 0.1},
    "71": {"timur": 0.85, "melayu": 0.15},
    "73": {"bugis": 0.85, "melayu": 0.1, "jawa": 0.05},
    "74": {"bugis": 0.6, "melayu": 0.3, "jawa": 0.1},
    "75": {"melayu": 0.7, "bugis": 0.3},
    "76": {"bugis": 0.8, "melayu": 0.2},
    "81": {"timur": 0.6, "melayu": 0.4},
    "82": {"melayu": 0.6, "timur": 0.4},
    **{
        p: {"papua": 0.7, "timur": 0.1, "jawa": 0.1, "bugis": 0.1}
        for p in ("91", "92", "93", "94", "95", "96")
    },
}

# --- academic titles (consistent with pendidikan) ------------------------------------------------
GELAR_S1 = ("S.E.", "S.H.", "S.Kom.", "S.Pd.", "S.Sos.", "S.T.", "S.Ag.", "S.Kep.", "S.I.P.", "S.Ak.", "S.Si.",
            "S.P.", "S.Psi.", "S.Hut.", "S.Pd.I.")  # fmt: skip
GELAR_D3 = ("A.Md.", "A.Md.Kep.", "A.Md.Keb.", "A.Md.Kom.", "A.Md.Ak.", "A.Md.Farm.")
GELAR_D4 = ("S.Tr.Keb.", "S.ST.", "S.Tr.Kes.", "S.Tr.Ak.")
GELAR_S2 = ("M.Si.", "M.M.", "M.Pd.", "M.H.", "M.Kes.", "M.T.", "M.A.P.", "M.Ak.", "M.E.", "M.Kom.")

# --- posts ------------------------------------------------------------------------------------
# Functional professions (keahlian then keterampilan); the post name is "<profession> <jenjang>".
PROFESI_KEAHLIAN = ("Guru", "Dosen", "Analis Kebijakan", "Auditor", "Perencana", "Pranata Komputer", "Dokter",
                    "Apoteker", "Penyuluh Pertanian", "Analis Sumber Daya Manusia Aparatur", "Pengawas Sekolah",
                    "Arsiparis", "Pustakawan", "Statistisi", "Widyaiswara", "Penyuluh Agama", "Penata Ruang",
                    "Analis Keuangan Pusat dan Daerah", "Pengelola Pengadaan Barang/Jasa", "Penilik")  # fmt: skip
PROFESI_KETERAMPILAN = ("Perawat", "Bidan", "Pranata Komputer", "Arsiparis", "Pranata Laboratorium Kesehatan",
                        "Penyuluh Pertanian", "Statistisi", "Pranata Keuangan APBN", "Asisten Apoteker",
                        "Terapis Gigi dan Mulut", "Sanitarian", "Pemadam Kebakaran")  # fmt: skip
JENJANG_LABEL = {
    "AHLI_UTAMA": "Ahli Utama", "AHLI_MADYA": "Ahli Madya", "AHLI_MUDA": "Ahli Muda",
    "AHLI_PERTAMA": "Ahli Pertama", "PENYELIA": "Penyelia", "MAHIR": "Mahir", "TERAMPIL": "Terampil",
    "PEMULA": "Pemula",
}  # fmt: skip
PELAKSANA = ("Pengadministrasi Perkantoran", "Penata Layanan Operasional", "Pengelola Layanan Operasional",
             "Operator Layanan Operasional", "Pengolah Data dan Informasi", "Pengelola Umum Operasional",
             "Penelaah Teknis Kebijakan", "Pengadministrasi Keuangan")  # fmt: skip
BIDANG = ("Umum dan Kepegawaian", "Keuangan", "Perencanaan", "Program dan Evaluasi", "Pelayanan Publik",
          "Hukum", "Kerja Sama", "Data dan Informasi", "Sumber Daya Manusia", "Pengawasan", "Pembinaan",
          "Sarana dan Prasarana")  # fmt: skip
STRUKTURAL_PREFIX = {
    "PENGAWAS": ("Kepala Subbagian", "Kepala Seksi"),
    "ADMINISTRATOR": ("Kepala Bagian", "Kepala Bidang"),
    "JPT_PRATAMA": ("Kepala Biro", "Direktur", "Kepala Dinas"),
    "JPT_MADYA": ("Direktur Jenderal", "Sekretaris Jenderal", "Deputi"),
    "JPT_UTAMA": ("Kepala",),
}

UNIT_PUSAT = ("Sekretariat Jenderal", "Inspektorat Jenderal", "Direktorat Jenderal Pelayanan", "Direktorat Jenderal Pembinaan",
              "Badan Pengembangan Sumber Daya Manusia", "Pusat Data dan Informasi", "Kantor Wilayah",
              "Unit Pelaksana Teknis", "Biro Umum", "Biro Perencanaan dan Keuangan")  # fmt: skip
UNIT_DAERAH = ("Sekretariat Daerah", "Dinas Pendidikan", "Dinas Kesehatan", "Rumah Sakit Umum Daerah",
               "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Badan Perencanaan Pembangunan Daerah",
               "Badan Pengelolaan Keuangan dan Aset Daerah", "Inspektorat", "Dinas Pekerjaan Umum dan Penataan Ruang",
               "Dinas Sosial", "Dinas Kependudukan dan Pencatatan Sipil", "Satuan Polisi Pamong Praja",
               "Dinas Pertanian", "Kecamatan", "Puskesmas", "Sekolah")  # fmt: skip

PELATIHAN_TEKNIS = ("Pelatihan Pengelolaan Keuangan Daerah", "Pelatihan Pengadaan Barang/Jasa", "Pelatihan Analisis Data",
                    "Pelatihan Pelayanan Prima", "Pelatihan Penyusunan SKP", "Pelatihan Manajemen Arsip",
                    "Pelatihan Aplikasi Perkantoran", "Pelatihan Keamanan Informasi", "Pelatihan Penulisan Naskah Dinas",
                    "Pelatihan Manajemen Risiko")  # fmt: skip
PELATIHAN_FUNGSIONAL = ("Pelatihan Pembentukan Jabatan Fungsional", "Pelatihan Penjenjangan Jabatan Fungsional",
                        "Pendidikan Profesi Guru", "Pelatihan Teknis Substantif Fungsional",
                        "Uji Kompetensi Kenaikan Jenjang")  # fmt: skip
SEMINAR = ("Seminar Nasional Reformasi Birokrasi", "Webinar Transformasi Digital", "Seminar Manajemen Talenta ASN",
           "Webinar Integritas dan Antikorupsi", "Seminar Pelayanan Publik", "Bimbingan Teknis SIASN")  # fmt: skip
PENYELENGGARA = ("Lembaga Administrasi Negara", "Badan Kepegawaian Negara", "BPSDM Provinsi", "Pusdiklat Kementerian",
                 "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", "Perguruan Tinggi Negeri", "ASN Corpu",
                 "Badan Pusat Statistik")  # fmt: skip
LEMBAGA_ASESMEN = ("Pusat Penilaian Kompetensi ASN BKN", "UPT Penilaian Kompetensi BKD Provinsi",
                   "Assessment Center Kementerian", "Lembaga Administrasi Negara", "Kantor Regional BKN")  # fmt: skip
JENIS_HUKDIS = {
    "RINGAN": ("Teguran lisan", "Teguran tertulis", "Pernyataan tidak puas secara tertulis"),
    "SEDANG": ("Pemotongan tunjangan kinerja 25% selama 6 bulan", "Pemotongan tunjangan kinerja 25% selama 9 bulan",
               "Pemotongan tunjangan kinerja 25% selama 12 bulan"),
    "BERAT": ("Penurunan jabatan setingkat lebih rendah selama 12 bulan",
              "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
              "Pemberhentian dengan hormat tidak atas permintaan sendiri"),
}  # fmt: skip
# Education history (contract v1.1): study programmes per level group, and institutions.
PRODI_SMA = ("IPA", "IPS", "Bahasa", "Teknik Komputer dan Jaringan", "Akuntansi dan Keuangan Lembaga")
PRODI_TINGGI = ("Ilmu Administrasi Negara", "Ilmu Hukum", "Manajemen", "Akuntansi", "Ilmu Ekonomi",
                "Teknik Informatika", "Teknik Sipil", "Pendidikan Guru Sekolah Dasar", "Kesehatan Masyarakat",
                "Keperawatan", "Kebidanan", "Pendidikan Dokter", "Agroteknologi", "Ilmu Pemerintahan",
                "Statistika", "Psikologi", "Sistem Informasi", "Ilmu Komunikasi")  # fmt: skip
INSTITUSI_SEKOLAH = ("SMA Negeri 1", "SMA Negeri 2", "SMK Negeri 1", "MA Negeri 1", "SMA Negeri 3")
INSTITUSI_TINGGI = ("Universitas Indonesia", "Universitas Gadjah Mada", "Institut Teknologi Bandung",
                    "Universitas Diponegoro", "Universitas Airlangga", "Universitas Hasanuddin",
                    "Universitas Sumatera Utara", "Universitas Terbuka", "Universitas Brawijaya",
                    "Politeknik Negeri Semarang", "Institut Pemerintahan Dalam Negeri",
                    "Politeknik Keuangan Negara STAN", "Universitas Negeri Padang", "Universitas Udayana")  # fmt: skip
