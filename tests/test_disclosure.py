"""Secondary suppression and its audit (pipelines/disclosure.py) on small tables built to be attacked."""

import numpy as np
import pandas as pd

from pipelines.disclosure import PRIMER, SEKUNDER, Cells, Link, Table, audit, build_cells, primary, protect

K = 5
PETA = Table("peta", dims=("jenis_jabatan", "kotak"), counts=("jumlah",), semua=("jenis_jabatan",))
KELOMPOK = Table("kelompok", dims=("jenis_jabatan",), counts=("jumlah",), semua=("jenis_jabatan",),
                 public="level == 'INSTANSI' and jenis_jabatan == 'SEMUA'")  # fmt: skip
BOXES = Link(("kelompok", "jumlah", ""), ("peta", "jumlah", ""),
             on=("level", "kode_provinsi", "kode_instansi", "jenis_jabatan"))  # fmt: skip


JENIS_JABATAN = ["PENGAWAS", "PELAKSANA", "FUNGSIONAL"]


def talent_tables(people: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The two tables at every level from people (kode_provinsi, kode_instansi, jenis_jabatan, kotak), every
    (area, jenis_jabatan, kotak) listed, zeros included, as the marts list them."""
    rows = []
    for level, area in (("NASIONAL", []), ("PROVINSI", ["kode_provinsi"]),
                        ("INSTANSI", ["kode_provinsi", "kode_instansi"])):  # fmt: skip
        for jj in (True, False):
            keys = area + (["jenis_jabatan"] if jj else [])
            g = (
                people.groupby(keys + ["kotak"]).size().rename("jumlah").reset_index()
                if keys
                else (people.groupby(["kotak"]).size().rename("jumlah").reset_index())
            )
            g["level"] = level
            if not jj:
                g["jenis_jabatan"] = "SEMUA"
            rows.append(g)
    peta = pd.concat(rows, ignore_index=True)
    for c in ("kode_provinsi", "kode_instansi"):
        peta[c] = peta[c].where(peta["level"].isin(["PROVINSI", "INSTANSI"] if c == "kode_provinsi" else
                                                   ["INSTANSI"]))  # fmt: skip
    grid = (
        peta[["level", "kode_provinsi", "kode_instansi"]]
        .drop_duplicates()
        .merge(pd.DataFrame({"jenis_jabatan": JENIS_JABATAN + ["SEMUA"]}), how="cross")
        .merge(pd.DataFrame({"kotak": range(1, 10)}), how="cross")
    )
    peta = grid.merge(peta, how="left").fillna({"jumlah": 0})
    peta["kunci"] = (
        peta[["level", "kode_provinsi", "kode_instansi", "jenis_jabatan", "kotak"]]
        .astype("string")
        .fillna("")
        .agg("|".join, axis=1)
    )
    kelompok = (
        peta.groupby(["level", "kode_provinsi", "kode_instansi", "jenis_jabatan"], dropna=False)["jumlah"]
        .sum()
        .reset_index()
    )
    kelompok["kunci"] = (
        kelompok[["level", "kode_provinsi", "kode_instansi", "jenis_jabatan"]]
        .astype("string")
        .fillna("")
        .agg("|".join, axis=1)
    )
    return {"peta": peta, "kelompok": kelompok}


def people(spec: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    """(provinsi, instansi, jenis_jabatan, kotak, how many) -> one row per person."""
    rows = [(p, i, j, b) for p, i, j, b, n in spec for _ in range(n)]
    return pd.DataFrame(rows, columns=["kode_provinsi", "kode_instansi", "jenis_jabatan", "kotak"])


def cells_of(spec) -> Cells:
    return build_cells(talent_tables(people(spec)), [PETA, KELOMPOK], [BOXES])


def truth(cells: Cells) -> np.ndarray:
    return cells.frame["nilai"].to_numpy()


SPEC = [
    ("31", "A", "PELAKSANA", 5, 40),
    ("31", "A", "PELAKSANA", 6, 2),
    ("31", "A", "FUNGSIONAL", 5, 30),
    ("31", "A", "FUNGSIONAL", 9, 1),
    ("31", "B", "PELAKSANA", 5, 25),
    ("31", "B", "FUNGSIONAL", 6, 12),
    ("32", "C", "PELAKSANA", 4, 50),
    ("32", "C", "FUNGSIONAL", 4, 3),
    ("32", "C", "FUNGSIONAL", 8, 20),
]


def test_every_equation_holds_on_the_true_counts():
    cells = cells_of(SPEC)
    assert len(cells.eq) > 0 and cells.dropped_equations == 0
    v = truth(cells)[cells.eq["id"]] * cells.eq["koef"]
    assert (v.groupby(cells.eq["persamaan"]).sum() == 0).all()


def test_primary_suppression_alone_is_undone_by_the_attack():
    cells = cells_of(SPEC)
    hidden = primary(cells, K)
    assert hidden.any()
    leaks = audit(cells, hidden, truth(cells))
    assert len(leaks) > 0  # a hidden box given back by its row total, its SEMUA row or its parent


def test_secondary_suppression_leaves_nothing_derivable():
    cells = cells_of(SPEC)
    kind = protect(cells, K)
    hidden = kind.notna().to_numpy()
    assert (kind == SEKUNDER).any() and (kind == PRIMER).any()
    assert audit(cells, hidden, truth(cells)).empty
    # public totals are never hidden, small counts always are
    assert not hidden[cells.frame["publik"].to_numpy(dtype=bool)].any()
    assert hidden[primary(cells, K)].all()


def test_one_agency_one_person_in_one_box_is_protected():
    # agency A: public headcount 1, every other box 0 (agency B, elsewhere, makes the nation larger than A)
    spec = [("31", "A", "PELAKSANA", 5, 1), ("32", "B", "PELAKSANA", 5, 30), ("32", "B", "FUNGSIONAL", 2, 9)]
    cells = cells_of(spec)
    kind = protect(cells, K)
    hidden = kind.notna().to_numpy()
    assert audit(cells, hidden, truth(cells)).empty
    person = cells.frame.index[(cells.frame["tabel"] == "peta") & (cells.frame["nilai"] == 1)]
    assert hidden[person].all()


def test_a_planted_leak_is_found():
    cells = cells_of(SPEC)
    hidden = protect(cells, K).notna().to_numpy()
    secondary_cell = int(np.flatnonzero(hidden & ~primary(cells, K))[0])
    hidden[secondary_cell] = False  # turn one secondary suppression off
    assert not audit(cells, hidden, truth(cells)).empty


def test_the_null_space_finds_what_intervals_cannot():
    # a + b = 10, b + c = 10, a + c = 10, all three hidden: each equation has two hidden cells, yet a = b = c = 5
    frames = {"t": pd.DataFrame({"kunci": ["a", "b", "c", "ab", "bc", "ac"], "n": [5, 5, 5, 10, 10, 10],
                                 "g": ["x"] * 6})}  # fmt: skip
    links = [Link(("t", "n", f"kunci == '{t}'"), ("t", "n", f"kunci in {list(t)}"), on=("g",)) for t in
             ("ab", "bc", "ac")]  # fmt: skip
    cells = build_cells(frames, [Table("t", dims=(), counts=("n",), by_area=False)], links)
    hidden = np.array([True, True, True, False, False, False])
    leaks = audit(cells, hidden, truth(cells))
    assert set(leaks["kunci"]) == {"a", "b", "c"} and set(leaks["cara"]) == {"ALJABAR"}
