-- The national talent map (R6) at three levels: NASIONAL, PROVINSI (duty-station province) and INSTANSI,
-- by jenis_jabatan (and SEMUA for all posts) and talent box (NULL = belum terprofil), with small cells
-- suppressed (R12). Every (area, jenis_jabatan, box) of an area with ASN is listed, zeros included.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

kotak_talenta as (select * from {{ ref('kotak_talenta') }}),

jabatan as (select * from {{ ref('jabatan') }}),

-- every talent box, and NULL for belum terprofil
daftar_kotak as (
    select kotak_talenta.kotak_talenta from kotak_talenta
    union all
    select cast(null as integer) as kotak_talenta
),

-- every jenis_jabatan, and SEMUA for all posts
daftar_jenis_jabatan as (
    select distinct jenis_jabatan from jabatan
    union all
    select 'SEMUA' as jenis_jabatan
),

-- people counted once per (duty-station province, agency, jenis_jabatan, box); the levels add these up (a few
-- hundred thousand groups instead of every person six times)
orang as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        instansi.kode_provinsi as kode_provinsi_instansi,
        talenta.jenis_jabatan,
        talenta.kotak_talenta,
        count(*) as jumlah
    from talenta
    left join instansi on talenta.kode_instansi = instansi.kode_instansi
    group by all
),

-- every group twice: under its jenis_jabatan and under SEMUA
orang_per_jabatan as (
    select
        kode_provinsi,
        kode_instansi,
        kode_provinsi_instansi,
        jenis_jabatan,
        kotak_talenta,
        jumlah
    from orang
    union all
    select
        kode_provinsi,
        kode_instansi,
        kode_provinsi_instansi,
        'SEMUA' as jenis_jabatan,
        kotak_talenta,
        jumlah
    from orang
),

per_area as (
    select
        'NASIONAL' as level,
        cast(null as {{ dbt.type_string() }}) as kode_provinsi,
        cast(null as {{ dbt.type_string() }}) as kode_instansi,
        jenis_jabatan,
        kotak_talenta,
        jumlah
    from orang_per_jabatan
    union all
    select
        'PROVINSI' as level,
        kode_provinsi,
        cast(null as {{ dbt.type_string() }}) as kode_instansi,
        jenis_jabatan,
        kotak_talenta,
        jumlah
    from orang_per_jabatan
    union all
    select
        'INSTANSI' as level,
        kode_provinsi_instansi as kode_provinsi,
        kode_instansi,
        jenis_jabatan,
        kotak_talenta,
        jumlah
    from orang_per_jabatan
),

hitung as (
    select
        level,
        kode_provinsi,
        kode_instansi,
        jenis_jabatan,
        kotak_talenta,
        cast(sum(jumlah) as bigint) as jumlah
    from per_area
    group by level, kode_provinsi, kode_instansi, jenis_jabatan, kotak_talenta
),

area as (
    select distinct
        level,
        kode_provinsi,
        kode_instansi
    from per_area
),

kisi as (
    select
        area.level,
        area.kode_provinsi,
        area.kode_instansi,
        daftar_jenis_jabatan.jenis_jabatan,
        daftar_kotak.kotak_talenta
    from area
    cross join daftar_jenis_jabatan
    cross join daftar_kotak
),

lengkap as (
    select
        kisi.level,
        kisi.kode_provinsi,
        kisi.kode_instansi,
        kisi.jenis_jabatan,
        kisi.kotak_talenta,
        coalesce(hitung.jumlah, 0) as jumlah
    from kisi
    left join hitung
        on kisi.level = hitung.level
        and coalesce(kisi.kode_provinsi, '') = coalesce(hitung.kode_provinsi, '')
        and coalesce(kisi.kode_instansi, '') = coalesce(hitung.kode_instansi, '')
        and kisi.jenis_jabatan = hitung.jenis_jabatan
        and coalesce(kisi.kotak_talenta, 0) = coalesce(hitung.kotak_talenta, 0)
),

dengan_penyebut as (
    select
        *,
        sum(jumlah) over (partition by level, kode_provinsi, kode_instansi, jenis_jabatan) as jumlah_kelompok,
        -- an agency's headcount over every post is public: a small one hides none of its percentages (R12)
        level = 'INSTANSI' and jenis_jabatan = 'SEMUA' as penyebut_publik
    from lengkap
),

final as (
    select
        cast(dengan_penyebut.level as {{ dbt.type_string() }}) as level,
        cast(dengan_penyebut.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(dengan_penyebut.kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(
            case
                when dengan_penyebut.level = 'NASIONAL' then 'Indonesia'
                when dengan_penyebut.level = 'PROVINSI' then wilayah.nama_wilayah
                else instansi.nama_instansi
            end as {{ dbt.type_string() }}
        ) as nama_area,
        cast(dengan_penyebut.jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(dengan_penyebut.kotak_talenta as integer) as kotak_talenta,
        cast({{ tampil_jumlah('dengan_penyebut.jumlah') }} as bigint) as jumlah,
        cast(
            {{ tampil_persen(
                'dengan_penyebut.jumlah', 'dengan_penyebut.jumlah_kelompok', 'dengan_penyebut.penyebut_publik'
            ) }} as decimal(5, 2)
        ) as persen,
        cast(
            {{ ditekan('dengan_penyebut.jumlah') }}
            or (
                {{ ditekan('dengan_penyebut.jumlah_kelompok') }}
                and not dengan_penyebut.penyebut_publik
            )
            as boolean
        ) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from dengan_penyebut
    left join wilayah on dengan_penyebut.kode_provinsi = wilayah.kode_wilayah
    left join instansi on dengan_penyebut.kode_instansi = instansi.kode_instansi
)

select * from final
