"""History rows per agency (numeric frames) and the snapshot of one submission."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipelines import contract as C
from tools.generate import names as NM
from tools.generate.agencies import _Submission
from tools.generate.arrays import _days, _month_start, _pick, _uniform_int, _ymd
from tools.generate.people import _People
from tools.generate.reference import (
    ANCHOR,
    D4,
    J_FUNGSIONAL,
    J_PELAKSANA,
    J_PENGAWAS,
    JENIS,
    KEPEMIMPINAN_JP,
    KEPEMIMPINAN_REQUIRED,
    LADDER,
    NULL_DATE,
    R5,
    S1,
    S2,
    S3,
    SMA,
    TINGKAT,
    _Ref,
)


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
    out["riwayat_pendidikan"] = _riwayat_pendidikan(ref, p, rng)
    return out


# Education levels below the highest one that a holder of it also lists (contract v1.1): S2 holders their S1,
# S3 holders their S1 and S2; everyone else only the level pendidikan_terakhir gives. About 1.2 rows a person.
def _riwayat_pendidikan(ref: _Ref, p: _People, rng: np.random.Generator) -> pd.DataFrame:
    """One row per completed level, consistent with pendidikan_terakhir (its highest level is it), graduated
    before the earliest possible extract (so every submission holds the same history). Drawn last from the
    agency's generator: the other histories stay as they were before contract v1.1."""
    n = len(p["nip"])
    pend = p["pend"]
    birth_year = _ymd(p["birth"])[0]
    start_year = _ymd(p["start"])[0]
    latest = ANCHOR.year - 2  # the window of submissions starts after it
    levels = [pend]
    owners = [np.arange(n)]
    for below, holders in ((S1, pend >= S2), (S2, pend == S3)):
        idx = np.flatnonzero(holders)
        levels.append(np.full(len(idx), below, dtype=np.int64))
        owners.append(idx)
    jenjang = np.concatenate(levels).astype(np.int64)
    rp = np.concatenate(owners)
    # graduation: the usual age of the level, before entering the service for the first degree; S2 and S3
    # often during service
    usual_age = np.array([12, 15, 18, 19, 20, 21, 22, 22, 26, 32])[jenjang]
    tahun = birth_year[rp] + usual_age + rng.integers(0, 3, len(rp))
    first = jenjang <= S1
    tahun = np.where(first, np.minimum(tahun, start_year[rp]), tahun)
    tahun = np.clip(tahun, np.maximum(birth_year[rp] + 12, 1950), latest)
    # an S1 listed below an S2 or S3 comes before it
    order = np.lexsort((jenjang, rp))
    rp, jenjang, tahun = rp[order], jenjang[order], tahun[order]
    school = jenjang <= SMA
    prodi = np.where(
        school,
        _uniform_int(rng, ref.base["prodi_sma"], len(NM.PRODI_SMA), len(rp)),
        _uniform_int(rng, ref.base["prodi_tinggi"], len(NM.PRODI_TINGGI), len(rp)),
    )
    prodi = np.where(jenjang < SMA, -1, prodi)  # no programme below SMA
    inst = np.where(
        school,
        _uniform_int(rng, ref.base["institusi_sekolah"], len(NM.INSTITUSI_SEKOLAH), len(rp)),
        _uniform_int(rng, ref.base["institusi_tinggi"], len(NM.INSTITUSI_TINGGI), len(rp)),
    )
    ijazah = np.where(rng.random(len(rp)) < 0.7, rng.integers(1, 99999, len(rp)), -1)
    return pd.DataFrame({"pid": rp, "jenjang": jenjang, "prodi": prodi, "inst": inst, "tahun": tahun,
                         "ijazah": ijazah})  # fmt: skip


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
    rp = hist["riwayat_pendidikan"]
    frames["riwayat_pendidikan"] = rp[keep_hist[rp["pid"].to_numpy()] & (rp["tahun"].to_numpy() <= ty)]
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
