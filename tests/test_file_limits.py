"""No file can take the pipeline down: the hostile corpus (tests/hostile_corpus.py) through `proasn check`,
the ingest and the sensor. Each hostile file is rejected with its reason code and recorded once, in bounded
memory; the good files of the same run load exactly once; run settings cannot lead out of the landing tree."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.resources import ProasnConfig
from assets.sensors import landing_run_request
from pipelines import contract
from pipelines.ingest import ensure_tables, ingest_landing
from pipelines.landing import OutsideLanding
from tests.helpers import PEGAWAI_HEADER, PROASN, TODAY, assert_rows_conserved, ledger, settings_for
from tests.hostile_corpus import CORPUS, PERSON, csv_text

# What `proasn check` of the whole corpus may use, in its largest process (the XLSX reader's children
# included): the files would need from 2.3 GB to 512 GiB read naively.
CHECK_MEMORY_BOUND = 1024 * 2**20


def skp(kode: str) -> bytes:
    """A good skp file, different bytes for each agency (the same bytes twice would be a duplicate)."""
    return csv_text([["nip", "tahun", "predikat", "catatan"], [PERSON[0], "2025", "BAIK", kode]])


def corpus_landing(landing: Path) -> dict[str, str]:
    """One agency per corpus case, its hostile pegawai beside a good skp file; returns case -> agency."""
    codes = sorted(c for c in contract.kode_instansi() if c.startswith("33"))
    agencies = {}
    for code, (case, (name, maker, _)) in zip(codes, CORPUS.items(), strict=False):
        folder = landing / code / "2026-10-01"
        folder.mkdir(parents=True)
        (folder / name).write_bytes(maker())
        (folder / "skp.csv").write_bytes(skp(code))
        agencies[case] = code
    assert len(agencies) == len(CORPUS)
    return agencies


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    landing = tmp_path_factory.mktemp("hostile") / "landing"
    return landing, corpus_landing(landing)


def test_proasn_check_rejects_each_hostile_file_with_its_reason_in_bounded_memory(corpus):
    landing, agencies = corpus
    # A small Python parent, so that its children's peak memory is the check's (and its readers').
    measure = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(r.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024); "
        "print(r.stdout)"
    )
    out = subprocess.run(
        [sys.executable, "-c", measure, PROASN, "check", str(landing), "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    ).stdout.split("\n", 2)  # fmt: skip
    returncode, peak, report = int(out[0]), int(out[1]), json.loads(out[2])
    assert returncode == 1, "not every file is acceptable"
    assert peak < CHECK_MEMORY_BOUND, f"peak memory {peak / 2**20:.0f} MiB"
    by_path = {f["file_path"]: f for f in report["files"]}
    for case, (name, _, code) in CORPUS.items():
        checked = by_path[f"{agencies[case]}/2026-10-01/{name}"]
        if code is None:
            assert checked["status"] == "DIMUAT" and checked["baris_dimuat"] == 1, case
        else:
            assert checked["status"] == "DITOLAK", case
            assert [a["kode"] for a in checked["alasan"]] == [code], case
            assert checked["pesan"].startswith(f"[{code}] {contract.REASONS[code].pesan}"), case
            assert len(checked["pesan"]) < 600, "one short message"
        assert by_path[f"{agencies[case]}/2026-10-01/skp.csv"]["status"] == "DIMUAT", "the rest is checked"


def test_the_ingest_records_each_hostile_file_once_and_loads_the_rest(corpus, tmp_path):
    landing, agencies = corpus
    con = duckdb.connect()
    outcomes = {o.file.rel_path: o for o in ingest_landing(con, landing, TODAY)}
    assert len(outcomes) == 2 * len(CORPUS)
    recorded = ledger(con)
    for case, (name, _, code) in CORPUS.items():
        path = f"{agencies[case]}/2026-10-01/{name}"
        if code is None:
            assert recorded[path][0] == "DIMUAT" and outcomes[path].rows_loaded == 1, case
            skp = outcomes[f"{agencies[case]}/2026-10-01/skp.csv"]
            assert (skp.rows_loaded, skp.rows_quarantined) == (1, 0), "its history loads against it"
        else:
            assert recorded[path][:2] == ("DITOLAK", {code: 1}), case
        assert recorded[f"{agencies[case]}/2026-10-01/skp.csv"][0] == "DIMUAT", case
    assert_rows_conserved(con, landing)
    assert ingest_landing(con, landing, TODAY) == [], "nothing is retried until its bytes change"

    # The sensor sees the corpus as submissions to refresh, once; what it starts loads nothing twice.
    request, _ = landing_run_request(settings_for(landing, tmp_path), None)
    assert request is not None
    instansi = request.run_config["resources"]["proasn"]["config"]["instansi"].split(",")
    assert sorted(instansi) == sorted(agencies.values())
    for kode in instansi:
        assert ingest_landing(con, landing, TODAY, only=landing / kode) == []


def test_an_implausible_tanggal_ekstrak_rejects_the_submission(tmp_path):
    landing = tmp_path / "landing"
    folder = landing / "3373" / "1900-01-01"
    folder.mkdir(parents=True)
    person_1900 = [PERSON[0], "Budi", "L", "1880-03-15", "PNS", "III/d", "PELAKSANA", "", "Staf", "S1"]
    (folder / "pegawai.csv").write_bytes(csv_text([PEGAWAI_HEADER, person_1900]))
    (outcome,) = ingest_landing(duckdb.connect(), landing, TODAY)
    assert (outcome.status, outcome.reasons) == ("DITOLAK", {"TANGGAL_EKSTRAK_TIDAK_WAJAR": 1})
    assert str(contract.TANGGAL_EKSTRAK_TERAWAL) in outcome.message


def test_no_run_setting_leads_out_of_the_landing_tree(tmp_path):
    """Run config instansi "../secret" once hashed a folder beside the landing tree into the ledger."""
    landing = tmp_path / "landing"
    (landing / "3373" / "2026-10-01").mkdir(parents=True)
    secret = tmp_path / "secret" / "2026-10-01"
    secret.mkdir(parents=True)
    (secret / "pegawai.csv").write_bytes(csv_text([PEGAWAI_HEADER, PERSON]))
    for instansi in ("../secret", "3373/../../secret", "/etc", "3373,..", " 9999 "):
        with pytest.raises(dg.Failure, match="not an agency code"):
            ProasnConfig(instansi=instansi).instansi_list()
    assert ProasnConfig(instansi=" 3373, 3301 ").instansi_list() == ["3301", "3373"]
    con = duckdb.connect()
    ensure_tables(con)
    for outside in (landing / ".." / "secret", landing / "3373" / ".." / ".." / "secret", Path("/")):
        with pytest.raises(OutsideLanding):
            ingest_landing(con, landing, TODAY, only=outside)
    (landing / "3301").symlink_to(tmp_path / "secret", target_is_directory=True)
    with pytest.raises(OutsideLanding, match="symbolic link"):
        ingest_landing(con, landing, TODAY, only=landing / "3301" / "2026-10-01")
    assert con.execute("select count(*) from ingest.ledger").fetchone() == (0,), "nothing was read"


@pytest.mark.slow
def test_a_failure_outside_the_steps_is_reported_as_a_failed_refresh(tmp_path):
    """Dagster's own storage failing (a full disk; here its event-log folder is a file) once ended the
    refresh with a bare traceback: now a FAILED line with the cause, and the truth about the snapshot."""
    home = tmp_path / "home"
    (home / "dagster" / "history").mkdir(parents=True)
    (home / "dagster" / "history" / "runs").write_text("not a folder")
    env = {**os.environ, "PROASN_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    result = subprocess.run([PROASN, "refresh"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Refresh FAILED outside its steps (FileExistsError" in result.stderr
    assert "the published warehouse is unchanged" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
