-- Education history (riwayat pendidikan, contract v1.1) of the current ASN, typed: the rows of each agency's
-- current riwayat_pendidikan file (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai
-- of that same agency (stg_pegawai, after transfers are resolved). An agency that never sent the file has no rows
-- here. The ingest keeps one row per (nip, jenjang, program_studi) in a file; this model keeps the last line of a
-- key should two rows still share one.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('riwayat_pendidikan') }}
),

typed as (
    select
        nip,
        jenjang,
        program_studi,
        nama_institusi,
        {{ dbt.safe_cast('tahun_lulus', 'integer') }} as tahun_lulus,
        nomor_ijazah,
        {{ metadata_columns() }}
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key('typed', ['nip', 'jenjang', 'program_studi'], 'line desc') }}
),

final as (
    select * from deduplicated
)

select * from final
