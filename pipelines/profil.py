"""`proasn profil NIP`: one person's career profile in the terminal, from the restricted model
terbatas.rst_rekomendasi_asn of the working warehouse (opened read-only; personal data, for the person and
their agency's HR unit). Labels are in Bahasa Indonesia."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb
import yaml

from pipelines.settings import DBT_PROJECT_DIR, get_settings

NIP_SEPARATORS = re.compile(r"[\s.\-]")
KESIAPAN = {
    "SIAP": "siap",
    "SIAP_DENGAN_PENGEMBANGAN": "siap dengan pengembangan",
    "BELUM_SIAP": "belum siap",
    "TIDAK_DAPAT_DINILAI": "tidak dapat dinilai (SKP atau asesmen belum ada)",
}
KENAIKAN_PANGKAT = {
    "LAYAK": "layak sejak {tanggal}",
    "MENUNGGU_MASA_GOLONGAN": "layak mulai {tanggal} (masa golongan {masa} tahun terpenuhi)",
    "MENUNGGU_HUKUMAN_SELESAI": "layak mulai {tanggal} (setelah hukuman disiplin selesai)",
    "TERHAMBAT_SKP": "belum dapat ditentukan: predikat SKP {n} tahun terakhir harus minimal BAIK",
    "TERHAMBAT_HUKUMAN": "belum dapat ditentukan: ada hukuman disiplin aktif tanpa tanggal selesai",
    "TMT_GOLONGAN_TIDAK_DIKETAHUI": "belum dapat ditentukan: TMT golongan tidak tercatat (lengkapi riwayat golongan)",
    "BELUM_PNS": "tidak berlaku: masih CPNS (kenaikan pangkat setelah diangkat menjadi PNS)",
    "GOLONGAN_TERTINGGI": "tidak berlaku: sudah golongan tertinggi (IV/e)",
    "TIDAK_BERLAKU": "tidak berlaku untuk PPPK",
}


class ProfileError(Exception):
    """A message for the user; the command exits 1."""


def dbt_vars() -> dict:
    """The thresholds in force (dbt_project.yml vars), for the explanations."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text()).get("vars", {})


def normalise_nip(text: str) -> str:
    nip = NIP_SEPARATORS.sub("", text or "")
    if not re.fullmatch(r"\d{18}", nip):
        raise ProfileError(
            f"NIP tidak valid: {text!r}. NIP terdiri dari 18 digit (spasi, titik, tanda hubung boleh)."
        )
    return nip


def read_profile(warehouse: Path, nip: str) -> dict:
    """The person's row of terbatas.rst_rekomendasi_asn and their agency's name."""
    if not warehouse.exists():
        raise ProfileError(f"Gudang data kerja belum ada ({warehouse}): jalankan `proasn refresh` dahulu.")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        raise ProfileError(
            "Gudang data kerja sedang dipakai oleh proses refresh yang berjalan (terkunci); "
            "coba lagi setelah refresh selesai (lihat `proasn status`)."
        ) from exc
    try:
        cursor = con.execute(
            """select r.*, i.nama_instansi from terbatas.rst_rekomendasi_asn as r
               left join referensi.instansi as i on r.kode_instansi = i.kode_instansi
               where r.nip = ?""",
            [nip],
        )
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if not rows:
            tanggal = con.execute("select max(tanggal_acuan) from terbatas.rst_rekomendasi_asn").fetchall()[
                0
            ][0]
            pensiun = con.execute(
                "select tmt_pensiun, batas_usia_pensiun, tanggal_acuan from intermediate.int_melewati_bup where nip = ?",
                [nip],
            ).fetchall()
            if pensiun:
                tmt, bup, acuan = pensiun[0]
                raise ProfileError(
                    f"NIP {nip} bukan ASN aktif per tanggal acuan {acuan}: sudah mencapai batas usia pensiun "
                    f"({bup} tahun, TMT pensiun {tmt}) walaupun masih tercantum pada data pegawai instansinya. "
                    "Minta instansi memperbarui data pegawainya."
                )
            raise ProfileError(
                f"NIP {nip} bukan ASN aktif per tanggal acuan {tanggal}: tidak tercatat pada data pegawai "
                "terkini instansi mana pun. Periksa NIP, atau minta instansi mengirim data pegawai terbaru."
            )
        candidacies = con.execute(
            """select jabatan_sasaran, peringkat, count(*) over (partition by jabatan_sasaran)
               from terbatas.rst_kandidat_suksesi
               where kode_instansi = ? and jabatan_sasaran in (
                   select jabatan_sasaran from terbatas.rst_kandidat_suksesi where nip = ?)
               qualify nip = ?""",
            [rows[0][columns.index("kode_instansi")], nip, nip],
        ).fetchall()
        education = _education_history(con, nip)
    except duckdb.CatalogException as exc:
        raise ProfileError("Model terbatas belum dibangun: jalankan `proasn refresh` dahulu.") from exc
    finally:
        con.close()
    return {**dict(zip(columns, rows[0], strict=True)), "kandidat_suksesi": candidacies,
            "riwayat_pendidikan": education}  # fmt: skip


