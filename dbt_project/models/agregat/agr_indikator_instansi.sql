-- True merit-readiness counts and rates per agency (every agency of the seed instansi; one without current ASN has
-- jumlah_asn 0): the counts of people behind each published rate (the agency rows of agr_indikator_wilayah),
-- succession coverage, data-quality figures and indeks_kesiapan_merit from the unsuppressed components. Never
-- published: mart_indikator_instansi applies R12.
{%- set bobot = {
    'cakupan_profil': var('indeks_bobot_cakupan_profil'),
    'kesiapan': var('indeks_bobot_kesiapan'),
    'jp': var('indeks_bobot_20jp'),
    'ip_asn': var('indeks_bobot_ip_asn'),
    'suksesi': var('indeks_bobot_suksesi'),
    'kualitas_data': var('indeks_bobot_kualitas_data'),
} %}
with

instansi as (select * from {{ ref('instansi') }}),

talenta as (select * from {{ ref('int_talenta_asn') }}),

ledger as (select * from {{ source('ingest', 'ledger') }}),

berkas_terkini as (select * from {{ ref('stg_berkas_terkini') }}),

mutasi_konflik as (select * from {{ ref('stg_mutasi_konflik') }}),

per_instansi as (
    select
        kode_instansi,
        jumlah_asn,
        jumlah_terprofil,
        jumlah_kelompok_suksesi,
        jumlah_siap,
        jumlah_siap_pengembangan,
        jumlah_20jp,
        jumlah_sesuai_kualifikasi,
        jumlah_skor_ip_asn / nullif(jumlah_ip_asn, 0) as rata_ip_asn,
        pensiun_5_tahun
    from {{ ref('agr_indikator_wilayah') }}
    where level = 'INSTANSI'
),

-- succession: each JPT and ADMINISTRATOR post against the box 7-9 people one level below
tingkat_suksesi as (
    select
        'JPT_UTAMA' as jenis_jabatan,
        'JPT_MADYA' as jenis_jabatan_bawah
    union all
    select
        'JPT_MADYA' as jenis_jabatan,
        'JPT_PRATAMA' as jenis_jabatan_bawah
    union all
    select
        'JPT_PRATAMA' as jenis_jabatan,
        'ADMINISTRATOR' as jenis_jabatan_bawah
    union all
    select
        'ADMINISTRATOR' as jenis_jabatan,
        'PENGAWAS' as jenis_jabatan_bawah
),

pejabat as (
    select
        kode_instansi,
        jenis_jabatan,
        count(*) as jumlah_jabatan
    from talenta
    group by kode_instansi, jenis_jabatan
),

kandidat as (
    select
        kode_instansi,
        jenis_jabatan,
        count(*) as jumlah_kandidat
    from talenta
    where kelompok_suksesi
    group by kode_instansi, jenis_jabatan
),

suksesi_per_tingkat as (
    select
        pejabat.kode_instansi,
        pejabat.jumlah_jabatan,
        case
            when coalesce(kandidat.jumlah_kandidat, 0) < pejabat.jumlah_jabatan
                then coalesce(kandidat.jumlah_kandidat, 0)
            else pejabat.jumlah_jabatan
        end as jumlah_jabatan_tercakup
    from pejabat
    inner join tingkat_suksesi on pejabat.jenis_jabatan = tingkat_suksesi.jenis_jabatan
    left join kandidat
        on pejabat.kode_instansi = kandidat.kode_instansi
        and tingkat_suksesi.jenis_jabatan_bawah = kandidat.jenis_jabatan
),

suksesi as (
    select
        kode_instansi,
        sum(jumlah_jabatan) as jumlah_jabatan_suksesi,
        sum(jumlah_jabatan_tercakup) as jumlah_jabatan_tercakup
    from suksesi_per_tingkat
    group by kode_instansi
),

berkas as (
    select
        kode_instansi,
        count(*) as jumlah_berkas,
        sum(case when status = 'DITOLAK' then 1 else 0 end) as jumlah_berkas_ditolak,
        max(case when status = 'DIMUAT' then tanggal_ekstrak end) as tanggal_ekstrak_terakhir
    from ledger
    -- R0: a submission dated after tanggal_acuan does not exist yet
    where kode_instansi is not null and tanggal_ekstrak <= {{ tanggal_acuan() }}
    group by kode_instansi
),

melewati_bup as (
    select
        kode_instansi,
        count(*) as jumlah_melewati_bup
    from {{ ref('int_melewati_bup') }}
    group by kode_instansi
),

