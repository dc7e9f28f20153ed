-- Career history (riwayat jabatan) of the current ASN, typed: the rows of each agency's current riwayat_jabatan
-- file (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency
-- (stg_pegawai, after transfers are resolved). Deduplicated: one post per (nip, tmt_mulai): the one held longest
-- (open-ended first), then the later line.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('riwayat_jabatan') }}
),

typed as (
    select
        nip,
        jenis_jabatan,
        jenjang_fungsional,
        nama_jabatan,
        unit_kerja,
        {{ dbt.safe_cast('tmt_mulai', 'date') }} as tmt_mulai,
        {{ dbt.safe_cast('tmt_selesai', 'date') }} as tmt_selesai,
        nomor_sk,
        {{ metadata_columns() }}
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key('typed', ['nip', 'tmt_mulai'], 'tmt_selesai desc nulls first, line desc') }}
),

final as (
    select * from deduplicated  -- typed's columns, in their order
)

select * from final
