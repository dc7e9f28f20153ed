"""The equal-opportunity (R14) and planning (R16) report pages, rebuilt with the other reports after each publish
(reports/kesetaraan.html, reports/perencanaan.html), and the headline numbers the new marts' Dagster assets show.
Everything is read from the published aggregates: withheld cells stay withheld ("ditekan")."""

import datetime as dt
import html
from pathlib import Path

import duckdb

from pipelines.reports import LABELS, SUBPAGE_NAV, _page, _write, number, percent

DIMENSI = {
    "jenis_kelamin": "Jenis kelamin",
    "kelompok_usia": "Kelompok usia",
    "status_kepegawaian": "Status kepegawaian",
    "pusat_daerah": "Instansi pusat / daerah",
    "pendidikan": "Pendidikan tertinggi",
    "jenis_jabatan": "Jenis jabatan",
}
KELOMPOK = {"L": "Laki-laki", "P": "Perempuan", "KURANG_30": "< 30 tahun", "30_39": "30-39 tahun",
            "40_49": "40-49 tahun", "50_KE_ATAS": ">= 50 tahun", "PUSAT": "Pusat", "DAERAH": "Daerah",
            "TIDAK_DIKETAHUI": "Tidak diketahui"}  # fmt: skip
STATUS_PANGKAT = {
    "LAYAK": "Layak sekarang",
    "LAYAK_12_BULAN": "Layak dalam 12 bulan",
    "MENUNGGU_MASA_GOLONGAN": "Menunggu masa golongan (> 12 bulan)",
    "TERHAMBAT_SKP": "Terhambat SKP",
    "TERHAMBAT_HUKUMAN": "Terhambat hukuman disiplin",
    "TIDAK_BERLAKU": "Tidak berlaku (PPPK, CPNS, IV/e)",
    "TMT_GOLONGAN_TIDAK_DIKETAHUI": "TMT golongan tidak diketahui",
}


def _ratio_chart(rows: list[tuple[str, float | None]], width: int = 420, top: float = 2.0) -> str:
    """Horizontal bars of representation ratios on a 0..`top` scale, with the parity line (1.0) and the
    four-fifths line (0.8); a ratio below 0.8 is drawn red, a withheld one says 'ditekan'."""
    left = 16 + 7 * max([len(text) for text, _ in rows] or [10])
    height = 24 * len(rows) + 30
    scale = width / top
    parts = [
        f'<svg width="{left + width + 90}" height="{height}" role="img" font-family="system-ui,sans-serif">'
    ]
    for value, colour, name in ((0.8, "#c53030", "0,8"), (1.0, "#222", "paritas 1,0")):
        x = left + value * scale
        parts.append(
            f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 18}" stroke="{colour}" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{x - 10}" y="{height - 4}" font-size="11" fill="{colour}">{name}</text>')
    for i, (text, value) in enumerate(rows):
        y = 5 + 24 * i
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(text)}</text>')
        if value is None:
            parts.append(f'<text x="{left + 4}" y="{y + 14}" font-size="12" fill="#777">ditekan</text>')
            continue
        bar = max(1, int(min(value, top) * scale))
        colour = "#c53030" if value < 0.8 else "#2b6cb0"
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{bar}" height="16" fill="{colour}" fill-opacity="0.8"/>'
        )
        parts.append(
            f'<text x="{left + bar + 6}" y="{y + 14}" font-size="12">{value:.2f}</text>'.replace(".", ",")
        )
    parts.append("</svg>")
    return "".join(parts)


def _cell(value, k: int) -> str:
    return "ditekan" if value is None else number(value)


