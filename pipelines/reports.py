"""Reports people would rather look at than read, rebuilt after each publish under PROASN_HOME/reports.

index.html: the national nine-box heatmap, profiling coverage by province, readiness by jenis_jabatan and
the retirement projection; kualitas/<kode_instansi>.html: each agency's data-quality report. What the
published aggregates hold is read from them (pseudonymous, suppressed); the two figures they do not hold
(readiness by jenis_jabatan nationally, retirements by year nationally) are counted on the working warehouse's
person-level mart, the pipeline's own, and suppressed here. Counts of 1..k-1 people are never shown.
"""

import datetime as dt
import html
import os
from pathlib import Path

import duckdb

# Rows: potensial TINGGI at the top; columns: kinerja DI_BAWAH .. DI_ATAS (PermenPANRB 3/2020 layout).
NINE_BOX_LAYOUT = ((6, 8, 9), (3, 5, 7), (1, 2, 4))
KINERJA = ("DI_BAWAH", "SESUAI", "DI_ATAS")
POTENSIAL = ("TINGGI", "MENENGAH", "RENDAH")

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th{background:#f3f3f3}
td.l,th.l{text-align:left}.box{width:9rem;height:5rem;text-align:center;vertical-align:middle}
.box b{font-size:1.3rem;display:block}.note{color:#666;font-size:.85rem}
"""


def shown(count: int | None, k: int) -> str:
    """A count as published: 1..k-1 (or already suppressed) is shown as '<k'."""
    if count is None or 0 < count < k:
        return f"&lt;{k}"
    return f"{count:,}".replace(",", ".")


def _bars(rows: list[tuple[str, float | None]], unit: str = "%", width: int = 420) -> str:
    """A horizontal SVG bar chart: one (label, value) per bar; None draws no bar ('ditekan')."""
    top = max([v for _, v in rows if v is not None] or [1]) or 1
    height = 22 * len(rows) + 10
    parts = [f'<svg width="{width + 330}" height="{height}" role="img">']
    for i, (label, value) in enumerate(rows):
        y = 5 + 22 * i
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="230" y="{y + 14}" font-size="12" fill="#999">ditekan</text>')
            continue
        bar = max(1, int(width * value / top))
        parts.append(f'<rect x="230" y="{y + 2}" width="{bar}" height="16" fill="#2b6cb0"/>')
        label_value = f"{value:,.1f}{unit}" if unit == "%" else f"{int(value):,}"
        parts.append(f'<text x="{236 + bar}" y="{y + 14}" font-size="12">{label_value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def nine_box(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int | None, float | None]]:
    rows = con.execute(
        "select kotak_talenta, jumlah, persen::double from mart_peta_talenta "
        "where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' and kotak_talenta is not null"
    ).fetchall()
    return {int(box): (jumlah, persen) for box, jumlah, persen in rows}


def nine_box_markdown(boxes: dict, k: int) -> str:
    lines = ["| potensial \\ kinerja | " + " | ".join(KINERJA) + " |", "|---|---|---|---|"]
    for potensial, row in zip(POTENSIAL, NINE_BOX_LAYOUT, strict=True):
        cells = []
        for box in row:
            jumlah, persen = boxes.get(box, (0, 0.0))
            cells.append(
                f"kotak {box}: {shown(jumlah, k).replace('&lt;', '<')} ({persen if persen is not None else '-'}%)"
            )
        lines.append(f"| {potensial} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _nine_box_html(boxes: dict, k: int) -> str:
    top = max([p for _, p in boxes.values() if p is not None] or [1]) or 1
    out = ["<table><tr><th>potensial \\ kinerja</th>" + "".join(f"<th>{c}</th>" for c in KINERJA) + "</tr>"]
    for potensial, row in zip(POTENSIAL, NINE_BOX_LAYOUT, strict=True):
        out.append(f"<tr><th>{potensial}</th>")
        for box in row:
            jumlah, persen = boxes.get(box, (0, 0.0))
            shade = 0.1 + 0.8 * ((persen or 0) / top)
            colour = "#fff" if shade > 0.55 else "#222"
            pct = "ditekan" if persen is None else f"{persen:.1f}%"
            out.append(
                f'<td class="box" style="background:rgba(43,108,176,{shade:.2f});color:{colour}">'
                f"kotak {box}<b>{pct}</b>{shown(jumlah, k)} ASN</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def build_reports(
    published_path: Path, reports_dir: Path, k: int, warehouse: duckdb.DuckDBPyConnection
) -> dict:
    """Write index.html and one data-quality page per agency; return figures for the asset's metadata.
    `warehouse`: a connection to the working warehouse, for the national person-level counts."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    quality_dir = reports_dir / "kualitas"
    quality_dir.mkdir(exist_ok=True)
    with duckdb.connect(str(published_path), read_only=True) as con:
        tanggal_acuan = con.execute("select max(tanggal_acuan) from mart_peta_talenta").fetchall()[0][0]
        boxes = nine_box(con)
        # Coverage = 100 - the share of the not-profiled row (kotak NULL); NULL when that cell is suppressed.
        coverage = con.execute(
            """select kode_provinsi || ' ' || nama_area, (100 - persen)::double from mart_peta_talenta
               where level = 'PROVINSI' and jenis_jabatan = 'SEMUA' and kotak_talenta is null order by 1"""
        ).fetchall()
        files = con.execute(
            """select kode_instansi, tanggal_ekstrak, entity, status, baris_dibaca, baris_dimuat, baris_karantina,
                      pesan from mart_kualitas_data order by kode_instansi, tanggal_ekstrak, entity"""
        ).fetchall()
        names = dict(con.execute("select kode_instansi, nama_instansi from dim_instansi").fetchall())
        # the published national rows, withheld cells included as withheld (R12: what the marts hide, the
        # report hides too)
        pension = con.execute(
            """select tahun, jumlah_pensiun from mart_proyeksi_pensiun
               where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' order by tahun"""
        ).fetchall()
    readiness = warehouse.execute(
        """select jenis_jabatan, kategori_kesiapan, count(*) from marts.mart_talenta_asn
           group by all order by all"""
    ).fetchall()

    readiness_rows = [
        (f"{jabatan} · {kategori}", None if 0 < n < k else float(n)) for jabatan, kategori, n in readiness
    ]
    pension_rows = [(str(tahun), None if n is None else float(n)) for tahun, n in pension]
    index = [
        f"<!doctype html><html lang='id'><meta charset='utf-8'><title>ProASN: peta talenta nasional</title>"
        f"<style>{STYLE}</style><h1>ProASN: peta talenta nasional</h1>",
        f"<p class='note'>Tanggal acuan {tanggal_acuan}. Dibuat {dt.datetime.now().isoformat(timespec='minutes')}. "
        f"Jumlah 1 sampai {k - 1} orang ditekan (ditampilkan sebagai &lt;{k}).</p>",
        "<h2>Kotak manajemen talenta (PermenPANRB 3/2020), nasional, semua jabatan</h2>",
        _nine_box_html(boxes, k),
        "<h2>Cakupan profil per provinsi (% ASN yang sudah terprofil)</h2>",
        _bars(coverage),
        "<h2>Kesiapan merit per jenis jabatan (jumlah ASN)</h2>",
        _bars(readiness_rows, unit=""),
        "<h2>Proyeksi pensiun nasional, 10 tahun ke depan (jumlah ASN per tahun TMT pensiun)</h2>",
        _bars(pension_rows, unit=""),
        "<h2>Laporan kualitas data per instansi</h2><ul>",
    ]
    by_agency: dict[str, list] = {}
    for row in files:
        by_agency.setdefault(row[0] or "(tanpa instansi)", []).append(row)
    for kode, rows in by_agency.items():
        safe = "".join(ch for ch in kode if ch.isalnum()) or "tanpa_instansi"
        index.append(
            f"<li><a href='kualitas/{safe}.html'>{html.escape(kode)} {html.escape(names.get(kode, ''))}</a></li>"
        )
        page = [
            f"<!doctype html><html lang='id'><meta charset='utf-8'><title>Kualitas data {html.escape(kode)}</title>"
            f"<style>{STYLE}</style><h1>Kualitas data: {html.escape(kode)} {html.escape(names.get(kode, ''))}</h1>",
            "<table><tr><th class='l'>tanggal ekstrak</th><th class='l'>entitas</th><th class='l'>status</th>"
            "<th>dibaca</th><th>dimuat</th><th>dikarantina</th><th class='l'>pesan</th></tr>",
        ]
        for _, tanggal, entity, status, read, loaded, quarantined, pesan in rows:
            page.append(
                f"<tr><td class='l'>{tanggal}</td><td class='l'>{html.escape(str(entity))}</td>"
                f"<td class='l'>{status}</td><td>{read}</td><td>{loaded}</td><td>{quarantined}</td>"
                f"<td class='l'>{html.escape(pesan or '')}</td></tr>"
            )
        page.append("</table>")
        _write(quality_dir / f"{safe}.html", "".join(page))
    index.append("</ul></html>")
    _write(reports_dir / "index.html", "".join(index))
    return {"boxes": boxes, "agencies": len(by_agency), "tanggal_acuan": tanggal_acuan}


def _write(path: Path, text: str) -> None:
    """Replace the file atomically so a browser never shows half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
