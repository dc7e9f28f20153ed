"""The cells the published aggregates withhold (R12): primary suppression of counts of 1..k-1 people and the
secondary suppression that keeps them from being recovered by adding and subtracting published numbers, decided
over all aggregates together (pipelines/disclosure.py). The marts apply it; the audit checks what they publish."""

from pipelines.disclosure import pattern


def model(dbt, session):
    dbt.config(materialized="table")
    k = int(dbt.config.get("k_anonimitas"))
    frames = {  # every table of pipelines.disclosure.AGGREGATES (dbt reads the refs before running)
        "peta_talenta": dbt.ref("agr_peta_talenta").df(),
        "peta_total": dbt.ref("agr_peta_total").df(),
        "proyeksi_pensiun": dbt.ref("agr_proyeksi_pensiun").df(),
        "kesenjangan_kompetensi": dbt.ref("agr_kesenjangan_kompetensi").df(),
        "indikator_instansi": dbt.ref("agr_indikator_instansi").df(),
        "indikator_wilayah": dbt.ref("agr_indikator_wilayah").df(),
        "pergerakan_talenta": dbt.ref("agr_pergerakan_talenta").df(),
        "mutasi": dbt.ref("agr_mutasi").df(),
        "kesetaraan": dbt.ref("agr_kesetaraan").df(),
        "kebutuhan_pelatihan": dbt.ref("agr_kebutuhan_pelatihan").df(),
        "kenaikan_pangkat": dbt.ref("agr_kenaikan_pangkat").df(),
        "kumpulan_talenta": dbt.ref("agr_kumpulan_talenta").df(),
    }
    return pattern(frames, k)
