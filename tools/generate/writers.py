"""Writing one file: the numeric frame formatted to the contract's text columns in DuckDB, the
injections applied, then CSV (DuckDB COPY) or XLSX (xlsxwriter); the manifest rows noted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines import contract as C
from tools.generate.injections import (
    DATE_COLS,
    FILE_KINDS_CSV,
    FILE_KINDS_XLSX,
    KINDS,
    RARE_DEFECTS,
    ROW_DEFECTS,
    ROW_VARIANTS,
    ROW_WARNINGS,
    WARNING_ENTITIES,
    _header_variant,
    _Injector,
)
from tools.generate.reference import (
    ENTITY_NAMES,
    HISTORY,
    JENIS,
    JENIS_PEL,
    JENJANG,
    KENAIKAN,
    METODE,
    PEND,
    PENILAIAN,
    PREDIKAT,
    STATUS,
    TINGKAT,
    _Ref,
)


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
    elif entity == "riwayat_pendidikan":
        cols = {
            "nip": nip, "jenjang": code(_lst(PEND), "jenjang"), "program_studi": txt("prodi"),
            "nama_institusi": txt("inst"), "tahun_lulus": "f.tahun::VARCHAR",
            "nomor_ijazah": "CASE WHEN f.ijazah > 0 THEN 'DN-' || lpad(f.ijazah::VARCHAR, 5, '0') END",
        }  # fmt: skip
    else:
        cols = {
            "nip": nip, "tingkat": code(_lst(TINGKAT), "tingkat"), "jenis": txt("jenis"),
            "tmt_mulai": d("mulai"), "tmt_selesai": d("selesai"), "nomor_sk": sk.format("862", "mulai"),
        }  # fmt: skip
    assert tuple(cols) == C.ENTITIES[entity].column_names, entity
    select = ", ".join(f"{expr} AS {name}" for name, expr in cols.items())
    return f"SELECT f.rid, {select} FROM f {' '.join(joins)}"


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
                int(rng.binomial(n, self.rate / 2)) if entity in WARNING_ENTITIES else 0,
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
                if kind in ("duplicate_nip", "duplicate_skp", "duplicate_pendidikan", "orphan_nip"):
                    ok = {"duplicate_nip": entity == "pegawai", "duplicate_skp": entity == "skp",
                          "duplicate_pendidikan": entity == "riwayat_pendidikan",
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
