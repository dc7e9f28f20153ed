"""Agencies (sizes from headcounts and population, the subset kept at tiny scales) and the plan of
their submissions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from tools.generate.arrays import _date, _days
from tools.generate.reference import (
    ANCHOR,
    CENTRAL_HEADCOUNT,
    CENTRAL_SHARE,
    ENTITY_NAMES,
    HISTORY_V1,
    MIN_AGENCY_PEOPLE,
    PENDIDIKAN_ENTITY,
    PEOPLE_PER_KEPT_AGENCY,
    PROVINCE_POP,
    PROVINCE_SHARE_OF_REGIONAL,
    WINDOW_DAYS,
    _Ref,
)


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


def _adopt_v11(a: _Agency, u: float) -> None:
    """Contract v1.1's riwayat_pendidikan is optional: about a fifth of the agencies never send it (v1
    submitters), and an agency with earlier submissions sends it from its latest one only in about one case
    in five (it adds the entity later; a partial latest submission then holds it beside its histories);
    the others send it with every complete submission."""
    never = u < 0.2
    later = len(a.subs) > 1 and 0.2 <= u < 0.4
    for k, sub in enumerate(a.subs):
        last = k == len(a.subs) - 1
        ents = tuple(e for e in sub.entities if e != PENDIDIKAN_ENTITY)
        if not never and (last if later else sub.full):
            ents = (*ents, PENDIDIKAN_ENTITY)
        a.subs[k] = dataclasses.replace(sub, entities=ents)


def _plan(agencies: list[_Agency], seed: int, file_format: str, anchor_date: dt.date = ANCHOR) -> None:
    rng = np.random.default_rng([seed, 1])
    fmt_rng = np.random.default_rng([seed, 2])
    v11_rng = np.random.default_rng([seed, 10])
    anchor = _days(anchor_date)
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
                pick = sorted(rng.choice(len(HISTORY_V1), size=m, replace=False))
                ents = tuple(HISTORY_V1[i] for i in pick)
            a.subs.append(_Submission(_date(d), ents, people_date))
        _adopt_v11(a, v11_rng.random())
        u = fmt_rng.random()
        a.fmt = file_format if file_format != "mixed" else ("xlsx" if u < 0.3 else "csv")
