"""The dbt docs site opens on the project's own overview, not dbt's default "Welcome!" page."""

import json

from pipelines.dbt_project import MANIFEST_PATH


def test_the_docs_site_opens_on_the_warehouse_overview():
    docs = json.loads(MANIFEST_PATH.read_text())["docs"]
    overview = docs["doc.proasn.__overview__"]["block_contents"]
    assert overview.startswith("# ProASN warehouse")
    for table in ("mart_peta_talenta", "mart_indikator_instansi", "mart_kualitas_data"):
        assert table in overview
    assert "analysts-guide.md" in overview
