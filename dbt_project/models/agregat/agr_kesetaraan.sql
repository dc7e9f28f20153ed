-- True counts of equal opportunity (R14) at every level (NASIONAL, PROVINSI of the duty station, INSTANSI), per
-- dimension (dimensi) and group (kelompok): jenis_kelamin, kelompok_usia on tanggal_acuan, status_kepegawaian,
-- pusat_daerah (central or regional agency), pendidikan (the highest education, R11, in the R11 kualifikasi
-- bands), jenis_jabatan (the post type, as the talent map names it); dimensi SEMUA (kelompok SEMUA) is the area's
-- total, the denominator of the representation ratios. Every group the nation has is listed for every area with
-- people, 0 where the area has none: a row only where someone is would tell, even withheld, that a small agency
-- holds a woman, an S3 or a JPT (R12). Gender and age
-- come from the working warehouse (int_pegawai_terkini) and leave it only as these counts. Never published:
-- mart_kesetaraan applies R12.
{%- set dimensi = [
    'jenis_kelamin', 'kelompok_usia', 'status_kepegawaian', 'pusat_daerah', 'pendidikan', 'jenis_jabatan',
] %}
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

pegawai as (select * from {{ ref('int_pegawai_terkini') }}),

instansi as (select * from {{ ref('instansi') }}),

orang as (
    select
        talenta.kode_provinsi,
        talenta.kode_instansi,
        coalesce(pegawai.jenis_kelamin, 'TIDAK_DIKETAHUI') as jenis_kelamin,
        case
            when pegawai.usia is null then 'TIDAK_DIKETAHUI'
            when pegawai.usia < 30 then 'KURANG_30'
            when pegawai.usia < 40 then '30_39'
            when pegawai.usia < 50 then '40_49'
            else '50_KE_ATAS'
        end as kelompok_usia,
        coalesce(talenta.status_kepegawaian, 'TIDAK_DIKETAHUI') as status_kepegawaian,
        case
            when instansi.jenis_instansi in ('KEMENTERIAN', 'LEMBAGA') then 'PUSAT'
            when instansi.jenis_instansi in ('PROVINSI', 'KABUPATEN', 'KOTA') then 'DAERAH'
            else 'TIDAK_DIKETAHUI'
        end as pusat_daerah,
        case
            when talenta.pendidikan_tertinggi = 'S3' then 'S3'
            when talenta.pendidikan_tertinggi = 'S2' then 'S2'
            when talenta.pendidikan_tertinggi in ('S1', 'D4') then 'S1_D4'
            when talenta.pendidikan_tertinggi = 'D3' then 'D3'
            when talenta.pendidikan_tertinggi in ('D1', 'D2', 'SMA') then 'D1_D2_SMA'
            when talenta.pendidikan_tertinggi in ('SD', 'SMP') then 'SMP_KE_BAWAH'
            else 'TIDAK_DIKETAHUI'
        end as pendidikan,
        coalesce(talenta.jenis_jabatan, 'TIDAK_DIKETAHUI') as jenis_jabatan,
        case when talenta.terprofil then 1 else 0 end as terprofil,
        case when talenta.kelompok_suksesi then 1 else 0 end as kelompok_suksesi,
        case when talenta.kategori_kesiapan = 'SIAP' then 1 else 0 end as siap,
        case when talenta.is_manajerial then 1 else 0 end as manajerial,
        case when talenta.k3_pengembangan then 1 else 0 end as jp_20,
        talenta.ip_asn_skor
    from talenta
    left join pegawai on talenta.nip = pegawai.nip
    left join instansi on talenta.kode_instansi = instansi.kode_instansi
),

dasar as (
    {%- for d in dimensi + ['SEMUA'] %}
    select
        kode_provinsi,
        kode_instansi,
        '{{ d }}' as dimensi,
        {% if d == 'SEMUA' %}'SEMUA'{% else %}cast({{ d }} as string){% endif %} as kelompok,
        count(*) as jumlah_asn,
        sum(terprofil) as jumlah_terprofil,
        sum(kelompok_suksesi) as jumlah_kelompok_suksesi,
        sum(siap) as jumlah_siap,
        sum(manajerial) as jumlah_manajerial,
        sum(jp_20) as jumlah_20jp,
        coalesce(sum(ip_asn_skor), 0) as jumlah_skor_ip_asn
    from orang
    group by all
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

{%- set ukuran = [
    'jumlah_asn', 'jumlah_terprofil', 'jumlah_kelompok_suksesi', 'jumlah_siap', 'jumlah_manajerial',
    'jumlah_20jp', 'jumlah_skor_ip_asn',
] %}

-- every group the nation has (dimensi SEMUA included), for every area
final as (
    {{ hitung_per_level('dasar', ['dimensi', 'kelompok'], ukuran, kisi={
        'dimensi, kelompok': 'select distinct dimensi, kelompok from dasar',
    }) }}
)

select * from final
