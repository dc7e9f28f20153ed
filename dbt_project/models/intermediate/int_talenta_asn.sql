-- Every person-level rule as of tanggal_acuan, one row per active ASN (int_pegawai_terkini: people past their
-- TMT pensiun are not here, R4; holds the NIP, mart_talenta_asn publishes it under asn_key): talent box (R6),
-- merit readiness K1..K6 and category (R10), IP ASN (R11, its kualifikasi from the highest education of
-- int_pendidikan_acuan), JPM category and qualification fit (R7, R13), TMT pensiun (R4), and
-- regular promotion (R9): one status per person, from which both the published flag and the restricted
-- recommendation (rst_rekomendasi_asn) are read, so that they always agree.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

kinerja as (select * from {{ ref('int_kinerja_acuan') }}),

asesmen as (select * from {{ ref('int_asesmen_terkini') }}),

pelatihan as (select * from {{ ref('int_pelatihan_acuan') }}),

disiplin as (select * from {{ ref('int_hukuman_disiplin_acuan') }}),

pendidikan as (select * from {{ ref('int_pendidikan_acuan') }}),

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
        disiplin.hukuman_aktif_tanpa_akhir,
        disiplin.tmt_selesai_hukuman_aktif,
        disiplin.ada_berat_jendela_k5,
        disiplin.tingkat_terberat_jendela_ip_asn,
        -- without a row there (an agency not yet rebuilt with it), pendidikan_terakhir alone
        coalesce(pendidikan.pendidikan_tertinggi, pegawai.pendidikan_terakhir) as pendidikan_tertinggi,
        pendidikan.pendidikan_minimum,
        pendidikan.sesuai_kualifikasi
    from pegawai
    left join kinerja on pegawai.nip = kinerja.nip
    left join asesmen on pegawai.nip = asesmen.nip
    left join pelatihan on pegawai.nip = pelatihan.nip
    left join disiplin on pegawai.nip = disiplin.nip
    left join pendidikan on pegawai.nip = pendidikan.nip
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
        <= gabung.tmt_pensiun as k6_masa_kerja,
        cast({{ dbt.dateadd('year', var('kenaikan_pangkat_masa_tahun'), 'gabung.tmt_golongan') }} as date)
            as tanggal_memenuhi_masa_golongan
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
    left join poin_kualifikasi on kriteria.pendidikan_tertinggi = poin_kualifikasi.kode
    left join poin_kinerja on coalesce(kriteria.predikat_terakhir, 'TIDAK_ADA') = poin_kinerja.kode
    left join poin_disiplin on coalesce(kriteria.tingkat_terberat_jendela_ip_asn, 'TIDAK_ADA') = poin_disiplin.kode
),

total as (
    select
        *,
        ip_asn_kualifikasi + ip_asn_kompetensi + ip_asn_kinerja + ip_asn_disiplin as ip_asn_skor
    from skor
),

-- R9 regular promotion: the first reason that holds, in this order; only a PNS below IV/e can be promoted
kenaikan_pangkat as (
    select
        *,
        case
            when status_kepegawaian = 'PPPK' then 'TIDAK_BERLAKU'
            when status_kepegawaian = 'CPNS' then 'BELUM_PNS'
            when golongan = 'IV/e' then 'GOLONGAN_TERTINGGI'
            when not k1_kinerja then 'TERHAMBAT_SKP'
            when coalesce(hukuman_aktif_tanpa_akhir, false) then 'TERHAMBAT_HUKUMAN'
            when
                coalesce(ada_hukuman_aktif, false)
                and (
                    tanggal_memenuhi_masa_golongan is null
                    or tmt_selesai_hukuman_aktif is null
                    or tmt_selesai_hukuman_aktif >= tanggal_memenuhi_masa_golongan
                )
                then 'MENUNGGU_HUKUMAN_SELESAI'
            when tmt_golongan is null then 'TMT_GOLONGAN_TIDAK_DIKETAHUI'
            when tanggal_memenuhi_masa_golongan > {{ tanggal_acuan() }} then 'MENUNGGU_MASA_GOLONGAN'
            else 'LAYAK'
        end as status_kenaikan_pangkat
    from total
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
        pendidikan_tertinggi,
        pendidikan_minimum,
        sesuai_kualifikasi,
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
            when kotak_talenta is null then 'TIDAK_DAPAT_DINILAI'
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
            when status_kenaikan_pangkat = 'LAYAK' then true
            when status_kenaikan_pangkat not in ('TIDAK_BERLAKU', 'TMT_GOLONGAN_TIDAK_DIKETAHUI') then false
        end as layak_kenaikan_pangkat_reguler,
        status_kenaikan_pangkat,
        tmt_golongan,
        tanggal_memenuhi_masa_golongan,
        case
            when status_kenaikan_pangkat = 'MENUNGGU_HUKUMAN_SELESAI' and tanggal_memenuhi_masa_golongan is not null
                then cast({{ dbt.dateadd('day', 1, 'tmt_selesai_hukuman_aktif') }} as date)
            when status_kenaikan_pangkat in ('MENUNGGU_MASA_GOLONGAN', 'LAYAK') then tanggal_memenuhi_masa_golongan
        end as tanggal_layak_kenaikan_pangkat,
        tmt_pensiun
    from kenaikan_pangkat
)

select * from final
