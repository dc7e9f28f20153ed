"""The agency extract contract, version 1 (spec/EXTRACT_CONTRACT.md), as data.

One home for the contract's entities, columns and code lists. Reference lists that SQL also needs
(golongan, jabatan, leadership training, instansi, wilayah) live in the dbt seeds and are read from there.
The generator, the ingest assets, `proasn check` and the expectation suites all read this module.

Raw tables (`raw.<entity>`) hold every accepted row with the contract's columns in canonical text form
(NIP 18 digits, ISO dates, `III/a`, UPPER_SNAKE codes, `.` decimals) plus the metadata columns below;
dbt staging casts them to types.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field

from pipelines.settings import SEEDS_DIR

CONTRACT_VERSION = 1

# --- code lists that only the contract uses -------------------------------------------------------
STATUS_KEPEGAWAIAN = ("PNS", "CPNS", "PPPK")
JENIS_JABATAN = ("JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS", "PELAKSANA", "FUNGSIONAL")
JENJANG_KEAHLIAN = ("AHLI_UTAMA", "AHLI_MADYA", "AHLI_MUDA", "AHLI_PERTAMA")
JENJANG_KETERAMPILAN = ("PENYELIA", "MAHIR", "TERAMPIL", "PEMULA")
JENJANG_FUNGSIONAL = JENJANG_KEAHLIAN + JENJANG_KETERAMPILAN
PENDIDIKAN = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
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
    )
}
# Section 4 lists seven entities (its text says "eight"): these are all of them, pegawai first.
ENTITY_NAMES = tuple(ENTITIES)
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
