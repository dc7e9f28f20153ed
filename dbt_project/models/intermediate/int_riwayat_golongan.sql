-- Rank history as validity ranges: one row per (person, golongan start) up to tanggal_acuan. A golongan holds
-- from its tmt_golongan to the day before the next one; the last one is current (berlaku_sampai NULL).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

riwayat_golongan as (
    select * from {{ ref('stg_riwayat_golongan') }}
    where tmt_golongan <= {{ tanggal_acuan() }}
        and {{ instansi_terdampak('kode_instansi') }}
),

golongan as (select * from {{ ref('golongan') }}),

berurutan as (
    select
        riwayat_golongan.nip,
        riwayat_golongan.kode_instansi,
        riwayat_golongan.golongan,
        golongan.rumpun,
        golongan.urutan as golongan_urutan,
        riwayat_golongan.jenis_kenaikan,
        riwayat_golongan.tmt_golongan,
        lead(riwayat_golongan.tmt_golongan) over (
            partition by riwayat_golongan.nip order by riwayat_golongan.tmt_golongan
        ) as tmt_golongan_berikut,
        row_number() over (
            partition by riwayat_golongan.nip order by riwayat_golongan.tmt_golongan
        ) as urutan_riwayat
    from riwayat_golongan
    left join golongan on riwayat_golongan.golongan = golongan.kode_golongan
),

rentang as (
    select
        nip,
        kode_instansi,
        urutan_riwayat,
        golongan,
        rumpun,
        golongan_urutan,
        jenis_kenaikan,
        tmt_golongan as berlaku_mulai,
        cast({{ dbt.dateadd('day', -1, 'tmt_golongan_berikut') }} as date) as berlaku_sampai,
        tmt_golongan_berikut is null as is_terkini
    from berurutan
),

final as (
    select
        nip,
        kode_instansi,
        urutan_riwayat,
        golongan,
        rumpun,
        golongan_urutan,
        jenis_kenaikan,
        berlaku_mulai,
        berlaku_sampai,
        is_terkini,
        {{ bulan_penuh('berlaku_mulai', 'coalesce(berlaku_sampai, ' ~ tanggal_acuan() ~ ')') }} as lama_bulan
    from rentang
)

select * from final
