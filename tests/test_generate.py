"""`proasn generate`: rules on clean data, determinism, the manifest matches the files, XLSX = CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from pipelines import contract as C
from pipelines.settings import SEEDS_DIR
from tools.generate import ANCHOR, ENTITY_NAMES, KINDS, R5, default_manifest_path, generate

SCALE = 0.0001  # about 560 people in 46 agencies
R5_TABLE = {
    (h, b): C.PREDIKAT_SKP[int(R5[i, j])]
    for i, h in enumerate(C.PENILAIAN_SKP)
    for j, b in enumerate(C.PENILAIAN_SKP)
}


def _run(root: Path, name: str, **kwargs) -> Path:
    out = root / name
    generate(out, **{"scale": SCALE, "seed": 7, "quiet": True, **kwargs})
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("gen")
    return {
        "clean": _run(root, "clean", defect_rate=0),
        "dirty": _run(root, "dirty", defect_rate=0.02),
        "dirty_again": _run(root, "dirty_again", defect_rate=0.02),
        "other_seed": _run(root, "other_seed", defect_rate=0.02, seed=8, file_format="mixed"),
        "xlsx": _run(root, "xlsx", defect_rate=0, file_format="xlsx"),
    }


def _files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        return pd.read_excel(path, engine="calamine", dtype=str).fillna("")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _by_submission(out: Path) -> dict[tuple[str, str], dict[str, pd.DataFrame]]:
    subs: dict[tuple[str, str], dict[str, pd.DataFrame]] = {}
    for p in _files(out):
        subs.setdefault((p.parent.parent.name, p.parent.name), {})[p.stem] = _read(p)
    return subs


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _tmt_pensiun(born: dt.date, bup: int) -> dt.date:
    """R4: the first day of the month after the month in which the person reaches the BUP."""
    return dt.date(born.year + bup + (born.month == 12), born.month % 12 + 1, 1)


def _seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _bup() -> dict[tuple[str, str], int]:
    return {
        (r["jenis_jabatan"], r["jenjang_fungsional"]): int(r["batas_usia_pensiun"]) for r in _seed("jabatan")
    }


# --- clean data follows the rules ------------------------------------------------------------------
def test_clean_data_follows_the_rules(runs):
    subs = _by_submission(runs["clean"])
    bup = _bup()
    instansi = C.kode_instansi()
    latest_pegawai: dict[str, tuple[str, pd.DataFrame]] = {}
    assert len(subs) > 40
    for (kode, tanggal), ents in subs.items():
        assert kode in instansi
        ekstrak = dt.date.fromisoformat(tanggal)
        assert ekstrak <= ANCHOR <= dt.date.today()
        assert set(ents) <= set(ENTITY_NAMES)
        for entity, df in ents.items():
            assert list(df.columns) == list(C.ENTITIES[entity].column_names)
            for col in C.ENTITIES[entity].required_columns:
                assert (df[col] != "").all(), (kode, tanggal, entity, col)
            for col in (c.name for c in C.ENTITIES[entity].columns if c.kind == "date"):
                assert (df.loc[df[col] != "", col] <= tanggal).all(), (kode, tanggal, entity, col)
        if "pegawai" in ents:
            peg = ents["pegawai"]
            if kode not in latest_pegawai or latest_pegawai[kode][0] < tanggal:
                latest_pegawai[kode] = (tanggal, peg)
            assert peg["nip"].is_unique
            for r in peg.itertuples():
                assert re.fullmatch(r"\d{18}", r.nip) and re.fullmatch(r"\d{16}", r.nik)
                born = dt.date.fromisoformat(r.tanggal_lahir)
                assert r.nip[:8] == born.strftime("%Y%m%d")
                if r.status_kepegawaian == "PPPK":
                    assert r.golongan in C.golongan_pppk()
                    assert r.nip[8:12] == r.tmt_golongan[:4] and r.tmt_cpns == ""
                else:
                    assert r.golongan in C.golongan_pns()
                    assert r.nip[8:14] == r.tmt_cpns[:4] + r.tmt_cpns[5:7]
                    assert r.nip[14] == {"L": "1", "P": "2"}[r.jenis_kelamin]
                assert (r.jenjang_fungsional != "") == (r.jenis_jabatan == "FUNGSIONAL")
                # still in service on tanggal_ekstrak: before TMT pensiun (R4), so at most the BUP
                b = bup[(r.jenis_jabatan, r.jenjang_fungsional)]
                assert ekstrak < _tmt_pensiun(born, b) and 18 <= _age(born, ekstrak) <= b, r
                appointed = (
                    dt.date(int(r.nip[8:12]), 1, 1) if r.tmt_cpns == "" else dt.date.fromisoformat(r.tmt_cpns)
                )
                assert _age(born, appointed) >= 18, r
            nips = set(peg["nip"])
            for entity in ENTITY_NAMES[1:]:
                if entity in ents:
                    assert set(ents[entity]["nip"]) <= nips, (kode, tanggal, entity)
            if "riwayat_jabatan" in ents:
                _check_spells(ents["riwayat_jabatan"], peg)
            if "riwayat_golongan" in ents:
                last = ents["riwayat_golongan"].sort_values(["nip", "tmt_golongan"]).groupby("nip").tail(1)
                merged = last.merge(peg, on="nip", suffixes=("_r", "_p"))
                assert len(merged) == len(peg)
                assert (merged["golongan_r"] == merged["golongan_p"]).all()
                assert (merged["tmt_golongan_r"] == merged["tmt_golongan_p"]).all()
        if "skp" in ents:
            skp = ents["skp"]
            assert not skp.duplicated(["nip", "tahun"]).any()
            assert skp["tahun"].astype(int).between(2015, ekstrak.year).all()
            both = skp[(skp["hasil_kerja"] != "") & (skp["perilaku_kerja"] != "")]
            expected = [
                R5_TABLE[(h, b)] for h, b in zip(both["hasil_kerja"], both["perilaku_kerja"], strict=True)
            ]
            assert list(both["predikat"]) == expected
            assert ((skp["predikat"] != "") | (skp["nilai"] != "")).all()
    # NIPs are unique nationally (no transfers in clean data)
    all_nips = pd.concat([peg["nip"] for _, peg in latest_pegawai.values()])
    assert all_nips.is_unique
    assert default_manifest_path(runs["clean"]).read_text().splitlines() == [",".join(_manifest_columns())]


def _manifest_columns():
    from tools.generate import MANIFEST_COLUMNS

    return MANIFEST_COLUMNS


def _check_spells(rj: pd.DataFrame, peg: pd.DataFrame) -> None:
    rj = rj.sort_values(["nip", "tmt_mulai"], kind="stable")
    for nip, spells in rj.groupby("nip", sort=False):
        mulai, selesai = list(spells["tmt_mulai"]), list(spells["tmt_selesai"])
        assert selesai[-1] == "" and all(s != "" for s in selesai[:-1]), nip
        assert all(selesai[i] < mulai[i + 1] and mulai[i] <= selesai[i] for i in range(len(mulai) - 1)), nip
    last = rj.groupby("nip").tail(1).merge(peg, on="nip", suffixes=("_r", "_p"))
    assert len(last) == len(peg)
    for col in ("jenis_jabatan", "jenjang_fungsional", "nama_jabatan"):
        assert (last[f"{col}_r"] == last[f"{col}_p"]).all(), col
    assert (last["tmt_mulai"] == last["tmt_jabatan"]).all()


@pytest.fixture(scope="module")
def latest(runs) -> dict[str, tuple[dt.date, dict[str, pd.DataFrame]]]:
    """Each agency's newest full submission (pegawai and all histories) of the clean run."""
    out: dict[str, tuple[str, dict[str, pd.DataFrame]]] = {}
    for (kode, tanggal), ents in _by_submission(runs["clean"]).items():
        if "pegawai" in ents and (kode not in out or out[kode][0] < tanggal):
            out[kode] = (tanggal, ents)
    return {kode: (dt.date.fromisoformat(t), ents) for kode, (t, ents) in out.items()}


