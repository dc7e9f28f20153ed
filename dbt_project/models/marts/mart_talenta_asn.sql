-- One row per active ASN (people past their TMT pensiun are not, R4), pseudonymous (docs/domain-rules.md R12):
-- what analysts and BI tools read per person.
-- Every rule is computed in int_talenta_asn; this model only swaps the NIP for asn_key and fixes the types.
-- Rebuilt agency by agency (macros/per_instansi.sql); a new pseudonym key rebuilds it whole (assets/dbt.py).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

talenta as ({{ select_terdampak(ref('int_talenta_asn')) }}),

final as (
    select
        cast({{ kunci_asn('talenta.nip') }} as {{ dbt.type_string() }}) as asn_key,
        cast(kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(status_kepegawaian as {{ dbt.type_string() }}) as status_kepegawaian,
        cast(jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(jenjang_fungsional as {{ dbt.type_string() }}) as jenjang_fungsional,
        cast(golongan as {{ dbt.type_string() }}) as golongan,
        cast(pendidikan_terakhir as {{ dbt.type_string() }}) as pendidikan_terakhir,
        cast(pendidikan_tertinggi as {{ dbt.type_string() }}) as pendidikan_tertinggi,
        cast(sesuai_kualifikasi as boolean) as sesuai_kualifikasi,
        cast(kinerja_level as {{ dbt.type_string() }}) as kinerja_level,
        cast(potensial_level as {{ dbt.type_string() }}) as potensial_level,
        cast(kotak_talenta as integer) as kotak_talenta,
        cast(terprofil as boolean) as terprofil,
        cast(kelompok_suksesi as boolean) as kelompok_suksesi,
        cast(jpm as decimal(5, 2)) as jpm,
        cast(kategori_jpm as {{ dbt.type_string() }}) as kategori_jpm,
        cast(ip_asn_skor as integer) as ip_asn_skor,
        cast(ip_asn_kategori as {{ dbt.type_string() }}) as ip_asn_kategori,
        cast(k1_kinerja as boolean) as k1_kinerja,
        cast(k2_kompetensi as boolean) as k2_kompetensi,
        cast(k3_pengembangan as boolean) as k3_pengembangan,
        cast(k4_kepemimpinan as boolean) as k4_kepemimpinan,
        cast(k5_disiplin as boolean) as k5_disiplin,
        cast(k6_masa_kerja as boolean) as k6_masa_kerja,
        cast(kategori_kesiapan as {{ dbt.type_string() }}) as kategori_kesiapan,
        cast(jp_12_bulan as integer) as jp_12_bulan,
        cast(layak_kenaikan_pangkat_reguler as boolean) as layak_kenaikan_pangkat_reguler,
        cast(status_kenaikan_pangkat as {{ dbt.type_string() }}) as status_kenaikan_pangkat,
        cast(tmt_pensiun as date) as tmt_pensiun,
        {{ tanggal_acuan() }} as tanggal_acuan
    from talenta
)

select * from final
