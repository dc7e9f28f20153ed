"""Reports people would rather look at than read, rebuilt after each publish under PROASN_HOME/reports.

index.html: the national nine-box heatmap, profiling coverage by province, readiness by jenis_jabatan and
the retirement projection; pergerakan.html: the national movement matrix between the two latest kept dates (R15)
as a heatmap; kualitas/<kode_instansi>.html: each agency's data-quality report. What the
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

# What readers see instead of the codes (the codes stay in the published tables).
LABELS = {
    "DI_BAWAH": "Di bawah ekspektasi",
    "SESUAI": "Sesuai ekspektasi",
    "DI_ATAS": "Di atas ekspektasi",
    "TINGGI": "Tinggi",
    "MENENGAH": "Menengah",
    "RENDAH": "Rendah",
    "JPT_UTAMA": "JPT Utama",
    "JPT_MADYA": "JPT Madya",
    "JPT_PRATAMA": "JPT Pratama",
    "ADMINISTRATOR": "Administrator",
    "PENGAWAS": "Pengawas",
    "FUNGSIONAL": "Fungsional",
    "PELAKSANA": "Pelaksana",
    "SIAP": "Siap",
    "SIAP_DENGAN_PENGEMBANGAN": "Siap dengan pengembangan",
    "BELUM_SIAP": "Belum siap",
    "TIDAK_DAPAT_DINILAI": "Tidak dapat dinilai",
    "DIMUAT": "Dimuat",
    "DITOLAK": "Ditolak",
    "DIABAIKAN": "Diabaikan",
    "DUPLIKAT": "Duplikat",
    "hukuman_disiplin": "hukuman disiplin",
    "riwayat_golongan": "riwayat golongan",
    "riwayat_jabatan": "riwayat jabatan",
    "riwayat_pelatihan": "riwayat pelatihan",
    "riwayat_pendidikan": "riwayat pendidikan",
}
JABATAN_ORDER = (
    "JPT_UTAMA",
    "JPT_MADYA",
    "JPT_PRATAMA",
    "ADMINISTRATOR",
    "PENGAWAS",
    "FUNGSIONAL",
    "PELAKSANA",
)
KESIAPAN_ORDER = ("SIAP", "SIAP_DENGAN_PENGEMBANGAN", "BELUM_SIAP", "TIDAK_DAPAT_DINILAI")

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.35rem .7rem;text-align:right}th{background:#f3f3f3}
td.l,th.l{text-align:left}.nowrap{white-space:nowrap}.box{width:11rem;height:5.2rem;text-align:center;vertical-align:middle}
.box b{font-size:1.3rem;display:block}.belum{text-align:left;background:#f7f1e3}.note{color:#555;font-size:.9rem}
nav{font-size:.95rem;margin-bottom:1rem}nav a{margin-right:1.2rem}.ringkasan{background:#f3f7fb;padding:.6rem 1rem}
tr.terkini td{background:#eef7ee}.tanda{color:#1f6f2b;font-weight:600}.ditolak{color:#a40000;font-weight:600}
.agencies{columns:2;padding-left:1.2rem}.agencies li{break-inside:avoid;margin:.15rem 0}
"""

# The national report's pages beside index.html link to each other with this bar.
SUBPAGE_NAV = (
    "<nav><a href='index.html'>Peta talenta</a><a href='pergerakan.html'>Pergerakan talenta</a>"
    "<a href='kesetaraan.html'>Kesetaraan kesempatan</a><a href='perencanaan.html'>Perencanaan</a></nav>"
)


def label(code: str | None) -> str:
    """The Indonesian label of a code; an unknown code as it is, without underscores."""
    if code is None:
        return "-"
    return LABELS.get(code, code.replace("_", " "))


def number(value: int | float) -> str:
    """A whole number with Indonesian thousands separators (1.234)."""
    return f"{int(value):,}".replace(",", ".")


