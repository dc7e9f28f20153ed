"""The run: `generate()` plans the agencies, draws the people, writes every submission and the manifest."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tools.console import tracked
from tools.generate.agencies import _agencies, _Agency, _plan
from tools.generate.arrays import _date, _days
from tools.generate.histories import _histories, _snapshot
from tools.generate.injections import (
    MANIFEST_COLUMNS,
    UNKNOWN_ENTITY_FILE,
    UNKNOWN_INSTANSI,
    _choose_file_kinds,
    _transfers,
)
from tools.generate.people import _People, _people, planted_gaps
from tools.generate.reference import ANCHOR, ENTITY_NAMES, NATION, _Ref
from tools.generate.writers import _Writer


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


def default_manifest_path(out: Path) -> Path:
    return out.parent / f"{out.name}-manifest.csv"


def movement_record_path(out: Path) -> Path:
    """The record of the planted movements (transfers and leavers) next to the landing tree."""
    return out.parent / f"{out.name}-pergerakan.csv"


MOVEMENT_COLUMNS = ("nip", "jenis", "instansi_asal", "instansi_tujuan", "tanggal")


def _write_movements(path: Path, agencies, people, transfers: dict[int, int], bounds: np.ndarray) -> None:
    """What moved, for the tests to find again in the movement and transfer marts (R15, R16): one row per
    transfer (jenis MUTASI: listed by the origin's submissions up to its last, by the destination's from its last
    full submission, `tanggal`, on: the transfer rule keeps the newer) and per leaver (jenis KELUAR: absent from
    the agency's submissions from `tanggal` on)."""
    rows = []
    for gpid, dest in transfers.items():
        origin = int(np.searchsorted(bounds, gpid, side="right")) - 1
        rows.append((people["nip"][gpid], "MUTASI", agencies[origin].kode, agencies[dest].kode,
                     agencies[dest].last_full.isoformat()))  # fmt: skip
    for gpid in np.flatnonzero(people["leave"] < 10**7).tolist():
        origin = int(np.searchsorted(bounds, gpid, side="right")) - 1
        rows.append(
            (
                people["nip"][gpid],
                "KELUAR",
                agencies[origin].kode,
                "",
                _date(people["leave"][gpid]).isoformat(),
            )
        )
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(MOVEMENT_COLUMNS)
        writer.writerows(sorted(rows))


def planted_path(out: Path) -> Path:
    """The planted equal-opportunity gaps (JSON, people.planted_gaps), beside the manifest."""
    return out.parent / f"{out.name}-kesetaraan.json"


def generate(out: Path, *, scale: float, seed: int, file_format: str = "csv", defect_rate: float = 0.01,
             manifest: Path | None = None, quiet: bool = False, anchor: dt.date = ANCHOR,
             progress: bool = False) -> GenerateSummary:  # fmt: skip
    """Write synthetic submissions under `out` and the ground-truth manifest next to it. `anchor`: the newest
    possible tanggal_ekstrak (every agency's newest submission falls within 75 days before it); `progress`: a
    progress bar over the agencies written, on a terminal."""
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
    _plan(agencies, seed, file_format, anchor)
    people = _people(ref, agencies, seed)
    planted_path(out).write_text(json.dumps(planted_gaps(ref, agencies), indent=1), encoding="utf-8")
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
    _write_movements(movement_record_path(out), agencies, people, transfers, ag_bounds)
    file_kinds = _choose_file_kinds(agencies, seed, defect_rate)
    incoming: dict[int, list[tuple[_People, dict[str, pd.DataFrame]]]] = {}

    with open(manifest, "w", newline="", encoding="utf-8") as mf:
        mw = csv.writer(mf, lineterminator="\n")
        mw.writerow(MANIFEST_COLUMNS)
        w = _Writer(ref, out, mw, defect_rate, seed)
        first_pegawai: Path | None = None
        for ai, a in tracked(enumerate(agencies), "agencies written", len(agencies), progress):
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
                    if entity == "riwayat_pendidikan" and len(pid):
                        # a person's other rows would become their highest level when one row is quarantined
                        # or changed, an unplanned warning: only people with one row carry injections
                        protect = np.bincount(pid)[pid] > 1
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
