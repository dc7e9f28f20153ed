-- RESTRICTED (NIP and name): the national talent pool by name for the central talent committee (R16): every current
-- ASN of boxes 7-9 (R6) across all agencies, with post type and level (jenjang: jenjang_fungsional for FUNGSIONAL,
-- else jenis_jabatan, as in mart_kumpulan_talenta), readiness and JPM, ranked within each (jenis_jabatan, jenjang):
-- box desc, readiness (SIAP first), JPM desc (none last), then NIP. Never published.
with

rekomendasi as (select * from {{ ref('rst_rekomendasi_asn') }}),

kumpulan as (
    select
        *,
        coalesce(jenjang_fungsional, jenis_jabatan) as jenjang,
        case kategori_kesiapan
            when 'SIAP' then 1
            when 'SIAP_DENGAN_PENGEMBANGAN' then 2
            when 'BELUM_SIAP' then 3
            else 4
        end as urutan_kesiapan
    from rekomendasi
    where kelompok_suksesi
),

final as (
    select
        jenis_jabatan,
        jenjang,
        cast(row_number() over (
            partition by jenis_jabatan, jenjang
            order by kotak_talenta desc, urutan_kesiapan asc, jpm desc nulls last, nip asc
        ) as integer) as peringkat,
        nip,
        nama,
        kode_instansi,
        kode_provinsi,
        kode_jabatan,
        nama_jabatan,
        golongan,
        kotak_talenta,
        kategori_kesiapan,
        jpm,
        kategori_jpm,
        kepemimpinan_tertinggi,
        tmt_pensiun,
        tanggal_acuan
    from kumpulan
)

select * from final
