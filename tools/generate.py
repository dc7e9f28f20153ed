"""`proasn generate`: synthetic agency submissions following the extract contract (contract v1).

Design, in order of execution:

1. Agencies. Every agency of the `instansi` seed gets a weight: central agencies (K###/L###) from a
   table of approximate real headcounts (Kementerian Agama, Pendidikan Tinggi, Keuangan, Pendidikan Dasar
   dan Menengah, Polri... large) and a heavy-tailed default for the rest, together 24% of the nation;
   provinces and kabupaten/kota from their province's population (to the power 0.7) times a
   heavy-tailed factor, together 76%. Scale 1.0 = 5.6 million people. Sizes are fixed (they do not
   depend on the seed). **Tiny scales**: every agency is kept once the scale gives about 12 people per
   agency (scale >= 0.0014); below that a deterministic subset is kept: the same fraction of each group
   (central, provinces, kabupaten/kota), the largest agencies of each group first, so that every kept
   agency has at least a handful of people (minimum 5); each group keeps its share of the people (24%
   central) whatever the scale. At the default `make run` scale 0.0005 (2,800 people) that is 234
   agencies.
   Ages run up to the BUP of each person's post (R4: 58, 60 or 65, from the jabatan seed), never past it:
   entry age + service stays below BUP - AGE_MARGIN at the agency's last extract, and service is drawn
   towards its maximum, so a realistic share is in the last years before retirement. A career step to a
   post with a higher BUP happens before the BUP of the previous post is reached.
2. Submissions. Each agency submits 1-3 times within the 18 months before the fixed anchor date
   ANCHOR = 2026-10-31 (a constant, not today: the output must be byte-identical across days; it is in
   the past of every real run). The first submission holds all seven entities; a later one is either
   full again or partial (1-3 history entities, same people as the newest full one). People are
   generated as of the agency's last extract date; an earlier submission is a true earlier snapshot
   (spells, ranks, trainings... after its date are cut, the current post is the spell held on that day),
   so no date is ever after its tanggal_ekstrak. A few people leave between full submissions.
3. People are generated for the whole nation at once (vectorised numpy), so NIP sequence numbers are
   unique nationally (rank within equal birth date + TMT + gender); history rows per agency from the
   person arrays; text from the pools of tools/names.py by index. DuckDB formats the numeric arrays
   as text and writes CSV with COPY (fast); XLSX goes through xlsxwriter (slow, meant for small scales).
4. Injections. Per file, about defect_rate of the rows get one DEFECT, as many one accepted VARIANT, and
   half as many (pegawai, skp) one WARNING; each injected row carries exactly one change. Pegawai rows
   with a defect (the row is quarantined) take their person out of that submission's history files, so
   no unintended orphans appear. Transfers (mutasi), whole-file variants (Windows-1252, `;`, BOM, header
   spelling, native Excel dates) and whole-file defects (missing required column, unknown agency folder,
   unknown file) come at a low rate, at least one of each when defect_rate > 0 and there are files to
   carry them. defect_rate = 0 writes canonical data only, with an empty manifest.
5. Manifest (ground truth), next to the landing tree: `<out.parent>/<out.name>-manifest.csv` with columns
   file, line, column, kind, category, expected_reason (see MANIFEST_COLUMNS and KINDS).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines import contract as C
from pipelines.settings import SEEDS_DIR
from tools import names as NM

ANCHOR = dt.date(2026, 10, 31)  # newest possible tanggal_ekstrak; fixed for determinism
WINDOW_DAYS = 540  # submissions fall within the 18 months up to ANCHOR
NATION = 5_600_000  # people at scale 1.0
CENTRAL_SHARE = 0.24
PROVINCE_SHARE_OF_REGIONAL = 0.18
MIN_AGENCY_PEOPLE = 5
PEOPLE_PER_KEPT_AGENCY = 12
AGE_MARGIN = 0.25  # years: age at the last extract < BUP - AGE_MARGIN, so TMT pensiun is after every extract
MAX_TENURE = 40.0  # years of service at most
UNKNOWN_INSTANSI = "9999"
UNKNOWN_ENTITY_FILE = "rekap_bulanan.csv"
MANIFEST_COLUMNS = ("file", "line", "column", "kind", "category", "expected_reason")

EPOCH = dt.date(1970, 1, 1)
NULL_DATE = -1_000_000
ENTITY_NAMES = C.ENTITY_NAMES
HISTORY = ENTITY_NAMES[1:]

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
# R5 matrix: PREDIKAT index by [hasil][perilaku] (PENILAIAN order DI_ATAS, SESUAI, DI_BAWAH).
R5 = np.array([[0, 1, 3], [1, 1, 3], [2, 2, 4]], dtype=np.int8)
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


# --- small numpy helpers -------------------------------------------------------------------------
def _days(d: dt.date) -> int:
    return (d - EPOCH).days


def _date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(mi: np.ndarray) -> np.ndarray:
    return mi.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    y = m.astype("datetime64[Y]").astype(np.int64) + 1970
    return y, m.astype(np.int64) % 12 + 1, (d - m.astype("datetime64[D]")).astype(np.int64) + 1


def _pick(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Categorical draw per element: probs[rows[i]] is the distribution of element i."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(rows))
    out = np.empty(len(rows), dtype=np.int8)
    for r in np.unique(rows):  # one distribution at a time: memory stays O(n)
        m = rows == r
        out[m] = np.minimum(np.searchsorted(cum[r], u[m], side="left"), probs.shape[1] - 1)
    return out


def _uniform_int(
    rng: np.random.Generator, base: np.ndarray | int, count: np.ndarray | int, n: int
) -> np.ndarray:
    return (np.asarray(base) + np.floor(rng.random(n) * np.asarray(count))).astype(np.int64)


# --- agencies and plan ---------------------------------------------------------------------------
@dataclass
class _Submission:
    tanggal: dt.date
    entities: tuple[str, ...]
    people_date: dt.date  # the newest full submission up to this one: its people are this one's people

    @property
    def full(self) -> bool:
        return "pegawai" in self.entities


@dataclass
class _Agency:
    idx: int
    kode: str
    jenis: str  # KEMENTERIAN, LEMBAGA, PROVINSI, KABUPATEN, KOTA
    prov: int  # index into prov_codes (central: Jakarta)
    reg: int  # index into reg_codes for kabupaten/kota, -1 otherwise
    weight: float
    size: int = 0
    fmt: str = "csv"
    subs: list[_Submission] = field(default_factory=list)

    @property
    def central(self) -> bool:
        return self.jenis in ("KEMENTERIAN", "LEMBAGA")

    @property
    def last(self) -> dt.date:
        return self.subs[-1].tanggal

    @property
    def last_full(self) -> dt.date:
        return max(s.tanggal for s in self.subs if s.full)


def _agencies(ref: _Ref, n_people: int) -> list[_Agency]:
    fixed = np.random.default_rng(20260101)  # sizes do not depend on the seed
    all_ag: list[_Agency] = []
    reg_per_prov = ref.prov_reg_count
    for i, row in enumerate(ref.instansi):
        kode, jenis = row["kode_instansi"], row["jenis_instansi"]
        prov = ref.prov_codes.index(row["kode_provinsi"])
        noise = float(fixed.lognormal(0.0, 0.45))
        default_central = float(fixed.lognormal(math.log(1.2), 0.6))
        pop = PROVINCE_POP.get(row["kode_provinsi"], 1.0) ** 0.7
        if jenis in ("KEMENTERIAN", "LEMBAGA"):
            w = CENTRAL_HEADCOUNT.get(kode, default_central)
        elif jenis == "PROVINSI":
            w = pop * (0.8 + 0.4 * noise / 1.1)
        else:
            w = pop / reg_per_prov[prov] * noise * (0.8 if jenis == "KOTA" else 1.0)
        reg = ref.reg_index.get(row["kode_wilayah"], -1) if jenis in ("KABUPATEN", "KOTA") else -1
        all_ag.append(_Agency(i, kode, jenis, prov, reg, w))
    groups = {
        "central": [a for a in all_ag if a.central],
        "provinsi": [a for a in all_ag if a.jenis == "PROVINSI"],
        "kabkota": [a for a in all_ag if a.jenis in ("KABUPATEN", "KOTA")],
    }
    shares = {
        "central": CENTRAL_SHARE,
        "provinsi": (1 - CENTRAL_SHARE) * PROVINCE_SHARE_OF_REGIONAL,
        "kabkota": (1 - CENTRAL_SHARE) * (1 - PROVINCE_SHARE_OF_REGIONAL),
    }
    keep_fraction = min(1.0, max(1, n_people // PEOPLE_PER_KEPT_AGENCY) / len(all_ag))
    kept: list[_Agency] = []
    for g, members in groups.items():
        n_keep = max(1, math.ceil(keep_fraction * len(members)))
        chosen = sorted(members, key=lambda a: (-a.weight, a.kode))[:n_keep]
        # each group keeps its share of the people at every scale: its kept agencies share what is left
        # of it after their minimum size
        total = sum(a.weight for a in chosen)
        budget = max(0.0, shares[g] * n_people - MIN_AGENCY_PEOPLE * len(chosen))
        for a in chosen:
            a.weight = a.weight / total * budget
        kept += chosen
    kept.sort(key=lambda a: a.idx)
    w = np.array([a.weight for a in kept])
    if w.sum() <= 0:
        w = np.ones(len(kept))
    rest = max(0, n_people - MIN_AGENCY_PEOPLE * len(kept))
    raw = w / w.sum() * rest
    sizes = np.floor(raw).astype(np.int64)
    short = rest - sizes.sum()
    if short > 0:
        sizes[np.argsort(-(raw - sizes), kind="stable")[:short]] += 1
    for a, s in zip(kept, sizes, strict=True):
        a.size = MIN_AGENCY_PEOPLE + int(s)
    return kept


def _plan(agencies: list[_Agency], seed: int, file_format: str) -> None:
    rng = np.random.default_rng([seed, 1])
    fmt_rng = np.random.default_rng([seed, 2])
    anchor = _days(ANCHOR)
    for a in agencies:
        n_sub = int(rng.choice([1, 2, 3], p=[0.45, 0.35, 0.2]))
        dates = [anchor - int(rng.integers(0, 75))]
        for _ in range(n_sub - 1):
            prev = dates[0] - int(rng.integers(45, 240))
            if prev < anchor - WINDOW_DAYS:
                break
            dates.insert(0, prev)
        people_date = None
        for k, d in enumerate(dates):
            if k == 0 or rng.random() < 0.5:
                ents = ENTITY_NAMES
                people_date = _date(d)
            else:
                m = int(rng.integers(1, 4))
                pick = sorted(rng.choice(len(HISTORY), size=m, replace=False))
                ents = tuple(HISTORY[i] for i in pick)
            a.subs.append(_Submission(_date(d), ents, people_date))
        u = fmt_rng.random()
        a.fmt = file_format if file_format != "mixed" else ("xlsx" if u < 0.3 else "csv")


# --- people (the whole nation at once) -------------------------------------------------------------
P_PPPK_CENTRAL, P_PPPK_REGIONAL, P_CPNS = 0.15, 0.42, 0.055
# jenis jabatan for PNS tracks (order JENIS)
P_JENIS_PNS = np.array([0.0002, 0.002, 0.008, 0.022, 0.046, 0.343, 0.5788])
P_JENIS_CPNS = np.array([0, 0, 0, 0, 0, 0.4, 0.6])
P_JENIS_PPPK = np.array([0, 0, 0, 0, 0, 0.25, 0.75])
# pendidikan per track: 0 keahlian, 1 keterampilan, 2 pelaksana, 3 pengawas, 4 administrator, 5 JPT
P_PEND = np.array([
    # SD    SMP   SMA   D1    D2    D3    D4    S1    S2    S3
    [0,     0,    0,    0,    0,    0,    0.06, 0.68, 0.24, 0.02],
    [0,     0,    0.33, 0.04, 0.03, 0.55, 0.05, 0,    0,    0],
    [0.02,  0.04, 0.45, 0.02, 0.02, 0.13, 0,    0.30, 0.02, 0],
    [0,     0,    0,    0,    0,    0.05, 0,    0.65, 0.30, 0],
    [0,     0,    0,    0,    0,    0,    0,    0.45, 0.52, 0.03],
    [0,     0,    0,    0,    0,    0,    0,    0.10, 0.75, 0.15],
])  # fmt: skip
ENTRY_GOL = np.array([0, 2, 4, 4, 5, 6, 8, 8, 9, 10])  # PNS golongan index at TMT CPNS, per pendidikan
CAP_GOL = np.array([5, 7, 9, 9, 10, 11, 13, 13, 15, 16])
ENTRY_AGE = np.array([[19, 27], [19, 27], [19, 28], [20, 28], [21, 29], [21, 30], [23, 33], [23, 34],
                      [25, 35], [28, 35]], dtype=float)  # fmt: skip
MIN_TENURE = {J_PENGAWAS: 6, J_ADMIN: 12, J_PRATAMA: 16, J_MADYA: 20, J_UTAMA: 24}
PPPK_GOL_PELAKSANA = np.array([1, 4, 5, 5, 6, 7, 9, 9, 10, 11])  # per pendidikan
PPPK_GOL_JENJANG = np.array([13, 11, 10, 9, 9, 8, 7, 5])  # per JENJANG index


@dataclass
class _People:
    """Person attributes, one element per person, sorted by agency."""

    a: dict[str, np.ndarray]

    def __getitem__(self, k: str) -> np.ndarray:
        return self.a[k]

    def take(self, idx: np.ndarray) -> _People:
        return _People({k: v[idx] for k, v in self.a.items()})

    @staticmethod
    def concat(parts: list[_People]) -> _People:
        return _People({k: np.concatenate([p.a[k] for p in parts]) for k in parts[0].a})


def _people(ref: _Ref, agencies: list[_Agency], seed: int) -> _People:
    rng = np.random.default_rng([seed, 3])
    sizes = np.array([a.size for a in agencies])
    n = int(sizes.sum())
    ag = np.repeat(np.arange(len(agencies)), sizes)
    central = np.array([a.central for a in agencies])[ag]
    jenis_ag = np.array([a.jenis for a in agencies])[ag]
    ag_prov = np.array([a.prov for a in agencies])[ag]
    ag_reg = np.array([a.reg for a in agencies])[ag]
    refd = np.array([_days(a.last) for a in agencies], dtype=np.int64)[ag]
    ref_mi = _month_index(refd)

    sex = np.where(rng.random(n) < 0.52, 2, 1).astype(np.int64)
    u = rng.random(n)
    pppk = u < np.where(central, P_PPPK_CENTRAL, P_PPPK_REGIONAL)
    cpns = ~pppk & (rng.random(n) < P_CPNS)
    track_status = np.where(pppk, 2, np.where(cpns, 1, 0))
    jenis = _pick(rng, np.stack([P_JENIS_PNS, P_JENIS_CPNS, P_JENIS_PPPK]), track_status)
    regional = ~central
    jenis[regional & (jenis == J_UTAMA)] = J_PRATAMA
    jenis[regional & (jenis_ag != "PROVINSI") & (jenis == J_MADYA)] = J_PRATAMA
    fungsional = jenis == J_FUNGSIONAL
    keahlian = fungsional & (rng.random(n) < np.where(pppk, 0.85, 0.78))
    track = np.full(n, 2, dtype=np.int8)
    track[fungsional] = np.where(keahlian[fungsional], 0, 1)
    track[jenis == J_PENGAWAS] = 3
    track[jenis == J_ADMIN] = 4
    track[jenis <= J_PRATAMA] = 5
    pend = _pick(rng, P_PEND, track).astype(np.int64)

    # jenjang of PPPK is drawn (their rank does not follow tenure); PNS jenjang follows the rank, below
    jenjang = np.full(n, -1, dtype=np.int64)
    ket = fungsional & ~keahlian
    pk = pppk & keahlian
    jenjang[pk] = np.array([3, 2, 1])[_pick(rng, np.array([[0.8, 0.17, 0.03]]), np.zeros(pk.sum(), int))]
    pt = pppk & ket
    jenjang[pt] = np.array([6, 5, 4])[_pick(rng, np.array([[0.6, 0.3, 0.1]]), np.zeros(pt.sum(), int))]
    # BUP of the current post (R4, from the jabatan seed). PNS keahlian start at 58 and are raised below,
    # once their rank (and so their jenjang) is known.
    bup_jenis = np.array([ref.bup[(j, "")] if j != "FUNGSIONAL" else 58 for j in JENIS], dtype=float)
    bup_jenjang = np.array([ref.bup[("FUNGSIONAL", j)] for j in JENJANG], dtype=float)
    bup = np.where(jenjang >= 0, bup_jenjang[jenjang], bup_jenis[jenis])

    # tenure and entry age (years); PNS/CPNS from TMT CPNS, PPPK from their appointment (2019 onwards).
    # Age at the agency's last extract = entry + tenure < BUP - AGE_MARGIN: nobody is past the BUP of the
    # post, and tenure drawn towards its maximum puts a realistic share in the last years before it.
    lo, hi = ENTRY_AGE[pend, 0], ENTRY_AGE[pend, 1]
    entry = lo + rng.random(n) * (hi - lo)
    min_ten = np.ones(n)
    for j, t in MIN_TENURE.items():
        min_ten[jenis == j] = t
    entry = np.minimum(entry, 58 - AGE_MARGIN - min_ten - 0.5)
    u_ten = rng.random(n) ** 0.8

    def draw_tenure(bup: np.ndarray) -> np.ndarray:
        max_ten = np.minimum(bup - AGE_MARGIN - entry, MAX_TENURE)
        return min_ten + (max_ten - min_ten) * u_ten

    tenure = draw_tenure(bup)
    cpns_ten = 0.1 + 0.85 * rng.random(n)
    ref_year = refd.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    pppk_max = np.maximum(ref_year - 2019 + ref_mi % 12 / 12 - 0.05, 0.2)
    # PPPK are appointed at 22 up to a year before the BUP of the post
    entry[pppk] = 22 + rng.random(pppk.sum()) * (bup[pppk] - 1 - 22)
    pppk_ten = 0.1 + rng.random(n) ** 1.5 * pppk_max

    # golongan: PNS climbs every 4-5 years from the entry rank of the pendidikan, capped; PPPK fixed
    interval = 48 + rng.integers(0, 12, n) * (rng.random(n) < 0.4)
    ahli_by_gol = np.array([3] * 10 + [2, 2, 1, 1, 1, 0, 0])  # AHLI_PERTAMA..AHLI_UTAMA by golongan index
    terampil_by_gol = np.array([7] * 5 + [6, 6, 6, 5, 5, 4, 4, 4, 4, 4, 4, 4])
    pns_keahlian = keahlian & ~pppk
    # PNS keahlian: tenure -> rank -> jenjang -> BUP, again until the BUP stops rising (58, 60, 65)
    for _ in range(3):
        tenure[cpns] = cpns_ten[cpns]
        tenure[pppk] = np.minimum(pppk_ten[pppk], bup[pppk] - AGE_MARGIN - entry[pppk])
        tenure_m = np.maximum(1, np.round(tenure * 12)).astype(np.int64)
        steps = np.minimum(tenure_m // interval, CAP_GOL[pend] - ENTRY_GOL[pend])
        steps[cpns] = 0
        gol = ENTRY_GOL[pend] + steps
        jenjang[pns_keahlian] = ahli_by_gol[gol[pns_keahlian]]
        raised = pns_keahlian & (bup_jenjang[np.maximum(jenjang, 0)] > bup)
        if not raised.any():
            break
        bup[raised] = bup_jenjang[jenjang[raised]]
        tenure[raised] = draw_tenure(bup)[raised]
    pns_ket = ket & ~pppk
    jenjang[pns_ket] = terampil_by_gol[gol[pns_ket]]
    start_mi = ref_mi - tenure_m
    start = _month_start(start_mi)
    birth = start - np.round(entry * 365.25).astype(np.int64) - rng.integers(0, 28, n)
    gol[pppk] = 16 + np.where(fungsional[pppk], PPPK_GOL_JENJANG[np.maximum(jenjang[pppk], 0)],
                              PPPK_GOL_PELAKSANA[pend[pppk]])  # fmt: skip
    steps[pppk] = 0
    tmt_gol = _month_start(start_mi + steps * interval)

    # career spells: count and the start of the current post. The previous post (one rung or jenjang
    # down) may have a lower BUP: the current post starts before the person reaches it (else they would
    # have retired), so no earlier snapshot shows anyone past the BUP of the post held then.
    k = np.ones(n, dtype=np.int64)
    pns = ~pppk & ~cpns
    k[pns] = 1 + rng.binomial(np.minimum(3, (tenure_m[pns] // 60)), 0.6)
    k[pns & (jenis <= J_PENGAWAS)] = np.maximum(k[pns & (jenis <= J_PENGAWAS)], 2)
    jab_mi = start_mi + np.where(k > 1, np.floor(tenure_m * (0.55 + 0.4 * rng.random(n))), 0).astype(np.int64)
    prev_jenis = np.array([J_MADYA, J_PRATAMA, J_ADMIN, J_PENGAWAS, J_PELAKSANA, J_PELAKSANA, J_FUNGSIONAL])
    prev_jenjang = np.array([1, 2, 3, 3, 5, 6, 7, 7])  # one jenjang down within its group
    prev_bup = np.where(jenjang >= 0, bup_jenjang[prev_jenjang[np.maximum(jenjang, 0)]],
                        bup_jenis[prev_jenis[jenis]])  # fmt: skip
    latest_mi = _month_index(birth + np.floor((prev_bup - AGE_MARGIN) * 365.25).astype(np.int64)) - 1
    jab_mi = np.where(k > 1, np.minimum(jab_mi, latest_mi), jab_mi)
    jab_mi = np.maximum(jab_mi, start_mi + k - 1)

    # names, birth place, titles
    prof = np.where(keahlian, rng.integers(0, len(NM.PROFESI_KEAHLIAN), n),
                    rng.integers(0, len(NM.PROFESI_KETERAMPILAN), n))  # fmt: skip
    u = rng.random(n)
    nat_prov = _pick(rng, ref.prov_pop_p[None, :], np.zeros(n, int)).astype(np.int64)
    nat_prov_u = nat_prov.astype(np.int64)
    nat_reg = _uniform_int(rng, ref.prov_reg_start[nat_prov_u], ref.prov_reg_count[nat_prov_u], n)
    own_prov_reg = _uniform_int(rng, ref.prov_reg_start[ag_prov], ref.prov_reg_count[ag_prov], n)
    birth_reg = nat_reg.copy()
    kabkota = ag_reg >= 0
    birth_reg[kabkota & (u < 0.6)] = ag_reg[kabkota & (u < 0.6)]
    m = kabkota & (u >= 0.6) & (u < 0.85)
    birth_reg[m] = own_prov_reg[m]
    m = (jenis_ag == "PROVINSI") & (u < 0.85)
    birth_reg[m] = own_prov_reg[m]
    birth_prov = ref.reg_prov[birth_reg]

    nm = {p: np.full(n, -1, dtype=np.int64) for p in ("pre", "first", "mid", "fam")}
    fl_p = np.array([[NM.PROVINCE_FLAVOUR.get(p, NM.DEFAULT_FLAVOUR).get(f, 0.0) for f in NM.FLAVOUR_NAMES]
                     for p in ref.prov_codes])  # fmt: skip
    flavour = _pick(rng, fl_p, birth_prov)
    for fi, fl in enumerate(NM.FLAVOUR_NAMES):
        pool = NM.FLAVOURS[fl]
        for s, suffix in ((1, "l"), (2, "p")):
            m = (flavour == fi) & (sex == s)
            c = int(m.sum())
            if not c:
                continue
            first = pool[f"first_{suffix}"]
            nm["first"][m] = _uniform_int(rng, ref.base[f"{fl}.first_{suffix}"], len(first), c)
            mid_on = rng.random(c) < 0.6
            nm["mid"][m] = np.where(
                mid_on, _uniform_int(rng, ref.base[f"{fl}.middle"], len(pool["middle"]), c), -1
            )
            if pool["family"]:
                fam_on = rng.random(c) < 0.9
                fam = _uniform_int(rng, ref.base[f"{fl}.family"], len(pool["family"]), c)
                nm["fam"][m] = np.where(fam_on, fam, -1)
            pre = pool[f"prefix_{suffix}"]
            if pre:
                on = rng.random(c) < (1.0 if fl == "bali" else 0.3)
                nm["pre"][m] = np.where(
                    on, _uniform_int(rng, ref.base[f"{fl}.prefix_{suffix}"], len(pre), c), -1
                )

    gd = np.full(n, -1, dtype=np.int64)
    gb = np.full(n, -1, dtype=np.int64)
    c = n
    s1 = _uniform_int(rng, ref.base["gelar_s1"], len(NM.GELAR_S1), c)
    s2 = _uniform_int(rng, ref.base["gelar_s2"], len(NM.GELAR_S1) * len(NM.GELAR_S2), c)
    d3 = _uniform_int(rng, ref.base["gelar_d3"], len(NM.GELAR_D3), c)
    d4 = _uniform_int(rng, ref.base["gelar_d4"], len(NM.GELAR_D4), c)
    gb = np.where(pend == S1, s1, gb)
    gb = np.where(pend >= S2, s2, gb)
    gb = np.where(pend == D3, d3, gb)
    gb = np.where(pend == D4, d4, gb)
    g = ref.base["gelar_depan"]
    gd = np.where(pend == S3, g + (rng.random(n) < 0.1), gd)
    birth_year = _ymd(birth)[0]
    uu = rng.random(n)
    old_s1 = (pend == S1) & (birth_year < 1972) & (uu < 0.3)
    gd = np.where(old_s1, np.where(sex == 1, g + 3, g + 4), gd)
    gb = np.where(old_s1, -1, gb)
    ir = (pend == S1) & (birth_year < 1976) & (uu >= 0.3) & (uu < 0.4)
    gd = np.where(ir, g + 2, gd)
    gb = np.where(ir, -1, gb)
    dokter = keahlian & (prof == NM.PROFESI_KEAHLIAN.index("Dokter")) & (pend == S1)
    gd = np.where(dokter, g + 5, gd)
    gb = np.where(dokter, -1, gb)

    # current post name, unit, duty station
    jab = np.zeros(n, dtype=np.int64)
    jab[keahlian] = ref.base["jab_keahlian"] + prof[keahlian] * 4 + jenjang[keahlian]
    jab[ket] = ref.base["jab_ketrampilan"] + prof[ket] * 4 + (jenjang[ket] - 4)
    pl = jenis == J_PELAKSANA
    jab[pl] = _uniform_int(rng, ref.base["jab_pelaksana"], len(NM.PELAKSANA), int(pl.sum()))
    for j, cnt in ref.struct_count.items():
        m = jenis == j
        jab[m] = _uniform_int(rng, ref.base[f"jab_{JENIS[j]}"], cnt, int(m.sum()))
    unit = np.where(central, _uniform_int(rng, ref.base["unit_pusat"], len(NM.UNIT_PUSAT), n),
                    _uniform_int(rng, ref.base["unit_daerah"], len(NM.UNIT_DAERAH), n))  # fmt: skip
    wil = ref.base["wil_reg"] + nat_reg  # central: anywhere
    wil = np.where(central & (uu < 0.45), ref.base["wil_reg"] + ref.reg_index["31.71"], wil)
    wil = np.where(central & (uu >= 0.85), ref.base["wil_prov"] + ref.reg_prov[nat_reg], wil)
    prov_ag = jenis_ag == "PROVINSI"
    wil = np.where(prov_ag, ref.base["wil_reg"] + own_prov_reg, wil)
    wil = np.where(prov_ag & (uu < 0.25), ref.base["wil_prov"] + ag_prov, wil)
    wil = np.where(kabkota, ref.base["wil_reg"] + ag_reg, wil)

    # NIP (R1), unique nationally: the sequence is the rank among equal prefixes, offset by a hash
    by, bm, bd = _ymd(birth)
    birth8 = by * 10000 + bm * 100 + bd
    sy, sm, _ = _ymd(start)
    contract_no = np.where(sy <= 2021, 1 + (rng.random(n) < 0.3), 1)
    prefix = np.where(pppk, birth8 * 10**10 + sy * 10**6 + contract_no * 10**4 + sex * 1000,
                      birth8 * 10**10 + (sy * 100 + sm) * 10**4 + sex * 1000)  # fmt: skip
    nip = prefix + nip_sequence(prefix)
    # NIK (R1): province, kab, kec, DDMMYY (women: day + 40), sequence
    reg4 = np.array([int(c.replace(".", "")) for c in ref.reg_codes], dtype=np.int64)[birth_reg]
    kec = rng.integers(1, 25, n)
    nik = (
        (((reg4 * 100 + kec) * 100 + bd + 40 * (sex == 2)) * 100 + bm) * 100 + by % 100
    ) * 10000 + rng.integers(1, 9999, n)
    return _People(
        {
            "ag": ag, "pppk": pppk, "sex": sex, "jenis": jenis.astype(np.int64), "jenjang": jenjang,
            "keahlian": keahlian, "prof": prof, "pend": pend, "start": start, "start_mi": start_mi,
            "birth": birth, "gol": gol, "steps": steps, "interval": interval, "tmt_gol": tmt_gol,
            "k": k, "jab_mi": jab_mi, "jab": jab, "unit": unit, "wil": wil, "tl": ref.base["place"] + birth_reg,
            "nm_pre": nm["pre"], "nm_first": nm["first"], "nm_mid": nm["mid"], "nm_fam": nm["fam"],
            "gd": gd, "gb": gb, "nip": nip, "nik": nik, "ref": refd, "central": central,
            "present_from": start.copy(), "leave": np.full(n, 10**7, dtype=np.int64),
            "perf": rng.normal(0, 1, n), "pot": rng.normal(0, 1, n), "bup": bup,
        }
    )  # fmt: skip


def nip_sequence(prefix: np.ndarray) -> np.ndarray:
    """The last three digits of each NIP (001-999), distinct among equal prefixes: the rank within the
    group plus an offset hashed from the prefix, moved down when the group would run past 999 (PPPK share
    a prefix per birth date and year: at scale 1.0 some hundreds of people do). Groups of up to 101 keep
    the hashed offset, so the scales that fitted before give the same NIPs."""
    n = len(prefix)
    order = np.argsort(prefix, kind="stable")
    sp = prefix[order]
    first_of_group = np.r_[True, sp[1:] != sp[:-1]]
    group = np.cumsum(first_of_group) - 1
    group_start = np.maximum.accumulate(np.where(first_of_group, np.arange(n), 0))
    rank, size = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    size[order] = np.bincount(group)[group]
    if n and size.max() > 999:
        raise ValueError(f"NIP sequence overflow: {size.max()} people share one NIP prefix")
    offset = np.minimum((prefix // 1000) % 7919 * 31 % 899 + 1, 1000 - size)
    return offset + rank


# --- history rows per agency (numeric frames) -------------------------------------------------------
def _histories(ref: _Ref, p: _People, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    n = len(p["nip"])
    pid = np.arange(n)
    out: dict[str, pd.DataFrame] = {}
    pppk = p["pppk"]
    refd = p["ref"]

    # riwayat_jabatan: k spells from the start of service to the current post, the last one open
    k = p["k"]
    rp = np.repeat(pid, k)
    j = np.arange(len(rp)) - np.repeat(np.cumsum(k) - k, k)
    kk = k[rp]
    down = kk - 1 - j
    s_mi = p["start_mi"][rp]
    span = p["jab_mi"][rp] - s_mi
    mulai_mi = s_mi + np.where(kk > 1, (span * j) // np.maximum(kk - 1, 1), 0)
    mulai = _month_start(mulai_mi)
    nxt = np.r_[mulai[1:], 0]
    selesai = np.where(down > 0, nxt - 1, NULL_DATE)
    jenis = p["jenis"][rp].copy()
    jenjang = p["jenjang"][rp].copy()
    jab = p["jab"][rp].copy()
    unit = p["unit"][rp].copy()
    earlier = down > 0
    # structural: one rung down the ladder per earlier spell
    ladder_pos = np.array([5, 4, 3, 2, 1, 0, -1])[jenis]
    structural = ladder_pos >= 0
    m = earlier & structural
    new_pos = np.maximum(ladder_pos[m] - down[m], 0)
    jenis[m] = np.array(LADDER)[new_pos]
    # functional: one jenjang down within the group
    fm = earlier & (jenis == J_FUNGSIONAL)
    keah = p["keahlian"][rp]
    lvl = np.where(keah, 3 - jenjang, 7 - jenjang)  # 0 = lowest
    new_lvl = np.maximum(lvl - down, 0)
    jenjang[fm] = np.where(keah[fm], 3 - new_lvl[fm], 7 - new_lvl[fm])
    prof = p["prof"][rp]
    jab[fm] = np.where(keah[fm], ref.base["jab_keahlian"] + prof[fm] * 4 + jenjang[fm],
                       ref.base["jab_ketrampilan"] + prof[fm] * 4 + jenjang[fm] - 4)  # fmt: skip
    for jj in range(7):
        mm = earlier & (jenis == jj) & (jj != J_FUNGSIONAL)
        if jj == J_PELAKSANA:
            jab[mm] = _uniform_int(rng, ref.base["jab_pelaksana"], len(NM.PELAKSANA), int(mm.sum()))
        elif jj != J_FUNGSIONAL:
            jab[mm] = _uniform_int(rng, ref.base[f"jab_{JENIS[jj]}"], ref.struct_count[jj], int(mm.sum()))
    cen = p["central"][rp]
    other_unit = np.where(cen, _uniform_int(rng, ref.base["unit_pusat"], len(NM.UNIT_PUSAT), len(rp)),
                          _uniform_int(rng, ref.base["unit_daerah"], len(NM.UNIT_DAERAH), len(rp)))  # fmt: skip
    unit = np.where(earlier & (rng.random(len(rp)) < 0.5), other_unit, unit)
    out["riwayat_jabatan"] = pd.DataFrame(
        {"pid": rp, "jenis": jenis, "jenjang": jenjang, "jab": jab, "unit": unit, "mulai": mulai,
         "selesai": selesai, "sk": rng.integers(1, 9999, len(rp))}
    )  # fmt: skip

    # riwayat_golongan: entry rank at TMT, one step per interval; PPPK a single row
    cnt = p["steps"] + 1
    rp = np.repeat(pid, cnt)
    j = np.arange(len(rp)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    gol = p["gol"][rp] - (cnt[rp] - 1 - j)
    tmt = _month_start(p["start_mi"][rp] + j * p["interval"][rp])
    u = rng.random(len(rp))
    kenaikan = np.where(j == 0, -1, np.where(u < 0.8, 0, np.where(u < 0.95, 1, 4)))
    out["riwayat_golongan"] = pd.DataFrame(
        {"pid": rp, "gol": gol, "tmt": tmt, "kenaikan": kenaikan, "sk": rng.integers(1, 9999, len(rp))}
    )

    # riwayat_pelatihan
    parts = []
    start = p["start"]
    # LATSAR: PNS/CPNS, a few months after TMT CPNS, when finished by the extract date
    lat_m = rng.integers(120, 240, n)
    lat = ~pppk & (start + lat_m + 60 <= refd)
    idx = pid[lat]
    parts.append(pd.DataFrame({
        "pid": idx, "jenis": 0, "kode": -1,
        "nama": ref.base["pel_latsar"] + (p["pend"][idx] >= D4), "mulai": start[idx] + lat_m[lat],
        "selesai": start[idx] + lat_m[lat] + 50, "jp": 291,
        "peny": _uniform_int(rng, ref.base["penyelenggara"], 3, len(idx)),
    }))  # fmt: skip
    # leadership training: the post's required level (mostly held) and the lower ones before it
    req = np.full(n, -1)
    for jj, r in KEPEMIMPINAN_REQUIRED.items():
        req[p["jenis"] == jj] = r
    for q in range(4):
        holds = (req >= q) & (rng.random(n) < np.where(req == q, 0.88, 0.6))
        idx = pid[holds]
        span = np.maximum(refd[idx] - 130 - start[idx], 1)
        frac = (q + 0.3 + 0.6 * rng.random(len(idx))) / (req[idx] + 1)
        mulai = start[idx] + np.floor(frac * span).astype(np.int64)
        old = (mulai < _days(dt.date(2019, 1, 1))) & (rng.random(len(idx)) < 0.7)
        parts.append(pd.DataFrame({
            "pid": idx, "jenis": 1, "kode": q + 4 * old,
            "nama": np.where(old, ref.base["pel_kep_lama"], ref.base["pel_kep"]) + q,
            "mulai": mulai, "selesai": mulai + 60 + 15 * q, "jp": KEPEMIMPINAN_JP[q],
            "peny": np.where(q >= 2, ref.base["penyelenggara"], ref.base["penyelenggara"] + 2),
        }))  # fmt: skip
    # recent development: most people reach 20 JP in the 12 months before the extract, not all
    recent = rng.random(n) < 0.68
    idx = pid[recent & (refd - start > 400)]
    jp = rng.integers(20, 73, len(idx))
    mulai = refd[idx] - rng.integers(20, 355, len(idx))
    tek = rng.random(len(idx)) < 0.6
    parts.append(pd.DataFrame({
        "pid": idx, "jenis": np.where(tek, 3, 2),
        "kode": -1, "nama": np.where(tek, _uniform_int(rng, ref.base["pel_teknis"], len(NM.PELATIHAN_TEKNIS), len(idx)),
                                     _uniform_int(rng, ref.base["pel_fungsional"], len(NM.PELATIHAN_FUNGSIONAL), len(idx))),
        "mulai": mulai, "selesai": mulai + (jp + 7) // 8, "jp": jp,
        "peny": _uniform_int(rng, ref.base["penyelenggara"], len(NM.PENYELENGGARA), len(idx)),
    }))  # fmt: skip
    # seminars (a few JP) and older technical trainings
    for kind_, prob, lo_jp, hi_jp in ((4, 0.45, 2, 9), (3, 0.5, 8, 41), (2, 0.25, 16, 81)):
        sel = rng.random(n) < prob
        idx = pid[sel & (refd - start > 30)]
        span = refd[idx] - 15 - start[idx]
        mulai = start[idx] + np.floor(rng.random(len(idx)) * span).astype(np.int64)
        jp = rng.integers(lo_jp, hi_jp, len(idx))
        pool = {4: "pel_seminar", 3: "pel_teknis", 2: "pel_fungsional"}[kind_]
        size = {4: len(NM.SEMINAR), 3: len(NM.PELATIHAN_TEKNIS), 2: len(NM.PELATIHAN_FUNGSIONAL)}[kind_]
        parts.append(pd.DataFrame({
            "pid": idx, "jenis": kind_, "kode": -1, "nama": _uniform_int(rng, ref.base[pool], size, len(idx)),
            "mulai": mulai, "selesai": np.minimum(mulai + (jp + 7) // 8, refd[idx]), "jp": jp,
            "peny": _uniform_int(rng, ref.base["penyelenggara"], len(NM.PENYELENGGARA), len(idx)),
        }))  # fmt: skip
    pel = pd.concat(parts, ignore_index=True)
    out["riwayat_pelatihan"] = pel.sort_values(["pid", "mulai"], kind="stable").reset_index(drop=True)

    # asesmen: about half (managerial more), 1-2 assessments in the last 5 years
    managerial = p["jenis"] <= J_PENGAWAS
    has = rng.random(n) < np.where(managerial, 0.8, 0.48)
    cnt = has * (1 + (rng.random(n) < 0.2))
    rp = np.repeat(pid, cnt)
    j = np.arange(len(rp)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    lo = np.maximum(start[rp], refd[rp] - 5 * 365)
    tgl = lo + np.floor(rng.random(len(rp)) * (refd[rp] - 7 - lo)).astype(np.int64)
    tgl = np.where(j == 1, np.maximum(tgl, refd[rp] - 700), tgl)
    skor = np.clip(
        np.round((68 + 13 * (0.7 * p["pot"][rp] + 0.7 * rng.normal(0, 1, len(rp)))) * 10), 200, 995
    )
    std = np.array([5, 5, 4, 3, 2, 1, 1])[p["jenis"][rp]]
    std = np.where(
        p["jenis"][rp] == J_FUNGSIONAL,
        np.array([4, 3, 2, 1, 1, 1, 1, 1])[np.maximum(p["jenjang"][rp], 0)],
        std,
    )
    km = {}
    for name in C.KOMPETENSI_MANAJERIAL + C.KOMPETENSI_SOSIOKULTURAL:
        km[name] = np.clip(np.round(std + (skor / 10 - 68) / 15 + rng.normal(0, 0.8, len(rp))), 1, 5).astype(
            np.int64
        )
    jpm = np.clip(np.round((72 + (skor / 10 - 68) * 0.4 + rng.normal(0, 9, len(rp))) * 10), 300, 1000)
    met = np.where(managerial[rp], _pick(rng, np.array([[0.75, 0.15, 0.1]]), np.zeros(len(rp), int)),
                   _pick(rng, np.array([[0.2, 0.5, 0.3]]), np.zeros(len(rp), int)))  # fmt: skip
    df = pd.DataFrame({"pid": rp, "tgl": tgl, "metode": met,
                       "lembaga": _uniform_int(rng, ref.base["lembaga"], len(NM.LEMBAGA_ASESMEN), len(rp)),
                       "skor": skor.astype(np.int64), **km, "jpm": jpm.astype(np.int64)})  # fmt: skip
    out["asesmen"] = df.sort_values(["pid", "tgl"], kind="stable").reset_index(drop=True)

    # skp: one row per year from 2015 (or the start of service) to the year before the extract
    sy = _ymd(start)[0]
    ry = _ymd(refd)[0]
    first = np.maximum(2015, sy)
    cur = rng.random(n) < 0.05
    last = ry - 1 + cur
    cnt = np.maximum(last - first + 1, 0)
    rp = np.repeat(pid, cnt)
    tahun = first[rp] + np.arange(len(rp)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    perf = p["perf"][rp]
    h = perf + rng.normal(0, 0.7, len(rp))
    b = 0.6 * perf + rng.normal(0, 0.8, len(rp))
    hasil = np.where(h > 1.1, 0, np.where(h < -1.9, 2, 1))
    perilaku = np.where(b > 0.9, 0, np.where(b < -1.7, 2, 1))
    predikat = R5[hasil, perilaku].astype(np.int64)
    new_regime = tahun >= 2022
    nilai_46 = np.clip(np.round((84 + 5 * h) * 10), 400, 999)
    nilai_21 = np.clip(np.round((100 + 9 * h) * 10), 400, 1200)
    nilai = np.where(tahun == 2021, nilai_21, nilai_46)
    band46 = np.select([nilai >= 910, nilai >= 760, nilai >= 610, nilai >= 510], [0, 1, 2, 3], 4)
    band21 = np.select([nilai >= 1100, nilai >= 900, nilai >= 700, nilai >= 500], [0, 1, 2, 3], 4)
    band = np.where((tahun == 2021) | (nilai > 1000), band21, band46)
    u = rng.random(len(rp))
    old_pred = np.where(u < 0.5, -1, band)  # only nilai, or nilai + predikat, or only predikat
    old_nilai = np.where(u >= 0.85, -1, nilai)
    out["skp"] = pd.DataFrame({
        "pid": rp, "tahun": tahun, "hasil": np.where(new_regime, hasil, -1),
        "perilaku": np.where(new_regime, perilaku, -1), "predikat": np.where(new_regime, predikat, old_pred),
        "nilai": np.where(new_regime, -1, old_nilai).astype(np.int64),
    })  # fmt: skip

    # hukuman_disiplin: about 2%, some active, some old, some BERAT
    has = rng.random(n) < 0.02
    cnt = has * (1 + (rng.random(n) < 0.1))
    rp = np.repeat(pid, cnt)
    tingkat = _pick(rng, np.array([[0.55, 0.3, 0.15]]), np.zeros(len(rp), int)).astype(np.int64)
    recent = rng.random(len(rp)) < 0.35
    lo = np.where(recent, np.maximum(start[rp], refd[rp] - 365), start[rp])
    mulai = lo + np.floor(rng.random(len(rp)) * (refd[rp] - lo)).astype(np.int64)
    dur = np.array([180, 270, 365])[tingkat]
    selesai = np.where(mulai + dur <= refd[rp], mulai + dur, NULL_DATE)
    jenis_txt = np.zeros(len(rp), dtype=np.int64)
    for t, name in enumerate(TINGKAT):
        m = tingkat == t
        jenis_txt[m] = _uniform_int(rng, ref.base[f"hukdis_{name}"], len(NM.JENIS_HUKDIS[name]), int(m.sum()))
    out["hukuman_disiplin"] = pd.DataFrame(
        {"pid": rp, "tingkat": tingkat, "jenis": jenis_txt, "mulai": mulai, "selesai": selesai,
         "sk": rng.integers(1, 999, len(rp))}
    )  # fmt: skip
    return out


def _snapshot(p: _People, hist: dict[str, pd.DataFrame], sub: _Submission, excluded: np.ndarray) -> dict:
    """The numeric frames of one submission: people as of people_date, rows as of tanggal."""
    t = _days(sub.tanggal)
    tf = _days(sub.people_date)
    present = (p["present_from"] <= tf) & (p["leave"] > tf)
    keep_hist = present & ~excluded
    frames: dict[str, pd.DataFrame] = {}
    rj = hist["riwayat_jabatan"]
    rj = rj[keep_hist[rj["pid"].to_numpy()] & (rj["mulai"].to_numpy() <= t)].copy()
    rj.loc[rj["selesai"] >= t, "selesai"] = NULL_DATE
    rg = hist["riwayat_golongan"]
    rg = rg[keep_hist[rg["pid"].to_numpy()] & (rg["tmt"].to_numpy() <= t)]
    frames["riwayat_jabatan"] = rj
    frames["riwayat_golongan"] = rg
    pel = hist["riwayat_pelatihan"]
    frames["riwayat_pelatihan"] = pel[keep_hist[pel["pid"].to_numpy()] & (pel["selesai"].to_numpy() <= t)]
    ase = hist["asesmen"]
    frames["asesmen"] = ase[keep_hist[ase["pid"].to_numpy()] & (ase["tgl"].to_numpy() <= t)]
    ty = sub.tanggal.year
    skp = hist["skp"]
    ref_year = _ymd(p["ref"])[0][skp["pid"].to_numpy()] if len(skp) else np.zeros(0, int)
    tahun = skp["tahun"].to_numpy()
    frames["skp"] = skp[
        keep_hist[skp["pid"].to_numpy()] & ((tahun < ty) | ((tahun == ty) & (ref_year == ty)))
    ]
    hd = hist["hukuman_disiplin"]
    hd = hd[keep_hist[hd["pid"].to_numpy()] & (hd["mulai"].to_numpy() <= t)].copy()
    hd.loc[hd["selesai"] > t, "selesai"] = NULL_DATE
    frames["hukuman_disiplin"] = hd
    if sub.full:
        # pegawai: the post held and the rank on tanggal, from the (unfiltered-by-exclusion) histories
        pids = np.flatnonzero(present)
        rj_all = hist["riwayat_jabatan"]
        rj_all = rj_all[rj_all["mulai"].to_numpy() <= t]
        last_j = rj_all.groupby("pid", sort=True).tail(1).set_index("pid")
        rg_all = hist["riwayat_golongan"]
        rg_all = rg_all[rg_all["tmt"].to_numpy() <= t]
        last_g = rg_all.groupby("pid", sort=True).tail(1).set_index("pid")
        lj = last_j.reindex(pids)
        lg = last_g.reindex(pids)
        pppk = p["pppk"][pids]
        status = np.where(pppk, 2, np.where(t - p["start"][pids] < 365, 1, 0))
        frames["pegawai"] = pd.DataFrame({
            "pid": pids, "nip": p["nip"][pids], "nik": p["nik"][pids], "nm_pre": p["nm_pre"][pids],
            "nm_first": p["nm_first"][pids], "nm_mid": p["nm_mid"][pids], "nm_fam": p["nm_fam"][pids],
            "gd": p["gd"][pids], "gb": p["gb"][pids], "jk": p["sex"][pids], "tl": p["tl"][pids],
            "lahir": p["birth"][pids], "status": status, "gol": lg["gol"].to_numpy(np.int64),
            "tmt_gol": lg["tmt"].to_numpy(np.int64), "jenis": lj["jenis"].to_numpy(np.int64),
            "jenjang": lj["jenjang"].to_numpy(np.int64), "jab": lj["jab"].to_numpy(np.int64),
            "tmt_jab": lj["mulai"].to_numpy(np.int64), "unit": p["unit"][pids], "wil": p["wil"][pids],
            "pend": p["pend"][pids], "tmt_cpns": np.where(pppk, NULL_DATE, p["start"][pids]),
        })  # fmt: skip
    for e, df in frames.items():
        if e != "pegawai":
            frames[e] = df.assign(nip=p["nip"][df["pid"].to_numpy()])
    return frames


# --- SQL formatting --------------------------------------------------------------------------------
def _lst(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _select_sql(ref: _Ref, entity: str) -> str:
    """SELECT turning the numeric frame `f` into the contract's text columns (plus rid)."""
    joins: list[str] = []

    def txt(col: str) -> str:
        alias = f"t_{col}"
        joins.append(f"LEFT JOIN txt {alias} ON {alias}.id = f.{col}")
        return f"{alias}.s"

    d = "fd(f.{})".format
    code = "fc({}, f.{})".format
    sk = "CASE WHEN f.sk > 0 THEN '{}/' || lpad(f.sk::VARCHAR, 4, '0') || '/' || year(DATE '1970-01-01' + f.{}::INTEGER)::VARCHAR END"
    dec = "CASE WHEN f.{0} >= 0 THEN (f.{0} / 10.0)::DECIMAL(6,1)::VARCHAR END".format
    nip = "f.nip::VARCHAR"
    if entity == "pegawai":
        cols = {
            "nip": nip, "nik": "f.nik::VARCHAR",
            "nama": f"concat_ws(' ', {txt('nm_pre')}, {txt('nm_first')}, {txt('nm_mid')}, {txt('nm_fam')})",
            "gelar_depan": txt("gd"), "gelar_belakang": txt("gb"),
            "jenis_kelamin": "CASE f.jk WHEN 1 THEN 'L' ELSE 'P' END", "tempat_lahir": txt("tl"),
            "tanggal_lahir": d("lahir"), "status_kepegawaian": code(_lst(STATUS), "status"),
            "golongan": code(_lst(ref.gol), "gol"), "tmt_golongan": d("tmt_gol"),
            "jenis_jabatan": code(_lst(JENIS), "jenis"), "jenjang_fungsional": code(_lst(JENJANG), "jenjang"),
            "nama_jabatan": txt("jab"), "tmt_jabatan": d("tmt_jab"), "unit_kerja": txt("unit"),
            "kode_wilayah_kerja": txt("wil"), "pendidikan_terakhir": code(_lst(PEND), "pend"),
            "tmt_cpns": d("tmt_cpns"),
        }  # fmt: skip
    elif entity == "riwayat_jabatan":
        cols = {
            "nip": nip, "jenis_jabatan": code(_lst(JENIS), "jenis"),
            "jenjang_fungsional": code(_lst(JENJANG), "jenjang"), "nama_jabatan": txt("jab"),
            "unit_kerja": txt("unit"), "tmt_mulai": d("mulai"), "tmt_selesai": d("selesai"),
            "nomor_sk": sk.format("821.2", "mulai"),
        }  # fmt: skip
    elif entity == "riwayat_golongan":
        cols = {
            "nip": nip, "golongan": code(_lst(ref.gol), "gol"), "tmt_golongan": d("tmt"),
            "jenis_kenaikan": code(_lst(KENAIKAN), "kenaikan"), "nomor_sk": sk.format("823.3", "tmt"),
        }  # fmt: skip
    elif entity == "riwayat_pelatihan":
        cols = {
            "nip": nip, "jenis_pelatihan": code(_lst(JENIS_PEL), "jenis"),
            "kode_kepemimpinan": code(_lst(ref.kep_kode), "kode"), "nama_pelatihan": txt("nama"),
            "tanggal_mulai": d("mulai"), "tanggal_selesai": d("selesai"), "jp": "f.jp::VARCHAR",
            "penyelenggara": txt("peny"),
        }  # fmt: skip
    elif entity == "asesmen":
        cols = {"nip": nip, "tanggal_asesmen": d("tgl"), "metode": code(_lst(METODE), "metode"),
                "lembaga": txt("lembaga"), "skor_potensi": dec("skor")}  # fmt: skip
        for k in C.KOMPETENSI_MANAJERIAL + C.KOMPETENSI_SOSIOKULTURAL:
            cols[k] = f"f.{k}::VARCHAR"
        cols["jpm"] = dec("jpm")
    elif entity == "skp":
        cols = {
            "nip": nip, "tahun": "f.tahun::VARCHAR", "hasil_kerja": code(_lst(PENILAIAN), "hasil"),
            "perilaku_kerja": code(_lst(PENILAIAN), "perilaku"), "predikat": code(_lst(PREDIKAT), "predikat"),
            "nilai": dec("nilai"),
        }  # fmt: skip
    else:
        cols = {
            "nip": nip, "tingkat": code(_lst(TINGKAT), "tingkat"), "jenis": txt("jenis"),
            "tmt_mulai": d("mulai"), "tmt_selesai": d("selesai"), "nomor_sk": sk.format("862", "mulai"),
        }  # fmt: skip
    assert tuple(cols) == C.ENTITIES[entity].column_names, entity
    select = ", ".join(f"{expr} AS {name}" for name, expr in cols.items())
    return f"SELECT f.rid, {select} FROM f {' '.join(joins)}"


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
    "whitespace_padding": ("VARIANT", ""),
    "nama_non_ascii": ("VARIANT", ""),  # the name row of a Windows-1252 file
    # row warnings: loaded, reported
    "nip_birthdate_mismatch": ("WARNING", "NIP_TANGGAL_LAHIR_TIDAK_COCOK"),
    "nip_gender_mismatch": ("WARNING", "NIP_JENIS_KELAMIN_TIDAK_COCOK"),
    "predikat_mismatch": ("WARNING", "PREDIKAT_TIDAK_SESUAI_MATRIKS"),
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
ROW_WARNINGS = ["nip_birthdate_mismatch", "nip_gender_mismatch", "predikat_mismatch"]
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
}
NUMERIC_COLS = {
    "riwayat_pelatihan": ("jp",),
    "asesmen": ("skor_potensi", "jpm", *C.KOMPETENSI_MANAJERIAL, *C.KOMPETENSI_SOSIOKULTURAL),
    "skp": ("tahun", "nilai"),
}
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


