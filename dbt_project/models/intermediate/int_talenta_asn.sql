-- Every person-level rule as of tanggal_acuan, one row per current ASN (holds the NIP; mart_talenta_asn
-- publishes it under asn_key): talent box (R6), merit readiness K1..K6 and category (R10), IP ASN (R11),
-- JPM category (R7), TMT pensiun (R4), regular-promotion eligibility (R9).
{{ config(materialized='incremental', incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

kinerja as (select * from {{ ref('int_kinerja_acuan') }}),

asesmen as (select * from {{ ref('int_asesmen_terkini') }}),

pelatihan as (select * from {{ ref('int_pelatihan_acuan') }}),

disiplin as (select * from {{ ref('int_hukuman_disiplin_acuan') }}),

kotak as (select * from {{ ref('kotak_talenta') }}),

poin as (select * from {{ ref('ip_asn_poin') }}),

poin_kualifikasi as (
    select
        kode,
        poin
    from poin
    where komponen = 'KUALIFIKASI'
),

poin_kinerja as (
    select
        kode,
        poin
    from poin
    where komponen = 'KINERJA'
),

poin_disiplin as (
    select
        kode,
        poin
    from poin
    where komponen = 'DISIPLIN'
),

poin_kompetensi as (
    select
        max(case when kode = 'PELATIHAN_JABATAN' then poin end) as pelatihan_jabatan,
        max(case when kode = 'JP_MINIMUM' then poin end) as jp_minimum,
        max(case when kode = 'SEMINAR' then poin end) as seminar
    from poin
    where komponen = 'KOMPETENSI'
),

gabung as (
    select
        pegawai.*,
        kinerja.tahun_skp_terakhir,
        kinerja.predikat_terakhir,
        kinerja.kinerja_level,
        kinerja.ada_skp_k1,
        kinerja.k1_kinerja as k1_kinerja_skp,
        asesmen.nip is not null as ada_asesmen_valid,
        asesmen.tanggal_asesmen,
        asesmen.skor_potensi,
        asesmen.potensial_level,
        asesmen.jpm,
        asesmen.kategori_jpm,
        pelatihan.jp_12_bulan,
        pelatihan.memenuhi_jp_minimum,
        pelatihan.kepemimpinan_tertinggi,
        pelatihan.memenuhi_kepemimpinan_wajib,
        pelatihan.ada_seminar_12_bulan,
        pelatihan.ada_fungsional_teknis_2_tahun,
        disiplin.ada_hukuman_aktif,
        disiplin.ada_berat_jendela_k5,
        disiplin.tingkat_terberat_jendela_ip_asn
    from pegawai
    left join kinerja on pegawai.nip = kinerja.nip
    left join asesmen on pegawai.nip = asesmen.nip
    left join pelatihan on pegawai.nip = pelatihan.nip
    left join disiplin on pegawai.nip = disiplin.nip
),

kriteria as (
    select
        gabung.*,
        kotak.kotak_talenta,
        coalesce(kotak.kelompok_suksesi, false) as kelompok_suksesi,
        coalesce(gabung.k1_kinerja_skp, false) as k1_kinerja,
        coalesce(gabung.jpm >= {{ var('k2_jpm_minimum') }}, false) as k2_kompetensi,
        coalesce(gabung.memenuhi_jp_minimum, false) as k3_pengembangan,
        coalesce(gabung.memenuhi_kepemimpinan_wajib, false) as k4_kepemimpinan,
        not coalesce(gabung.ada_hukuman_aktif, false)
        and not coalesce(gabung.ada_berat_jendela_k5, false) as k5_disiplin,
        cast({{ dbt.dateadd('year', var('k6_tahun_sebelum_pensiun'), tanggal_acuan()) }} as date)
        <= gabung.tmt_pensiun as k6_masa_kerja
    from gabung
    left join kotak
        on gabung.kinerja_level = kotak.kinerja_level
        and gabung.potensial_level = kotak.potensial_level
),

skor as (
    select
        kriteria.*,
        coalesce(poin_kualifikasi.poin, 0) as ip_asn_kualifikasi,
        case
            when (kriteria.is_manajerial and kriteria.memenuhi_kepemimpinan_wajib)
                or (not kriteria.is_manajerial and kriteria.ada_fungsional_teknis_2_tahun)
                then poin_kompetensi.pelatihan_jabatan
            else 0
        end
        + case when kriteria.memenuhi_jp_minimum then poin_kompetensi.jp_minimum else 0 end
        + case when kriteria.ada_seminar_12_bulan then poin_kompetensi.seminar else 0 end as ip_asn_kompetensi,
        coalesce(poin_kinerja.poin, 0) as ip_asn_kinerja,
        coalesce(poin_disiplin.poin, 0) as ip_asn_disiplin
    from kriteria
    cross join poin_kompetensi
    left join poin_kualifikasi on kriteria.pendidikan_terakhir = poin_kualifikasi.kode
    left join poin_kinerja on coalesce(kriteria.predikat_terakhir, 'TIDAK_ADA') = poin_kinerja.kode
    left join poin_disiplin on coalesce(kriteria.tingkat_terberat_jendela_ip_asn, 'TIDAK_ADA') = poin_disiplin.kode
),

total as (
    select
        *,
        ip_asn_kualifikasi + ip_asn_kompetensi + ip_asn_kinerja + ip_asn_disiplin as ip_asn_skor
    from skor
),

final as (
    select
        nip,
        kode_instansi,
        kode_provinsi,
        status_kepegawaian,
        jenis_jabatan,
        jenjang_fungsional,
        kode_jabatan,
        is_manajerial,
        golongan,
        masa_golongan_tahun,
        pendidikan_terakhir,
        tahun_skp_terakhir,
        predikat_terakhir,
        kinerja_level,
        tanggal_asesmen,
        skor_potensi,
        potensial_level,
        kotak_talenta,
        kotak_talenta is not null as terprofil,
        kelompok_suksesi,
        jpm,
        kategori_jpm,
        jp_12_bulan,
        kepemimpinan_tertinggi,
        k1_kinerja,
        k2_kompetensi,
        k3_pengembangan,
        k4_kepemimpinan,
        k5_disiplin,
        k6_masa_kerja,
        case
            when not coalesce(ada_skp_k1, false) or not ada_asesmen_valid then 'TIDAK_DAPAT_DINILAI'
            when k1_kinerja and k2_kompetensi and k3_pengembangan and k4_kepemimpinan and k5_disiplin and k6_masa_kerja
                then 'SIAP'
            when k1_kinerja and k5_disiplin and k6_masa_kerja then 'SIAP_DENGAN_PENGEMBANGAN'
            else 'BELUM_SIAP'
        end as kategori_kesiapan,
        ip_asn_kualifikasi,
        ip_asn_kompetensi,
        ip_asn_kinerja,
        ip_asn_disiplin,
        ip_asn_skor,
        case
            when ip_asn_skor >= 91 then 'SANGAT_TINGGI'
            when ip_asn_skor >= 81 then 'TINGGI'
            when ip_asn_skor >= 71 then 'SEDANG'
            when ip_asn_skor >= 61 then 'RENDAH'
            else 'SANGAT_RENDAH'
        end as ip_asn_kategori,
        case
            when status_kepegawaian = 'PPPK' then null
            else
                masa_golongan_tahun >= {{ var('kenaikan_pangkat_masa_tahun') }}
                and k1_kinerja
                and not coalesce(ada_hukuman_aktif, false)
        end as layak_kenaikan_pangkat_reguler,
        tmt_pensiun
    from total
)

select * from final