baris_terkini as (
    select
        berkas_terkini.kode_instansi,
        sum(ledger.baris_dibaca) as baris_dibaca,
        sum(ledger.baris_karantina) as baris_karantina
    from berkas_terkini
    inner join ledger
        on berkas_terkini.file_sha256 = ledger.file_sha256
        and berkas_terkini.file_path = ledger.file_path
    group by berkas_terkini.kode_instansi
),

konflik as (
    select
        kode_instansi,
        count(*) as jumlah_konflik_mutasi
    from mutasi_konflik
    group by kode_instansi
),

gabung as (
    select
        instansi.kode_instansi,
        instansi.nama_instansi,
        instansi.jenis_instansi,
        instansi.kode_provinsi,
        coalesce(per_instansi.jumlah_asn, 0) as jumlah_asn,
        coalesce(per_instansi.jumlah_terprofil, 0) as jumlah_terprofil,
        coalesce(per_instansi.jumlah_kelompok_suksesi, 0) as jumlah_kelompok_suksesi,
        coalesce(per_instansi.jumlah_siap, 0) as jumlah_siap,
        coalesce(per_instansi.jumlah_siap_pengembangan, 0) as jumlah_siap_pengembangan,
        coalesce(per_instansi.jumlah_20jp, 0) as jumlah_20jp,
        coalesce(per_instansi.jumlah_sesuai_kualifikasi, 0) as jumlah_sesuai_kualifikasi,
        per_instansi.rata_ip_asn,
        coalesce(per_instansi.pensiun_5_tahun, 0) as pensiun_5_tahun,
        coalesce(suksesi.jumlah_jabatan_suksesi, 0) as jumlah_jabatan_suksesi,
        coalesce(suksesi.jumlah_jabatan_tercakup, 0) as jumlah_jabatan_tercakup,
        coalesce(berkas.jumlah_berkas, 0) as jumlah_berkas,
        coalesce(berkas.jumlah_berkas_ditolak, 0) as jumlah_berkas_ditolak,
        berkas.tanggal_ekstrak_terakhir,
        baris_terkini.baris_dibaca,
        baris_terkini.baris_karantina,
        coalesce(konflik.jumlah_konflik_mutasi, 0) as jumlah_konflik_mutasi,
        coalesce(melewati_bup.jumlah_melewati_bup, 0) as jumlah_melewati_bup
    from instansi
    left join per_instansi on instansi.kode_instansi = per_instansi.kode_instansi
    left join suksesi on instansi.kode_instansi = suksesi.kode_instansi
    left join berkas on instansi.kode_instansi = berkas.kode_instansi
    left join baris_terkini on instansi.kode_instansi = baris_terkini.kode_instansi
    left join konflik on instansi.kode_instansi = konflik.kode_instansi
    left join melewati_bup on instansi.kode_instansi = melewati_bup.kode_instansi
),

-- the index's components, 0..100 each, from unsuppressed counts (NULL when not defined)
komponen as (
    select
        *,
        case when jumlah_asn > 0 then 100.0 * jumlah_terprofil / jumlah_asn end as k_cakupan_profil,
        case
            when jumlah_asn > 0 then 100.0 * (jumlah_siap + 0.5 * jumlah_siap_pengembangan) / jumlah_asn
        end as k_kesiapan,
        case when jumlah_asn > 0 then 100.0 * jumlah_20jp / jumlah_asn end as k_jp,
        rata_ip_asn as k_ip_asn,
        case
            when jumlah_jabatan_suksesi > 0 then 100.0 * jumlah_jabatan_tercakup / jumlah_jabatan_suksesi
        end as k_suksesi,
        case when baris_dibaca > 0 then 100.0 - 100.0 * baris_karantina / baris_dibaca end as k_kualitas_data
    from gabung
),

-- the weighted sum of the components present and the sum of their weights
bobot_komponen as (
    select
        *,
        (
            {%- for nama, w in bobot.items() %}
            {% if not loop.first %}+ {% endif %}coalesce({{ w }} * k_{{ nama }}, 0)
            {%- endfor %}
        ) as jumlah_berbobot,
        (
            {%- for nama, w in bobot.items() %}
            {% if not loop.first %}+ {% endif %}case when k_{{ nama }} is not null then {{ w }} else 0 end
            {%- endfor %}
        ) as jumlah_bobot
    from komponen
),

indeks as (
    select
        *,
        jumlah_berbobot / nullif(jumlah_bobot, 0) as indeks_mentah
    from bobot_komponen
),

final as (
    select
        kode_instansi as kunci,
        *
    from indeks
)

select * from final