# --- the run ------------------------------------------------------------------------------------
@dataclass
class GenerateSummary:
    out: Path
    manifest: Path
    agencies: int
    people: int
    rows: dict[str, int]
    files: int
    defects: int
    variants: int
    warnings: int
    seconds: float

    def __str__(self) -> str:
        rows = ", ".join(f"{e} {n:,}" for e, n in self.rows.items())
        return (
            f"proasn generate: {self.agencies} agencies, {self.people:,} people, {self.files:,} files "
            f"in {self.out}\n  rows: {rows} (total {sum(self.rows.values()):,})\n"
            f"  manifest {self.manifest}: {self.defects:,} defects, {self.variants:,} variants, "
            f"{self.warnings:,} warnings\n  {self.seconds:.1f} s"
        )


class _Writer:
    def __init__(self, ref: _Ref, out: Path, manifest, defect_rate: float, seed: int) -> None:
        self.ref, self.out, self.manifest, self.rate, self.seed = ref, out, manifest, defect_rate, seed
        self.con = duckdb.connect()
        # Each file is one query with a dozen LEFT JOINs to the text pool: their order is fixed, and the
        # join-order search alone took ~8 ms per file (a minute of fixed cost at 6,760 files).
        self.con.execute("SET disabled_optimizers = 'join_order'")
        self.con.execute(
            "CREATE MACRO fd(x) AS CASE WHEN x > -100000 THEN strftime(DATE '1970-01-01' + x::INTEGER, '%Y-%m-%d') END"
        )
        self.con.execute("CREATE MACRO fc(l, x) AS CASE WHEN x >= 0 THEN list_extract(l, x + 1) END")
        pool = pd.DataFrame({"id": np.arange(len(ref.txt), dtype=np.int64), "s": ref.txt})
        self.con.register("pool", pool)
        self.con.execute("CREATE TABLE txt AS SELECT * FROM pool")
        self.con.unregister("pool")
        self.sql = {e: _select_sql(ref, e) for e in ENTITY_NAMES}
        self.rows = dict.fromkeys(ENTITY_NAMES, 0)
        self.files = 0
        self.counts = {"DEFECT": 0, "VARIANT": 0, "WARNING": 0}
        self.seen: set[str] = set()  # kinds written so far

    def note(self, file: str, line, column: str, kind: str) -> None:
        category, reason = KINDS[kind]
        self.manifest.writerow((file, "" if line is None else line, column, kind, category, reason))
        self.counts[category] += 1
        self.seen.add(kind)

    def write(self, rel: str, entity: str, frame: pd.DataFrame, *, fmt: str, tanggal: dt.date,
              rng: np.random.Generator, file_kind: str | None, protect: np.ndarray,
              mutasi: np.ndarray, foreign_nips: np.ndarray) -> set[int]:  # fmt: skip
        """Write one file; returns the frame positions whose pegawai row got a DEFECT."""
        con = self.con
        n = len(frame)
        frame["rid"] = np.arange(n, dtype=np.int64)
        cols = list(C.ENTITIES[entity].column_names)
        defective: set[int] = set()
        missing_col = None
        counts = (0, 0, 0, 0)
        if file_kind == "missing_required_column":
            required = C.ENTITIES[entity].required_columns
            missing_col = required[int(rng.integers(0, len(required)))]
        elif self.rate > 0 and n:
            counts = (
                1 if file_kind == "encoding_cp1252" else 0,
                int(rng.binomial(n, self.rate)),
                int(rng.binomial(n, self.rate)),
                int(rng.binomial(n, self.rate / 2)) if entity in ("pegawai", "skp") else 0,
            )
        con.register("f", frame)
        source = f"({self.sql[entity]})"
        has_upd = False
        if sum(counts):
            # format once into t; the chosen rows are fetched, changed in Python and swapped in as upd
            con.execute(f"CREATE OR REPLACE TEMP TABLE t AS {self.sql[entity]}")
            source = "t"
            n_new = self._inject(rel, entity, n, counts, tanggal, rng, protect, foreign_nips, defective)
            has_upd = n_new >= 0
            if has_upd:
                source = "(SELECT t.* FROM t ANTI JOIN upd ON t.rid = upd.rid UNION ALL SELECT * FROM upd)"
                n += n_new
        for pos in np.flatnonzero(mutasi):
            self.note(rel, int(pos) + 2, "nip", "mutasi")
        out_cols = [c for c in cols if c != missing_col]
        headers = [
            _header_variant(c, i) if file_kind == "header_variant" else c for i, c in enumerate(out_cols)
        ]
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            delim = ";" if file_kind == "delimiter_semicolon" else ","
            select = ", ".join(f'{c} AS "{h}"' for c, h in zip(out_cols, headers, strict=True))
            con.execute(
                f"COPY (SELECT {select} FROM {source} ORDER BY rid) TO '{path}' (HEADER, DELIMITER '{delim}')"
            )
            if file_kind == "utf8_bom":
                path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
            elif file_kind == "encoding_cp1252":
                path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
        else:
            rows = con.execute(f"SELECT {', '.join(out_cols)} FROM {source} ORDER BY rid").fetchall()
            _write_xlsx(path, headers, rows, out_cols if file_kind == "xlsx_native_dates" else None, entity)
        con.unregister("f")
        if has_upd:
            con.unregister("upd")
        if missing_col is not None or file_kind in FILE_KINDS_CSV + FILE_KINDS_XLSX + ("header_variant",):
            self.note(rel, None, missing_col or "", file_kind)
        self.rows[entity] += n
        self.files += 1
        return defective

    def _inject(self, rel, entity, n, counts, tanggal, rng, protect, foreign_nips, defective) -> int:
        """Fetches the chosen rows, changes them in Python and registers them as `upd`.

        Fills `defective` (pegawai positions); returns the number of appended rows, -1 when nothing changed.
        """
        con = self.con
        extra, n_def, n_var, n_warn = counts
        candidates = np.flatnonzero(~protect)
        total = min(sum(counts), len(candidates))
        if total == 0:
            return -1
        chosen = rng.choice(candidates, size=total, replace=False)
        cats = ["nama_non_ascii"] * extra + ["D"] * n_def + ["V"] * n_var + ["W"] * n_warn
        cats = cats[:total]
        # kinds only a few rows can carry: the first D row of a file that has such rows carries the
        # kind until it has been written once
        forced: dict[int, str] = {}
        for kind, (ent, where) in RARE_DEFECTS.items():
            if ent != entity or kind in self.seen or "D" not in cats:
                continue
            rids = [r for (r,) in con.execute(f"SELECT rid FROM t WHERE {where} ORDER BY rid").fetchall()]
            rids = [r for r in rids if not protect[r] and r not in chosen]
            if rids:
                r = rids[int(rng.integers(0, len(rids)))]
                chosen[cats.index("D")] = r
                forced[r] = kind
        fetched = con.execute(
            "SELECT * FROM t WHERE list_contains(?, rid)", [sorted(chosen.tolist())]
        ).fetchall()
        names = ["rid", *C.ENTITIES[entity].column_names]
        by_rid = {r[0]: dict(zip(names, r, strict=True)) for r in fetched}
        pppk_nip = self._pppk_nip(entity)
        inj = _Injector(self.ref, rng, tanggal, entity, pppk_nip)
        changed: list[dict] = []
        appended: list[dict] = []
        notes: list[tuple] = []
        for rid, cat in zip(chosen.tolist(), cats, strict=True):
            row = by_rid[rid]
            line = rid + 2
            if cat == "nama_non_ascii" and entity == "pegawai":
                row["nama"] = "André Sétiawan"
                changed.append(row)
                notes.append((line, "nama", "nama_non_ascii"))
                continue
            pool = {"D": ROW_DEFECTS, "V": ROW_VARIANTS, "W": ROW_WARNINGS}.get(cat, ROW_VARIANTS)
            # a random order, kinds not yet written anywhere first: every kind appears once there are
            # enough rows to carry them
            order = sorted(rng.permutation(len(pool)).tolist(), key=lambda i: pool[i] in self.seen)
            if rid in forced:
                order.insert(0, pool.index(forced[rid]))
            for i in order:
                kind = pool[i]
                if kind in ("duplicate_nip", "duplicate_skp", "orphan_nip"):
                    ok = {"duplicate_nip": entity == "pegawai", "duplicate_skp": entity == "skp",
                          "orphan_nip": entity in HISTORY}[kind]  # fmt: skip
                    if not ok:
                        continue
                    copy = dict(row)
                    copy["rid"] = n + len(appended)
                    if kind == "orphan_nip":
                        copy["nip"] = self._orphan_nip(row["nip"], foreign_nips)
                        appended.append(copy)
                        notes.append((copy["rid"] + 2, "nip", kind))
                    else:
                        appended.append(copy)
                        notes.append((line, "nip", kind))
                        notes.append((copy["rid"] + 2, "nip", kind))
                        if entity == "pegawai":
                            defective.add(rid)
                    break
                col = inj.apply(kind, row)
                if col is not None:
                    changed.append(row)
                    notes.append((line, col, kind))
                    if KINDS[kind][0] == "DEFECT" and entity == "pegawai":
                        defective.add(rid)
                    break
        if not (changed or appended):
            return -1
        # string dtype: all-NULL object columns would reach DuckDB untyped
        upd = pd.DataFrame(changed + appended, columns=names).astype("string")
        upd["rid"] = upd["rid"].astype(np.int64)
        con.register("upd", upd)
        for line, col, kind in sorted(notes):
            self.note(rel, line, col, kind)
        return len(appended)

    def _pppk_nip(self, entity):
        # PPPK NI have the appointment year where PNS have TMT CPNS year+month: tell them apart by the
        # pegawai status when there is one, else by the 2-digit contract count (01/02) at digits 13-14.
        def is_pppk(row) -> bool:
            if entity == "pegawai":
                return row["status_kepegawaian"] == "PPPK"
            return row["nip"][12:14] in ("01", "02") and int(row["nip"][8:12]) >= 2019

        return is_pppk

    @staticmethod
    def _orphan_nip(nip: str, taken: np.ndarray) -> str:
        base = int(nip) - int(nip) % 1000
        for seq in range(999, 0, -1):
            cand = base + seq
            if not np.any(taken == cand):
                return str(cand)
        return str(base + 999)


