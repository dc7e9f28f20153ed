"""Statistical disclosure control of the published aggregates (R12, docs/domain-rules.md): which count cells
are withheld, and an attacker's audit of the result.

Every published count of people is a *cell*. Cells are tied together by *equations*: a total equals the sum of
its parts. They come from the tables' shapes (NASIONAL = the sum of the provinces = the sum of the agencies;
a SEMUA row = the sum of its breakdown rows), from links between tables (an area's headcount = its boxes in
the talent map; an agency's profiled ASN in the indicators = its boxes 1-9), and from the short equations
these imply, written out (headcount - profiled = belum terprofil). An analyst can add and subtract along any
of them, so hiding small cells (primary suppression) is not enough:

- ``protect`` hides the cells from 1 to k-1 people (primary), then, while some equation has exactly one hidden
  cell (which its other cells would give back), hides one more cell of that equation: the smallest non-empty one
  that is not public, else the empty ones (secondary). When no equation has one hidden cell, it runs ``audit``
  and, for each primary cell still given back, hides the smallest non-empty cell of the shortest equation that
  gives it back; until the audit gives back no primary cell. ``show_known`` then shows the secondary cells the
  audit gives back: they are known anyway.
- ``audit`` is the attacker: from the published values and the equations alone it narrows every hidden cell
  by interval propagation (each equation bounds each of its hidden cells by the others, repeated to a fixed
  point: the cheap relaxation of the linear-programming bound) and by exact elimination over the hidden cells'
  equations (a cell that every solution gives the same value is derived exactly), each way using what the
  other derived, until nothing more is derived. A hidden cell derived to its true value is a leak.

Hidden cells are known to the attacker only as >= 0 (>= 1 in a table that lists only the rows where someone is):
secondary suppression may hide an empty cell, so a hidden cell is not known to be 1..k-1. Public cells (an agency's headcount) are never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

AREA = ("level", "kode_provinsi", "kode_instansi")
SEMUA = "SEMUA"
PRIMER = "PRIMER"
SEKUNDER = "SEKUNDER"
# Exact elimination works modulo this prime (2^61 - 1): the equations' coefficients are small integers.
PRIME = 2**61 - 1
MAX_ROUNDS = 200


@dataclass(frozen=True)
class Table:
    """One published aggregate's counts: rows keyed by `kunci` (a string the SQL builds from the area and
    `dims`), at the levels in AREA (unless not `by_area`), with a SEMUA row for each dimension in `semua`. Public
    counts (never hidden): `public_counts` (default: every count) in the rows of the pandas query `public`
    (default: every row, when public_counts is given). `uniform`: dims across which the `uniform_counts` are
    withheld alike (withheld in one row, withheld in every row that differs only in those dims). `rows`: the pandas
    query of the rows the mart publishes (default: every row). `zero`: (count, pandas query) pairs of counts that are
    0 by definition in those rows (a non-managerial post type has no managerial post holder): every analyst knows
    them, so they are public (a cell there that is not 0 is treated like any other). `sparse`: the mart lists a row
    only where someone is (not every origin and destination): every analyst knows each of its counts is at least 1."""

    name: str
    dims: tuple[str, ...]
    counts: tuple[str, ...]
    semua: tuple[str, ...] = ()
    public: str | None = None
    public_counts: tuple[str, ...] | None = None
    by_area: bool = True
    uniform: tuple[str, ...] = ()
    uniform_counts: tuple[str, ...] = ()
    rows: str | None = None
    zero: tuple[tuple[str, str], ...] = ()
    sparse: bool = False


@dataclass(frozen=True)
class Link:
    """A cross-table equation for every matching row: `total` (table, count, query) equals the sum of `parts`
    (table, count, query) over the rows that agree on `on`. An empty query takes every row. An entry of `on` is a
    column of both, or (the total's column, the parts' column) when the names differ."""

    total: tuple[str, str, str]
    parts: tuple[str, str, str]
    on: tuple[str | tuple[str, str], ...]


@dataclass
class Cells:
    """All count cells (frame: id, tabel, kunci, kolom, nilai, publik, paling_sedikit: what every analyst knows a
    hidden cell holds at least, nasional: a count of the whole nation) and the equations between them (eq:
    persamaan, id, koef; the sum of koef * nilai over each persamaan is 0). `implied`: the equations written out
    from two others that hold: they tell the one-hidden-cell rule and the bounds more, but add nothing to what
    elimination derives, which skips them."""

    frame: pd.DataFrame
    eq: pd.DataFrame
    dropped_equations: int = 0
    implied: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))


def build_cells(frames: dict[str, pd.DataFrame], tables: list[Table], links: list[Link]) -> Cells:
    """The cells of `frames` (one per table: kunci, the area columns, dims, counts) and their equations."""
    frames = {t.name: frames[t.name].query(t.rows) if t.rows else frames[t.name] for t in tables}
    parts, ids, start = [], {}, 0
    for t in tables:
        df = frames[t.name].reset_index(drop=True)
        if t.public is not None:
            public_rows = df.eval(t.public).to_numpy(dtype=bool)
        else:
            public_rows = np.full(len(df), t.public_counts is not None)
        for col in t.counts:
            public = public_rows & (t.public_counts is None or col in t.public_counts)
            for query in (q for zero_col, q in t.zero if zero_col == col):
                public = public | (df.eval(query).to_numpy(dtype=bool) & (df[col].fillna(0).to_numpy() == 0))
            idx = np.arange(start, start + len(df))
            ids[(t.name, col)] = pd.Series(idx, index=df.index)
            parts.append(
                pd.DataFrame(
                    {
                        "id": idx,
                        "tabel": t.name,
                        "kunci": df["kunci"].to_numpy(),
                        "kolom": col,
                        "nilai": df[col].fillna(0).astype("int64").to_numpy(),
                        "publik": public,
                        "paling_sedikit": int(t.sparse),
                        "nasional": (df["level"] == "NASIONAL").to_numpy() if "level" in df else False,
                    }
                )
            )
            start += len(df)
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            columns=["id", "tabel", "kunci", "kolom", "nilai", "publik", "paling_sedikit", "nasional"]
        )
    )
    pairs = []
    for t in tables:
        df = frames[t.name].reset_index(drop=True)
        keys = df[[c for c in (AREA if t.by_area else ()) + t.dims]].astype("string").fillna("<NULL>")
        for col in t.counts:
            cells = keys.assign(_sel=ids[(t.name, col)].to_numpy())
            if t.by_area:
                top = cells[cells["level"] == "NASIONAL"]
                for child in ("PROVINSI", "INSTANSI"):  # NASIONAL = its provinces = its agencies
                    pairs.append(_pairs(top, cells[cells["level"] == child], list(t.dims)))
            for d in t.semua:  # a SEMUA row = the rows that differ from it in d only
                pairs.append(
                    _pairs(
                        cells[cells[d] == SEMUA],
                        cells[cells[d] != SEMUA],
                        [c for c in keys.columns if c != d],
                    )
                )
    structure = _equation_frame(pairs)
    linked = _equation_frame([_link(frames, ids, link) for link in links], start=_next_number(structure))
    eq, parents = _with_implied(
        pd.concat([structure, linked], ignore_index=True), linked["persamaan"].unique()
    )
    eq, dropped = _holding(eq, frame)
    frame["publik"] = _public_closure(eq, frame["publik"].to_numpy(dtype=bool))
    holding = eq["persamaan"].unique()
    implied = parents[parents[["induk", "induk_lain"]].isin(holding).all(axis=1)]["persamaan"].to_numpy()
    return Cells(frame=frame, eq=eq, dropped_equations=dropped, implied=implied)


def _public_closure(eq: pd.DataFrame, public: np.ndarray) -> np.ndarray:
    """Public cells, and those that public cells alone give (an equation with one cell not public): all of a
    nation's ASN in one province make that province's headcount the nation's, which is public."""
    public = public.copy()
    while len(eq):
        open_cells = pd.Series(~public[eq["id"].to_numpy()]).groupby(eq["persamaan"].to_numpy()).sum()
        lone = eq[eq["persamaan"].isin(open_cells.index[open_cells == 1])]["id"].to_numpy()
        lone = lone[~public[lone]]
        if not len(lone):
            break
        public[lone] = True
    return public