def _stack(latest, entity: str) -> pd.DataFrame:
    """One entity of every agency's newest full submission, with kode and ekstrak (tanggal_ekstrak)."""
    return pd.concat(
        [ents[entity].assign(kode=kode, ekstrak=t) for kode, (t, ents) in latest.items()], ignore_index=True
    )


def _dates(col: pd.Series) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in col]


def test_ages_run_up_to_the_bup_of_the_post(latest):
    """Nobody past the BUP (checked per row in the rules test); a realistic share close to it, for every BUP."""
    bup = _bup()
    peg = _stack(latest, "pegawai")
    b = [bup[k] for k in zip(peg["jenis_jabatan"], peg["jenjang_fungsional"], strict=True)]
    age = [_age(born, t) for born, t in zip(_dates(peg["tanggal_lahir"]), peg["ekstrak"], strict=True)]
    peg = peg.assign(bup=b, age=age, near=[a >= x - 2 for a, x in zip(age, b, strict=True)])
    assert set(peg["bup"]) == {58, 60, 65}
    assert (peg.groupby("bup")["near"].sum() >= 1).all(), peg.groupby("bup")["near"].sum()
    assert 0.04 < peg["near"].mean() < 0.2  # about 3-4% of ASN retire each year
    pns = peg[peg["status_kepegawaian"] == "PNS"]
    assert 40 < pns["age"].mean() < 50 and (pns["age"] >= 50).mean() > 0.25