def build_merit_pages(published_path: Path, reports_dir: Path, k: int) -> dict:
    """Write kesetaraan.html and perencanaan.html; return their paths."""
    with duckdb.connect(str(published_path), read_only=True) as con:
        tanggal_acuan = con.execute("select max(tanggal_acuan) from mart_kesetaraan").fetchall()[0][0]
        groups = con.execute(
            """select dimensi, kelompok, jumlah_asn, rasio_suksesi::double, rasio_manajerial::double
               from mart_kesetaraan where level = 'NASIONAL' and dimensi != 'SEMUA' order by dimensi, kelompok"""
        ).fetchall()
        women = con.execute(
            """select coalesce(kode_provinsi || ' ' || nama_area, nama_area, '(tanpa provinsi)'), rasio_suksesi::double from mart_kesetaraan
               where level = 'PROVINSI' and dimensi = 'jenis_kelamin' and kelompok = 'P' order by 1"""
        ).fetchall()
        flagged = con.execute(
            """select count(*) filter (where suksesi_di_bawah_empat_perlima), count(rasio_suksesi)
               from mart_kesetaraan where level = 'INSTANSI' and dimensi = 'jenis_kelamin' and kelompok = 'P'"""
        ).fetchall()[0]
        needs = con.execute(
            """select coalesce(kode_provinsi || ' ' || nama_area, nama_area, '(tanpa provinsi)'), kebutuhan, jumlah, jumlah_jp_kurang
               from mart_kebutuhan_pelatihan where level in ('NASIONAL', 'PROVINSI') and jenis_kebutuhan != 'KOMPETENSI'
               order by level, kode_provinsi nulls first, kebutuhan"""
        ).fetchall()
        promotion = con.execute(
            """select coalesce(kode_provinsi || ' ' || nama_area, nama_area, '(tanpa provinsi)'), status_pipeline, jumlah from mart_kenaikan_pangkat
               where level in ('NASIONAL', 'PROVINSI') order by level, kode_provinsi nulls first"""
        ).fetchall()
        pool = con.execute(
            """select coalesce(kode_provinsi || ' ' || nama_area, nama_area, '(tanpa provinsi)'), kotak_talenta, jumlah from mart_peta_talenta
               where level = 'PROVINSI' and jenis_jabatan = 'SEMUA' and kotak_talenta >= 7 order by 1, 2"""
        ).fetchall()
        national_pool = con.execute(
            """select kotak_talenta, jumlah from mart_peta_talenta
               where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' and kotak_talenta >= 7 order by 1"""
        ).fetchall()
    made = dt.datetime.now().strftime("%Y-%m-%d %H.%M")
    note = (
        f"<p class='note'>Tanggal acuan <span class='nowrap'>{tanggal_acuan}</span>. Dibuat "
        f"<span class='nowrap'>{made}</span>. Jumlah 1 sampai {k - 1} orang ditekan, begitu pula sel yang dapat "
        "membukanya kembali, dan setiap rasio yang dihitung darinya (&ldquo;ditekan&rdquo;).</p>"
    )
    nav = SUBPAGE_NAV
    body = [nav, "<h1>ProASN: kesetaraan kesempatan (R14)</h1>", note,
            "<p class='note'>Rasio keterwakilan: pangsa kelompok di kelompok suksesi (kotak 7-9) atau di jabatan "
            "manajerial dibagi pangsanya di seluruh ASN wilayah yang sama. 1,0 = paritas; di bawah 0,8 (aturan "
            "empat per lima) ditandai merah.</p>"]  # fmt: skip
    for dimensi, judul in DIMENSI.items():
        rows = [(KELOMPOK.get(kel, LABELS.get(kel, kel)), rs) for d, kel, _, rs, _ in groups if d == dimensi]
        body += [f"<h2>{judul}: kelompok suksesi, nasional</h2>", _ratio_chart(rows)]
    rows = [(KELOMPOK.get(kel, kel), rm) for d, kel, _, _, rm in groups if d == "jenis_kelamin"]
    body += ["<h2>Jenis kelamin: jabatan manajerial, nasional</h2>", _ratio_chart(rows),
             "<h2>Perempuan di kelompok suksesi per provinsi (rasio keterwakilan)</h2>",
             f"<p class='note'>Instansi dengan rasio perempuan di bawah 0,8: {flagged[0]} dari {flagged[1]} "
             "instansi yang rasionya dapat ditampilkan.</p>", _ratio_chart(women)]  # fmt: skip
    _write(reports_dir / "kesetaraan.html", _page("ProASN: kesetaraan kesempatan", body))

    codes = ("PKP", "PKA", "PKN_II", "PKN_I", "JP_KURANG")
    by_area: dict[str, dict] = {}
    for area, kebutuhan, jumlah, jp in needs:
        by_area.setdefault(area, {})[kebutuhan] = jumlah
        if kebutuhan == "JP_KURANG":
            by_area[area]["JP"] = jp
    table = ["<table><tr><th class='l'>Wilayah</th>" + "".join(f"<th>{c}</th>" for c in codes)
             + "<th>JP kurang (total)</th></tr>"]  # fmt: skip
    for area, v in by_area.items():
        table.append(f"<tr><td class='l'>{html.escape(area)}</td>"
                     + "".join(f"<td>{_cell(v.get(c), k)}</td>" for c in codes + ("JP",)) + "</tr>")  # fmt: skip
    table.append("</table>")
    statuses = list(STATUS_PANGKAT)
    by_area = {}
    for area, status, jumlah in promotion:
        by_area.setdefault(area, {})[status] = jumlah
    promo = ["<table><tr><th class='l'>Wilayah</th>" + "".join(f"<th>{STATUS_PANGKAT[s]}</th>" for s in statuses)
             + "</tr>"]  # fmt: skip
    for area, v in by_area.items():
        promo.append(f"<tr><td class='l'>{html.escape(area)}</td>"
                     + "".join(f"<td>{_cell(v.get(s), k)}</td>" for s in statuses) + "</tr>")  # fmt: skip
    promo.append("</table>")
    by_area = {}
    for area, kotak, jumlah in pool:
        by_area.setdefault(area, {})[kotak] = jumlah
    pool_rows = ["<table><tr><th class='l'>Wilayah</th><th>Kotak 7</th><th>Kotak 8</th><th>Kotak 9</th></tr>",
                 "<tr><td class='l'>Indonesia</td>" + "".join(f"<td>{_cell(j, k)}</td>" for _, j in national_pool)
                 + "</tr>"]  # fmt: skip
    for area, v in by_area.items():
        pool_rows.append(f"<tr><td class='l'>{html.escape(area)}</td>"
                         + "".join(f"<td>{_cell(v.get(b), k)}</td>" for b in (7, 8, 9)) + "</tr>")  # fmt: skip
    pool_rows.append("</table>")
    body = [nav, "<h1>ProASN: perencanaan (R16)</h1>", note,
            "<h2>Kebutuhan pelatihan: kepemimpinan yang belum dimiliki dan kekurangan 20 JP</h2>", *table,
            "<h2>Kenaikan pangkat reguler</h2>", *promo,
            "<h2>Kumpulan talenta (kotak 7-9) per provinsi</h2>",
            "<p class='note'>Nama hanya di skema terbatas (rst_kumpulan_talenta), tidak pernah diterbitkan.</p>",
            *pool_rows]  # fmt: skip
    _write(reports_dir / "perencanaan.html", _page("ProASN: perencanaan", body))
    return {"kesetaraan": reports_dir / "kesetaraan.html", "perencanaan": reports_dir / "perencanaan.html"}