def _next_number(eq: pd.DataFrame) -> int:
    return int(eq["persamaan"].max()) + 1 if len(eq) else 0


def _with_implied(eq: pd.DataFrame, links) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The equations and the short ones they imply, written out so that the one-hidden-cell rule sees them:
    a cross-table total over some parts of another equation, subtracted from it (an agency's profiled ASN =
    its headcount minus its belum terprofil box), and two equations with the same total, one minus the other
    (the provinces' sum = the agencies' sum, whether NASIONAL is hidden or not). Returns them with the two
    equations each new one came from (persamaan, induk, induk_lain)."""
    is_part = eq["koef"].to_numpy() == -1
    numbers, cells = eq["persamaan"].to_numpy()[is_part].tolist(), eq["id"].to_numpy()[is_part].tolist()
    part_rows = list(zip(numbers, cells, strict=True))
    parts_of: dict[int, set[int]] = {}
    for number, cell in part_rows:
        parts_of.setdefault(number, set()).add(cell)
    total_of = eq[eq["koef"] == 1].groupby("persamaan")["id"].first()
    # an equation holding a link's parts holds any one of them: the smallest, say
    first_part = {link: min(parts_of[link]) for link in links if link in parts_of}
    holding: dict[int, list[int]] = {cell: [] for cell in first_part.values()}
    for number, cell in part_rows:
        if cell in holding:
            holding[cell].append(number)
    new: dict[str, list[int]] = {"persamaan": [], "id": [], "koef": []}
    parents, number = [], _next_number(eq)
    for link, cell in first_part.items():
        subset = parts_of[link]
        for other in holding[cell]:
            superset = parts_of[other]
            if other != link and len(superset) > len(subset) and subset <= superset:
                rest = sorted(superset - subset)
                new["persamaan"] += [number] * (2 + len(rest))
                new["id"] += [int(total_of[other]), int(total_of[link]), *rest]
                new["koef"] += [1, -1] + [-1] * len(rest)
                parents.append((number, other, link))
                number += 1
    differences, pairs = _same_total_differences(eq, total_of, number)
    parents = pd.concat([pd.DataFrame(parents, columns=["persamaan", "induk", "induk_lain"]), pairs])
    return pd.concat([eq, pd.DataFrame(new), differences], ignore_index=True).astype("int64"), parents


def _same_total_differences(
    eq: pd.DataFrame, total_of: pd.Series, start: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each total that heads several equations, the first minus each other one (cells that cancel left
    out), numbered from `start`; with the two it came from (persamaan, induk, induk_lain)."""
    heads = total_of.reset_index().sort_values(["id", "persamaan"])
    heads["first"] = heads.groupby("id")["persamaan"].transform("first")
    pairs = heads[heads["persamaan"] != heads["first"]][["first", "persamaan"]].rename(
        columns={"persamaan": "other"}
    )
    pairs["nomor"] = np.arange(start, start + len(pairs))
    rows = pd.concat([
        pairs.merge(eq, left_on="first", right_on="persamaan")[["nomor", "id", "koef"]],
        pairs.merge(eq, left_on="other", right_on="persamaan")[["nomor", "id", "koef"]].assign(koef=lambda d: -d["koef"]),
    ])  # fmt: skip
    rows = rows.groupby(["nomor", "id"], as_index=False)["koef"].sum()
    rows = rows[rows["koef"] != 0].rename(columns={"nomor": "persamaan"})
    pairs = pairs.rename(columns={"nomor": "persamaan", "first": "induk", "other": "induk_lain"})
    return rows[["persamaan", "id", "koef"]], pairs[["persamaan", "induk", "induk_lain"]]


