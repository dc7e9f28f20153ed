-- Rank history (riwayat golongan) of the current ASN, typed: the rows of each agency's current riwayat_golongan
-- file (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency
-- (stg_pegawai, after transfers are resolved). Deduplicated: one golongan per (nip, tmt_golongan): the higher
-- one, then the later line.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

golongan as (select * from {{ ref('golongan') }}),

terkini as (
    {{ current_history_rows('riwayat_golongan') }}
),

typed as (
    select
        nip,
        golongan,
        {{ dbt.safe_cast('tmt_golongan', 'date') }} as tmt_golongan,
        jenis_kenaikan,
        nomor_sk,
        {{ metadata_columns() }}
    from terkini
),

ranked as (
    select
        typed.*,
        golongan.urutan as golongan_urutan
    from typed
    left join golongan on typed.golongan = golongan.kode_golongan
),

deduplicated as (
    select * from {{ one_row_per_key('ranked', ['nip', 'tmt_golongan'], 'golongan_urutan desc nulls last, line desc') }}
),

final as (
    select {{ all_columns_except(['golongan_urutan']) }} from deduplicated  -- typed's columns, in their order
)

select * from final
