-- RESTRICTED (NIP and name): succession candidates per agency. For each JPT and ADMINISTRATOR post type held
-- in the agency, the people of the succession group (boxes 7-9, R6) in the same agency one level below
-- (seed jenjang_manajerial), ranked: box desc, then readiness (SIAP, SIAP_DENGAN_PENGEMBANGAN, BELUM_SIAP,
-- TIDAK_DAPAT_DINILAI), then JPM desc (none last), then NIP (a deterministic last resort). Every row is one
-- agency's: rebuilt agency by agency (macros/per_instansi.sql).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

rekomendasi as ({{ select_terdampak(ref('rst_rekomendasi_asn')) }}),

jenjang_manajerial as (select * from {{ ref('jenjang_manajerial') }}),

-- the post types to succeed: those with a post below them on the ladder, held by someone in the agency
jabatan_sasaran as (
    select
        rekomendasi.kode_instansi,
        rekomendasi.kode_jabatan as jabatan_sasaran,
        count(*) as jumlah_pemangku,
        min(rekomendasi.tmt_pensiun) as tmt_pensiun_pemangku_terdekat
    from rekomendasi
    where rekomendasi.kode_jabatan in (select jenjang_manajerial.kode_jabatan_atas from jenjang_manajerial)
    group by rekomendasi.kode_instansi, rekomendasi.kode_jabatan
),

kandidat as (
    select
        jabatan_sasaran.kode_instansi,
        jabatan_sasaran.jabatan_sasaran,
        jabatan_sasaran.jumlah_pemangku,
        jabatan_sasaran.tmt_pensiun_pemangku_terdekat,
        rekomendasi.nip,
        rekomendasi.nama,
        rekomendasi.kode_jabatan,
        rekomendasi.nama_jabatan,
        rekomendasi.golongan,
        rekomendasi.kotak_talenta,
        rekomendasi.kategori_kesiapan,
        rekomendasi.jpm,
        rekomendasi.kategori_jpm,
        rekomendasi.perlu_kepemimpinan_jabatan_atas,
        rekomendasi.kepemimpinan_jabatan_atas,
        rekomendasi.tmt_pensiun,
        rekomendasi.tanggal_acuan,
        case rekomendasi.kategori_kesiapan
            when 'SIAP' then 1
            when 'SIAP_DENGAN_PENGEMBANGAN' then 2
            when 'BELUM_SIAP' then 3
            else 4
        end as urutan_kesiapan
    from rekomendasi
    inner join jenjang_manajerial on rekomendasi.kode_jabatan = jenjang_manajerial.kode_jabatan
    inner join jabatan_sasaran
        on rekomendasi.kode_instansi = jabatan_sasaran.kode_instansi
        and jenjang_manajerial.kode_jabatan_atas = jabatan_sasaran.jabatan_sasaran
    where rekomendasi.kelompok_suksesi
),

final as (
    select
        kode_instansi,
        jabatan_sasaran,
        jumlah_pemangku,
        tmt_pensiun_pemangku_terdekat,
        cast(row_number() over (
            partition by kode_instansi, jabatan_sasaran
            order by kotak_talenta desc, urutan_kesiapan asc, jpm desc nulls last, nip asc
        ) as integer) as peringkat,
        nip,
        nama,
        kode_jabatan,
        nama_jabatan,
        golongan,
        kotak_talenta,
        kategori_kesiapan,
        jpm,
        kategori_jpm,
        perlu_kepemimpinan_jabatan_atas,
        kepemimpinan_jabatan_atas,
        tmt_pensiun,
        tanggal_acuan
    from kandidat
)

select * from final
