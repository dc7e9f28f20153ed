-- True counts of people behind the merit-readiness rates at every level (NASIONAL, PROVINSI of the duty station,
-- INSTANSI), from one pass over the current ASN: agr_indikator_instansi takes its agency counts from here, and
-- mart_indikator_wilayah publishes the NASIONAL and PROVINSI rows with R12 applied. Never published.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

dasar as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        count(*) as jumlah_asn,
        count(*) filter (where talenta.terprofil) as jumlah_terprofil,
        count(*) filter (where talenta.kelompok_suksesi) as jumlah_kelompok_suksesi,
        count(*) filter (where talenta.kategori_kesiapan = 'SIAP') as jumlah_siap,
        count(*) filter (where talenta.kategori_kesiapan = 'SIAP_DENGAN_PENGEMBANGAN') as jumlah_siap_pengembangan,
        count(*) filter (where talenta.k3_pengembangan) as jumlah_20jp,
        count(*) filter (where talenta.sesuai_kualifikasi) as jumlah_sesuai_kualifikasi,
        count(*) filter (
            where talenta.tmt_pensiun >= {{ tanggal_acuan() }}
            and talenta.tmt_pensiun < cast({{ dbt.dateadd('year', 5, tanggal_acuan()) }} as date)
        ) as pensiun_5_tahun,
        count(talenta.ip_asn_skor) as jumlah_ip_asn,
        sum(talenta.ip_asn_skor) as jumlah_skor_ip_asn
    from talenta
    group by all
),

final as (
    {{ hitung_per_level('dasar', [], [
        'jumlah_asn', 'jumlah_terprofil', 'jumlah_kelompok_suksesi', 'jumlah_siap', 'jumlah_siap_pengembangan',
        'jumlah_20jp', 'jumlah_sesuai_kualifikasi', 'pensiun_5_tahun', 'jumlah_ip_asn', 'jumlah_skor_ip_asn',
    ]) }}
)

select * from final
