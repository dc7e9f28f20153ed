-- Annual performance appraisals (SKP) of the current ASN, typed: the rows of each agency's current skp file
-- (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency
-- (stg_pegawai, after transfers are resolved). One row per (nip, tahun) without deduplicating: the ingest
-- quarantines every copy of a repeated (nip, tahun) in a file (docs/extract-contract.md section 4), the rows
-- come from one file per agency and each person from one agency (the unique test checks it; a GROUP BY over
-- every row cost 15 s at national scale).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('skp') }}
),

typed as (
    select
        nip,
        {{ dbt.safe_cast('tahun', 'integer') }} as tahun,
        hasil_kerja,
        perilaku_kerja,
        predikat,
        {{ dbt.safe_cast('nilai', 'decimal(5, 2)') }} as nilai,
        {{ metadata_columns() }}
    from terkini
),

final as (
    select * from typed  -- typed's columns, in their order
)

select * from final
