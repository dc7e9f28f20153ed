-- Every agency's current pegawai file, typed: one row per (person, agency). A person listed by two agencies
-- (a transfer the old agency has not resubmitted yet) appears twice here; stg_pegawai keeps one. An agency's
-- rows come from its own file only: rebuilt agency by agency, for the agencies whose files changed
-- (macros/per_instansi.sql). One row per (nip, kode_instansi) without deduplicating: the ingest quarantines
-- every copy of a NIP repeated in a file (docs/extract-contract.md section 4), and an agency has one current
-- file (the unique test checks it).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'terdampak_dari': 'stg_berkas_berubah'}) }}
with

berkas_terkini as (
    select * from {{ ref('stg_berkas_terkini') }}
    where entity = 'pegawai'
),

raw_pegawai as (
    select * from {{ source('raw', 'pegawai') }}
    where {{ instansi_terdampak('_kode_instansi', 'stg_berkas_berubah') }}
),

terkini as (
    select raw_pegawai.*
    from raw_pegawai
    inner join berkas_terkini
        on raw_pegawai._file_sha256 = berkas_terkini.file_sha256
        and raw_pegawai._kode_instansi = berkas_terkini.kode_instansi
),

typed as (
    select
        nip,
        nik,
        nama,
        gelar_depan,
        gelar_belakang,
        jenis_kelamin,
        tempat_lahir,
        {{ dbt.safe_cast('tanggal_lahir', 'date') }} as tanggal_lahir,
        status_kepegawaian,
        golongan,
        {{ dbt.safe_cast('tmt_golongan', 'date') }} as tmt_golongan,
        jenis_jabatan,
        jenjang_fungsional,
        nama_jabatan,
        {{ dbt.safe_cast('tmt_jabatan', 'date') }} as tmt_jabatan,
        unit_kerja,
        kode_wilayah_kerja,
        pendidikan_terakhir,
        {{ dbt.safe_cast('tmt_cpns', 'date') }} as tmt_cpns,
        {{ metadata_columns() }}
    from terkini
),

final as (
    select * from typed  -- typed's columns, in their order
)

select * from final