def test_age_model_at_a_larger_scale():
    """The same age model on the people arrays of scale 0.01 (56,000 people, no files): every BUP value
    has a steady share in its last two years."""
    from tools import generate as G

    ref = G._Ref()
    agencies = G._agencies(ref, round(G.NATION * 0.01))
    G._plan(agencies, 1, "csv")
    p = G._people(ref, agencies, 1)
    age = (p["ref"] - p["birth"]) / 365.25
    assert (age < p["bup"]).all()
    for b in (58, 60, 65):
        mine = p["bup"] == b
        assert mine.sum() > 300 and 0.04 < (age[mine] >= b - 2).mean() < 0.4, b


def test_nip_sequences_stay_three_digits_in_large_groups():
    """People sharing a NIP prefix (birth date, TMT, sex) get distinct sequences 001-999, also in groups of
    hundreds (PPPK per birth date and year at scale 1.0 overflowed the sequence); groups of up to 101 keep
    their hashed offset."""
    import numpy as np

    from tools.generate import nip_sequence

    small, large, full = 19900101_2021_01_1000, 19900101_2023_01_2000, 19851231_2022_01_1000
    prefix = np.array([small] * 101 + [large] * 640 + [full] * 999 + [small + 1000])
    rng = np.random.default_rng(1)
    prefix = prefix[rng.permutation(len(prefix))]
    seq = nip_sequence(prefix)
    assert seq.min() >= 1 and seq.max() <= 999
    nip = prefix + seq
    assert len(set(nip.tolist())) == len(nip)
    hashed = (small // 1000) % 7919 * 31 % 899 + 1
    assert sorted(seq[prefix == small].tolist()) == list(range(hashed, hashed + 101))
    assert sorted(seq[prefix == full].tolist()) == list(range(1, 1000))
    with pytest.raises(ValueError, match="NIP sequence overflow"):
        nip_sequence(np.array([small] * 1000))


def test_no_post_is_held_past_its_bup(latest):
    """A move to a post with a higher BUP happens before the BUP of the previous post (R4)."""
    bup = _bup()
    rj = _stack(latest, "riwayat_jabatan").merge(
        _stack(latest, "pegawai")[["nip", "tanggal_lahir"]], on="nip"
    )
    for r in rj.itertuples():
        end = dt.date.fromisoformat(r.tmt_selesai) if r.tmt_selesai else r.ekstrak
        assert end < _tmt_pensiun(
            dt.date.fromisoformat(r.tanggal_lahir), bup[(r.jenis_jabatan, r.jenjang_fungsional)]
        ), r


def test_national_proportions(latest):
    """Scale 1.0: 3.6M PNS and 2.0M PPPK, 24% central, fungsional 64%, pelaksana 31%, structural 5%."""
    peg = _stack(latest, "pegawai")
    assert len(peg) > 500
    status = peg["status_kepegawaian"].value_counts(normalize=True)
    assert abs(status["PPPK"] - 2.0 / 5.6) < 0.06 and status["CPNS"] < 0.06
    assert abs(peg["kode"].str[0].isin(["K", "L"]).mean() - 0.24) < 0.02  # agency sizes are fixed
    jenis = peg["jenis_jabatan"].value_counts(normalize=True)
    assert abs(jenis["FUNGSIONAL"] - 0.64) < 0.06
    assert abs(jenis["PELAKSANA"] - 0.31) < 0.06
    assert abs(1 - jenis["FUNGSIONAL"] - jenis["PELAKSANA"] - 0.05) < 0.025


def test_duty_stations_lie_in_the_regional_agency_s_region(latest):
    peg = _stack(latest, "pegawai")
    regional = peg[~peg["kode"].str[0].isin(["K", "L"])]
    assert len(regional) and (regional["kode_wilayah_kerja"].str[:2] == regional["kode"].str[:2]).all()
    kabkota = regional[regional["kode"].str[2:] != "00"]
    assert (kabkota["kode_wilayah_kerja"] == kabkota["kode"].str[:2] + "." + kabkota["kode"].str[2:]).all()


def test_ranks_climb_about_every_four_years(latest):
    peg = _stack(latest, "pegawai").set_index("nip")
    rg = _stack(latest, "riwayat_golongan").sort_values(["nip", "tmt_golongan"], kind="stable")
    pns = rg[rg["golongan"].isin(C.golongan_pns())].copy()
    pns["idx"] = pns["golongan"].map(C.golongan_pns().index)
    tmt = _dates(pns["tmt_golongan"])
    pns["month"] = [d.year * 12 + d.month for d in tmt]
    first = pns.groupby("nip").head(1)
    assert (first["tmt_golongan"].to_numpy() == peg.loc[first["nip"], "tmt_cpns"].to_numpy()).all()
    step = pns.groupby("nip")[["idx", "month"]].diff().dropna()
    assert len(step) > 300 and (step["idx"] == 1).all()
    assert step["month"].between(48, 59).all() and step["month"].mean() / 12 < 4.5
    pppk = rg[~rg["golongan"].isin(C.golongan_pns())]
    assert not pppk["nip"].duplicated().any()


def test_managerial_posts_mostly_hold_their_leadership_training(latest):
    levels = {}
    for r in _seed("pelatihan_kepemimpinan"):
        levels[r["kode_kepemimpinan"]] = levels[r["nama_lama"]] = int(r["urutan"])
    required = {r["jenis_jabatan"]: levels[r["pelatihan_kepemimpinan_wajib"]]
                for r in _seed("jabatan") if r["pelatihan_kepemimpinan_wajib"]}  # fmt: skip
    pel = _stack(latest, "riwayat_pelatihan")
    pel = pel[pel["jenis_pelatihan"] == "KEPEMIMPINAN"]
    held = pel["kode_kepemimpinan"].map(levels).groupby(pel["nip"]).max()
    peg = _stack(latest, "pegawai")
    mgr = peg[peg["jenis_jabatan"].isin(list(required))]
    ok = [held.get(nip, 0) >= required[j] for nip, j in zip(mgr["nip"], mgr["jenis_jabatan"], strict=True)]
    assert len(mgr) >= 20 and 0.75 <= sum(ok) / len(ok) < 1


def test_one_skp_per_year_assessments_for_about_half(latest):
    peg = _stack(latest, "pegawai").set_index("nip")
    start_year = [int(c[:4]) if c else int(n[8:12]) for n, c in zip(peg.index, peg["tmt_cpns"], strict=True)]
    first = pd.Series([max(2015, y) for y in start_year], index=peg.index)
    year = pd.Series([t.year for t in peg["ekstrak"]], index=peg.index)
    skp = _stack(latest, "skp")
    tahun = skp["tahun"].astype(int).groupby(skp["nip"]).agg(["min", "max", "count"])
    tahun = tahun.reindex(peg.index)
    has = tahun["count"].notna()
    # every year from the start of service (2015 at the earliest) up to last year, sometimes this year too
    assert (tahun["count"][has] == tahun["max"][has] - tahun["min"][has] + 1).all()
    assert (tahun["min"][has] == first[has]).all()
    assert (tahun["max"][has] >= year[has] - 1).all() and (tahun["max"][has] <= year[has]).all()
    assert (first[~has] >= year[~has]).all()
    assessed = peg.index.isin(_stack(latest, "asesmen")["nip"])
    assert 0.4 < assessed.mean() < 0.6
    sanctioned = peg.index.isin(_stack(latest, "hukuman_disiplin")["nip"])
    assert 0 < sanctioned.mean() < 0.06


# --- determinism ---------------------------------------------------------------------------------
def _digest(out: Path) -> dict[str, str]:
    files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(out)}
    files["<manifest>"] = hashlib.sha256(default_manifest_path(out).read_bytes()).hexdigest()
    return files


