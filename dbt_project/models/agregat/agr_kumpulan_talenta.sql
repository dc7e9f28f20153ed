-- True counts of the national talent pool (R16): the current ASN in boxes 7-9 (R6) across all agencies, by
-- jenis_jabatan and jenjang (the post's level: jenjang_fungsional for FUNGSIONAL, else the jenis_jabatan itself;
-- and SEMUA), every (jenis_jabatan, jenjang, box) of the seed listed, zeros included. NASIONAL only (the pool per
-- province and agency is the talent map's boxes 7-9). Never published: mart_kumpulan_talenta applies R12.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

dasar as (
    select
        kode_provinsi,
        kode_instansi,
        jenis_jabatan,
        coalesce(jenjang_fungsional, jenis_jabatan) as jenjang,
        kotak_talenta,
        count(*) as jumlah
    from talenta
    where kelompok_suksesi
    group by all
),

per_level_kumpulan as (
    {{ hitung_per_level('dasar', ['jenis_jabatan', 'jenjang', 'kotak_talenta'], ['jumlah'], semua=['jenjang']) }}
),

-- every post type and level of the seed with each box 7-9, and each post type's SEMUA
jenjang as (
    select distinct
        jenis_jabatan,
        coalesce(jenjang_fungsional, jenis_jabatan) as jenjang
    from {{ ref('jabatan') }}
    union all
    select distinct
        jenis_jabatan,
        '{{ semua_nilai() }}' as jenjang
    from {{ ref('jabatan') }}
),

kotak as (
    select kotak_talenta from {{ ref('kotak_talenta') }}
    where kotak_talenta >= 7
),

kisi as (
    select
        jenjang.jenis_jabatan,
        jenjang.jenjang,
        kotak.kotak_talenta
    from jenjang
    cross join kotak
),

final as (
    select
        {{ kunci_sel(["'NASIONAL'", 'null', 'null', 'kisi.jenis_jabatan', 'kisi.jenjang', 'kisi.kotak_talenta']) }}
            as kunci,
        'NASIONAL' as level,
        cast(null as string) as kode_provinsi,
        cast(null as string) as kode_instansi,
        kisi.jenis_jabatan,
        kisi.jenjang,
        kisi.kotak_talenta,
        coalesce(per_level_kumpulan.jumlah, 0) as jumlah
    from kisi
    left join per_level_kumpulan
        on per_level_kumpulan.level = 'NASIONAL'
        and kisi.jenis_jabatan = per_level_kumpulan.jenis_jabatan
        and kisi.jenjang = per_level_kumpulan.jenjang
        and kisi.kotak_talenta = per_level_kumpulan.kotak_talenta
)

select * from final
