"""People for the whole nation at once (vectorised numpy): status, post, rank, age, names, NIP and NIK."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.generate import names as NM
from tools.generate.agencies import _Agency
from tools.generate.arrays import _days, _month_index, _month_start, _pick, _uniform_int, _ymd
from tools.generate.reference import (
    AGE_MARGIN,
    D3,
    D4,
    J_ADMIN,
    J_FUNGSIONAL,
    J_MADYA,
    J_PELAKSANA,
    J_PENGAWAS,
    J_PRATAMA,
    J_UTAMA,
    JENIS,
    JENJANG,
    MAX_TENURE,
    S1,
    S2,
    S3,
    _Ref,
)

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
    # A teacher's own law sets BUP 60 (R4, seed bup_jabatan_khusus), below AHLI_UTAMA's 65 by which the age
    # was drawn: an AHLI_UTAMA is a lecturer (65) instead, so nobody is generated past the BUP of the post.
    guru_utama = keahlian & (jenjang == 0) & (prof == NM.PROFESI_KEAHLIAN.index("Guru"))
    prof[guru_utama] = NM.PROFESI_KEAHLIAN.index("Dosen")
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
    perf, pot = rng.normal(0, 1, n), rng.normal(0, 1, n)
    shift = planted_shift(ref, agencies, ag, sex, ref_mi - _month_index(birth))
    perf, pot = perf - shift, pot - shift
    return _People(
        {
            "ag": ag, "pppk": pppk, "sex": sex, "jenis": jenis.astype(np.int64), "jenjang": jenjang,
            "keahlian": keahlian, "prof": prof, "pend": pend, "start": start, "start_mi": start_mi,
            "birth": birth, "gol": gol, "steps": steps, "interval": interval, "tmt_gol": tmt_gol,
            "k": k, "jab_mi": jab_mi, "jab": jab, "unit": unit, "wil": wil, "tl": ref.base["place"] + birth_reg,
            "nm_pre": nm["pre"], "nm_first": nm["first"], "nm_mid": nm["mid"], "nm_fam": nm["fam"],
            "gd": gd, "gb": gb, "nip": nip, "nik": nik, "ref": refd, "central": central,
            "present_from": start.copy(), "leave": np.full(n, 10**7, dtype=np.int64),
            "perf": perf, "pot": pot, "bup": bup,
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


# Equal-opportunity gaps planted for R14 (docs/synthetic-data.md): in the regional agencies of a province, women
# (GAP_WOMEN) or ASN aged 50 and over (GAP_AGE_50) draw performance and potential lower by the given number of
# standard deviations, so fewer of them reach boxes 7-9; the gaps differ between provinces and agencies (central
# agencies have none). The planted file beside the manifest names them (run.py).
GAP_WOMEN = {"33": 1.5, "35": 0.75}
GAP_AGE_50 = {"32": 1.5}


def planted_shift(
    ref: _Ref, agencies: list[_Agency], ag: np.ndarray, sex: np.ndarray, age_months: np.ndarray
):
    """Each person's planted shift of performance and potential (0 outside the planted groups)."""
    prov = np.array([ref.prov_codes[a.prov] if not a.central else "" for a in agencies])[ag]
    women = np.array([GAP_WOMEN.get(p, 0.0) for p in prov])
    old = np.array([GAP_AGE_50.get(p, 0.0) for p in prov])
    return np.where(sex == 2, women, 0.0) + np.where(age_months >= 50 * 12, old, 0.0)


def planted_gaps(ref: _Ref, agencies: list[_Agency]) -> dict:
    """What planted_shift planted, for the planted file: per dimension and group, the shift per province and the
    agencies it applies to."""

    def agencies_of(provinces):
        return sorted(a.kode for a in agencies if not a.central and ref.prov_codes[a.prov] in provinces)

    return {
        "jenis_kelamin": {
            "kelompok": "P",
            "geser_per_provinsi": GAP_WOMEN,
            "instansi": agencies_of(GAP_WOMEN),
        },
        "kelompok_usia": {
            "kelompok": "50_KE_ATAS",
            "geser_per_provinsi": GAP_AGE_50,
            "instansi": agencies_of(GAP_AGE_50),
        },
    }
