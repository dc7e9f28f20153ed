-- True counts of the retirement projection (R4) at every level: people whose TMT pensiun falls in each year from
-- the year of tanggal_acuan to {{ var('proyeksi_pensiun_tahun') }} years later, by jenis_jabatan (and SEMUA),
-- zeros included for every area with ASN. Never published: mart_proyeksi_pensiun applies R12.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

tahun_awal as (
    select cast(extract(year from {{ tanggal_acuan() }}) as integer) as tahun
),

-- every ASN, so that every area with ASN is listed; those retiring outside the window have no year
dasar as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        case
            when extract(year from talenta.tmt_pensiun) - tahun_awal.tahun
                between 0 and {{ var('proyeksi_pensiun_tahun') }}
                then cast(extract(year from talenta.tmt_pensiun) as integer)
        end as tahun,
        talenta.jenis_jabatan,
        count(*) as jumlah_pensiun
    from talenta
    cross join tahun_awal
    group by all
),

final as (
    {{ hitung_per_level('dasar', ['tahun', 'jenis_jabatan'], ['jumlah_pensiun'], semua=['jenis_jabatan'], kisi={
        'tahun': 'select cast(extract(year from ' ~ tanggal_acuan() ~ ') as integer) + selisih from range(0, '
            ~ (var('proyeksi_pensiun_tahun') + 1) ~ ') as t (selisih)',
        'jenis_jabatan': 'select distinct jenis_jabatan from ' ~ ref('jabatan'),
    }) }}
)

select * from final
