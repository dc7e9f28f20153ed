-- Training (riwayat pelatihan) of the current ASN, typed: the rows of each agency's current riwayat_pelatihan
-- file (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency
-- (stg_pegawai, after transfers are resolved). Deduplicated: one course per (nip, jenis_pelatihan,
-- nama_pelatihan, tanggal_mulai): the higher JP, then the later line.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('riwayat_pelatihan') }}
),

typed as (
    select
        nip,
        jenis_pelatihan,
        kode_kepemimpinan,
        nama_pelatihan,
        {{ dbt.safe_cast('tanggal_mulai', 'date') }} as tanggal_mulai,
        {{ dbt.safe_cast('tanggal_selesai', 'date') }} as tanggal_selesai,
        {{ dbt.safe_cast('jp', 'integer') }} as jp,
        penyelenggara,
        {{ metadata_columns() }}
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key(
        'typed', ['nip', 'jenis_pelatihan', 'nama_pelatihan', 'tanggal_mulai'], 'jp desc nulls last, line desc'
    ) }}
),

final as (
    select * from deduplicated  -- typed's columns, in their order
)

select * from final
