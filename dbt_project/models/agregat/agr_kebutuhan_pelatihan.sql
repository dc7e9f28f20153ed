-- True counts of the training needs (R16, R8) at every level (NASIONAL, PROVINSI of the duty station, INSTANSI):
-- per leadership training code (PKP, PKA, PKN_II, PKN_I), the current ASN in a managerial post that requires it who
-- lack it (K4 fails, int_talenta_asn); JP_KURANG, the ASN short of the yearly minimum of
-- {{ var('k3_jp_minimum') }} JP (var k3_jp_minimum; K3 fails) with the JP they miss in total; JP_TERPENUHI, those who
-- reach it (so that JP_KURANG + JP_TERPENUHI = the area's ASN, an equation pipelines/disclosure.py knows). Every
-- (area, need) of an area with ASN is listed, zeros included. The competencies below the post's standard are the
-- SEMUA-post rows of agr_kesenjangan_kompetensi (mart_kebutuhan_pelatihan reads them there). Never published.
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

jabatan as (select * from {{ ref('jabatan') }}),

orang as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        case
            when talenta.is_manajerial and not talenta.k4_kepemimpinan then jabatan.pelatihan_kepemimpinan_wajib
        end as kepemimpinan_kurang,
        talenta.k3_pengembangan,
        greatest({{ var('k3_jp_minimum') }} - coalesce(talenta.jp_12_bulan, 0), 0) as jp_kurang
    from talenta
    left join jabatan on talenta.kode_jabatan = jabatan.kode_jabatan
),

dasar as (
    select
        kode_provinsi,
        kode_instansi,
        kepemimpinan_kurang as kebutuhan,
        count(*) as jumlah,
        0 as jumlah_jp_kurang
    from orang
    where kepemimpinan_kurang is not null
    group by kode_provinsi, kode_instansi, kepemimpinan_kurang  -- not `all`: Spark would group by the constant too
    union all
    select
        kode_provinsi,
        kode_instansi,
        case when k3_pengembangan then 'JP_TERPENUHI' else 'JP_KURANG' end as kebutuhan,
        count(*) as jumlah,
        sum(case when k3_pengembangan then 0 else jp_kurang end) as jumlah_jp_kurang
    from orang
    group by all
),

final as (
    {{ hitung_per_level('dasar', ['kebutuhan'], ['jumlah', 'jumlah_jp_kurang'], kisi={
        'kebutuhan': 'select kode_kepemimpinan from ' ~ ref('pelatihan_kepemimpinan')
            ~ " union all select 'JP_KURANG' union all select 'JP_TERPENUHI'",
    }) }}
)

select * from final
