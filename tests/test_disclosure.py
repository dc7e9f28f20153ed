"""Secondary suppression and its audit (pipelines/disclosure.py) on small tables built to be attacked."""

import numpy as np
import pandas as pd

from pipelines.disclosure import (
    PRIME,
    PRIMER,
    SEKUNDER,
    Cells,
    Link,
    Table,
    _determined,
    _Elimination,
    _not_cancelling,
    audit,
    build_cells,
    primary,
    protect,
    show_known,
)

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
    kind = show_known(cells, protect(cells, K))
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
    kind = show_known(cells, protect(cells, K))
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


def sums(values: dict[str, int], totals: dict[str, str], sparse: bool = False) -> Cells:
    """One table of named counts (by_area False) and an equation `total = sum of its parts` for each entry of
    totals (total name -> its parts' names, one letter each)."""
    frames = {"t": pd.DataFrame({"kunci": list(values), "n": list(values.values()), "grup": "x"})}
    links = [Link(("t", "n", f"kunci == '{t}'"), ("t", "n", f"kunci in {list(parts)}"), on=("grup",))
             for t, parts in totals.items()]  # fmt: skip
    return build_cells(frames, [Table("t", dims=(), counts=("n",), by_area=False, sparse=sparse)], links)


def hide(cells: Cells, names: str) -> np.ndarray:
    return cells.frame["kunci"].isin(list(names)).to_numpy()


def random_cells(rng, n: int, jabatan=None, kotak=None, instansi=None) -> Cells:
    """The cells of the two talent tables of n random people in three provinces, two agencies each (the
    probabilities of each post type, box and agency: uniform unless given)."""
    crowd = pd.DataFrame({
        "kode_provinsi": rng.choice(["31", "32", "33"], n),
        "jenis_jabatan": rng.choice(JENIS_JABATAN, n, p=jabatan),
        "kotak": rng.choice(range(1, 10), n, p=kotak),
    })  # fmt: skip
    crowd["kode_instansi"] = crowd["kode_provinsi"] + rng.choice(["A", "B"], n, p=instansi)
    return build_cells(talent_tables(crowd), [PETA, KELOMPOK], [BOXES])


def test_showing_what_the_attack_derives_lets_it_derive_nothing_more():
    # what show_known relies on: the attack goes on with every cell it derived until nothing more comes out
    rng = np.random.default_rng(7)
    for _ in range(20):
        cells = random_cells(rng, 300, jabatan=[0.1, 0.5, 0.4], kotak=[0.02, 0.03, 0.05, 0.1, 0.4, 0.2, 0.1, 0.07, 0.03],
                             instansi=[0.8, 0.2])  # fmt: skip
        public = cells.frame["publik"].to_numpy(dtype=bool)
        hidden = primary(cells, K) | ((rng.random(len(public)) < 0.15) & ~public)
        derived = audit(cells, hidden, truth(cells))
        assert len(derived)
        shown = hidden.copy()
        shown[derived["id"].to_numpy()] = False
        assert audit(cells, shown, truth(cells)).empty


def test_a_table_listing_only_rows_with_people_tells_each_holds_one_at_least():
    values, totals = {"a": 1, "b": 1, "T": 2}, {"T": "ab"}
    assert audit(sums(values, totals), hide(sums(values, totals), "ab"), np.array([1, 1, 2])).empty
    listed = sums(values, totals, sparse=True)
    assert set(audit(listed, hide(listed, "ab"), truth(listed))["kunci"]) == {"a", "b"}
    kind = show_known(listed, protect(listed, K))  # protect hides the total too
    assert kind.notna().to_numpy()[hide(listed, "abT")].all()
    assert audit(listed, kind.notna().to_numpy(), truth(listed)).empty


def test_a_secondary_cell_given_back_anyway_is_shown():
    # S = y + w with S and w shown gives y back; x (primary) and z (empty) stay covered in T = x + y + z
    cells = sums({"x": 2, "y": 6, "z": 0, "w": 4, "S": 10, "T": 8}, {"S": "yw", "T": "xyz"})
    kind = pd.Series(np.where(hide(cells, "x"), PRIMER, np.where(hide(cells, "yz"), SEKUNDER, None)))
    assert set(audit(cells, kind.notna().to_numpy(), truth(cells))["kunci"]) == {"y"}
    shown = show_known(cells, kind)
    assert shown.notna().to_numpy().tolist() == hide(cells, "xz").tolist()
    assert audit(cells, shown.notna().to_numpy(), truth(cells)).empty


def test_a_cell_known_later_is_a_row_of_its_own():
    # what audit relies on between its passes: the rows with the newly known cells added derive what the
    # equations over the cells still unknown derive, started afresh
    rng = np.random.default_rng(11)
    for _ in range(10):
        cells = random_cells(rng, 200)
        public = cells.frame["publik"].to_numpy(dtype=bool)
        unknown = (rng.random(len(public)) < 0.4) & ~public
        later = unknown & (rng.random(len(public)) < 0.2)
        elimination = _Elimination()
        elimination.add_equations(cells.eq, unknown)
        elimination.add_known(np.flatnonzero(later).tolist())
        still = unknown & ~later
        incremental = {c for c, *_ in elimination.derived(truth(cells)) if still[c]}
        afresh = {c for c, *_ in _determined(cells.eq, still, truth(cells))}
        assert incremental == afresh and afresh


def test_a_cell_that_cancels_in_the_sum_giving_a_leak_back_is_not_chosen():
    # the leak is given back by equation 0 minus equation 1: c is in both with the same sign and cancels, d not
    eq = pd.DataFrame(
        {"persamaan": [0, 0, 0, 1, 1, 1], "id": [9, 1, 2, 8, 2, 3], "koef": [1, -1, -1, 1, -1, -1]}
    )
    leaks = pd.DataFrame({"id": [1], "bobot": [{0: 1, 1: PRIME - 1}]})
    cand = pd.DataFrame({"bocor": [1, 1], "id": [2, 3]})  # c = 2, d = 3
    assert _not_cancelling(cand, leaks, eq)["id"].tolist() == [3]
    # a leak whose every candidate cancels keeps them (something must still be hidden)
    assert _not_cancelling(cand[cand["id"] == 2], leaks, eq)["id"].tolist() == [2]
