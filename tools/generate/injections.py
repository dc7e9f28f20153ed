"""Defects, variants and warnings injected into the files (KINDS), the manifest's columns, and the
whole-file kinds and transfers (mutasi) chosen for a run."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pipelines import contract as C
from tools.generate.agencies import _Agency
from tools.generate.arrays import _days
from tools.generate.people import _People
from tools.generate.reference import ENTITY_NAMES, PREDIKAT, _Ref

UNKNOWN_INSTANSI = "9999"
UNKNOWN_ENTITY_FILE = "rekap_bulanan.csv"
MANIFEST_COLUMNS = ("file", "line", "column", "kind", "category", "expected_reason")


# --- injections ------------------------------------------------------------------------------------
# kind -> (category, expected reason code; empty for VARIANT)
KINDS: dict[str, tuple[str, str]] = {
    # row defects: the row must be quarantined with this reason
    "nip_scientific": ("DEFECT", "NIP_NOTASI_ILMIAH"),
    "nip_digits_lost": ("DEFECT", "NIP_TIDAK_VALID"),
    "nik_invalid": ("DEFECT", "NIK_TIDAK_VALID"),
    "required_missing": ("DEFECT", "NILAI_WAJIB_KOSONG"),
    "date_invalid": ("DEFECT", "TANGGAL_TIDAK_VALID"),
    "date_future": ("DEFECT", "TANGGAL_MASA_DEPAN"),
    "age_out_of_range": ("DEFECT", "USIA_DI_LUAR_RENTANG"),
    "golongan_invalid": ("DEFECT", "GOLONGAN_TIDAK_VALID"),
    "code_invalid": ("DEFECT", "KODE_TIDAK_VALID"),
    "jenis_kelamin_invalid": ("DEFECT", "JENIS_KELAMIN_TIDAK_VALID"),
    "number_not_numeric": ("DEFECT", "ANGKA_TIDAK_VALID"),
    "number_out_of_range": ("DEFECT", "NILAI_DI_LUAR_RENTANG"),
    "jenjang_missing": ("DEFECT", "JENJANG_FUNGSIONAL_TIDAK_SESUAI"),
    "kepemimpinan_missing": ("DEFECT", "KODE_KEPEMIMPINAN_WAJIB"),
    "selesai_before_mulai": ("DEFECT", "TANGGAL_SELESAI_SEBELUM_MULAI"),
    "wilayah_unknown": ("DEFECT", "WILAYAH_TIDAK_DIKENAL"),
    "duplicate_nip": ("DEFECT", "DUPLIKAT"),
    "duplicate_skp": ("DEFECT", "DUPLIKAT"),
    "skp_no_assessment": ("DEFECT", "SKP_TANPA_PENILAIAN"),
    "duplicate_pendidikan": (
        "DEFECT",
        "DUPLIKAT",
    ),  # riwayat_pendidikan: a repeated (nip, jenjang, program_studi)
    "orphan_nip": ("DEFECT", "NIP_TIDAK_ADA_DI_PEGAWAI"),
    # row variants: accepted and normalised
    "nip_separators": ("VARIANT", ""),
    "nip_apostrophe": ("VARIANT", ""),
    "nik_separators": ("VARIANT", ""),
    "date_dmy_dash": ("VARIANT", ""),
    "date_dmy_slash": ("VARIANT", ""),
    "date_long": ("VARIANT", ""),
    "golongan_variant": ("VARIANT", ""),
    "enum_case": ("VARIANT", ""),
    "jenis_kelamin_word": ("VARIANT", ""),
    "decimal_comma": ("VARIANT", ""),
    "kepemimpinan_old_name": ("VARIANT", ""),
    "jenjang_alias": ("VARIANT", ""),  # riwayat_pendidikan: SMK, DIII, Sarjana... (contract v1.1)
    "whitespace_padding": ("VARIANT", ""),
    "nama_non_ascii": ("VARIANT", ""),  # the name row of a Windows-1252 file
    # row warnings: loaded, reported
    "nip_birthdate_mismatch": ("WARNING", "NIP_TANGGAL_LAHIR_TIDAK_COCOK"),
    "nip_gender_mismatch": ("WARNING", "NIP_JENIS_KELAMIN_TIDAK_COCOK"),
    "predikat_mismatch": ("WARNING", "PREDIKAT_TIDAK_SESUAI_MATRIKS"),
    "pendidikan_mismatch": ("WARNING", "PENDIDIKAN_TERAKHIR_TIDAK_SESUAI"),
    "mutasi": ("WARNING", "PEGAWAI_DI_DUA_INSTANSI"),
    # whole files
    "encoding_cp1252": ("VARIANT", ""),
    "delimiter_semicolon": ("VARIANT", ""),
    "utf8_bom": ("VARIANT", ""),
    "header_variant": ("VARIANT", ""),
    "xlsx_native_dates": ("VARIANT", ""),
    "missing_required_column": ("DEFECT", "KOLOM_WAJIB_HILANG"),
    "unknown_instansi": ("DEFECT", "INSTANSI_TIDAK_DIKENAL"),
    "unknown_entity": ("DEFECT", "ENTITAS_TIDAK_DIKENAL"),
}
ROW_DEFECTS = list(KINDS)[: list(KINDS).index("orphan_nip") + 1]
ROW_VARIANTS = list(KINDS)[len(ROW_DEFECTS) : list(KINDS).index("whitespace_padding") + 1]
ROW_WARNINGS = ["nip_birthdate_mismatch", "nip_gender_mismatch", "predikat_mismatch", "pendidikan_mismatch"]
# Entities whose rows carry warnings.
WARNING_ENTITIES = ("pegawai", "skp", "riwayat_pendidikan")
# row defects that few rows can carry: kind -> (entity, SQL condition on the formatted row)
RARE_DEFECTS = {"kepemimpinan_missing": ("riwayat_pelatihan", "jenis_pelatihan = 'KEPEMIMPINAN'")}
FILE_KINDS_ANY = ("header_variant", "missing_required_column", "unknown_entity")
FILE_KINDS_CSV = ("encoding_cp1252", "delimiter_semicolon", "utf8_bom")
FILE_KINDS_XLSX = ("xlsx_native_dates",)

REQUIRED_MISSING_COLS = {
    "pegawai": ("nama", "jenis_kelamin", "nama_jabatan", "pendidikan_terakhir"),
    "riwayat_jabatan": ("nama_jabatan", "tmt_mulai"),
    "riwayat_golongan": ("tmt_golongan",),
    "riwayat_pelatihan": ("nama_pelatihan", "tanggal_mulai", "jp"),
    "asesmen": ("tanggal_asesmen", "metode"),
    "hukuman_disiplin": ("tingkat", "tmt_mulai"),
    "riwayat_pendidikan": ("jenjang", "tahun_lulus"),
}
INVALID_DATE_COLS = {
    "pegawai": ("tmt_jabatan", "tmt_golongan", "tmt_cpns"),
    "riwayat_jabatan": ("tmt_mulai",),
    "riwayat_golongan": ("tmt_golongan",),
    "riwayat_pelatihan": ("tanggal_mulai",),
    "asesmen": ("tanggal_asesmen",),
    "hukuman_disiplin": ("tmt_mulai",),
}
INVALID_CODE = {  # column -> invalid values (only where no other rule depends on the column)
    ("pegawai", "pendidikan_terakhir"): ("S4", "SLTP", "SARJANA"),
    ("riwayat_golongan", "jenis_kenaikan"): ("ISTIMEWA", "OTOMATIS"),
    ("riwayat_pelatihan", "jenis_pelatihan"): ("WORKSHOP", "DIKLAT"),
    ("asesmen", "metode"): ("WAWANCARA", "PSIKOTES"),
    ("skp", "predikat"): ("CUKUP", "AMAT_BAIK"),
    ("hukuman_disiplin", "tingkat"): ("SANGAT_BERAT", "TEGURAN"),
    ("riwayat_pendidikan", "jenjang"): ("S4", "SLTP", "PAKET_C"),
}
NUMERIC_COLS = {
    "riwayat_pelatihan": ("jp",),
    "asesmen": ("skor_potensi", "jpm", *C.KOMPETENSI_MANAJERIAL, *C.KOMPETENSI_SOSIOKULTURAL),
    "skp": ("tahun", "nilai"),
    "riwayat_pendidikan": ("tahun_lulus",),
}
# The other spellings of riwayat_pendidikan.jenjang (contract v1.1), per canonical level.
JENJANG_ALIAS = {"SMA": ("SMK", "SLTA", "MA", "smk"), "D3": ("DIII", "D-III", "d-iii"), "D4": ("DIV", "D-IV"),
                 "S1": ("Sarjana", "SARJANA"), "S2": ("Magister", "magister"), "S3": ("Doktor", "DOKTOR")}  # fmt: skip
# A level of another rank for the warning PENDIDIKAN_TERAKHIR_TIDAK_SESUAI (D4 and S1 share one).
JENJANG_LAIN = {"SD": "SMP", "SMP": "SMA", "SMA": "D3", "D1": "D3", "D2": "D3", "D3": "S1", "D4": "S2", "S1": "S2",
                "S2": "S3", "S3": "S2"}  # fmt: skip
ENUM_COLS = {e: tuple(c.name for c in C.ENTITIES[e].columns if c.kind == "enum") for e in ENTITY_NAMES}
DATE_COLS = {e: tuple(c.name for c in C.ENTITIES[e].columns if c.kind == "date") for e in ENTITY_NAMES}
TEXT_COLS = {e: tuple(c.name for c in C.ENTITIES[e].columns if c.kind != "nip") for e in ENTITY_NAMES}


def _fmt_nip_groups(nip: str, pppk: bool, sep: str) -> str:
    cuts = (8, 12, 14, 15) if pppk else (8, 14, 15)
    parts, prev = [], 0
    for c in cuts:
        parts.append(nip[prev:c])
        prev = c
    parts.append(nip[prev:])
    return sep.join(parts)


class _Injector:
    """Applies one injection to one row (a dict of text values); returns the column or None."""

    def __init__(self, ref: _Ref, rng: np.random.Generator, tanggal: dt.date, entity: str, is_pppk) -> None:
        self.ref, self.rng, self.tanggal, self.entity, self.is_pppk = ref, rng, tanggal, entity, is_pppk

    def choice(self, seq):
        return seq[int(self.rng.integers(0, len(seq)))]

    def apply(self, kind: str, row: dict) -> str | None:
        return getattr(self, "_" + kind)(row)

    # DEFECTS
    def _nip_scientific(self, row):
        row["nip"] = f"{int(row['nip']):.5E}"
        return "nip"

    def _nip_digits_lost(self, row):
        row["nip"] = row["nip"][:-1]
        return "nip"

    def _nik_invalid(self, row):
        if self.entity != "pegawai" or not row["nik"]:
            return None
        row["nik"] = row["nik"][:-1]
        return "nik"

    def _required_missing(self, row):
        cols = [c for c in REQUIRED_MISSING_COLS.get(self.entity, ()) if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        row[c] = None
        return c

    def _date_invalid(self, row):
        cols = [c for c in INVALID_DATE_COLS.get(self.entity, ()) if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        y = row[c][:4]
        row[c] = self.choice((f"{y}-02-30", f"31/04/{y}", f"15-13-{y}", f"30 Februari {y}", f"{y}-00-10"))
        return c

    def _date_future(self, row):
        if self.entity != "pegawai":
            return None
        c = self.choice(("tmt_jabatan", "tmt_golongan"))
        row[c] = (self.tanggal + dt.timedelta(days=int(self.rng.integers(30, 400)))).isoformat()
        return c

    def _age_out_of_range(self, row):
        if self.entity != "pegawai" or row["status_kepegawaian"] != "PPPK":
            return None
        years = int(self.choice((15, 16, 17, 71, 74, 78)))
        d = self.tanggal.replace(year=self.tanggal.year - years, day=min(self.tanggal.day, 28))
        row["tanggal_lahir"] = (d - dt.timedelta(days=int(self.rng.integers(1, 200)))).isoformat()
        return "tanggal_lahir"

    def _golongan_invalid(self, row):
        if self.entity == "pegawai":
            pppk = row["status_kepegawaian"] == "PPPK"
            row["golongan"] = self.choice(("III/a", "XVIII", "XX") if pppk else ("V/a", "III/f", "IV/f"))
            return "golongan"
        if self.entity == "riwayat_golongan":
            row["golongan"] = self.choice(("V/a", "III/f", "XVIII"))
            return "golongan"
        return None

    def _code_invalid(self, row):
        cols = [c for (e, c) in INVALID_CODE if e == self.entity and row[c]]
        if self.entity == "riwayat_pelatihan" and row["jenis_pelatihan"] == "KEPEMIMPINAN":
            cols = []
        if not cols:
            return None
        c = self.choice(cols)
        row[c] = self.choice(INVALID_CODE[(self.entity, c)])
        return c

    def _jenis_kelamin_invalid(self, row):
        if self.entity != "pegawai":
            return None
        row["jenis_kelamin"] = self.choice(("X", "0", "LP", "3"))
        return "jenis_kelamin"

    def _number_not_numeric(self, row):
        cols = [c for c in NUMERIC_COLS.get(self.entity, ()) if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        if c == "jp":
            row[c] = "dua puluh"
        elif c == "tahun":
            row[c] = row[c].replace("0", "O")
        else:
            row[c] = self.choice(("n/a", "tiga", "7O,5"))
        return c

    def _number_out_of_range(self, row):
        cols = [c for c in NUMERIC_COLS.get(self.entity, ()) if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        if c == "jp":
            v = self.choice(("0", "5000"))
        elif c in ("skor_potensi", "jpm"):
            v = self.choice(("130", "-5", "150.5"))
        elif c == "nilai":
            v = self.choice(("150", "-10"))
        elif c == "tahun":
            v = self.choice(("2012", str(self.tanggal.year + 1)))
        elif c == "tahun_lulus":
            v = self.choice(("1945", str(self.tanggal.year + 1), "2099"))
        else:
            v = self.choice(("7", "0", "9"))
        row[c] = v
        return c

    def _jenjang_missing(self, row):
        if self.entity not in ("pegawai", "riwayat_jabatan") or row["jenis_jabatan"] != "FUNGSIONAL":
            return None
        row["jenjang_fungsional"] = None
        return "jenjang_fungsional"

    def _kepemimpinan_missing(self, row):
        if self.entity != "riwayat_pelatihan" or row["jenis_pelatihan"] != "KEPEMIMPINAN":
            return None
        row["kode_kepemimpinan"] = None
        return "kode_kepemimpinan"

    def _selesai_before_mulai(self, row):
        pair = {"riwayat_pelatihan": ("tanggal_mulai", "tanggal_selesai"),
                "riwayat_jabatan": ("tmt_mulai", "tmt_selesai")}.get(self.entity)  # fmt: skip
        if not pair or not row[pair[1]]:
            return None
        mulai = dt.date.fromisoformat(row[pair[0]])
        row[pair[1]] = (mulai - dt.timedelta(days=int(self.rng.integers(1, 60)))).isoformat()
        return pair[1]

    def _wilayah_unknown(self, row):
        if self.entity != "pegawai" or not row["kode_wilayah_kerja"]:
            return None
        row["kode_wilayah_kerja"] = self.choice(("99.01", "33.99", "00"))
        return "kode_wilayah_kerja"

    def _skp_no_assessment(self, row):
        if self.entity != "skp":
            return None
        for c in ("hasil_kerja", "perilaku_kerja", "predikat", "nilai"):
            row[c] = None
        return ""

    # duplicate_nip, duplicate_skp and orphan_nip add rows: handled by the caller

    # VARIANTS
    def _nip_separators(self, row):
        row["nip"] = _fmt_nip_groups(row["nip"], self.is_pppk(row), self.choice((" ", ".", "-")))
        return "nip"

    def _nip_apostrophe(self, row):
        row["nip"] = "'" + row["nip"]
        return "nip"

    def _nik_separators(self, row):
        if self.entity != "pegawai" or not row["nik"]:
            return None
        n = row["nik"]
        row["nik"] = self.choice((" ", ".")).join((n[:6], n[6:12], n[12:]))
        return "nik"

    def _date_variant(self, row, style):
        cols = [c for c in DATE_COLS[self.entity] if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        d = dt.date.fromisoformat(row[c])
        if style == "dash":
            row[c] = f"{d.day:02d}-{d.month:02d}-{d.year}"
        elif style == "slash":
            row[c] = f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            month = C.BULAN[d.month - 1]
            month = self.choice((month.capitalize(), month, month.upper()))
            row[c] = f"{d.day} {month} {d.year}"
        return c

    def _date_dmy_dash(self, row):
        return self._date_variant(row, "dash")

    def _date_dmy_slash(self, row):
        return self._date_variant(row, "slash")

    def _date_long(self, row):
        return self._date_variant(row, "long")

    def _golongan_variant(self, row):
        if self.entity not in ("pegawai", "riwayat_golongan"):
            return None
        g = row["golongan"]
        if "/" not in g:  # PPPK: arabic number
            row["golongan"] = str(C.golongan_pppk().index(g) + 1)
            return "golongan"
        roman, ruang = g.split("/")
        arabic = str(("I", "II", "III", "IV").index(roman) + 1)
        row["golongan"] = self.choice((f"{roman}-{ruang}", f"{roman} {ruang}", f"{roman}{ruang}", f"{arabic}{ruang}",
                                       f"{arabic}{ruang.upper()}", f"{arabic}/{ruang}", self.ref.pangkat[g]))  # fmt: skip
        return "golongan"

    def _enum_case(self, row):
        cols = [c for c in ENUM_COLS[self.entity] if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        v = row[c]
        style = int(self.rng.integers(0, 4))
        if style == 0:
            v = v.lower()
        elif style == 1:
            v = v.replace("_", " ").lower() if "_" in v else v.lower()
        elif style == 2:
            v = v.replace("_", "-").title() if "_" in v else v.title()
        else:
            v = v.replace("_", " ").title() if "_" in v else v.lower()
        row[c] = v
        return c

    def _jenis_kelamin_word(self, row):
        if self.entity != "pegawai":
            return None
        words = ("Laki-laki", "LAKI-LAKI", "Pria", "laki-laki") if row["jenis_kelamin"] == "L" else (
            "Perempuan", "PEREMPUAN", "Wanita", "perempuan")  # fmt: skip
        row["jenis_kelamin"] = self.choice(words)
        return "jenis_kelamin"

    def _decimal_comma(self, row):
        cols = [c for c in ("skor_potensi", "jpm", "nilai") if c in row and row[c] and "." in row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        row[c] = row[c].replace(".", ",")
        return c

    def _kepemimpinan_old_name(self, row):
        if self.entity != "riwayat_pelatihan" or row["kode_kepemimpinan"] not in self.ref.kep_kode[:4]:
            return None
        row["kode_kepemimpinan"] = self.ref.kep_kode[self.ref.kep_kode.index(row["kode_kepemimpinan"]) + 4]
        return "kode_kepemimpinan"

    def _jenjang_alias(self, row):
        if self.entity != "riwayat_pendidikan" or row["jenjang"] not in JENJANG_ALIAS:
            return None
        row["jenjang"] = self.choice(JENJANG_ALIAS[row["jenjang"]])
        return "jenjang"

    def _whitespace_padding(self, row):
        cols = [c for c in TEXT_COLS[self.entity] if row[c]]
        if not cols:
            return None
        c = self.choice(cols)
        row[c] = self.choice(("  ", " ", "")) + row[c] + self.choice((" ", "  "))
        return c

    # WARNINGS
    def _nip_birthdate_mismatch(self, row):
        if self.entity != "pegawai" or row["status_kepegawaian"] == "PPPK":
            return None
        d = dt.date.fromisoformat(row["tanggal_lahir"]) + dt.timedelta(days=int(self.rng.integers(1, 40)))
        row["tanggal_lahir"] = d.isoformat()
        return "tanggal_lahir"

    def _nip_gender_mismatch(self, row):
        if self.entity != "pegawai" or row["status_kepegawaian"] == "PPPK":
            return None
        row["jenis_kelamin"] = "P" if row["jenis_kelamin"] == "L" else "L"
        return "jenis_kelamin"

    def _pendidikan_mismatch(self, row):
        # only rows of people with one row in the file carry it (the writer protects the others), so the row
        # is the person's highest level
        if self.entity != "riwayat_pendidikan" or row["jenjang"] not in JENJANG_LAIN:
            return None
        row["jenjang"] = JENJANG_LAIN[row["jenjang"]]
        return "jenjang"

    def _predikat_mismatch(self, row):
        if self.entity != "skp" or not row["hasil_kerja"] or not row["predikat"]:
            return None
        row["predikat"] = self.choice([p for p in PREDIKAT if p != row["predikat"]])
        return "predikat"


def _header_variant(name: str, i: int) -> str:
    style = i % 3
    if style == 0:
        return name.upper()
    if style == 1:
        return name.replace("_", " ").title()
    return " " + name.replace("_", "-").capitalize() + " "


def _choose_file_kinds(agencies: list[_Agency], seed: int, rate: float) -> dict[tuple, str]:
    """(agency idx, submission idx, entity) -> whole-file kind; at least one of each when rate > 0."""
    if rate <= 0:
        return {}
    rng = np.random.default_rng([seed, 4])
    files = [(ai, si, e) for ai, a in enumerate(agencies) for si, s in enumerate(a.subs) for e in s.entities]
    count = max(1, round(len(files) * rate / 2))
    chosen: dict[tuple, str] = {}

    def assign(kind, ok):
        cands = [f for f in files if f not in chosen and ok(f)]
        if not cands:
            return
        for i in rng.choice(len(cands), size=min(count, len(cands)), replace=False):
            chosen[cands[int(i)]] = kind

    single = {ai for ai, a in enumerate(agencies) if len(a.subs) == 1}
    assign("header_variant", lambda f: True)
    assign("missing_required_column", lambda f: f[2] != "pegawai" and f[0] in single)
    assign("encoding_cp1252", lambda f: f[2] == "pegawai" and agencies[f[0]].fmt == "csv")
    assign("delimiter_semicolon", lambda f: agencies[f[0]].fmt == "csv")
    assign("utf8_bom", lambda f: agencies[f[0]].fmt == "csv")
    assign("xlsx_native_dates", lambda f: agencies[f[0]].fmt == "xlsx")
    return chosen


def _transfers(agencies: list[_Agency], people: _People, seed: int, rate: float) -> dict[int, int]:
    """person index -> destination agency index (mutasi), for a small share of people."""
    if rate <= 0 or len(agencies) < 2:
        return {}
    rng = np.random.default_rng([seed, 5])
    n = len(people["nip"])
    want = max(1, round(n * rate * 0.1))
    last = np.array([_days(a.last) for a in agencies])
    last_full = np.array([_days(a.last_full) for a in agencies])
    out: dict[int, int] = {}
    for pid in rng.permutation(n)[: want * 3].tolist():
        a = int(people["ag"][pid])
        if people["start"][pid] > last_full[a]:
            continue
        if people["birth"][pid] + (people["bup"][pid] - 2) * 365.25 <= people["ref"][pid]:
            continue  # close to the BUP: stays (and would pass it by the destination's later extract)
        dest = np.flatnonzero((np.arange(len(agencies)) > a) & (last_full > last[a]))
        if len(dest) == 0:
            continue
        out[pid] = int(dest[int(rng.integers(0, len(dest)))])
        if len(out) >= want:
            break
    return dict(sorted(out.items()))
