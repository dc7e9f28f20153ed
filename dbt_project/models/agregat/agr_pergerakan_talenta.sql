-- True counts of the talent movement (R15) between two kept dates of riwayat_talenta_asn (macros/riwayat.sql:
-- the latest kept date before tanggal_acuan and tanggal_acuan, or the pair named by vars pergerakan_awal and
-- pergerakan_akhir), at every level, by box at the start (kotak_asal: 1-9, BELUM_TERPROFIL, or MASUK: not an ASN
-- then) and box at the end (kotak_tujuan: 1-9, BELUM_TERPROFIL, or KELUAR: no longer an ASN), each also as
-- SEMUA, zeros included. A person counts in the area of their agency and duty-station province at the end date,
-- and a leaver (KELUAR) in those of the start date. Empty when no earlier date is kept. Never published:
-- mart_pergerakan_talenta applies R12.
with

riwayat as (select * from {{ ref('riwayat_talenta_asn') }}),

pasangan as (
    {{ pasangan_pergerakan('riwayat') }}
),

periksa as (
    {{ periksa_pasangan('pasangan', 'riwayat') }}
),

awal as (
    select riwayat.*
    from riwayat
    inner join pasangan on riwayat.tanggal_acuan = pasangan.awal
),

akhir as (
    select riwayat.*
    from riwayat
    inner join pasangan on riwayat.tanggal_acuan = pasangan.akhir
),

orang as (
    select
        coalesce(akhir.kode_instansi, awal.kode_instansi) as kode_instansi,
        case when akhir.nip is null then awal.kode_provinsi else akhir.kode_provinsi end as kode_provinsi,
        case
            when awal.nip is null then 'MASUK'
            when awal.kotak_talenta is null then 'BELUM_TERPROFIL'
            else cast(awal.kotak_talenta as string)
        end as kotak_asal,
        case
            when akhir.nip is null then 'KELUAR'
            when akhir.kotak_talenta is null then 'BELUM_TERPROFIL'
            else cast(akhir.kotak_talenta as string)
        end as kotak_tujuan
    from awal
    full outer join akhir on awal.nip = akhir.nip
    where
        (select pasangan.awal from pasangan) is not null
        and (select bool_and(periksa.galat is null) from periksa)
),

dasar as (
    select
        kode_provinsi,
        kode_instansi,
        kotak_asal,
        kotak_tujuan,
        count(*) as jumlah
    from orang
    group by all
),

per_level as (
    {{ hitung_per_level('dasar', ['kotak_asal', 'kotak_tujuan'], ['jumlah'], semua=['kotak_asal', 'kotak_tujuan'],
        kisi={
            'kotak_asal': 'select cast(kotak_talenta as string) from ' ~ ref('kotak_talenta')
                ~ " union all select 'BELUM_TERPROFIL' union all select 'MASUK'",
            'kotak_tujuan': 'select cast(kotak_talenta as string) from ' ~ ref('kotak_talenta')
                ~ " union all select 'BELUM_TERPROFIL' union all select 'KELUAR'",
        }) }}
),

final as (
    select
        per_level.*,
        pasangan.awal as tanggal_acuan_awal,
        pasangan.akhir as tanggal_acuan_akhir,
        pasangan.akhir = {{ tanggal_acuan() }} as akhir_acuan
    from per_level
    cross join pasangan
    where pasangan.awal is not null  -- (with no people, the macro's NASIONAL row would still be listed)
)

select * from final