def _education_history(con, nip: str) -> list[tuple]:
    """(jenjang, program_studi, nama_institusi, tahun_lulus) of the person's education history (contract
    v1.1), oldest first; none when the agency sent no riwayat_pendidikan (or the warehouse predates it)."""
    try:
        return con.execute(
            """select jenjang, program_studi, nama_institusi, tahun_lulus from staging.stg_riwayat_pendidikan
               where nip = ? order by tahun_lulus, jenjang""",
            [nip],
        ).fetchall()
    except duckdb.CatalogException:
        return []


def _education_lines(p: dict) -> list[str]:
    """R11 highest education, R13 qualification fit, and the education history, for the profile."""
    if "pendidikan_tertinggi" not in p:
        return []
    tertinggi = p["pendidikan_tertinggi"] or "-"
    if p.get("pendidikan_terakhir") and p["pendidikan_terakhir"] != p["pendidikan_tertinggi"]:
        tertinggi += (
            f" (dari riwayat pendidikan; pendidikan_terakhir di data pegawai {p['pendidikan_terakhir']})"
        )
    if p.get("sesuai_kualifikasi") is None:
        fit = "minimum pendidikan jabatan tidak ditetapkan"
    else:
        status = "memenuhi" if p["sesuai_kualifikasi"] else "BELUM memenuhi"
        fit = f"{status} minimum jabatan {p['pendidikan_minimum']}"
    lines = [f"Pendidikan     : tertinggi {tertinggi}; {fit}"]
    history = p.get("riwayat_pendidikan") or []
    for jenjang, program, institusi, tahun in history:
        detail = ", ".join(x for x in (program, institusi) if x)
        lines.append(f"  - {jenjang} lulus {tahun}" + (f": {detail}" if detail else ""))
    if not history:
        lines.append("  (riwayat pendidikan belum dikirim instansi)")
    return lines


def _criteria(p: dict, v: dict) -> list[tuple[str, bool, str, str]]:
    """(label, met, what it means for this person, what to do when unmet) for K1..K6 (R10)."""
    n_skp = v.get("k1_jumlah_tahun_skp", 2)
    jpm = p["jpm"]
    kekurangan = p["kekurangan_jp"]
    hukuman = (
        f"hukuman disiplin {p['tingkat_hukuman_aktif']} masih aktif"
        + (f" sampai {p['tmt_selesai_hukuman_aktif']}" if p["tmt_selesai_hukuman_aktif"] else "")
        if p["ada_hukuman_aktif"]
        else f"ada hukuman disiplin BERAT dalam {v.get('k5_jendela_berat_tahun', 3)} tahun terakhir"
    )
    return [
        ("K1 kinerja", p["k1_kinerja"],
         f"{p['jumlah_tahun_baik_k1']} dari {p['jumlah_tahun_skp_k1']} tahun SKP terakhir yang dinilai "
         f"(paling banyak {n_skp}, dalam jendela kinerja) berpredikat minimal BAIK",
         f"Capai predikat SKP minimal BAIK setiap tahun dan pastikan SKP {n_skp} tahun terakhir tercatat."),
        ("K2 kompetensi", p["k2_kompetensi"],
         f"JPM {jpm}, minimal {v.get('k2_jpm_minimum', 80)}" if jpm is not None else "belum ada asesmen yang berlaku",
         "Ikuti pengembangan kompetensi sesuai kesenjangan di bawah, lalu asesmen ulang."
         if jpm is not None else "Ikuti asesmen kompetensi (assessment center/CACT/uji kompetensi)."),
        ("K3 pengembangan", p["k3_pengembangan"],
         f"{p['jp_12_bulan']} JP dalam {v.get('k3_jendela_bulan', 12)} bulan terakhir, "
         f"minimal {v.get('k3_jp_minimum', 20)}",
         f"Ikuti pengembangan kompetensi {kekurangan} JP lagi dalam 12 bulan."),
        ("K4 kepemimpinan", p["k4_kepemimpinan"],
         f"pelatihan wajib {p['pelatihan_kepemimpinan_wajib'] or '-'}, dimiliki {p['kepemimpinan_tertinggi'] or '-'}",
         f"Ikuti {p['pelatihan_kepemimpinan_wajib']} (pelatihan kepemimpinan wajib jabatan ini)."),
        ("K5 disiplin", p["k5_disiplin"],
         "tidak ada hukuman disiplin yang menghalangi" if p["k5_disiplin"] else hukuman,
         "Jaga disiplin; kriteria ini terpenuhi kembali setelah masa hukuman dan jendela hukuman berat berlalu."),
        ("K6 masa kerja", p["k6_masa_kerja"],
         f"TMT pensiun {p['tmt_pensiun']}, minimal {v.get('k6_tahun_sebelum_pensiun', 2)} tahun lagi",
         "Tidak dapat diperbaiki: siapkan transfer pengetahuan dan kader pengganti sebelum pensiun."),
    ]  # fmt: skip