def percent(value: float) -> str:
    """A share with an Indonesian decimal comma (14,7%)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def shown(count: int | None, k: int) -> str:
    """A count as published: 1..k-1 (or already suppressed) is shown as '<k'."""
    if count is None or 0 < count < k:
        return f"&lt;{k}"
    return number(count)


def _bars(rows: list[tuple[str, float | None]], unit: str = "%", width: int = 420) -> str:
    """A horizontal SVG bar chart: one (label, value) per bar; None draws no bar ('ditekan'). The label
    column is as wide as the longest label, so labels never run into the bars."""
    top = max([v for _, v in rows if v is not None] or [1]) or 1
    left = 16 + 7 * max([len(text) for text, _ in rows] or [10])
    height = 24 * len(rows) + 10
    parts = [
        f'<svg width="{left + width + 90}" height="{height}" role="img" font-family="system-ui,sans-serif">'
    ]
    for i, (text, value) in enumerate(rows):
        y = 5 + 24 * i
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(text)}</text>')
        if value is None:
            parts.append(f'<text x="{left}" y="{y + 14}" font-size="12" fill="#777">ditekan</text>')
            continue
        bar = max(1, int(width * value / top))
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{bar}" height="16" fill="#2b6cb0"/>')
        value_text = percent(value) if unit == "%" else number(value)
        parts.append(f'<text x="{left + bar + 6}" y="{y + 14}" font-size="12">{value_text}</text>')
    parts.append("</svg>")
    return "".join(parts)


def nine_box(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int | None, float | None]]:
    rows = con.execute(
        "select kotak_talenta, jumlah, persen::double from mart_peta_talenta "
        "where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' and kotak_talenta is not null"
    ).fetchall()
    return {int(box): (jumlah, persen) for box, jumlah, persen in rows}


def unprofiled(con: duckdb.DuckDBPyConnection) -> tuple[int | None, float | None]:
    """The national 'belum terprofil' cell (no talent box): the share the nine boxes leave to 100%."""
    row = con.execute(
        "select jumlah, persen::double from mart_peta_talenta "
        "where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' and kotak_talenta is null"
    ).fetchall()
    return row[0] if row else (0, 0.0)


def nine_box_markdown(boxes: dict, k: int, belum: tuple[int | None, float | None] | None = None) -> str:
    lines = ["| potensial \\ kinerja | " + " | ".join(label(c) for c in KINERJA) + " |", "|---|---|---|---|"]
    for potensial, row in zip(POTENSIAL, NINE_BOX_LAYOUT, strict=True):
        cells = []
        for box in row:
            jumlah, persen = boxes.get(box, (0, 0.0))
            cells.append(
                f"kotak {box}: {shown(jumlah, k).replace('&lt;', '<')} ({percent(persen) if persen is not None else 'ditekan'})"
            )
        lines.append(f"| {label(potensial)} | " + " | ".join(cells) + " |")
    if belum is not None:
        jumlah, persen = belum
        share = percent(persen) if persen is not None else "ditekan"
        lines.append(f"| belum terprofil | {shown(jumlah, k).replace('&lt;', '<')} ({share}) | | |")
    return "\n".join(lines)


def _nine_box_html(boxes: dict, k: int, belum: tuple[int | None, float | None]) -> str:
    top = max([p for _, p in boxes.values() if p is not None] or [1]) or 1
    out = [
        "<table><tr><th class='l'>Potensial &darr; / Kinerja &rarr;</th>"
        + "".join(f"<th class='nowrap' style='text-align:center'>{label(c)}</th>" for c in KINERJA)
        + "</tr>"
    ]
    for potensial, row in zip(POTENSIAL, NINE_BOX_LAYOUT, strict=True):
        out.append(f"<tr><th>{label(potensial)}</th>")
        for box in row:
            jumlah, persen = boxes.get(box, (0, 0.0))
            shade = 0.1 + 0.8 * ((persen or 0) / top)
            colour = "#fff" if shade > 0.55 else "#222"
            pct = "ditekan" if persen is None else percent(persen)
            out.append(
                f'<td class="box" style="background:rgba(43,108,176,{shade:.2f});color:{colour}">'
                f"Kotak {box}<b>{pct}</b>{shown(jumlah, k)} ASN</td>"
            )
        out.append("</tr>")
    jumlah, persen = belum
    pct = "ditekan" if persen is None else percent(persen)
    out.append(
        f"<tr><th>Belum terprofil</th><td class='belum' colspan='3'><b>{pct}</b> ({shown(jumlah, k)} ASN): "
        "tanpa kotak talenta: data kinerja (SKP) atau potensial yang dibutuhkan belum ada.</td></tr></table>"
    )
    shares = [p for _, p in boxes.values()] + [persen]
    if all(p is not None for p in shares):
        out.append(
            f"<p class='note'>Sembilan kotak dan belum terprofil berjumlah {percent(sum(shares))} "
            "dari seluruh ASN (pembulatan per sel).</p>"
        )
    return "".join(out)


def _readiness_html(readiness: list[tuple[str, str, int]], k: int) -> str:
    """Readiness per post type as a table: one row per jenis jabatan, one column per category, each count
    with a bar of its own; counts of 1..k-1 shown as '<k'."""
    counts = {(jabatan, kategori): n for jabatan, kategori, n in readiness}
    jabatan_seen = {j for j, _ in counts}
    rows = [j for j in JABATAN_ORDER if j in jabatan_seen] + sorted(jabatan_seen - set(JABATAN_ORDER))
    top = max([n for n in counts.values() if n >= k] or [1])
    out = [
        "<table><tr><th class='l'>Jenis jabatan</th>"
        + "".join(f"<th class='l'>{label(c)}</th>" for c in KESIAPAN_ORDER)
        + "</tr>"
    ]
    for jabatan in rows:
        out.append(f"<tr><th class='l nowrap'>{label(jabatan)}</th>")
        for kategori in KESIAPAN_ORDER:
            n = counts.get((jabatan, kategori), 0)
            bar = int(120 * n / top) if n >= k else 0
            out.append(
                f"<td class='l nowrap'><span style='display:inline-block;width:{bar}px;height:.8rem;"
                f"background:#2b6cb0;margin-right:.4rem'></span>{shown(n, k) if n else '0'}</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# The movement matrix (R15): rows are the box at the earlier date, columns the box at the later one.
ASAL_ORDER = tuple(str(b) for b in range(1, 10)) + ("BELUM_TERPROFIL", "MASUK", "SEMUA")
TUJUAN_ORDER = tuple(str(b) for b in range(1, 10)) + ("BELUM_TERPROFIL", "KELUAR", "SEMUA")
GERAK_LABELS = {"BELUM_TERPROFIL": "Belum terprofil", "MASUK": "Belum ASN (masuk)", "KELUAR": "Bukan ASN lagi (keluar)",
                "SEMUA": "Semua"}  # fmt: skip


def _gerak_label(code: str) -> str:
    return GERAK_LABELS.get(code, f"Kotak {code}")


def movement_matrix(con: duckdb.DuckDBPyConnection) -> dict:
    """The national movement matrix as published (withheld cells as None): (awal, akhir, {(asal, tujuan): (jumlah,
    persen_asal)}); awal None when no two dates are kept yet."""
    rows = con.execute(
        """select tanggal_acuan_awal, tanggal_acuan_akhir, kotak_asal, kotak_tujuan, jumlah, persen_asal::double
           from mart_pergerakan_talenta where level = 'NASIONAL'"""
    ).fetchall()
    if not rows:
        return {"awal": None, "akhir": None, "sel": {}}
    return {"awal": rows[0][0], "akhir": rows[0][1], "sel": {(a, t): (n, p) for _, _, a, t, n, p in rows}}


def _movement_html(matrix: dict, k: int) -> str:
    """The matrix as a heatmap table: each cell shaded by the share of its row (the people of that box at the
    earlier date) who are in the column's box at the later date; withheld cells grey."""
    if matrix["awal"] is None:
        return "<p>Belum ada dua tanggal acuan yang tersimpan: matriks pergerakan muncul setelah pembaruan berikutnya.</p>"
    out = [
        "<table><tr><th class='l'>Dari &darr; / Ke &rarr;</th>"
        + "".join(f"<th style='text-align:center'>{_gerak_label(t)}</th>" for t in TUJUAN_ORDER)
        + "</tr>"
    ]
    for asal in ASAL_ORDER:
        out.append(f"<tr><th class='l nowrap'>{_gerak_label(asal)}</th>")
        for tujuan in TUJUAN_ORDER:
            jumlah, persen = matrix["sel"].get((asal, tujuan), (0, None))
            if jumlah is None:
                out.append("<td style='background:#e2e2e2;color:#666;text-align:center'>ditekan</td>")
                continue
            share = 0.0 if persen is None or tujuan == "SEMUA" else persen / 100
            shade = 0.05 + 0.85 * share if jumlah else 0.0
            colour = "#fff" if shade > 0.55 else "#222"
            pct = "" if persen is None or tujuan == "SEMUA" else f"<br><small>{percent(persen)}</small>"
            out.append(
                f"<td style='background:rgba(43,108,176,{shade:.2f});color:{colour};text-align:center'>"
                f"{shown(jumlah, k) if jumlah else '0'}{pct}</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _movement_page(matrix: dict, k: int, tanggal_acuan) -> str:
    period = (
        f"dari <span class='nowrap'>{matrix['awal']}</span> ke <span class='nowrap'>{matrix['akhir']}</span>"
        if matrix["awal"] is not None
        else ""
    )
    return _page(
        "ProASN: pergerakan talenta",
        [
            SUBPAGE_NAV,
            f"<h1>Pergerakan talenta nasional {period}</h1>",
            f"<p class='note'>Tanggal acuan <span class='nowrap'>{tanggal_acuan}</span>. Baris: kotak talenta pada "
            "tanggal acuan sebelumnya; kolom: kotak pada tanggal acuan terakhir. Angka: jumlah ASN; persentase: "
            "bagian dari baris (ASN kotak asal). &ldquo;Belum ASN&rdquo;: belum tercatat pada tanggal sebelumnya "
            "(ASN baru, atau instansinya belum mengirim data); &ldquo;bukan ASN lagi&rdquo;: tidak tercatat lagi "
            f"(pensiun, berhenti, atau tidak ada di kiriman terbaru). Jumlah 1 sampai {k - 1} orang ditekan "
            f"(&lt;{k}), begitu pula sel yang dapat membukanya kembali (&ldquo;ditekan&rdquo;).</p>",
            _movement_html(matrix, k),
        ],
    )


def _page(title: str, body: list[str]) -> str:
    return (
        f"<!doctype html><html lang='id'><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style>" + "".join(body) + "</html>"
    )


def _quality_page(kode: str, nama: str, rows: list, neighbours: tuple, names: dict, tanggal_acuan) -> str:
    """One agency's data-quality page: a summary, every file with the current ones marked, links back and to
    the agencies before and after it."""
    previous, following = neighbours
    nav = ["<nav><a href='../index.html'>&larr; Peta talenta nasional</a>"]
    if previous:
        nav.append(f"<a href='{_page_name(previous)}.html'>&lsaquo; {html.escape(previous)} "
                   f"{html.escape(names.get(previous, ''))}</a>")  # fmt: skip
    if following:
        nav.append(f"<a href='{_page_name(following)}.html'>{html.escape(following)} "
                   f"{html.escape(names.get(following, ''))} &rsaquo;</a>")  # fmt: skip
    nav.append("</nav>")
    current = [r for r in rows if r[8]]
    read = sum(r[4] or 0 for r in current)
    quarantined = sum(r[6] or 0 for r in current)
    warnings = sum(r[9] or 0 for r in current)
    rejected = sum(1 for r in rows if r[3] == "DITOLAK")
    share = f" ({percent(100 * quarantined / read)} dari baris yang dibaca)" if read else ""
    newest = max((r[1] for r in current if r[1] is not None), default=None)
    summary = (
        f"<p class='ringkasan'><b>Ringkasan.</b> {number(len(rows))} berkas diterima, {number(len(current))} "
        f"di antaranya berkas terkini yang dipakai dalam perhitungan, {number(rejected)} ditolak. Pada berkas "
        f"terkini: {number(read)} baris dibaca, {number(sum(r[5] or 0 for r in current))} dimuat, "
        f"{number(quarantined)} dikarantina{share}, {number(warnings)} peringatan (baris yang dimuat tetapi perlu "
        f"diperiksa; rinciannya ada di lembar kualitas data paket instansi). Ekstrak terbaru: "
        f"<span class='nowrap'>{newest or '-'}</span>; tanggal acuan <span class='nowrap'>{tanggal_acuan}</span>.</p>"
    )
    table = [
        "<table><tr><th class='l nowrap'>Tanggal ekstrak</th><th class='l'>Entitas</th><th class='l'>Status</th>"
        "<th class='l'>Terkini</th><th>Dibaca</th><th>Dimuat</th><th>Dikarantina</th><th>Peringatan</th>"
        "<th class='l'>Pesan</th></tr>"
    ]
    for _, tanggal, entity, status, read_n, loaded, quarantined_n, pesan, terkini, warnings_n in rows:
        status_class = " ditolak" if status == "DITOLAK" else ""
        table.append(
            f"<tr class='{'terkini' if terkini else ''}'><td class='l nowrap'>{tanggal or '-'}</td>"
            f"<td class='l nowrap'>{html.escape(label(entity))}</td>"
            f"<td class='l nowrap{status_class}'>{label(status)}</td>"
            f"<td class='l nowrap'>{'<span class=tanda>&#10003; terkini</span>' if terkini else ''}</td>"
            f"<td>{number(read_n or 0)}</td><td>{number(loaded or 0)}</td><td>{number(quarantined_n or 0)}</td>"
            f"<td>{number(warnings_n or 0)}</td><td class='l'>{html.escape(pesan or '')}</td></tr>"
        )
    table.append("</table>")
    note = (
        "<p class='note'>Baris berlatar hijau (&#10003; terkini) adalah berkas terkini instansi untuk entitas itu "
        "pada tanggal acuan: hanya berkas itu yang dihitung. Berkas lain tetap dicatat sebagai riwayat.</p>"
    )
    title = f"Kualitas data: {kode} {nama}".strip()
    return _page(title, [*nav, f"<h1>{html.escape(title)}</h1>", summary, note, *table])


def _page_name(kode: str) -> str:
    return "".join(ch for ch in kode if ch.isalnum()) or "tanpa_instansi"


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
        belum = unprofiled(con)
        # Coverage = 100 - the share of the not-profiled row (kotak NULL); NULL when that cell is suppressed.
        coverage = con.execute(
            """select kode_provinsi || ' ' || nama_area, (100 - persen)::double from mart_peta_talenta
               where level = 'PROVINSI' and jenis_jabatan = 'SEMUA' and kotak_talenta is null order by 1"""
        ).fetchall()
        files = con.execute(
            """select kode_instansi, tanggal_ekstrak, entity, status, baris_dibaca, baris_dimuat, baris_karantina,
                      pesan, berkas_terkini, jumlah_peringatan
               from mart_kualitas_data order by kode_instansi, tanggal_ekstrak, entity"""
        ).fetchall()
        names = dict(con.execute("select kode_instansi, nama_instansi from dim_instansi").fetchall())
        # the published national rows, withheld cells included as withheld (R12: what the marts hide, the
        # report hides too)
        movement = movement_matrix(con)
        pension = con.execute(
            """select tahun, jumlah_pensiun from mart_proyeksi_pensiun
               where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' order by tahun"""
        ).fetchall()
    readiness = warehouse.execute(
        """select jenis_jabatan, kategori_kesiapan, count(*) from marts.mart_talenta_asn
           group by all order by all"""
    ).fetchall()

    pension_rows = [(str(tahun), None if n is None else float(n)) for tahun, n in pension]
    by_agency: dict[str, list] = {}
    for row in files:
        by_agency.setdefault(row[0] or "(tanpa instansi)", []).append(row)
    codes = list(by_agency)
    made = dt.datetime.now().strftime("%Y-%m-%d %H.%M")
    index = [
        "<nav><a href='#kotak'>Kotak talenta</a><a href='#cakupan'>Cakupan profil</a>"
        "<a href='#kesiapan'>Kesiapan merit</a><a href='#pensiun'>Proyeksi pensiun</a>"
        "<a href='#kualitas'>Kualitas data per instansi</a><a href='pergerakan.html'>Pergerakan talenta</a>"
        "<a href='kesetaraan.html'>Kesetaraan kesempatan</a><a href='perencanaan.html'>Perencanaan</a>"
        + (
            "<a href='dbt-docs.html'>Dokumentasi tabel</a>"
            if (reports_dir / "dbt-docs.html").exists()
            else ""
        )
        + "</nav><h1>ProASN: peta talenta nasional</h1>",
        f"<p class='note'>Tanggal acuan <span class='nowrap'>{tanggal_acuan}</span>. Dibuat "
        f"<span class='nowrap'>{made}</span>. Jumlah 1 sampai {k - 1} orang ditekan (ditampilkan sebagai "
        f"&lt;{k}), begitu pula sel yang dapat membukanya kembali (ditampilkan sebagai &ldquo;ditekan&rdquo;).</p>",
        "<h2 id='kotak'>Kotak manajemen talenta (PermenPANRB 3/2020), nasional, semua jabatan</h2>",
        "<p class='note'>Persentase dari seluruh ASN, termasuk yang belum terprofil.</p>",
        _nine_box_html(boxes, k, belum),
        "<h2 id='cakupan'>Cakupan profil per provinsi (% ASN yang sudah terprofil)</h2>",
        _bars(coverage),
        "<h2 id='kesiapan'>Kesiapan merit per jenis jabatan (jumlah ASN)</h2>",
        "<p class='note'>&ldquo;Tidak dapat dinilai&rdquo;: ASN yang belum terprofil (tanpa kotak talenta).</p>",
        _readiness_html(readiness, k),
        "<h2 id='pensiun'>Proyeksi pensiun nasional, 10 tahun ke depan (jumlah ASN per tahun TMT pensiun)</h2>",
        _bars(pension_rows, unit=""),
        "<h2 id='kualitas'>Laporan kualitas data per instansi</h2><ul class='agencies'>",
    ]
    for i, kode in enumerate(codes):
        rows = by_agency[kode]
        index.append(
            f"<li><a href='kualitas/{_page_name(kode)}.html'>{html.escape(kode)} "
            f"{html.escape(names.get(kode, ''))}</a></li>"
        )
        neighbours = (codes[i - 1] if i else None, codes[i + 1] if i + 1 < len(codes) else None)
        page = _quality_page(kode, names.get(kode, ""), rows, neighbours, names, tanggal_acuan)
        _write(quality_dir / f"{_page_name(kode)}.html", page)
    index.append("</ul>")
    _write(reports_dir / "index.html", _page("ProASN: peta talenta nasional", index))
    _write(reports_dir / "pergerakan.html", _movement_page(movement, k, tanggal_acuan))
    return {
        "boxes": boxes,
        "belum_terprofil": belum,
        "agencies": len(by_agency),
        "tanggal_acuan": tanggal_acuan,
        "pergerakan": movement,
    }


def _write(path: Path, text: str) -> None:
    """Replace the file atomically so a browser never shows half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