def _write_xlsx(path: Path, headers, rows, native_dates, entity) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2026, 1, 1), "author": "proasn generate"})
    ws = wb.add_worksheet("data")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    date_cols = {i for i, c in enumerate(native_dates or ()) if c in DATE_COLS[entity]}
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if c in date_cols and len(v) == 10 and v[4] == "-" and v[7] == "-":
                try:
                    ws.write_datetime(r, c, dt.datetime.fromisoformat(v), date_fmt)
                    continue
                except ValueError:
                    pass
            ws.write_string(r, c, v)
    wb.close()


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


def default_manifest_path(out: Path) -> Path:
    return out.parent / f"{out.name}-manifest.csv"


def generate(out: Path, *, scale: float, seed: int, file_format: str = "csv", defect_rate: float = 0.01,
             manifest: Path | None = None, quiet: bool = False) -> GenerateSummary:  # fmt: skip
    """Write synthetic submissions under `out` and the ground-truth manifest next to it."""
    t0 = time.perf_counter()
    if file_format not in ("csv", "xlsx", "mixed"):
        raise ValueError(f"file_format must be csv, xlsx or mixed, got {file_format!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if not 0 <= defect_rate <= 0.2:
        raise ValueError(f"defect_rate must be within 0..0.2, got {defect_rate}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"proasn generate: {out} is not empty; choose an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    manifest = Path(manifest) if manifest else default_manifest_path(out)
    ref = _Ref()
    n_people = max(1, round(NATION * scale))
    agencies = _agencies(ref, n_people)
    _plan(agencies, seed, file_format)
    people = _people(ref, agencies, seed)
    n_persons = len(people["nip"])
    transfers = _transfers(agencies, people, seed, defect_rate)
    # leavers: a few people leave between two full submissions (never the transferred ones)
    leave_rng = np.random.default_rng([seed, 6])
    ag_bounds = np.r_[0, np.cumsum([a.size for a in agencies])]
    for ai, a in enumerate(agencies):
        fulls = [_days(s.tanggal) for s in a.subs if s.full]
        if len(fulls) < 2:
            continue
        lo, hi = ag_bounds[ai], ag_bounds[ai + 1]
        leaving = np.flatnonzero(leave_rng.random(hi - lo) < 0.005) + lo
        leaving = np.array([p for p in leaving.tolist() if p not in transfers], dtype=np.int64)
        people["leave"][leaving] = leave_rng.integers(fulls[0] + 1, fulls[-1] + 1, len(leaving))
    file_kinds = _choose_file_kinds(agencies, seed, defect_rate)
    incoming: dict[int, list[tuple[_People, dict[str, pd.DataFrame]]]] = {}

    with open(manifest, "w", newline="", encoding="utf-8") as mf:
        mw = csv.writer(mf, lineterminator="\n")
        mw.writerow(MANIFEST_COLUMNS)
        w = _Writer(ref, out, mw, defect_rate, seed)
        first_pegawai: Path | None = None
        for ai, a in enumerate(agencies):
            lo, hi = ag_bounds[ai], ag_bounds[ai + 1]
            p = people.take(np.arange(lo, hi))
            hist = _histories(ref, p, np.random.default_rng([seed, 7, a.idx]))
            n_own = hi - lo
            # people moving out of this agency: hand their rows to the destination
            for gpid, dest in transfers.items():
                if lo <= gpid < hi:
                    local = gpid - lo
                    moved = p.take(np.array([local]))
                    moved.a["present_from"] = np.array([_days(agencies[dest].last_full)])
                    moved.a["unit"] = (
                        moved["unit"] * 0
                        + ref.base["unit_pusat" if agencies[dest].central else "unit_daerah"]
                        + 1
                    )
                    moved.a["wil"] = _dest_wil(ref, agencies[dest], moved["wil"])
                    rows = {e: df[df["pid"] == local].assign(pid=0) for e, df in hist.items()}
                    incoming.setdefault(dest, []).append((moved, rows))
            mutasi_out = np.zeros(n_own, dtype=bool)
            for gpid in transfers:
                if lo <= gpid < hi:
                    mutasi_out[gpid - lo] = True
            mutasi_in = np.zeros(0, dtype=bool)
            for moved, rows in incoming.pop(ai, []):
                offset = len(p["nip"])
                p = _People.concat([p, moved])
                for e in hist:
                    hist[e] = pd.concat([hist[e], rows[e].assign(pid=offset)], ignore_index=True)
                mutasi_in = np.r_[mutasi_in, True]
            is_transfer = np.r_[mutasi_out, mutasi_in]
            all_nips = p["nip"]
            excluded = np.zeros(len(all_nips), dtype=bool)
            last_full_idx = max(i for i, s in enumerate(a.subs) if s.full)
            for si, sub in enumerate(a.subs):
                if sub.full:
                    excluded[:] = False
                frames = _snapshot(p, hist, sub, excluded)
                folder = f"{a.kode}/{sub.tanggal.isoformat()}"
                for ei, entity in enumerate(ENTITY_NAMES):
                    if entity not in sub.entities:
                        continue
                    frame = frames[entity]
                    pid = frame["pid"].to_numpy()
                    protect = is_transfer[pid] if entity == "pegawai" else np.zeros(len(pid), dtype=bool)
                    mut = protect & (si == last_full_idx) if entity == "pegawai" else protect
                    rel = f"{folder}/{entity}.{a.fmt}"
                    rng = np.random.default_rng([seed, 8, a.idx, si, ei])
                    bad = w.write(rel, entity, frame, fmt=a.fmt, tanggal=sub.tanggal,
                                  rng=rng, file_kind=file_kinds.get((ai, si, entity)), protect=protect,
                                  mutasi=mut, foreign_nips=all_nips)  # fmt: skip
                    if entity == "pegawai":
                        if first_pegawai is None:
                            first_pegawai = out / rel
                        if bad:
                            excluded[pid[sorted(bad)]] = True
                            frames = _snapshot(p, hist, sub, excluded)
        # whole-file defects outside the agencies' own files
        if defect_rate > 0 and first_pegawai is not None:
            d = agencies[0].subs[-1].tanggal.isoformat()
            rel = f"{UNKNOWN_INSTANSI}/{d}/pegawai{first_pegawai.suffix}"
            (out / rel).parent.mkdir(parents=True)
            shutil.copyfile(first_pegawai, out / rel)
            w.note(rel, None, "", "unknown_instansi")
            w.files += 1
            rng = np.random.default_rng([seed, 9])
            a = agencies[int(rng.integers(0, len(agencies)))]
            s = a.subs[int(rng.integers(0, len(a.subs)))]
            rel = f"{a.kode}/{s.tanggal.isoformat()}/{UNKNOWN_ENTITY_FILE}"
            (out / rel).write_text(
                "bulan,jumlah_pegawai,keterangan\n2026-01,120,rekap internal\n", encoding="utf-8"
            )
            w.note(rel, None, "", "unknown_entity")
            w.files += 1
    summary = GenerateSummary(
        out=out, manifest=manifest, agencies=len(agencies), people=n_persons, rows=w.rows, files=w.files,
        defects=w.counts["DEFECT"], variants=w.counts["VARIANT"], warnings=w.counts["WARNING"],
        seconds=time.perf_counter() - t0,
    )  # fmt: skip
    if not quiet:
        print(summary, file=sys.stdout)
    return summary


def _dest_wil(ref: _Ref, dest: _Agency, current: np.ndarray) -> np.ndarray:
    if dest.reg >= 0:
        return np.array([ref.base["wil_reg"] + dest.reg])
    if dest.jenis == "PROVINSI":
        return np.array([ref.base["wil_prov"] + dest.prov])
    return current
