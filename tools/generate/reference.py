"""Constants of the national model, the code lists (index = the numeric code in the arrays) and the
reference lists from the dbt seeds, with the text pool every text column indexes into."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np

from pipelines import contract as C
from pipelines.settings import SEEDS_DIR
from tools.generate import names as NM

ANCHOR = dt.date(2026, 10, 31)  # newest possible tanggal_ekstrak; fixed for determinism
WINDOW_DAYS = 540  # submissions fall within the 18 months up to ANCHOR
NATION = 5_600_000  # people at scale 1.0
CENTRAL_SHARE = 0.24
PROVINCE_SHARE_OF_REGIONAL = 0.18
MIN_AGENCY_PEOPLE = 5
PEOPLE_PER_KEPT_AGENCY = 12
AGE_MARGIN = 0.25  # years: age at the last extract < BUP - AGE_MARGIN, so TMT pensiun is after every extract
MAX_TENURE = 40.0  # years of service at most


EPOCH = dt.date(1970, 1, 1)
NULL_DATE = -1_000_000
ENTITY_NAMES = C.ENTITY_NAMES
HISTORY = ENTITY_NAMES[1:]
HISTORY_V1 = C.ENTITY_NAMES_V1[1:]  # the histories of contract v1, which partial submissions draw from
PENDIDIKAN_ENTITY = "riwayat_pendidikan"  # contract v1.1: optional, not every agency sends it

# Approximate headcounts (thousands) of the largest central agencies; the rest get a heavy-tailed default.
CENTRAL_HEADCOUNT = {
    "K012": 230, "K018": 95, "K016": 80, "K017": 60, "K015": 55, "K020": 55, "K011": 50, "L035": 45,
    "K035": 38, "L030": 30, "L034": 28, "K028": 28, "K030": 24, "K026": 20, "K013": 18, "L004": 16,
    "L026": 15, "L012": 14, "K031": 14, "K032": 11, "L033": 8, "K021": 8, "L005": 7, "L025": 6, "L023": 6,
    "K025": 6, "K022": 6, "K009": 5, "L007": 5, "L011": 5, "L010": 5, "K023": 5, "K010": 4, "K024": 4,
    "K029": 4, "K019": 3, "K036": 3, "L001": 3.5, "K014": 2, "L002": 1.2,
}  # fmt: skip
# Province population, millions (2024, rounded): weights for regional agencies and birth places.
PROVINCE_POP = {
    "11": 5.5, "12": 15.6, "13": 5.8, "14": 6.7, "15": 3.7, "16": 8.8, "17": 2.1, "18": 9.4, "19": 1.5,
    "21": 2.2, "31": 10.7, "32": 50.3, "33": 37.9, "34": 3.8, "35": 41.8, "36": 12.4, "51": 4.4, "52": 5.6,
    "53": 5.6, "61": 5.6, "62": 2.8, "63": 4.2, "64": 4.0, "65": 0.7, "71": 2.7, "72": 3.1, "73": 9.4,
    "74": 2.8, "75": 1.2, "76": 1.5, "81": 1.9, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.5,
    "95": 1.5, "96": 0.6,
}  # fmt: skip

# Code lists (index = the numeric code used in the arrays).
STATUS = C.STATUS_KEPEGAWAIAN  # PNS, CPNS, PPPK
JENIS = C.JENIS_JABATAN  # JPT_UTAMA .. FUNGSIONAL
J_UTAMA, J_MADYA, J_PRATAMA, J_ADMIN, J_PENGAWAS, J_PELAKSANA, J_FUNGSIONAL = range(7)
JENJANG = C.JENJANG_FUNGSIONAL  # AHLI_UTAMA .. AHLI_PERTAMA, PENYELIA .. PEMULA
PEND = C.PENDIDIKAN  # SD .. S3
SD, SMP, SMA, D1, D2, D3, D4, S1, S2, S3 = range(10)
KENAIKAN = C.JENIS_KENAIKAN
JENIS_PEL = C.JENIS_PELATIHAN  # LATSAR, KEPEMIMPINAN, FUNGSIONAL, TEKNIS, SEMINAR
METODE = C.METODE_ASESMEN
PENILAIAN = C.PENILAIAN_SKP  # DI_ATAS, SESUAI, DI_BAWAH
PREDIKAT = C.PREDIKAT_SKP  # SANGAT_BAIK .. SANGAT_KURANG
TINGKAT = C.TINGKAT_HUKDIS
# R5 matrix (seed matriks_predikat_skp): PREDIKAT index by [hasil][perilaku] (PENILAIAN order DI_ATAS, SESUAI,
# DI_BAWAH).
R5 = np.array(
    [[PREDIKAT.index(C.predikat_matriks()[(h, b)]) for b in PENILAIAN] for h in PENILAIAN], dtype=np.int8
)
# Structural ladder used to build earlier career spells.
LADDER = (J_PELAKSANA, J_PENGAWAS, J_ADMIN, J_PRATAMA, J_MADYA, J_UTAMA)
# Required leadership training per managerial post (R8), as index into KEPEMIMPINAN_KODE[:4].
KEPEMIMPINAN_REQUIRED = {J_PENGAWAS: 0, J_ADMIN: 1, J_PRATAMA: 2, J_MADYA: 3, J_UTAMA: 3}
KEPEMIMPINAN_JP = (240, 300, 390, 450)


# --- reference data ------------------------------------------------------------------------------
def _seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _short_place(nama: str) -> str:
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if nama.startswith(prefix):
            return nama[len(prefix) :]
    return nama


class _Ref:
    """Reference lists from the seeds, and the text pool every text column indexes into."""

    def __init__(self) -> None:
        self.instansi = _seed_rows("instansi")
        wilayah = _seed_rows("wilayah")
        self.prov_codes = [w["kode_wilayah"] for w in wilayah if w["jenis_wilayah"] == "PROVINSI"]
        regs = [w for w in wilayah if w["jenis_wilayah"] != "PROVINSI"]
        regs.sort(key=lambda w: w["kode_wilayah"])
        self.reg_codes = [w["kode_wilayah"] for w in regs]
        self.reg_index = {c: i for i, c in enumerate(self.reg_codes)}
        self.reg_prov = np.array([self.prov_codes.index(w["kode_provinsi"]) for w in regs], dtype=np.int32)
        self.prov_reg_start = np.searchsorted(self.reg_prov, np.arange(len(self.prov_codes)))
        self.prov_reg_count = np.bincount(self.reg_prov, minlength=len(self.prov_codes))
        pop = np.array([PROVINCE_POP.get(p, 1.0) for p in self.prov_codes])
        self.prov_pop_p = pop / pop.sum()
        self.gol = C.golongan_pns() + C.golongan_pppk()  # 0..16 PNS, 17..33 PPPK
        self.pangkat = {r["kode_golongan"]: r["pangkat"] for r in _seed_rows("golongan") if r["pangkat"]}
        kep = sorted(_seed_rows("pelatihan_kepemimpinan"), key=lambda r: int(r["urutan"]))
        self.kep_kode = tuple(r["kode_kepemimpinan"] for r in kep) + tuple(r["nama_lama"] for r in kep)
        self.kep_nama = tuple(r["nama_pelatihan"] for r in kep)
        self.bup = {(r["jenis_jabatan"], r["jenjang_fungsional"]): int(r["batas_usia_pensiun"])
                    for r in _seed_rows("jabatan")}  # fmt: skip

        # The text pool: every text column of the arrays is an index into self.txt.
        self.txt: list[str] = []
        self.base: dict[str, int] = {}

        def add(key: str, values) -> int:
            self.base[key] = len(self.txt)
            self.txt.extend(values)
            return self.base[key]

        for fl in NM.FLAVOUR_NAMES:
            for part in ("first_l", "first_p", "middle", "family", "prefix_l", "prefix_p"):
                add(f"{fl}.{part}", NM.FLAVOURS[fl][part])
        add("gelar_depan", ("Dr.", "Prof. Dr.", "Ir.", "Drs.", "Dra.", "dr."))
        add("gelar_s1", NM.GELAR_S1)
        add("gelar_d3", NM.GELAR_D3)
        add("gelar_d4", NM.GELAR_D4)
        add("gelar_s2", [f"{a}, {b}" for a in NM.GELAR_S1 for b in NM.GELAR_S2])
        add("place", [_short_place(w["nama_wilayah"]) for w in regs])
        add("wil_reg", self.reg_codes)
        add("wil_prov", self.prov_codes)
        add(
            "jab_keahlian",
            [f"{p} {NM.JENJANG_LABEL[j]}" for p in NM.PROFESI_KEAHLIAN for j in C.JENJANG_KEAHLIAN],
        )
        add("jab_ketrampilan",
            [f"{p} {NM.JENJANG_LABEL[j]}" for p in NM.PROFESI_KETERAMPILAN for j in C.JENJANG_KETERAMPILAN])  # fmt: skip
        add("jab_pelaksana", NM.PELAKSANA)
        self.struct_count = {}
        for j, prefixes in NM.STRUKTURAL_PREFIX.items():
            vals = (
                [f"{p} {b}" for p in prefixes for b in NM.BIDANG] if j != "JPT_UTAMA" else ["Kepala Lembaga"]
            )
            add(f"jab_{j}", vals)
            self.struct_count[JENIS.index(j)] = len(vals)
        add("unit_pusat", NM.UNIT_PUSAT)
        add("unit_daerah", NM.UNIT_DAERAH)
        add("pel_teknis", NM.PELATIHAN_TEKNIS)
        add("pel_fungsional", NM.PELATIHAN_FUNGSIONAL)
        add("pel_seminar", NM.SEMINAR)
        add("pel_kep", self.kep_nama)
        add(
            "pel_kep_lama",
            [f"Pendidikan dan Pelatihan Kepemimpinan Tingkat {t}" for t in ("IV", "III", "II", "I")],
        )
        add("pel_latsar", ("Pelatihan Dasar CPNS Golongan II", "Pelatihan Dasar CPNS Golongan III"))
        add("penyelenggara", NM.PENYELENGGARA)
        add("lembaga", NM.LEMBAGA_ASESMEN)
        for t in TINGKAT:
            add(f"hukdis_{t}", NM.JENIS_HUKDIS[t])
        # contract v1.1 (riwayat_pendidikan): after every other list, so the earlier ids stay as they were
        add("prodi_sma", NM.PRODI_SMA)
        add("prodi_tinggi", NM.PRODI_TINGGI)
        add("institusi_sekolah", NM.INSTITUSI_SEKOLAH)
        add("institusi_tinggi", NM.INSTITUSI_TINGGI)