def _pairs(totals: pd.DataFrame, parts: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """(total, part) for each part of each total: the rows of `parts` that agree with the total on `on`."""
    t = totals[on + ["_sel"]].rename(columns={"_sel": "total"})
    p = parts[on + ["_sel"]].rename(columns={"_sel": "part"})
    merged = t.merge(p, on=on) if on else t.merge(p, how="cross")
    return merged[["total", "part"]]


def _link(frames, ids, link: Link) -> pd.DataFrame:
    on = [c if isinstance(c, str) else c[0] for c in link.on]

    def side(name, col, query, columns):
        df = frames[name].reset_index(drop=True)
        df = df.assign(_sel=ids[(name, col)].to_numpy())
        df = df.query(query) if query else df
        keys = df[columns].astype("string").fillna("<NULL>").set_axis(on, axis=1)
        return keys.assign(_sel=df["_sel"].to_numpy())

    parts_on = [c if isinstance(c, str) else c[1] for c in link.on]
    return _pairs(side(*link.total, on), side(*link.parts, parts_on), on)


def _equation_frame(pairs: list[pd.DataFrame], start: int = 0) -> pd.DataFrame:
    """One equation per (builder, total): the total with koef 1, each part with koef -1; numbered from start."""
    frames, offset = [], start
    for pr in pairs:
        if pr.empty:
            continue
        number = pr.groupby("total").ngroup().to_numpy() + offset
        offset = int(number.max()) + 1
        totals = pd.DataFrame(
            {"persamaan": number, "id": pr["total"].to_numpy(), "koef": 1}
        ).drop_duplicates()
        frames += [totals, pd.DataFrame({"persamaan": number, "id": pr["part"].to_numpy(), "koef": -1})]
    if not frames:
        return pd.DataFrame({"persamaan": [], "id": [], "koef": []}, dtype="int64")
    return pd.concat(frames, ignore_index=True).astype("int64")


def _holding(eq: pd.DataFrame, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Only the equations that hold on the true counts (a person without a duty-station province is in
    NASIONAL but in no PROVINSI, so that sum does not hold: the attacker cannot use it either)."""
    if eq.empty:
        return eq, 0
    value = frame["nilai"].to_numpy()[eq["id"].to_numpy()] * eq["koef"].to_numpy()
    sums = pd.Series(value).groupby(eq["persamaan"].to_numpy()).sum()
    good = sums.index[sums == 0]
    return eq[eq["persamaan"].isin(good)].reset_index(drop=True), int((sums != 0).sum())


def primary(cells: Cells, k: int) -> np.ndarray:
    """Cells of 1 to k-1 people that are not public."""
    v = cells.frame["nilai"].to_numpy()
    return (v >= 1) & (v <= k - 1) & ~cells.frame["publik"].to_numpy(dtype=bool)


def protect(cells: Cells, k: int) -> pd.Series:
    """The suppression of every cell: PRIMER, SEKUNDER or None."""
    hidden = primary(cells, k)
    kind = np.where(hidden, PRIMER, None).astype(object)
    value = cells.frame["nilai"].to_numpy()
    public = cells.frame["publik"].to_numpy(dtype=bool)
    stuck, last = 0, None
    attack = _ComponentAudit(cells)
    for _ in range(MAX_ROUNDS):
        lone = _lone_hidden(cells.eq, hidden)
        if len(lone):  # the cheap and common case first: one hidden cell in an equation
            chosen = _next_cells(cells.eq, lone, hidden, value, public)
        else:
            leaks = attack(hidden, value)
            leaks = leaks[
                kind[leaks["id"].to_numpy()] == PRIMER
            ]  # a secondary cell given back is shown (below)
            if leaks.empty:
                break
            stuck = stuck + 1 if last is not None and len(leaks) >= last else 0
            last = len(leaks)
            chosen = _breaking_cells(cells, leaks, hidden, public, stuck)
        if not len(chosen):
            break  # nothing left to hide where it would help: the audit reports the leak
        hidden[chosen] = True
        kind[chosen] = SEKUNDER
    return pd.Series(kind, index=cells.frame.index)


def show_known(cells: Cells, kind: pd.Series) -> pd.Series:
    """The pattern without the secondary cells that the attack gives back anyway (say, an agency whose every person
    at the start date was belum terprofil: that row's total is its public headcount). Withholding them protects
    nothing, and showing them tells nothing new: the attack takes every cell it derives as known before it goes on,
    so what it derives with them shown is what it derived with them hidden."""
    hidden = kind.notna().to_numpy()
    leaks = audit(cells, hidden, cells.frame["nilai"].to_numpy())
    known = leaks["id"].to_numpy()
    known = known[kind.to_numpy()[known] == SEKUNDER]
    kind = kind.copy()
    kind.iloc[known] = None
    return kind


class _ComponentAudit:
    """The audit of protect's rounds, one component at a time: hidden cells joined by an equation that holds both
    make a component, and what the attack derives in a component depends only on its cells and the published
    values in its equations. A component that a round left as it was keeps its last answer, so a round audits only
    the components it changed (audit_warehouse still attacks everything)."""

    def __init__(self, cells: Cells):
        self.cells = cells
        self.known: dict[bytes, pd.DataFrame] = {}  # a component's cells (sorted ids) -> its leaks

    def __call__(self, hidden: np.ndarray, truth: np.ndarray) -> pd.DataFrame:
        groups = _components(self.cells.eq, hidden)
        fresh = [g for g in groups if g.tobytes() not in self.known]
        if fresh:
            changed = np.zeros(len(hidden), dtype=bool)
            changed[np.concatenate(fresh)] = True
            eq = self.cells.eq
            touched = eq["persamaan"].to_numpy()[changed[eq["id"].to_numpy()]]
            own = Cells(self.cells.frame, eq[eq["persamaan"].isin(touched)], implied=self.cells.implied)
            leaks = audit(own, changed, truth)
            for g in fresh:
                self.known[g.tobytes()] = leaks[leaks["id"].isin(g)]
        current = {g.tobytes() for g in groups}
        self.known = {key: found for key, found in self.known.items() if key in current}
        found = [f for f in self.known.values() if len(f)]
        if found:
            return pd.concat(found, ignore_index=True)
        return audit(
            Cells(self.cells.frame, self.cells.eq.iloc[:0]), np.zeros(len(hidden), dtype=bool), truth
        )


def _components(eq: pd.DataFrame, hidden: np.ndarray) -> list[np.ndarray]:
    """The hidden cells in components (sorted ids each): cells joined by an equation that holds both. Each cell
    takes the smallest label among its neighbours (the next hidden cell of an equation: the same components as
    every pair), then its label's label, until nothing changes."""
    rows = eq[hidden[eq["id"].to_numpy()]]
    order = np.argsort(rows["persamaan"].to_numpy(), kind="stable")
    numbers, ids = rows["persamaan"].to_numpy()[order], rows["id"].to_numpy()[order]
    same = numbers[1:] == numbers[:-1]
    a, b = ids[:-1][same], ids[1:][same]
    label = np.arange(len(hidden))  # always a cell of the same component, never above the cell itself
    while True:
        before = label.copy()
        np.minimum.at(label, a, label[b])
        np.minimum.at(label, b, label[a])
        label = label[label]
        if np.array_equal(label, before):
            break
    cells = np.flatnonzero(hidden)
    order = np.argsort(label[cells], kind="stable")
    return np.split(cells[order], np.flatnonzero(np.diff(label[cells][order])) + 1) if len(cells) else []


def _breaking_cells(cells: Cells, leaks: pd.DataFrame, hidden, public, stuck: int = 0) -> np.ndarray:
    """For each leak, more cells to hide in the equations that derive it (1, and 2 more for each round the leaks
    were `stuck`): the smallest non-empty cells that are neither hidden nor public and do not cancel in the sum
    that derives it, from the equations that hold the leaked cell itself first, then the shortest (an empty cell
    alone would be given back as empty by its own equations and cover nothing; where there is no other, every
    empty one of the first equation). The nation's counts are what analysts read first: they come after every
    other cell holding people (and before the empty ones, which, for a national leak, would be many agencies'
    zeros that cover little)."""
    value = cells.frame["nilai"].to_numpy()
    used = leaks[["id", "persamaan"]].explode("persamaan").rename(columns={"id": "bocor"})
    used["persamaan"] = used["persamaan"].astype("int64")
    eq = cells.eq[cells.eq["persamaan"].isin(used["persamaan"])]
    size = eq.groupby("persamaan").size().rename("panjang").reset_index()
    own = eq[["persamaan", "id"]].rename(columns={"id": "bocor"}).assign(sendiri=True)
    cand = used.merge(size, on="persamaan").merge(own, on=["persamaan", "bocor"], how="left")
    cand = cand.merge(eq[["persamaan", "id"]], on="persamaan")
    ids = cand["id"].to_numpy()
    cand = _not_cancelling(cand[~hidden[ids] & ~public[ids]], leaks, eq)
    ids = cand["id"].to_numpy()
    cand = cand.assign(
        nilai=value[ids], lain=cand["sendiri"].isna(), nasional=cells.frame["nasional"].to_numpy()[ids]
    )
    cand = cand.sort_values(["bocor", "nasional", "lain", "panjang", "persamaan", "nilai", "id"])
    nonempty = cand[cand["nilai"] > 0].drop_duplicates(["bocor", "id"])
    chosen = nonempty.groupby("bocor").head(1 + 2 * stuck)["id"].to_numpy()
    # a leak with no non-empty cell to hide: the empty ones of its first equation, hidden together (as _next_cells)
    empty = cand[(cand["nilai"] == 0) & ~cand["bocor"].isin(nonempty["bocor"])]
    empty = empty[empty["persamaan"] == empty.groupby("bocor")["persamaan"].transform("first")]
    return np.unique(np.concatenate([chosen, empty["id"].to_numpy()]))


def _not_cancelling(cand: pd.DataFrame, leaks: pd.DataFrame, eq: pd.DataFrame) -> pd.DataFrame:
    """The candidates (bocor, id) without the cells whose factors cancel in the sum that gives an ALJABAR leak back
    (a cell in two of its equations, added in one and subtracted in the other): hiding such a cell leaves that sum
    as it was. A leak whose every candidate cancels keeps them all."""
    weights = [
        (leak, number, factor)
        for leak, bobot in zip(leaks["id"], leaks["bobot"], strict=True)
        if bobot
        for number, factor in bobot.items()
    ]
    if not weights or cand.empty:
        return cand
    terms = pd.DataFrame(weights, columns=["bocor", "persamaan", "faktor"]).merge(eq, on="persamaan")
    # Python integers: the factors are below PRIME, their sum over many equations is not
    terms["suku"] = [f * k for f, k in zip(terms["faktor"].tolist(), terms["koef"].tolist(), strict=True)]
    total = terms.groupby(["bocor", "id"])["suku"].agg(lambda s: sum(s) % PRIME)
    cancels = pd.MultiIndex.from_frame(cand[["bocor", "id"]]).isin(total.index[total == 0])
    kept = pd.Series(~cancels, index=cand.index).groupby(cand["bocor"]).transform("any").to_numpy()
    return cand[~cancels | ~kept]


def _lone_hidden(eq: pd.DataFrame, hidden: np.ndarray) -> np.ndarray:
    """The equations holding exactly one hidden cell."""
    return np.flatnonzero(np.bincount(eq["persamaan"].to_numpy(), hidden[eq["id"].to_numpy()]) == 1)


def _next_cells(eq, equations, hidden, value, public) -> np.ndarray:
    """In each equation, the cells to hide next: the smallest non-empty cell that is neither hidden nor public;
    where there is none, every empty one (an empty cell hidden alone would be given back as empty by its other
    equations; hidden together, and then with what their own equations need, they cover the cell in between)."""
    rows = eq[eq["persamaan"].isin(equations)]
    ids = rows["id"].to_numpy()
    ok = ~hidden[ids] & ~public[ids]
    cand = pd.DataFrame({"persamaan": rows["persamaan"].to_numpy()[ok], "id": ids[ok]})
    cand["nilai"] = value[cand["id"].to_numpy()]
    nonempty = cand[cand["nilai"] > 0].sort_values(["persamaan", "nilai", "id"]).drop_duplicates("persamaan")
    empty = cand[(cand["nilai"] == 0) & ~cand["persamaan"].isin(nonempty["persamaan"])]
    return np.unique(np.concatenate([nonempty["id"].to_numpy(), empty["id"].to_numpy()]))


def audit(cells: Cells, hidden: np.ndarray, truth: np.ndarray) -> pd.DataFrame:
    """The attack on what is published: the hidden cells holding people that the equations give back exactly
    (rows: id, tabel, kunci, kolom, nilai, turunan (the derived value), cara (INTERVAL or ALJABAR), persamaan (the
    equations that give it back: for INTERVAL, the cell's own), bobot (for ALJABAR, each of those equations' factor
    in the sum that gives it back, modulo PRIME)). The attack itself uses the published values (the
    true ones of the cells not hidden); `truth` is compared only at the end. Each cell it derives, by either way, is
    known from then on, and it goes on until nothing more is derived: a cell that bounds pin to one whole number
    can complete an elimination, and the reverse."""
    unknown = hidden.copy()
    lo = np.where(hidden, cells.frame["paling_sedikit"].to_numpy(dtype=float), truth.astype(float))
    hi = np.where(hidden, np.inf, truth.astype(float))
    leaking = (truth > 0) & ~cells.frame["publik"].to_numpy(dtype=bool)
    found: list[tuple] = []
    elimination, changed = None, None
    while unknown.any():
        lo, hi = _propagate(cells.eq, unknown, lo, hi, changed)
        by_bounds = np.flatnonzero(unknown & (hi - lo < 0.5))
        own = cells.eq[cells.eq["id"].isin(by_bounds)].groupby("id")["persamaan"].agg(list)
        new = [
            (int(i), float(np.ceil(lo[i] - 1e-9)), "INTERVAL", own.get(int(i), []), None) for i in by_bounds
        ]
        unknown[by_bounds] = False
        if elimination is None:
            elimination = _Elimination()
            elimination.add_equations(cells.eq, unknown, skip=cells.implied)
        else:  # the cells the bounds derived since (those derived by the rows are rows of their own already)
            elimination.add_known(by_bounds.tolist())
        derived = [f for f in elimination.derived(truth) if unknown[f[0]]]  # now, not in an earlier pass
        weights = _factors(cells.eq, unknown, truth, [f for f in derived if leaking[f[0]]])
        new += [(cell, value, way, numbers, weights.get(cell)) for cell, value, way, numbers, _ in derived]
        if not new:
            break
        ids = np.array([f[0] for f in new], dtype=np.int64)
        # a derived cell's value is its true count: every equation holds on the true counts
        unknown[ids] = False
        lo[ids] = hi[ids] = truth[ids]
        found += new
        changed = ids
    found = pd.DataFrame(found, columns=["id", "turunan", "cara", "persamaan", "bobot"]).astype(
        {"id": "int64", "turunan": "float64"}
    )
    # a hidden empty cell given back as empty reveals no one, a public one nothing; one that holds people is a leak
    ids = found["id"].to_numpy()
    public = cells.frame["publik"].to_numpy(dtype=bool)[ids]
    found = found[(np.abs(found["turunan"].to_numpy() - truth[ids]) < 0.5) & (truth[ids] > 0) & ~public]
    out = found.merge(cells.frame, on="id")
    return out[["id", "tabel", "kunci", "kolom", "nilai", "turunan", "cara", "persamaan", "bobot"]]


def _factors(eq: pd.DataFrame, unknown: np.ndarray, truth: np.ndarray, derived: list[tuple]) -> dict:
    """For each derived cell, the factor of each equation in a sum that gives it back: the elimination again,
    weighted, over only the equations those sums were made of (protect hides a cell whose factors in it do not
    cancel)."""
    if not derived:
        return {}
    own = eq[eq["persamaan"].isin(set().union(*(numbers for _, _, _, numbers, _ in derived)))]
    return {cell: bobot for cell, *_, bobot in _determined(own, unknown, truth, weighted=True)}


def _propagate(eq, hidden, lo, hi, changed=None):
    """Interval propagation: in sum(koef * x) = 0, each hidden x is bounded by the bounds of the others. The
    cells not hidden are known (lo = hi): each equation's sum of them is a constant, and only the hidden terms
    are carried. Bounds only narrow, so a pass looks again only at the equations of the cells the last pass
    narrowed; the first, at every equation, or (when lo and hi are the fixed point of an earlier call) at those of
    the `changed` cells, known since."""
    pid, ids = eq["persamaan"].to_numpy(), eq["id"].to_numpy()
    n = int(pid.max()) + 1 if len(pid) else 0
    known = ~hidden[ids]
    constant = np.bincount(pid[known], eq["koef"].to_numpy()[known] * lo[ids[known]], n)
    pid, ids, koef = pid[~known], ids[~known], eq["koef"].to_numpy()[~known].astype(float)
    lo, hi = lo.copy(), hi.copy()
    if changed is None:
        active = np.ones(n, dtype=bool)
    else:
        active = np.zeros(n, dtype=bool)
        active[eq["persamaan"].to_numpy()[np.isin(eq["id"].to_numpy(), changed)]] = True
    for _ in range(MAX_ROUNDS):
        terms = active[pid]
        p, i, k = pid[terms], ids[terms], koef[terms]
        if not len(i):
            break
        t_lo = np.where(k > 0, lo[i], -hi[i])  # bounds of koef * x
        t_hi = np.where(k > 0, hi[i], -lo[i])
        fin_hi, inf_hi = np.where(np.isinf(t_hi), 0.0, t_hi), np.isinf(t_hi).astype(float)
        fin_lo, inf_lo = np.where(np.isinf(t_lo), 0.0, t_lo), np.isinf(t_lo).astype(float)
        s_lo = (np.bincount(p, fin_lo, n) + constant)[p] - fin_lo  # the others' sum, without this term
        i_lo = np.bincount(p, inf_lo, n)[p] - inf_lo
        s_hi = (np.bincount(p, fin_hi, n) + constant)[p] - fin_hi
        i_hi = np.bincount(p, inf_hi, n)[p] - inf_hi
        # koef * x = -(others): between -others_hi and -others_lo
        new_lo_t = np.where(i_hi > 0, -np.inf, -s_hi)
        new_hi_t = np.where(i_lo > 0, np.inf, -s_lo)
        before_lo, before_hi = lo[i], hi[i]
        np.maximum.at(lo, i, np.where(k > 0, new_lo_t, -new_hi_t))
        np.minimum.at(hi, i, np.where(k > 0, new_hi_t, -new_lo_t))
        narrowed = np.zeros(len(lo), dtype=bool)
        narrowed[i[(lo[i] != before_lo) | (hi[i] != before_hi)]] = True
        if not narrowed.any():
            break
        active = np.zeros(n, dtype=bool)
        active[pid[narrowed[ids]]] = True
    return lo, hi


def _determined(
    eq: pd.DataFrame, unknown: np.ndarray, truth: np.ndarray, weighted: bool = False
) -> list[tuple]:
    """Hidden cells whose value every solution of the equations shares (see _Elimination)."""
    elimination = _Elimination(weighted)
    elimination.add_equations(eq, unknown)
    return elimination.derived(truth)


class _Elimination:
    """The equations restricted to the hidden cells, brought to reduced row echelon form (exactly, modulo a large
    prime, with sparse rows). A cell is derived, by adding and subtracting equations, when a row of that form holds
    it alone; the equations that row was made of are kept with it (`weighted`: each with its factor, which costs
    more). A cell that becomes known later is added as a row of its own: what the rows then derive is what the
    equations over the cells still unknown derive, without starting again. Equations hold on the true counts, so a
    derived cell's value is its true count."""

    def __init__(self, weighted: bool = False):
        self.weighted = weighted
        self.pivot_row: dict[
            int, dict[int, int]
        ] = {}  # pivot cell -> its row {cell: koef}, koef of the pivot 1
        self.source: dict[
            int, dict[int, int]
        ] = {}  # pivot cell -> the equations its row was made of {eq: factor}
        self.holders: dict[int, set[int]] = {}  # cell -> pivot cells whose rows hold it

    def add_equations(self, eq: pd.DataFrame, unknown: np.ndarray, skip: np.ndarray | None = None) -> None:
        """The equations (but those numbered in `skip`) over the unknown cells."""
        e = eq[unknown[eq["id"].to_numpy()]]
        if skip is not None and len(skip):
            e = e[~e["persamaan"].isin(skip)]
        # the short equations first (less fill-in when the long sums over many areas come last)
        e = e.assign(_n=e.groupby("persamaan")["id"].transform("size")).sort_values(
            ["_n", "persamaan"], kind="stable"
        )
        numbers, ids, koefs = (e[c].to_numpy().tolist() for c in ("persamaan", "id", "koef"))
        bounds = np.flatnonzero(np.diff(e["persamaan"].to_numpy())) + 1
        for start, end in zip([0, *bounds.tolist()], [*bounds.tolist(), len(ids)], strict=True):
            if start < end:
                row = {i: k % PRIME for i, k in zip(ids[start:end], koefs[start:end], strict=True)}
                self._add_row(row, {numbers[start]: 1})

    def add_known(self, cells: list[int]) -> None:
        for cell in cells:
            self._add_row({cell: 1}, {})

    def derived(self, truth: np.ndarray) -> list[tuple]:
        """Every cell a row holds alone, those added as known included."""
        return [
            (cell, float(truth[cell]), "ALJABAR", sorted(self.source[cell]),
             self.source[cell] if self.weighted else None)
            for cell, row in self.pivot_row.items()
            if len(row) == 1
        ]  # fmt: skip

    def _add_row(self, row: dict[int, int], made_of: dict[int, int]) -> None:
        pivot_row, source, holders = self.pivot_row, self.source, self.holders
        for cell in [c for c in row if c in pivot_row]:  # reduce by the rows so far
            factor = row.get(cell, 0)
            if factor:
                _add(row, pivot_row[cell], -factor, None, None)
                _combine(made_of, source[cell], -factor, self.weighted)
        if not row:
            return  # follows from the others
        pivot = min(row, key=lambda c: len(holders.get(c, ())))
        inverse = pow(row[pivot], PRIME - 2, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        if self.weighted:
            made_of = {e: v * inverse % PRIME for e, v in made_of.items()}
        for other in list(holders.get(pivot, ())):  # clear the pivot from the other rows
            other_row = pivot_row[other]
            factor = -other_row[pivot]
            _add(other_row, row, factor, holders, other)
            _combine(source[other], made_of, factor, self.weighted)
        pivot_row[pivot] = row
        source[pivot] = made_of
        for c in row:
            holders.setdefault(c, set()).add(pivot)


def _combine(target: dict[int, int], source: dict[int, int], factor: int, weighted: bool) -> None:
    """The equations a row is made of: with their factors (target += factor * source), or only which ones."""
    if weighted:
        _add(target, source, factor, None, None)
    else:
        target |= source


def _add(target: dict[int, int], source: dict[int, int], factor: int, holders, owner) -> None:
    """target += factor * source (mod PRIME), keeping `holders` (cell -> rows holding it) when given."""
    for c, v in source.items():
        new = (target.get(c, 0) + factor * v) % PRIME
        if new:
            if c not in target and holders is not None:
                holders.setdefault(c, set()).add(owner)
            target[c] = new
        elif c in target:
            del target[c]
            if holders is not None:
                holders[c].discard(owner)


def shares(cells: Cells, kind: pd.Series) -> dict[str, float]:
    """Of the cells holding people, the share withheld by primary and by secondary suppression (percent), and
    how many empty cells are withheld."""
    nonempty = cells.frame["nilai"].to_numpy() > 0
    n = max(1, int(nonempty.sum()))
    return {
        "sel": int(len(kind)),
        "sel_berisi": int(nonempty.sum()),
        "primer_persen": round(100.0 * int(((kind == PRIMER) & nonempty).sum()) / n, 2),
        "sekunder_persen": round(100.0 * int(((kind == SEKUNDER) & nonempty).sum()) / n, 2),
        "sekunder_kosong": int(((kind == SEKUNDER) & ~nonempty).sum()),
    }


# The published aggregates, as the tables of schema agregat (agr_<name>) hold their true counts. The talent map's
# percentages are shares of the area's ASN (peta_total, published as mart_peta_talenta.jumlah_area: public for an
# agency and the nation, a count of its own for a duty-station province); a jenis_jabatan's own total is never
# published, so that it adds no equation.
SUKSESI_JABATAN = ("JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR")
# the counts behind the readiness rates, per agency (indikator_instansi) and per region (indikator_wilayah)
KESIAPAN = ("jumlah_asn", "jumlah_terprofil", "jumlah_kelompok_suksesi", "jumlah_siap", "jumlah_siap_pengembangan",
            "jumlah_20jp", "jumlah_sesuai_kualifikasi", "pensiun_5_tahun")  # fmt: skip
AGGREGATES = [
    Table("peta_talenta", dims=("jenis_jabatan", "kotak_talenta"), counts=("jumlah",), semua=("jenis_jabatan",)),
    Table("peta_total", dims=(), counts=("jumlah",), public="level in ('INSTANSI', 'NASIONAL')"),
    Table("proyeksi_pensiun", dims=("tahun", "jenis_jabatan"), counts=("jumlah_pensiun",), semua=("jenis_jabatan",)),
    # one post's counts are much alike across competencies: withheld for one, withheld for all
    Table("kesenjangan_kompetensi", dims=("kode_jabatan", "kode_kompetensi"),
          counts=("jumlah_dinilai", "jumlah_di_bawah_standar"), semua=("kode_jabatan",), uniform=("kode_kompetensi",),
          uniform_counts=("jumlah_dinilai",)),
    Table("indikator_instansi", dims=("kode_instansi",), by_area=False, public_counts=("jumlah_asn",),
          counts=KESIAPAN + ("jumlah_jabatan_suksesi", "jumlah_jabatan_tercakup", "jumlah_konflik_mutasi",
                             "jumlah_melewati_bup")),
    # the agencies' rows are indikator_instansi's: the mart publishes the nation and the provinces
    Table("indikator_wilayah", dims=(), counts=KESIAPAN, public="level == 'NASIONAL'", public_counts=("jumlah_asn",),
          rows="level != 'INSTANSI'"),
    # R15: the box-to-box matrix between two kept dates (MASUK: not an ASN then; KELUAR: no longer one)
    Table("pergerakan_talenta", dims=("kotak_asal", "kotak_tujuan"), counts=("jumlah",),
          semua=("kotak_asal", "kotak_tujuan")),
    # R16 mutasi: origin x destination, agency and duty-station province; an agency's ASN at either date is public
    Table("mutasi", dims=("jenis", "asal", "tujuan"), counts=("jumlah",), semua=("asal", "tujuan"), by_area=False,
          public=f"jenis == 'INSTANSI' and ((tujuan == '{SEMUA}' and asal not in ('{SEMUA}', 'MASUK')) or "
                 f"(asal == '{SEMUA}' and tujuan not in ('{SEMUA}', 'KELUAR')))", public_counts=("jumlah",),
          sparse=True),
]  # fmt: skip
_AGENCY_SEMUA = "level == 'INSTANSI' and jenis_jabatan == 'SEMUA'"
_AKHIR = "akhir_acuan == True"  # the pair ends on tanggal_acuan
LINKS = [
    Link(("peta_total", "jumlah", ""), ("peta_talenta", "jumlah", "jenis_jabatan == 'SEMUA'"), on=AREA),
    Link(("peta_total", "jumlah", ""), ("peta_talenta", "jumlah", "jenis_jabatan != 'SEMUA'"), on=AREA),
    Link(("peta_total", "jumlah", "level == 'NASIONAL'"), ("peta_total", "jumlah", "level == 'PROVINSI'"), on=()),
    Link(("indikator_instansi", "jumlah_terprofil", ""),
         ("peta_talenta", "jumlah", f"{_AGENCY_SEMUA} and kotak_talenta >= 1"), on=("kode_instansi",)),
    Link(("indikator_instansi", "jumlah_kelompok_suksesi", ""),
         ("peta_talenta", "jumlah", f"{_AGENCY_SEMUA} and kotak_talenta >= 7"), on=("kode_instansi",)),
    Link(("indikator_instansi", "jumlah_jabatan_suksesi", ""),
         ("peta_talenta", "jumlah", f"level == 'INSTANSI' and jenis_jabatan in {list(SUKSESI_JABATAN)}"),
         on=("kode_instansi",)),
    # the nation's readiness counts = the agencies'; a region's headcount and profiled ASN are its talent map's
    *(Link(("indikator_wilayah", c, "level == 'NASIONAL'"), ("indikator_instansi", c, ""), on=()) for c in KESIAPAN),
    Link(("peta_total", "jumlah", "level != 'INSTANSI'"), ("indikator_wilayah", "jumlah_asn", ""), on=AREA),
    Link(("indikator_wilayah", "jumlah_terprofil", ""),
         ("peta_talenta", "jumlah", "jenis_jabatan == 'SEMUA' and kotak_talenta >= 1"), on=AREA),
    Link(("indikator_wilayah", "jumlah_kelompok_suksesi", ""),
         ("peta_talenta", "jumlah", "jenis_jabatan == 'SEMUA' and kotak_talenta >= 7"), on=AREA),
    # when the movement's end date is the talent map's date (akhir_acuan; a pair named by vars ends on another
    # date, whose talent map is not this one, and an equation that holds there by chance is no equation): the people of an area now in box b (SEMUA origins) are its talent map's box b, belum terprofil
    # included; the area's ASN now are its peta_total
    *(Link(("peta_talenta", "jumlah", f"jenis_jabatan == 'SEMUA' and kotak_talenta == {b}"),
           ("pergerakan_talenta", "jumlah", f"kotak_asal == '{SEMUA}' and kotak_tujuan == '{b}' and {_AKHIR}"), on=AREA)
      for b in range(1, 10)),
    Link(("peta_talenta", "jumlah", "jenis_jabatan == 'SEMUA' and kotak_talenta != kotak_talenta"),  # NaN: no box
         ("pergerakan_talenta", "jumlah", f"kotak_asal == '{SEMUA}' and kotak_tujuan == 'BELUM_TERPROFIL' and {_AKHIR}"), on=AREA),
    Link(("peta_total", "jumlah", ""),
         ("pergerakan_talenta", "jumlah", f"kotak_asal == '{SEMUA}' and kotak_tujuan not in ('{SEMUA}', 'KELUAR') and {_AKHIR}"),
         on=AREA),
    # a transfer table's row of one agency or province (or the nation) against the movement and the talent map:
    # those entering it (MASUK), those leaving the civil service from it (KELUAR), its ASN at the end date
    Link(("mutasi", "jumlah", "asal == 'MASUK'"),
         ("pergerakan_talenta", "jumlah", f"kotak_asal == 'MASUK' and kotak_tujuan == '{SEMUA}'"), on=AREA),
    Link(("mutasi", "jumlah", "tujuan == 'KELUAR'"),
         ("pergerakan_talenta", "jumlah", f"kotak_asal == '{SEMUA}' and kotak_tujuan == 'KELUAR'"), on=AREA),
    Link(("peta_total", "jumlah", ""),
         ("mutasi", "jumlah", f"asal == '{SEMUA}' and tujuan not in ('{SEMUA}', 'KELUAR') and {_AKHIR}"), on=AREA),
    # everyone at either date, by agency and by province: the same people
    Link(("mutasi", "jumlah", f"jenis == 'INSTANSI' and asal == '{SEMUA}' and tujuan == '{SEMUA}'"),
         ("mutasi", "jumlah", f"jenis == 'PROVINSI' and asal == '{SEMUA}' and tujuan == '{SEMUA}'"), on=()),
]  # fmt: skip
# The mart that publishes each aggregate, and the mart column that shows each count where the names differ.
MARTS = {"peta_talenta": "mart_peta_talenta", "peta_total": "mart_peta_talenta",
         "proyeksi_pensiun": "mart_proyeksi_pensiun", "kesenjangan_kompetensi": "mart_kesenjangan_kompetensi",
         "indikator_instansi": "mart_indikator_instansi", "indikator_wilayah": "mart_indikator_wilayah",
         "pergerakan_talenta": "mart_pergerakan_talenta", "mutasi": "mart_mutasi"}  # fmt: skip
MART_COLUMNS = {
    ("peta_total", "jumlah"): "jumlah_area",
    # counts the indicators publish as a share of the public headcount: the same number, shown or withheld together
    ("indikator_instansi", "jumlah_kelompok_suksesi"): "persen_kelompok_suksesi",
    ("indikator_instansi", "jumlah_siap"): "persen_siap",
    ("indikator_instansi", "jumlah_siap_pengembangan"): "persen_siap_dengan_pengembangan",
    ("indikator_instansi", "jumlah_20jp"): "persen_20jp",
    ("indikator_instansi", "jumlah_sesuai_kualifikasi"): "persen_sesuai_kualifikasi",
    ("indikator_instansi", "jumlah_jabatan_tercakup"): "cakupan_suksesi_persen",
}


# Revision 2, equal opportunity (R14) and the planning aggregates (R16). mart_kesetaraan: per dimension and group,
# its SEMUA row (the area) = the sum of each dimension's groups; that row's headcount is the talent map's area
# total, its readiness counts the indicators' and its managerial posts the talent map's managerial post types. A
# post type's group (dimensi jenis_jabatan) is the talent map's post type in the same area: its headcount, profiled
# and succession counts are the sums of its boxes (all, 1-9, 7-9); its managerial count is its headcount for a
# managerial post type (one more equation: withheld together) and 0 for the others (known to everyone: public).
# mart_kebutuhan_pelatihan: JP_KURANG + JP_TERPENUHI = the area's ASN, JP_TERPENUHI = the indicators' 20 JP (its
# competency rows are kesenjangan_kompetensi's own cells). mart_kenaikan_pangkat: the statuses add up to the area's
# ASN. mart_kumpulan_talenta: a post type's SEMUA row per box = the nation's talent-map cell.
KESETARAAN = ("jumlah_asn", "jumlah_terprofil", "jumlah_kelompok_suksesi", "jumlah_siap", "jumlah_manajerial",
              "jumlah_20jp")  # fmt: skip
KESETARAAN_DIMENSI = ("jenis_kelamin", "kelompok_usia", "status_kepegawaian", "pusat_daerah", "pendidikan",
                      "jenis_jabatan")  # fmt: skip
MANAJERIAL = ("JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS")
_KES_SEMUA = "dimensi == 'SEMUA'"
_KES_JABATAN = "dimensi == 'jenis_jabatan'"
_POST_TYPE = AREA + (("kelompok", "jenis_jabatan"),)  # a post type's group against its talent-map rows
AGGREGATES += [
    Table("kesetaraan", dims=("dimensi", "kelompok"), counts=KESETARAAN,
          public=f"{_KES_SEMUA} and level in ('INSTANSI', 'NASIONAL')", public_counts=("jumlah_asn",),
          zero=(("jumlah_manajerial", f"{_KES_JABATAN} and kelompok not in {list(MANAJERIAL)}"),)),
    Table("kebutuhan_pelatihan", dims=("kebutuhan",), counts=("jumlah",)),
    Table("kenaikan_pangkat", dims=("status_pipeline",), counts=("jumlah",)),
    Table("kumpulan_talenta", dims=("jenis_jabatan", "jenjang", "kotak_talenta"), counts=("jumlah",),
          semua=("jenjang",)),
]  # fmt: skip
LINKS += [
    *(Link(("kesetaraan", c, _KES_SEMUA), ("kesetaraan", c, f"dimensi == '{d}'"), on=AREA)
      for c in KESETARAAN for d in KESETARAAN_DIMENSI),
    Link(("peta_total", "jumlah", ""), ("kesetaraan", "jumlah_asn", _KES_SEMUA), on=AREA),
    *(Link(("indikator_wilayah", c, ""), ("kesetaraan", c, f"{_KES_SEMUA} and level != 'INSTANSI'"), on=AREA)
      for c in ("jumlah_terprofil", "jumlah_kelompok_suksesi", "jumlah_siap", "jumlah_20jp")),
    *(Link(("indikator_instansi", c, ""), ("kesetaraan", c, f"{_KES_SEMUA} and level == 'INSTANSI'"),
           on=("kode_instansi",))
      for c in ("jumlah_terprofil", "jumlah_kelompok_suksesi", "jumlah_siap", "jumlah_20jp")),
    Link(("kesetaraan", "jumlah_manajerial", _KES_SEMUA),
         ("peta_talenta", "jumlah", f"jenis_jabatan in {list(MANAJERIAL)}"), on=AREA),
    Link(("kesetaraan", "jumlah_asn", _KES_JABATAN), ("peta_talenta", "jumlah", "jenis_jabatan != 'SEMUA'"),
         on=_POST_TYPE),
    Link(("kesetaraan", "jumlah_terprofil", _KES_JABATAN),
         ("peta_talenta", "jumlah", "jenis_jabatan != 'SEMUA' and kotak_talenta >= 1"), on=_POST_TYPE),
    Link(("kesetaraan", "jumlah_kelompok_suksesi", _KES_JABATAN),
         ("peta_talenta", "jumlah", "jenis_jabatan != 'SEMUA' and kotak_talenta >= 7"), on=_POST_TYPE),
    Link(("kesetaraan", "jumlah_manajerial", f"{_KES_JABATAN} and kelompok in {list(MANAJERIAL)}"),
         ("kesetaraan", "jumlah_asn", _KES_JABATAN), on=AREA + ("kelompok",)),
    # the area's managerial posts are its managerial post types' headcounts: written out so that the headcount's
    # split into post types implies the short equation area ASN = managerial posts + the other post types
    Link(("kesetaraan", "jumlah_manajerial", _KES_SEMUA),
         ("kesetaraan", "jumlah_asn", f"{_KES_JABATAN} and kelompok in {list(MANAJERIAL)}"), on=AREA),
    Link(("peta_total", "jumlah", ""),
         ("kebutuhan_pelatihan", "jumlah", "kebutuhan in ('JP_KURANG', 'JP_TERPENUHI')"), on=AREA),
    Link(("indikator_wilayah", "jumlah_20jp", ""),
         ("kebutuhan_pelatihan", "jumlah", "kebutuhan == 'JP_TERPENUHI' and level != 'INSTANSI'"), on=AREA),
    Link(("indikator_instansi", "jumlah_20jp", ""),
         ("kebutuhan_pelatihan", "jumlah", "kebutuhan == 'JP_TERPENUHI' and level == 'INSTANSI'"),
         on=("kode_instansi",)),
    Link(("peta_total", "jumlah", ""), ("kenaikan_pangkat", "jumlah", ""), on=AREA),
    *(Link(("peta_talenta", "jumlah", f"level == 'NASIONAL' and jenis_jabatan != 'SEMUA' and kotak_talenta == {b}"),
           ("kumpulan_talenta", "jumlah", f"jenjang == 'SEMUA' and kotak_talenta == {b}"), on=("jenis_jabatan",))
      for b in (7, 8, 9)),
]  # fmt: skip
MARTS |= {"kesetaraan": "mart_kesetaraan", "kebutuhan_pelatihan": "mart_kebutuhan_pelatihan",
          "kenaikan_pangkat": "mart_kenaikan_pangkat", "kumpulan_talenta": "mart_kumpulan_talenta"}  # fmt: skip


def _uniform(cells: Cells, df: pd.DataFrame, t: Table, kind: pd.Series) -> pd.Series:
    rows = cells.frame[(cells.frame["tabel"] == t.name) & cells.frame["kolom"].isin(t.uniform_counts)]
    keys = [c for c in AREA + t.dims if c not in t.uniform]
    group = df.set_index("kunci")[keys].astype("string").fillna("<NULL>").agg("|".join, axis=1)
    g = pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "kolom": rows["kolom"].to_numpy(),
            "grup": group.reindex(rows["kunci"]).to_numpy(),
            "hidden": kind[rows.index].notna().to_numpy(),
        }
    )
    widened = g.groupby(["kolom", "grup"])["hidden"].transform("any").to_numpy() & ~g["hidden"].to_numpy()
    kind = kind.copy()
    kind[g["id"].to_numpy()[widened]] = SEKUNDER
    return kind


def pattern(frames: dict[str, pd.DataFrame], k: int) -> pd.DataFrame:
    """The withheld cells of the aggregates (tabel, kunci, kolom, penekanan): what the marts apply."""
    cells = build_cells(frames, AGGREGATES, LINKS)
    kind = protect(cells, k)
    # hiding more never makes a hidden cell derivable: widen the pattern over the `uniform` dims
    for t in AGGREGATES:
        if t.uniform:
            kind = _uniform(cells, frames[t.name], t, kind)
    kind = show_known(cells, kind)
    hidden = kind.notna()
    out = cells.frame.loc[hidden, ["tabel", "kunci", "kolom"]].assign(penekanan=kind[hidden].astype(str))
    return out.reset_index(drop=True)


def _published_hidden(con, cells: Cells) -> np.ndarray:
    """Which cells the marts in the working warehouse show as NULL (read from the marts themselves, not from the
    pattern, so that a mart that forgets to apply it is caught)."""
    frames = []
    for t in AGGREGATES:
        mart = MARTS[t.name]
        mart_columns = {c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
            [mart]).fetchall()}  # fmt: skip
        keys = [c for c in (AREA if t.by_area else ()) + t.dims if c in mart_columns]
        on = " and ".join(f"a.{c} is not distinct from m.{c}" for c in keys) or "true"
        for col in t.counts:
            shown = MART_COLUMNS.get((t.name, col), col)
            frames.append(
                con.execute(
                    f"select '{t.name}' as tabel, a.kunci, '{col}' as kolom, bool_or(m.{shown} is null) as tersembunyi "
                    f"from agregat.agr_{t.name} as a left join marts.{mart} as m on {on} group by a.kunci"
                ).df()
            )
    shown = pd.concat(frames, ignore_index=True)
    merged = cells.frame[["tabel", "kunci", "kolom"]].merge(shown, on=["tabel", "kunci", "kolom"], how="left")
    return merged["tersembunyi"].fillna(True).to_numpy(dtype=bool)


def audit_warehouse(con, k: int) -> dict:
    """The audit of the aggregates as the marts publish them: every small cell hidden, no hidden cell given back.
    Returns the leaks (a frame, empty when safe), the small cells shown, and the shares hidden."""
    frames = {t.name: con.execute(f"select * from agregat.agr_{t.name}").df() for t in AGGREGATES}
    cells = build_cells(frames, AGGREGATES, LINKS)
    hidden = _published_hidden(con, cells)
    small_shown = primary(cells, k) & ~hidden
    leaks = audit(cells, hidden, cells.frame["nilai"].to_numpy())
    kind = pd.Series(
        np.where(primary(cells, k), PRIMER, np.where(hidden, SEKUNDER, None)), index=cells.frame.index
    )
    return {
        "bocor": leaks,
        "sel_kecil_tampil": cells.frame.loc[small_shown, ["tabel", "kunci", "kolom", "nilai"]],
        "persamaan": int(cells.eq["persamaan"].nunique()),
        "persamaan_tidak_berlaku": cells.dropped_equations,
        **shares(cells, kind),
    }
