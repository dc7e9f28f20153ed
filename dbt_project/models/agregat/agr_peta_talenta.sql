-- True counts of the talent map (R6) at every level, by jenis_jabatan (and SEMUA) and talent box (NULL =
-- belum terprofil), zeros included (macros/per_level.sql). Never published: mart_peta_talenta applies R12.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

dasar as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        talenta.jenis_jabatan,
        talenta.kotak_talenta,
        count(*) as jumlah
    from talenta
    group by all
),

final as (
    {{ hitung_per_level('dasar', ['jenis_jabatan', 'kotak_talenta'], ['jumlah'], semua=['jenis_jabatan'], kisi={
        'jenis_jabatan': 'select distinct jenis_jabatan from ' ~ ref('jabatan'),
        'kotak_talenta': 'select kotak_talenta from ' ~ ref('kotak_talenta') ~ ' union all select null',
    }) }}
)

select * from final
