-- True counts of the promotion pipeline (R16, R9) at every level (NASIONAL, PROVINSI of the duty station,
-- INSTANSI), one status per current ASN from status_kenaikan_pangkat and tanggal_layak_kenaikan_pangkat of
-- int_talenta_asn: LAYAK (eligible on tanggal_acuan); LAYAK_12_BULAN (MENUNGGU_MASA_GOLONGAN or
-- MENUNGGU_HUKUMAN_SELESAI, eligible within {{ var('kenaikan_pangkat_horizon_bulan') }} months after tanggal_acuan,
-- var kenaikan_pangkat_horizon_bulan); MENUNGGU_MASA_GOLONGAN (eligible later); TERHAMBAT_SKP; TERHAMBAT_HUKUMAN
-- (an active sanction without an end, or one that ends after the horizon); TIDAK_BERLAKU (PPPK, CPNS, IV/e);
-- TMT_GOLONGAN_TIDAK_DIKETAHUI. The statuses of an area add up to its ASN. Every (area, status) of an area with ASN
-- is listed, zeros included. Never published: mart_kenaikan_pangkat applies R12.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

orang as (
    select
        kode_provinsi,
        kode_instansi,
        case
            when status_kenaikan_pangkat = 'LAYAK' then 'LAYAK'
            when
                status_kenaikan_pangkat in ('MENUNGGU_MASA_GOLONGAN', 'MENUNGGU_HUKUMAN_SELESAI')
                and tanggal_layak_kenaikan_pangkat
                <= cast({{ dbt.dateadd('month', var('kenaikan_pangkat_horizon_bulan'), tanggal_acuan()) }} as date)
                then 'LAYAK_12_BULAN'
            when status_kenaikan_pangkat = 'MENUNGGU_MASA_GOLONGAN' then 'MENUNGGU_MASA_GOLONGAN'
            when status_kenaikan_pangkat = 'TERHAMBAT_SKP' then 'TERHAMBAT_SKP'
            when status_kenaikan_pangkat in ('TERHAMBAT_HUKUMAN', 'MENUNGGU_HUKUMAN_SELESAI') then 'TERHAMBAT_HUKUMAN'
            when status_kenaikan_pangkat in ('TIDAK_BERLAKU', 'BELUM_PNS', 'GOLONGAN_TERTINGGI') then 'TIDAK_BERLAKU'
            else 'TMT_GOLONGAN_TIDAK_DIKETAHUI'
        end as status_pipeline
    from talenta
),

dasar as (
    select
        kode_provinsi,
        kode_instansi,
        status_pipeline,
        count(*) as jumlah
    from orang
    group by all
),

final as (
    {{ hitung_per_level('dasar', ['status_pipeline'], ['jumlah'], kisi={
        'status_pipeline': "select * from (values ('LAYAK'), ('LAYAK_12_BULAN'), ('MENUNGGU_MASA_GOLONGAN'), ('TERHAMBAT_SKP'), "
            ~ "('TERHAMBAT_HUKUMAN'), ('TIDAK_BERLAKU'), ('TMT_GOLONGAN_TIDAK_DIKETAHUI')) as status_pipeline (kode)",
    }) }}
)

select * from final
