-- The current pegawai of every agency, typed: one row per person nationally. A person current in two agencies
-- (mutasi) is kept where tanggal_ekstrak is newer, then tmt_jabatan later (docs/extract-contract.md section
-- 5), then the lower kode_instansi (a deterministic last resort); stg_mutasi_konflik keeps every such
-- conflict. Rebuilt person by person (macros/per_instansi.sql, strategy per_pegawai): the people listed by an
-- agency whose current files changed (stg_berkas_berubah), or kept in one before, are chosen again; every
-- other person's candidate rows are in agencies whose files did not change, so their choice stands. Its tests
-- read the whole table: one row per person nationally is what every per-agency model relies on.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_pegawai', on_schema_change='fail',
          meta={'terdampak_dari': 'stg_berkas_berubah'}) }}
-- depends_on: {{ ref('stg_berkas_berubah') }}
with

pegawai_per_instansi as (
    select * from {{ ref('stg_pegawai_per_instansi') }}
    {%- if is_incremental() %}
    {%- set terdampak = instansi_terdampak('kode_instansi', 'stg_berkas_berubah') %}
    where nip in (
        select nip from {{ ref('stg_pegawai_per_instansi') }} where {{ terdampak }}
        union all
        select nip from {{ this }} where {{ terdampak }}
    )
    {%- endif %}
),

ranked as (
    select * from {{ one_row_per_key(
        'pegawai_per_instansi', ['nip'], 'tanggal_ekstrak desc, tmt_jabatan desc nulls last, kode_instansi'
    ) }}
),

final as (
    select
        nip,
        nik,
        nama,
        gelar_depan,
        gelar_belakang,
        jenis_kelamin,
        tempat_lahir,
        tanggal_lahir,
        status_kepegawaian,
        golongan,
        tmt_golongan,
        jenis_jabatan,
        jenjang_fungsional,
        nama_jabatan,
        tmt_jabatan,
        unit_kerja,
        kode_wilayah_kerja,
        pendidikan_terakhir,
        tmt_cpns,
        kode_instansi,
        tanggal_ekstrak,
        file_path,
        line
    from ranked
)

select * from final
