-- Career spells: one row per (person, post start) up to tanggal_acuan, as validity ranges that never
-- overlap. A post ends on its tmt_selesai, or the day before the next post starts when that comes first
-- (or when tmt_selesai is empty); the spell holding tanggal_acuan is the current post.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

riwayat_jabatan as (
    select * from {{ ref('stg_riwayat_jabatan') }}
    where tmt_mulai <= {{ tanggal_acuan() }}
        and {{ instansi_terdampak('kode_instansi') }}
),

berurutan as (
    select
        *,
        cast({{ dbt.dateadd('day', -1, 'lead(tmt_mulai) over (partition by nip order by tmt_mulai)') }} as date)
            as sebelum_berikut,
        row_number() over (partition by nip order by tmt_mulai) as urutan_riwayat
    from riwayat_jabatan
),

rentang as (
    select
        nip,
        urutan_riwayat,
        jenis_jabatan,
        jenjang_fungsional,
        nama_jabatan,
        unit_kerja,
        kode_instansi,
        tmt_mulai,
        tmt_selesai,
        tmt_mulai as berlaku_mulai,
        case
            when tmt_selesai is null then sebelum_berikut
            when sebelum_berikut is null then tmt_selesai
            when sebelum_berikut < tmt_selesai then sebelum_berikut
            else tmt_selesai
        end as berlaku_sampai
    from berurutan
),

-- a spell's days are counted up to tanggal_acuan at most
dengan_akhir_hitung as (
    select
        *,
        case
            when berlaku_sampai < {{ tanggal_acuan() }} then berlaku_sampai
            else {{ tanggal_acuan() }}
        end as akhir_hitung
    from rentang
),

final as (
    select
        nip,
        urutan_riwayat,
        jenis_jabatan,
        jenjang_fungsional,
        case
            when jenis_jabatan = 'FUNGSIONAL' then {{ dbt.concat(["'FUNGSIONAL_'", 'jenjang_fungsional']) }}
            else jenis_jabatan
        end as kode_jabatan,
        nama_jabatan,
        unit_kerja,
        kode_instansi,
        tmt_mulai,
        tmt_selesai,
        berlaku_mulai,
        berlaku_sampai,
        berlaku_sampai is null or berlaku_sampai >= {{ tanggal_acuan() }} as is_terkini,
        {{ dbt.datediff('berlaku_mulai', 'akhir_hitung', 'day') }}
        + 1 as lama_hari
    from dengan_akhir_hitung
)

select * from final