def headline_numbers(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict]:
    """The national headline numbers of each new mart, as its Dagster asset shows them (working warehouse, schema
    marts, as published: a withheld number reads 'ditekan')."""

    def shown(value):
        return "ditekan" if value is None else (float(value) if not isinstance(value, int) else value)

    try:
        women = con.execute(
            """select rasio_suksesi, rasio_manajerial from marts.mart_kesetaraan
               where level = 'NASIONAL' and dimensi = 'jenis_kelamin' and kelompok = 'P'"""
        ).fetchall()
        flagged = con.execute(
            """select count(*) from marts.mart_kesetaraan where level = 'INSTANSI' and suksesi_di_bawah_empat_perlima
               and dimensi = 'jenis_kelamin' and kelompok = 'P'"""
        ).fetchall()[0][0]
        needs = con.execute(
            """select kebutuhan, jumlah, jumlah_jp_kurang from marts.mart_kebutuhan_pelatihan
               where level = 'NASIONAL' and jenis_kebutuhan != 'KOMPETENSI'"""
        ).fetchall()
        promotion = con.execute(
            "select status_pipeline, jumlah from marts.mart_kenaikan_pangkat where level = 'NASIONAL'"
        ).fetchall()
        pool = con.execute(  # the pool's national totals per box: the talent map's national cells
            """select kotak_talenta, jumlah, jumlah is null from marts.mart_peta_talenta
               where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' and kotak_talenta >= 7 order by 1"""
        ).fetchall()
    except duckdb.CatalogException:  # dbt failed before building them
        return {}
    (rs, rm) = women[0] if women else (None, None)
    return {
        ("marts", "mart_kesetaraan"): {
            "rasio_suksesi_perempuan_nasional": shown(rs),
            "rasio_manajerial_perempuan_nasional": shown(rm),
            "instansi_perempuan_di_bawah_empat_perlima": flagged,
        },
        ("marts", "mart_kebutuhan_pelatihan"): {
            **{f"kurang_{kebutuhan.lower()}": shown(jumlah) for kebutuhan, jumlah, _ in needs},
            "jp_kurang_total": shown(
                next((jp for kebutuhan, _, jp in needs if kebutuhan == "JP_KURANG"), None)
            ),
        },
        ("marts", "mart_kenaikan_pangkat"): {status.lower(): shown(jumlah) for status, jumlah in promotion},
        ("marts", "mart_kumpulan_talenta"): {
            f"kotak_{kotak}": "ditekan" if withheld else int(jumlah) for kotak, jumlah, withheld in pool
        },
    }


__all__ = ["LABELS", "build_merit_pages", "headline_numbers", "percent"]
