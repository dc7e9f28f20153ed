-- Disciplinary sanctions (hukuman disiplin) of the current ASN, typed: the rows of each agency's current
-- hukuman_disiplin file (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that
-- same agency (stg_pegawai, after transfers are resolved). Deduplicated: one sanction per (nip, tingkat,
-- tmt_mulai): the longest (open-ended first), then the later line.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('hukuman_disiplin') }}
),

typed as (
    select
        nip,
        tingkat,
        jenis,
        {{ dbt.safe_cast('tmt_mulai', 'date') }} as tmt_mulai,
        {{ dbt.safe_cast('tmt_selesai', 'date') }} as tmt_selesai,
        nomor_sk,
        {{ metadata_columns() }}
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key(
        'typed', ['nip', 'tingkat', 'tmt_mulai'], 'tmt_selesai desc nulls first, line desc'
    ) }}
),

final as (
    select * from deduplicated  -- typed's columns, in their order
)

select * from final
