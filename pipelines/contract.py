"""The agency extract contract, version 1.1 (docs/extract-contract.md), as data.

One home for the contract's entities, columns and code lists. Reference lists that SQL also needs
(golongan, jabatan, leadership training, instansi, wilayah, the SKP predikat matrix of R5) live in the dbt
seeds and are read from there.
The generator, the ingest assets, `proasn check` and the expectation suites all read this module.

Raw tables (`raw.<entity>`) hold every accepted row with the contract's columns in canonical text form
(NIP 18 digits, ISO dates, `III/a`, UPPER_SNAKE codes, `.` decimals) plus the metadata columns below;
dbt staging casts them to types.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass, field

from pipelines.settings import SEEDS_DIR

CONTRACT_VERSION = "1.1"

# --- code lists that only the contract uses -------------------------------------------------------
# Whitespace trimmed from every cell (section 2): spaces, tabs, line breaks and Excel's no-break space.
WHITESPACE = " \t\r\n\u00a0"
STATUS_KEPEGAWAIAN = ("PNS", "CPNS", "PPPK")
# The earliest plausible tanggal_ekstrak: no extract of this programme predates the SKP years it holds (2015).
TANGGAL_EKSTRAK_TERAWAL = dt.date(2015, 1, 1)
JENIS_JABATAN = (
    "JPT_UTAMA",
    "JPT_MADYA",
    "JPT_PRATAMA",
    "ADMINISTRATOR",
    "PENGAWAS",
    "PELAKSANA",
    "FUNGSIONAL",
)
JENJANG_KEAHLIAN = ("AHLI_UTAMA", "AHLI_MADYA", "AHLI_MUDA", "AHLI_PERTAMA")
JENJANG_KETERAMPILAN = ("PENYELIA", "MAHIR", "TERAMPIL", "PEMULA")
JENJANG_FUNGSIONAL = JENJANG_KEAHLIAN + JENJANG_KETERAMPILAN
PENDIDIKAN = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
# Rank of each education level (section 5 of the contract, v1.1): D4 and S1 are the same level.
PENDIDIKAN_PERINGKAT = {
    "SD": 1,
    "SMP": 2,
    "SMA": 3,
    "D1": 4,
    "D2": 5,
    "D3": 6,
    "D4": 7,
    "S1": 7,
    "S2": 8,
    "S3": 9,
}
# Other spellings of riwayat_pendidikan.jenjang (v1.1), keyed as codes are compared (upper case, runs of
# spaces and hyphens as `_`): vocational and religious senior high schools are SMA, and so on.
JENJANG_PENDIDIKAN_ALIASES = {
    "SMK": "SMA", "SLTA": "SMA", "MA": "SMA", "DIII": "D3", "D_III": "D3", "DIV": "D4", "D_IV": "D4",
    "SARJANA": "S1", "MAGISTER": "S2", "DOKTOR": "S3",
}  # fmt: skip
# The earliest tahun_lulus accepted in riwayat_pendidikan.
TAHUN_LULUS_TERAWAL = 1950
JENIS_KENAIKAN = ("REGULER", "PILIHAN", "PENGABDIAN", "ANUMERTA", "PENYESUAIAN")
JENIS_PELATIHAN = ("LATSAR", "KEPEMIMPINAN", "FUNGSIONAL", "TEKNIS", "SEMINAR")
METODE_ASESMEN = ("ASSESSMENT_CENTER", "CACT", "UJI_KOMPETENSI")
PENILAIAN_SKP = ("DI_ATAS", "SESUAI", "DI_BAWAH")  # hasil_kerja, perilaku_kerja
PREDIKAT_SKP = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
TINGKAT_HUKDIS = ("RINGAN", "SEDANG", "BERAT")
JENIS_KELAMIN_ALIASES = {
    "L": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKI_LAKI": "L", "PRIA": "L",
    "P": "P", "PEREMPUAN": "P", "WANITA": "P",
}  # fmt: skip
KOMPETENSI_MANAJERIAL = (
    "km_integritas", "km_kerja_sama", "km_komunikasi", "km_orientasi_hasil", "km_pelayanan_publik",
    "km_pengembangan_diri", "km_mengelola_perubahan", "km_pengambilan_keputusan",
)  # fmt: skip
KOMPETENSI_SOSIOKULTURAL = ("ks_perekat_bangsa",)
BULAN = (
    "januari", "februari", "maret", "april", "mei", "juni",
    "juli", "agustus", "september", "oktober", "november", "desember",
)  # fmt: skip


# --- reference lists read from the dbt seeds ------------------------------------------------------
def _read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@functools.cache
def golongan_pns() -> tuple[str, ...]:
    return tuple(r["kode_golongan"] for r in _read_seed("golongan") if r["rumpun"] == "PNS")


@functools.cache
def golongan_pppk() -> tuple[str, ...]:
    return tuple(r["kode_golongan"] for r in _read_seed("golongan") if r["rumpun"] == "PPPK")


@functools.cache
def pangkat_to_golongan() -> dict[str, str]:
    """'PENATA MUDA' -> 'III/a' (pangkat names are accepted for PNS golongan)."""
    return {r["pangkat"].upper(): r["kode_golongan"] for r in _read_seed("golongan") if r["pangkat"]}


@functools.cache
def kode_kepemimpinan_aliases() -> dict[str, str]:
    """Current and old (DIKLATPIM_*) leadership training codes -> current code."""
    rows = _read_seed("pelatihan_kepemimpinan")
    return {r["kode_kepemimpinan"]: r["kode_kepemimpinan"] for r in rows} | {
        r["nama_lama"]: r["kode_kepemimpinan"] for r in rows
    }


@functools.cache
def predikat_matriks() -> dict[tuple[str, str], str]:
    """docs/domain-rules.md R5 (PermenPANRB 6/2022): (hasil_kerja, perilaku_kerja) -> SKP predikat, from the seed
    matriks_predikat_skp; every pair of PENILAIAN_SKP, each with a PREDIKAT_SKP."""
    rows = _read_seed("matriks_predikat_skp")
    matrix = {(r["hasil_kerja"], r["perilaku_kerja"]): r["predikat"] for r in rows}
    pairs = {(h, p) for h in PENILAIAN_SKP for p in PENILAIAN_SKP}
    if len(rows) != len(pairs) or set(matrix) != pairs or not set(matrix.values()) <= set(PREDIKAT_SKP):
        raise ValueError(
            "seed matriks_predikat_skp: needs one row per (hasil_kerja, perilaku_kerja) pair of "
            f"{', '.join(PENILAIAN_SKP)}, each with a predikat of {', '.join(PREDIKAT_SKP)}"
        )
    return matrix


@functools.cache
def kode_instansi() -> frozenset[str]:
    return frozenset(r["kode_instansi"] for r in _read_seed("instansi"))


@functools.cache
def kode_wilayah() -> frozenset[str]:
    return frozenset(r["kode_wilayah"] for r in _read_seed("wilayah"))


# --- entities ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # nip, nik, text, date, golongan, enum, jenis_kelamin, integer, decimal, wilayah
    required: bool = False
    values: tuple[str, ...] = ()  # enum codes
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    columns: tuple[Column, ...]
    description: str
    unique_key: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name, kind="text", required=False, values=(), minimum=None, maximum=None) -> Column:
    return Column(name, kind, required, tuple(values), minimum, maximum)


NIP = _c("nip", "nip", required=True)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "pegawai",
            (
                NIP,
                _c("nik", "nik"),
                _c("nama", required=True),
                _c("gelar_depan"),
                _c("gelar_belakang"),
                _c("jenis_kelamin", "jenis_kelamin", required=True),
                _c("tempat_lahir"),
                _c("tanggal_lahir", "date", required=True),
                _c("status_kepegawaian", "enum", True, STATUS_KEPEGAWAIAN),
                _c("golongan", "golongan", required=True),
                _c("tmt_golongan", "date"),
                _c("jenis_jabatan", "enum", True, JENIS_JABATAN),
                _c("jenjang_fungsional", "enum", False, JENJANG_FUNGSIONAL),
                _c("nama_jabatan", required=True),
                _c("tmt_jabatan", "date"),
                _c("unit_kerja"),
                _c("kode_wilayah_kerja", "wilayah"),
                _c("pendidikan_terakhir", "enum", True, PENDIDIKAN),
                _c("tmt_cpns", "date"),
            ),
            "one row per person employed by the agency on tanggal_ekstrak",
            ("nip",),
        ),
        Entity(
            "riwayat_jabatan",
            (
                NIP,
                _c("jenis_jabatan", "enum", True, JENIS_JABATAN),
                _c("jenjang_fungsional", "enum", False, JENJANG_FUNGSIONAL),
                _c("nama_jabatan", required=True),
                _c("unit_kerja"),
                _c("tmt_mulai", "date", required=True),
                _c("tmt_selesai", "date"),
                _c("nomor_sk"),
            ),
            "career history: one row per position held",
        ),
        Entity(
            "riwayat_golongan",
            (
                NIP,
                _c("golongan", "golongan", required=True),
                _c("tmt_golongan", "date", required=True),
                _c("jenis_kenaikan", "enum", False, JENIS_KENAIKAN),
                _c("nomor_sk"),
            ),
            "rank history: one row per golongan held",
        ),
        Entity(
            "riwayat_pelatihan",
            (
                NIP,
                _c("jenis_pelatihan", "enum", True, JENIS_PELATIHAN),
                _c("kode_kepemimpinan", "enum", False, ("PKP", "PKA", "PKN_II", "PKN_I")),
                _c("nama_pelatihan", required=True),
                _c("tanggal_mulai", "date", required=True),
                _c("tanggal_selesai", "date"),
                _c("jp", "integer", True, minimum=1, maximum=2000),
                _c("penyelenggara"),
            ),
            "training: one row per course attended",
        ),
        Entity(
            "asesmen",
            (
                NIP,
                _c("tanggal_asesmen", "date", required=True),
                _c("metode", "enum", True, METODE_ASESMEN),
                _c("lembaga"),
                _c("skor_potensi", "decimal", minimum=0, maximum=100),
                *(_c(k, "integer", minimum=1, maximum=5) for k in KOMPETENSI_MANAJERIAL),
                *(_c(k, "integer", minimum=1, maximum=5) for k in KOMPETENSI_SOSIOKULTURAL),
                _c("jpm", "decimal", minimum=0, maximum=100),
            ),
            "assessment results: one row per assessment",
        ),
        Entity(
            "skp",
            (
                NIP,
                _c("tahun", "integer", True, minimum=2015),  # maximum: year of tanggal_ekstrak
                _c("hasil_kerja", "enum", False, PENILAIAN_SKP),
                _c("perilaku_kerja", "enum", False, PENILAIAN_SKP),
                _c("predikat", "enum", False, PREDIKAT_SKP),
                _c("nilai", "decimal", minimum=0, maximum=120),
            ),
            "annual performance appraisal: one row per (nip, tahun)",
            ("nip", "tahun"),
        ),
        Entity(
            "hukuman_disiplin",
            (
                NIP,
                _c("tingkat", "enum", True, TINGKAT_HUKDIS),
                _c("jenis"),
                _c("tmt_mulai", "date", required=True),
                _c("tmt_selesai", "date"),
                _c("nomor_sk"),
            ),
            "disciplinary sanctions: one row per sanction",
        ),
        Entity(
            "riwayat_pendidikan",
            (
                NIP,
                _c("jenjang", "enum", True, PENDIDIKAN),
                _c("program_studi"),
                _c("nama_institusi"),
                _c(
                    "tahun_lulus", "integer", True, minimum=TAHUN_LULUS_TERAWAL
                ),  # maximum: year of tanggal_ekstrak
                _c("nomor_ijazah"),
            ),
            "education history: one row per completed level (contract v1.1, optional)",
            ("nip", "jenjang", "program_studi"),
        ),
    )
}
# The eight entities of version 1.1 (docs/extract-contract.md section 4), pegawai first; the seven of
# version 1 are the first seven. A submission may hold any subset of them.
ENTITY_NAMES = tuple(ENTITIES)
ENTITY_NAMES_V1 = ENTITY_NAMES[:7]
FILE_EXTENSIONS = (".csv", ".xlsx")

# Metadata columns on every raw and quarantine row.
META_COLUMNS = (
    "_kode_instansi",  # from the folder
    "_tanggal_ekstrak",  # from the folder, ISO date
    "_file_sha256",  # the ledger's key for the file
    "_file_path",  # relative to the landing root
    "_line",  # line number in the file (the header is line 1)
    "_loaded_at",  # UTC timestamp of the load
)


# --- reason codes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    code: str  # stable: reports, dashboards and agencies' scripts key on it
    level: str  # FILE (the file is rejected whole), ROW (the row is quarantined), WARNING (reported only)
    pesan: str  # what is wrong, in Bahasa Indonesia, for the agency officer
    perbaikan: str  # how to fix it


REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        # whole-file rejections
        Reason("FOLDER_TIDAK_VALID", "FILE", "Struktur folder tidak sesuai: harus <kode_instansi>/<YYYY-MM-DD>/<entitas>.csv|xlsx.",
               "Letakkan berkas di folder kode instansi (4 karakter) lalu folder tanggal ekstrak YYYY-MM-DD."),
        Reason("INSTANSI_TIDAK_DIKENAL", "FILE", "Kode instansi tidak terdaftar pada tabel referensi instansi.",
               "Gunakan kode instansi resmi: PP00 untuk provinsi, PPKK untuk kabupaten/kota, K### atau L### untuk instansi pusat."),
        Reason("TANGGAL_EKSTRAK_MASA_DEPAN", "FILE", "Tanggal ekstrak (nama folder) berada di masa depan.",
               "Beri nama folder dengan tanggal data diambil, tidak melebihi hari ini."),
        Reason("TANGGAL_EKSTRAK_TIDAK_WAJAR", "FILE", f"Tanggal ekstrak (nama folder) sebelum {TANGGAL_EKSTRAK_TERAWAL.isoformat()}: bukan tanggal data yang wajar.",
               "Beri nama folder dengan tanggal data diambil (YYYY-MM-DD), misalnya tanggal hari ini."),
        Reason("ENTITAS_TIDAK_DIKENAL", "FILE", "Nama berkas bukan salah satu entitas kontrak; berkas diabaikan.",
               "Gunakan nama berkas: pegawai, riwayat_jabatan, riwayat_golongan, riwayat_pelatihan, asesmen, skp, hukuman_disiplin, riwayat_pendidikan."),
        Reason("FORMAT_BERKAS_TIDAK_DIDUKUNG", "FILE", "Format berkas tidak didukung; berkas diabaikan.",
               "Kirim berkas .csv (UTF-8 atau Windows-1252) atau .xlsx."),
        Reason("BERKAS_TIDAK_TERBACA", "FILE", "Berkas tidak dapat dibaca (rusak, kosong, atau bukan CSV/XLSX yang sah).",
               "Ekspor ulang berkas dari sistem kepegawaian dan pastikan baris pertama adalah judul kolom."),
        Reason("ENKODING_TIDAK_TERBACA", "FILE", "Enkoding karakter berkas tidak dapat dibaca sebagai UTF-8 maupun Windows-1252.",
               "Simpan ulang berkas sebagai 'CSV UTF-8'."),
        Reason("KOLOM_WAJIB_HILANG", "FILE", "Kolom wajib tidak ditemukan pada baris judul.",
               "Tambahkan kolom yang disebutkan pada baris pertama berkas, dengan nama sesuai kontrak."),
        Reason("ENTITAS_GANDA", "FILE", "Satu pengiriman memuat lebih dari satu berkas untuk entitas yang sama (mis. pegawai.csv dan pegawai.xlsx).",
               "Kirim satu berkas per entitas dalam setiap folder tanggal ekstrak."),
        Reason("TAUTAN_SIMBOLIK", "FILE", "Tautan simbolik (symlink/pintasan) di folder pengiriman tidak diikuti; berkas atau folder yang ditunjuknya tidak dibaca.",
               "Salin berkas aslinya ke folder pengiriman, jangan tautan atau pintasan."),
        Reason("NAMA_BERKAS_TIDAK_VALID", "FILE", "Nama berkas atau folder tidak dapat dibaca (bukan teks UTF-8, atau memuat karakter kendali); berkas tidak dibaca.",
               "Beri nama folder dan berkas sesuai kontrak, hanya dengan huruf, angka, tanda hubung dan garis bawah: <kode_instansi>/<YYYY-MM-DD>/<entitas>.csv|xlsx."),
        Reason("BATAS_BACA_TERLAMPAUI", "FILE", "Berkas melampaui batas pembacaan (ukuran lembar kerja, panjang baris, jumlah kolom, memori atau waktu baca); berkas tidak dibaca.",
               "Periksa berkas: hapus baris dan kolom kosong di luar data, pecah data di atas 1.048.576 baris, atau kirim sebagai CSV."),
        Reason("RUMUS_TANPA_NILAI", "FILE", "Berkas XLSX memuat rumus yang nilainya tidak tersimpan (berkas dibuat program, belum dihitung Excel); nilainya tidak dapat dibaca.",
               "Buka berkas di Excel atau LibreOffice lalu simpan ulang, atau salin sel dan tempel sebagai nilai (Paste Values)."),
        Reason("KOLOM_GANDA", "FILE", "Satu kolom kontrak muncul lebih dari sekali pada baris judul; tidak jelas kolom mana yang berisi nilainya.",
               "Sisakan satu kolom untuk setiap nama kolom kontrak pada baris pertama."),
        Reason("BERKAS_DUPLIKAT", "FILE", "Isi berkas sama persis dengan berkas yang sudah dimuat sebelumnya; berkas tidak dimuat lagi.",
               "Tidak perlu tindakan bila memang tidak ada perubahan; bila salah kirim, kirim berkas yang benar."),
        # row quarantine
        Reason("NIP_TIDAK_VALID", "ROW", "NIP tidak terdiri dari 18 digit.",
               "Isi NIP 18 digit sesuai SK; pemisah spasi, titik, atau tanda hubung boleh dipakai."),
        Reason("NIP_NOTASI_ILMIAH", "ROW", "NIP tertulis dalam notasi ilmiah (mis. 1.98001E+17): digitnya sudah hilang.",
               "Format kolom NIP sebagai Teks di Excel sebelum menyimpan, lalu isi ulang NIP lengkap."),
        Reason("NIK_TIDAK_VALID", "ROW", "NIK tidak terdiri dari 16 digit.", "Isi NIK 16 digit sesuai KTP, atau kosongkan."),
        Reason("NILAI_WAJIB_KOSONG", "ROW", "Kolom wajib kosong.", "Isi kolom yang disebutkan."),
        Reason("TANGGAL_TIDAK_VALID", "ROW", "Tanggal tidak dapat dibaca.",
               "Tulis tanggal sebagai YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, atau '17 Agustus 1980'."),
        Reason("TANGGAL_MASA_DEPAN", "ROW", "Tanggal berada setelah tanggal ekstrak.", "Periksa tanggal; TMT tidak boleh setelah tanggal ekstrak."),
        Reason("USIA_DI_LUAR_RENTANG", "ROW", "Usia pada tanggal ekstrak di luar 18 sampai 70 tahun.", "Periksa tanggal lahir."),
        Reason("GOLONGAN_TIDAK_VALID", "ROW", "Golongan tidak dikenal atau tidak sesuai status kepegawaian.",
               "PNS/CPNS: I/a sampai IV/e; PPPK: I sampai XVII."),
        Reason("KODE_TIDAK_VALID", "ROW", "Kode tidak termasuk daftar nilai yang diizinkan.", "Gunakan salah satu kode pada kontrak untuk kolom itu."),
        Reason("JENIS_KELAMIN_TIDAK_VALID", "ROW", "Jenis kelamin tidak dikenal.", "Isi L atau P (Laki-laki/Perempuan)."),
        Reason("ANGKA_TIDAK_VALID", "ROW", "Nilai bukan angka.", "Isi angka; koma desimal boleh dipakai (85,5)."),
        Reason("NILAI_DI_LUAR_RENTANG", "ROW", "Nilai di luar rentang yang diizinkan.", "Periksa nilai terhadap rentang pada kontrak."),
        Reason("JENJANG_FUNGSIONAL_TIDAK_SESUAI", "ROW",
               "Jenjang fungsional wajib diisi untuk jabatan FUNGSIONAL dan harus kosong untuk jabatan lain.",
               "Isi jenjang untuk pejabat fungsional; kosongkan untuk jabatan lainnya."),
        Reason("KODE_KEPEMIMPINAN_WAJIB", "ROW", "Pelatihan KEPEMIMPINAN tanpa kode kepemimpinan.", "Isi PKP, PKA, PKN_II atau PKN_I."),
        Reason("TANGGAL_SELESAI_SEBELUM_MULAI", "ROW", "Tanggal selesai lebih awal dari tanggal mulai.", "Periksa urutan tanggal mulai dan selesai."),
        Reason("WILAYAH_TIDAK_DIKENAL", "ROW", "Kode wilayah kerja tidak terdaftar pada tabel referensi wilayah.",
               "Gunakan kode Kemendagri PP atau PP.KK (mis. 33.73)."),
        Reason("DUPLIKAT", "ROW", "Baris dengan kunci yang sama muncul lebih dari sekali dalam berkas; semua salinan dikarantina.",
               "Sisakan satu baris per NIP (skp: per NIP dan tahun; riwayat_pendidikan: per NIP, jenjang dan program studi)."),
        Reason("SKP_TANPA_PENILAIAN", "ROW", "Baris SKP tanpa predikat, tanpa pasangan hasil/perilaku kerja, dan tanpa nilai.",
               "Isi predikat, atau hasil_kerja dan perilaku_kerja, atau nilai."),
        Reason("KOLOM_BERLEBIH", "ROW", "Baris berisi lebih banyak nilai daripada judul kolom; nilai mungkin bergeser ke kolom lain.",
               "Beri tanda kutip ganda (\") pada nilai yang memuat koma atau titik koma, atau ekspor ulang dari Excel."),
        Reason("KOLOM_KURANG", "ROW", "Baris berisi lebih sedikit nilai daripada judul kolom; baris mungkin terpotong.",
               "Lengkapi baris itu (setiap baris memuat satu nilai, boleh kosong, untuk setiap kolom judul), atau ekspor ulang berkas secara utuh."),
        Reason("NIP_TIDAK_ADA_DI_PEGAWAI", "ROW", "NIP tidak terdapat pada data pegawai terkini instansi ini (data yatim).",
               "Kirim juga pegawai.csv yang memuat NIP ini, atau hapus baris riwayatnya."),
        # warnings: reported per agency, nothing quarantined
        Reason("NIP_TANGGAL_LAHIR_TIDAK_COCOK", "WARNING", "Digit 1-8 NIP tidak sama dengan tanggal lahir.", "Periksa tanggal lahir atau NIP."),
        Reason("NIP_JENIS_KELAMIN_TIDAK_COCOK", "WARNING", "Digit ke-15 NIP tidak sesuai jenis kelamin (1 = L, 2 = P).",
               "Periksa jenis kelamin atau NIP."),
        Reason("PREDIKAT_TIDAK_SESUAI_MATRIKS", "WARNING",
               "Predikat SKP tidak sesuai matriks hasil kerja x perilaku kerja (PermenPANRB 6/2022); matriks yang dipakai.",
               "Perbaiki predikat agar sesuai matriks."),
        Reason("PENDIDIKAN_TERAKHIR_TIDAK_SESUAI", "WARNING",
               "Jenjang tertinggi pada riwayat pendidikan tidak sama dengan pendidikan terakhir pada data pegawai.",
               "Perbarui pendidikan_terakhir di pegawai, atau lengkapi/perbaiki riwayat_pendidikan."),
        Reason("PEGAWAI_DI_DUA_INSTANSI", "WARNING",
               "Pegawai tercatat pada data terkini dua instansi (mutasi); data dengan tanggal ekstrak terbaru yang dipakai.",
               "Instansi lama perlu mengirim ulang data pegawai tanpa pegawai yang sudah pindah."),
    )
}  # fmt: skip
