-- The cells the published aggregates withhold (R12), on the Spark engine (docs/spark-engine.md). dbt-spark runs
-- Python models on Databricks only, so the pipeline computes the pattern itself between dbt's two phases
-- (pipelines/spark.py, with the same pipelines/disclosure.py over the agr_* tables built here) and this model
-- takes it in. On DuckDB the Python model ../pola_penekanan.py computes it; one of the two is enabled per engine.
{{ config(materialized='table') }}
{%- for tabel in ['peta_talenta', 'peta_total', 'proyeksi_pensiun', 'kesenjangan_kompetensi', 'indikator_instansi',
    'indikator_wilayah', 'pergerakan_talenta', 'mutasi', 'kesetaraan', 'kebutuhan_pelatihan', 'kenaikan_pangkat',
    'kumpulan_talenta'] %}
-- depends_on: {{ ref('agr_' ~ tabel) }}
{%- endfor %}
with

pola as (select * from {{ source('langkah_spark', 'pola_penekanan') }}),

final as (
    select
        tabel,
        kunci,
        kolom,
        penekanan
    from pola
)

select * from final
