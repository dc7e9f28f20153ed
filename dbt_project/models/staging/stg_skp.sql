-- Annual performance appraisals (SKP) of the current ASN, typed: the rows of each agency's current skp file
-- (full-snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency
-- (stg_pegawai, after transfers are resolved). Deduplicated: one appraisal per (nip, tahun) (the contract
-- quarantines repeats within a file): the later line.
{{ config(materialized='incremental', incremental_strategy='per_instansi', on_schema_change='fail') }}
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
        _kode_instansi as kode_instansi,
        _tanggal_ekstrak as tanggal_ekstrak,
        _file_path as file_path,
        _line as line
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key('typed', ['nip', 'tahun'], 'line desc') }}
)

select
    nip, tahun, hasil_kerja, perilaku_kerja, predikat, nilai,
    kode_instansi, tanggal_ekstrak, file_path, line
from deduplicated