def test_same_arguments_same_bytes_other_seed_differs(runs):
    assert _digest(runs["dirty"]) == _digest(runs["dirty_again"])
    assert _digest(runs["dirty"]) != _digest(runs["other_seed"])


def test_refuses_a_non_empty_folder(runs):
    with pytest.raises(SystemExit):
        generate(runs["clean"], scale=SCALE, seed=7, quiet=True)


@pytest.mark.parametrize("args", [["--scale", "0"], ["--defect-rate", "0.5"], ["--format", "ods"]])
def test_bad_arguments_are_usage_errors_and_write_nothing(tmp_path, args):
    from tools.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["generate", "--out", str(tmp_path / "landing"), *args])
    assert exit_.value.code == 2 and not (tmp_path / "landing").exists()


# --- the manifest is the truth about the files --------------------------------------------------
def _manifest(out: Path) -> list[dict[str, str]]:
    with open(default_manifest_path(out), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _norm_header(h: str) -> str:
    return re.sub(r"[ -]", "_", h.strip().lower())


def _read_raw(path: Path, file_kinds: set[str]) -> tuple[list[str], list[list[str]]]:
    """Header (normalised) and rows exactly as written, indexed so rows[line - 2] is file line `line`."""
    data = path.read_bytes()
    text = data.decode("cp1252") if "encoding_cp1252" in file_kinds else data.decode("utf-8-sig")
    delim = ";" if "delimiter_semicolon" in file_kinds else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    return [_norm_header(h) for h in rows[0]], rows[1:]


def _is_date(v: str) -> bool:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            dt.datetime.strptime(v, fmt)
            return True
        except ValueError:
            pass
    return False


def _number(v: str) -> float | None:
    try:
        return float(v.replace(",", "."))
    except ValueError:
        return None


def test_manifest_matches_the_files(runs):
    out = runs["dirty"]
    entries = _manifest(out)
    assert entries and list(entries[0]) == list(_manifest_columns())
    kinds = Counter(e["kind"] for e in entries)
    assert set(kinds) == set(KINDS) - {"xlsx_native_dates"}, "every kind a CSV landing can carry"
    for e in entries:
        assert e["category"] in ("DEFECT", "VARIANT", "WARNING")
        assert (e["expected_reason"] == "") == (e["category"] == "VARIANT")
        assert e["expected_reason"] == "" or e["expected_reason"] in C.REASONS
    file_kinds: dict[str, set[str]] = {}
    for e in entries:
        if e["line"] == "":
            file_kinds.setdefault(e["file"], set()).add(e["kind"])
    row_entries = [e for e in entries if e["line"] != ""]
    assert len({(e["file"], e["line"]) for e in row_entries}) == len(row_entries), "one injection per row"
    nips_by_agency: dict[str, set[str]] = {}
    agency_of_nip: dict[str, set[str]] = {}
    for p in _files(out):
        if p.stem == "pegawai" and p.parent.parent.name in C.kode_instansi():
            header, rows = _read_raw(p, file_kinds.get(p.relative_to(out).as_posix(), set()))
            for r in rows:
                nips_by_agency.setdefault(p.parent.parent.name, set()).add(r[header.index("nip")])
                agency_of_nip.setdefault(r[header.index("nip")], set()).add(p.parent.parent.name)
    cache: dict[str, tuple[list[str], list[list[str]]]] = {}
    for e in entries:
        path = out / e["file"]
        assert path.is_file(), e
        kind, rel = e["kind"], e["file"]
        kode, tanggal, entity = path.parent.parent.name, path.parent.name, path.stem
        if e["line"] == "":
            _check_file_kind(path, kind, e["column"])
            continue
        if rel not in cache:
            cache[rel] = _read_raw(path, file_kinds.get(rel, set()))
        header, rows = cache[rel]
        row = dict(zip(header, rows[int(e["line"]) - 2], strict=True))
        v = row.get(e["column"], "")
        ok = _ROW_CHECKS[kind](v, row, entity, dt.date.fromisoformat(tanggal), rows, header, kode, nips_by_agency,
                               agency_of_nip)  # fmt: skip
        assert ok, e | {"value": v}


def _check_file_kind(path: Path, kind: str, column: str) -> None:
    data = path.read_bytes()
    if kind == "encoding_cp1252":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    elif kind == "utf8_bom":
        assert data.startswith(b"\xef\xbb\xbf")
    elif kind == "delimiter_semicolon":
        assert ";" in data.splitlines()[0].decode() and "," not in data.splitlines()[0].decode()
    elif kind == "header_variant":
        head = data.decode("utf-8-sig").splitlines()[0] if path.suffix == ".csv" else None
        assert head is None or head != ",".join(C.ENTITIES[path.stem].column_names)
    elif kind == "missing_required_column":
        head = [_norm_header(h) for h in data.decode("utf-8-sig").splitlines()[0].split(",")]
        assert column in C.ENTITIES[path.stem].required_columns and column not in head
    elif kind == "unknown_instansi":
        assert path.parent.parent.name not in C.kode_instansi()
    elif kind == "unknown_entity":
        assert path.stem not in ENTITY_NAMES


def _col(entity: str, name: str) -> C.Column:
    return C.ENTITIES[entity].column(name)


def _age_ok(row, tanggal):
    for fmt in ("%Y-%m-%d",):
        born = dt.datetime.strptime(row["tanggal_lahir"], fmt).date()
        return 18 <= _age(born, tanggal) <= 70
    return False


def _number_out_of_range(v, entity, col, tanggal):
    x = _number(v)
    if x is None:
        return False
    c = _col(entity, col)
    hi = tanggal.year if col in ("tahun", "tahun_lulus") else c.maximum
    return x < c.minimum or x > hi


_DATE_PAIRS = {
    "riwayat_pelatihan": ("tanggal_mulai", "tanggal_selesai"),
    "riwayat_jabatan": ("tmt_mulai", "tmt_selesai"),
}
_ROW_CHECKS = {
    "nip_scientific": lambda v, *a: "E+" in v,
    "nip_digits_lost": lambda v, *a: v.isdigit() and len(v) == 17,
    "nik_invalid": lambda v, *a: v.isdigit() and len(v) == 15,
    "required_missing": lambda v, row, entity, *a: v == "",
    "date_invalid": lambda v, *a: v != "" and not _is_date(v),
    "date_future": lambda v, row, entity, tanggal, *a: dt.date.fromisoformat(v) > tanggal,
    "age_out_of_range": lambda v, row, entity, tanggal, *a: not _age_ok(row, tanggal),
    "golongan_invalid": lambda v, *a: v not in C.golongan_pns() + C.golongan_pppk() or v == "III/a",
    "code_invalid": lambda v, row, entity, *a: (
        v != "" and all(v not in c.values for c in C.ENTITIES[entity].columns)
    ),
    "jenis_kelamin_invalid": lambda v, *a: v.upper() not in C.JENIS_KELAMIN_ALIASES,
    "number_not_numeric": lambda v, *a: _number(v) is None,
    "number_out_of_range": lambda v, row, entity, tanggal, *a: any(
        _number_out_of_range(v, entity, k, tanggal) for k, x in row.items() if x == v and k != "nip"
    ),
    "jenjang_missing": lambda v, row, *a: v == "" and row["jenis_jabatan"] == "FUNGSIONAL",
    "kepemimpinan_missing": lambda v, row, *a: v == "" and row["jenis_pelatihan"] == "KEPEMIMPINAN",
    "selesai_before_mulai": lambda v, row, entity, *a: v < row[_DATE_PAIRS[entity][0]],
    "wilayah_unknown": lambda v, *a: v not in C.kode_wilayah(),
    "duplicate_nip": lambda v, row, entity, t, rows, header, *a: sum(r[0] == v for r in rows) >= 2,
    "duplicate_skp": lambda v, row, entity, t, rows, header, *a: (
        sum(r[0] == v and r[1] == row["tahun"] for r in rows) >= 2
    ),
    "duplicate_pendidikan": lambda v, row, entity, t, rows, header, *a: (
        sum(r[0] == v and r[1] == row["jenjang"] and r[2] == row["program_studi"] for r in rows) >= 2
    ),
    "skp_no_assessment": lambda v, row, *a: all(
        row[c] == "" for c in ("hasil_kerja", "perilaku_kerja", "predikat", "nilai")
    ),
    "orphan_nip": lambda v, row, entity, t, rows, header, kode, nips, *a: v not in nips.get(kode, set()),
    "nip_separators": lambda v, *a: re.sub(r"[ .-]", "", v).isdigit() and v != re.sub(r"[ .-]", "", v),
    "nip_apostrophe": lambda v, *a: v.startswith("'") and v[1:].isdigit(),
    "nik_separators": lambda v, *a: re.sub(r"[ .]", "", v).isdigit() and " " in v or "." in v,
    "date_dmy_dash": lambda v, *a: re.fullmatch(r"\d\d-\d\d-\d{4}", v) is not None,
    "date_dmy_slash": lambda v, *a: re.fullmatch(r"\d\d/\d\d/\d{4}", v) is not None,
    "date_long": lambda v, *a: (
        re.fullmatch(r"\d{1,2} [A-Za-z]+ \d{4}", v) is not None and v.split()[1].lower() in C.BULAN
    ),
    "golongan_variant": lambda v, *a: v not in C.golongan_pns() + C.golongan_pppk(),
    "enum_case": lambda v, *a: v != v.upper() or " " in v or "-" in v,
    "jenis_kelamin_word": lambda v, *a: len(v) > 1 and v.upper() in C.JENIS_KELAMIN_ALIASES,
    "decimal_comma": lambda v, *a: "," in v and _number(v) is not None,
    "kepemimpinan_old_name": lambda v, *a: v.startswith("DIKLATPIM_"),
    "jenjang_alias": lambda v, *a: (
        re.sub(r"[\s\-_]+", "_", v.strip()).upper() in C.JENJANG_PENDIDIKAN_ALIASES
    ),
    "whitespace_padding": lambda v, *a: v != v.strip() and v.strip() != "",
    "nama_non_ascii": lambda v, *a: "é" in v,
    "nip_birthdate_mismatch": lambda v, row, *a: row["nip"][:8] != row["tanggal_lahir"].replace("-", ""),
    "nip_gender_mismatch": lambda v, row, *a: row["nip"][14] != {"L": "1", "P": "2"}[row["jenis_kelamin"]],
    "predikat_mismatch": lambda v, row, *a: v != R5_TABLE[(row["hasil_kerja"], row["perilaku_kerja"])],
    # the row is its person's only one; ingest compares it with pegawai (tests/test_ingest_generated.py)
    "pendidikan_mismatch": lambda v, row, entity, t, rows, *a: (
        v in C.PENDIDIKAN and sum(r[0] == row["nip"] for r in rows) == 1
    ),
    "mutasi": lambda v, row, entity, t, rows, header, kode, nips, agency_of_nip: len(agency_of_nip[v]) == 2,
}


def test_every_row_kind_has_a_check():
    row_kinds = {k for k in KINDS if k not in ("encoding_cp1252", "delimiter_semicolon", "utf8_bom",
                                                "header_variant", "xlsx_native_dates", "missing_required_column",
                                                "unknown_instansi", "unknown_entity")}  # fmt: skip
    assert row_kinds == set(_ROW_CHECKS)


# --- XLSX ----------------------------------------------------------------------------------------
def test_xlsx_gives_the_same_rows_as_csv(runs):
    csv_files = {p.relative_to(runs["clean"]).with_suffix("").as_posix(): p for p in _files(runs["clean"])}
    xlsx_files = {p.relative_to(runs["xlsx"]).with_suffix("").as_posix(): p for p in _files(runs["xlsx"])}
    assert csv_files.keys() == xlsx_files.keys()
    assert all(p.suffix == ".xlsx" for p in xlsx_files.values())
    for key, path in xlsx_files.items():
        pd.testing.assert_frame_equal(_read(path), _read(csv_files[key]), obj=key)


def test_mixed_format_writes_both_one_format_per_agency(runs):
    out = runs["other_seed"]
    suffixes = {}
    for p in _files(out):
        if p.stem in ENTITY_NAMES:
            suffixes.setdefault(p.parent.parent.name, set()).add(p.suffix)
    assert {".csv"} in suffixes.values() and {".xlsx"} in suffixes.values()
    assert all(len(s) == 1 for s in suffixes.values())
    kinds = {e["kind"] for e in _manifest(out)}
    assert {"xlsx_native_dates", "encoding_cp1252", "nip_scientific"} <= kinds