def format_profile(p: dict, v: dict | None = None) -> str:
    v = v or dbt_vars()
    lines = [
        f"PROFIL KARIER ASN (tanggal acuan {p['tanggal_acuan']}; data terbatas, jangan disebarluaskan)",
        f"NIP            : {p['nip']}",
        f"Nama           : {p['nama']}",
        f"Instansi       : {p['kode_instansi']} {p['nama_instansi'] or ''}".rstrip(),
        f"Jabatan        : {p['nama_jabatan']} ({p['kode_jabatan']}), golongan {p['golongan']}, "
        f"{p['status_kepegawaian']}",
        "",
    ]
    if p["kotak_talenta"] is not None:
        lines.append(
            f"Kotak talenta  : {p['kotak_talenta']} (kinerja {p['kinerja_level']}, potensial {p['potensial_level']})"
        )
    else:
        lines.append("Kotak talenta  : belum terprofil")
    skp = (
        f"SKP {p['tahun_skp_terakhir']} predikat {p['predikat_terakhir']} -> kinerja {p['kinerja_level']}"
        if p["tahun_skp_terakhir"] is not None
        else f"tidak ada SKP dalam {v.get('kinerja_jendela_tahun', 2)} tahun terakhir"
    )
    if p["tanggal_asesmen"] is not None:
        asesmen = f"asesmen {p['tanggal_asesmen']}: skor potensi {p['skor_potensi']}"
        asesmen += (
            f" -> potensial {p['potensial_level']}" if p["potensial_level"] else " (tanpa skor potensi)"
        )
        if p["jpm"] is not None:
            asesmen += f"; JPM {p['jpm']} ({p['kategori_jpm']})"
    else:
        asesmen = f"tidak ada asesmen dalam {v.get('potensial_jendela_tahun', 3)} tahun terakhir"
    lines += [f"  Dasar        : {skp}", f"                 {asesmen}",
              f"  Tindak lanjut: {p['tindak_lanjut_kotak']}", ""]  # fmt: skip
    lines += [*_education_lines(p), ""] if "pendidikan_tertinggi" in p else []
    lines.append(f"Kesiapan merit : {KESIAPAN.get(p['kategori_kesiapan'], p['kategori_kesiapan'])}")
    for label, met, detail, todo in _criteria(p, v):
        lines.append(
            f"  [{'x' if met else ' '}] {label}: {'terpenuhi' if met else 'belum terpenuhi'} ({detail})"
        )
        if not met:
            lines.append(f"      Yang perlu dilakukan: {todo}")
    lines += ["", "Kebutuhan pelatihan:"]
    needs = []
    if p["perlu_kepemimpinan_jabatan"]:
        needs.append(f"{p['pelatihan_kepemimpinan_wajib']}: wajib untuk jabatan saat ini")
    if p["perlu_kepemimpinan_jabatan_atas"]:
        needs.append(
            f"{p['kepemimpinan_jabatan_atas']}: untuk jabatan satu tingkat di atas ({p['kode_jabatan_atas']})"
        )
    if p["perlu_pelatihan_20jp"]:
        needs.append(
            f"{p['kekurangan_jp']} JP pengembangan kompetensi lagi (baru {p['jp_12_bulan']} JP dalam 12 bulan)"
        )
    if p["kompetensi_di_bawah_standar"]:
        needs.append(f"kompetensi di bawah standar jabatan: {p['kompetensi_di_bawah_standar']}")
    if p.get("perlu_peningkatan_pendidikan"):
        needs.append(
            f"pendidikan: tertinggi {p['pendidikan_tertinggi']} di bawah minimum jabatan {p['pendidikan_minimum']} "
            "(R13): tingkatkan pendidikan atau tinjau penempatan"
        )
    lines += [f"  - {need}" for need in needs] or ["  (tidak ada)"]
    placement = []
    if p["perlu_rotasi"]:
        placement.append(f"rotasi (tindak lanjut kotak {p['kotak_talenta']})")
    if p["perlu_tinjauan_penempatan"]:
        placement.append(
            f"tinjauan penempatan (JPM {p['jpm']} di bawah {v.get('tinjauan_penempatan_jpm_batas', 68)})"
        )
    lines += ["", f"Penempatan     : {'; '.join(placement) if placement else 'tidak ada catatan'}"]
    for jabatan, peringkat, jumlah in p.get("kandidat_suksesi", []):
        lines.append(f"Kandidat suksesi: {jabatan}, peringkat {peringkat} dari {jumlah} di instansi ini")
    status = KENAIKAN_PANGKAT.get(p["status_kenaikan_pangkat"], p["status_kenaikan_pangkat"]).format(
        tanggal=p["tanggal_layak_kenaikan_pangkat"],
        masa=v.get("kenaikan_pangkat_masa_tahun", 4),
        n=v.get("k1_jumlah_tahun_skp", 2),
    )
    lines.append(f"Kenaikan pangkat reguler: {status}; TMT golongan {p['tmt_golongan'] or '-'}")
    lines.append(f"TMT pensiun    : {p['tmt_pensiun']}")
    return "\n".join(lines)


def profil(nip_text: str) -> int:
    try:
        nip = normalise_nip(nip_text)
        profile = read_profile(get_settings().warehouse_path, nip)
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(format_profile(profile))
    return 0
