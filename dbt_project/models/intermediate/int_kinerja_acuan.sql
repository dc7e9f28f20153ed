-- SKP per current ASN as of tanggal_acuan (R6, R10, R11 of docs/domain-rules.md): the latest SKP year in the
-- R6 window (tahun from the year of tanggal_acuan minus {{ var('kinerja_jendela_tahun') }} up to that year; a later
-- year does not exist yet, R0) with its kinerja level, which the talent box and the IP ASN kinerja points use
-- (none in the window: no box, 0 points); and the SKP years K1 and R9 judge: the
-- {{ var('k1_jumlah_tahun_skp') }} most recent years inside that same window, or the one year when only one is there.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
{%- set tahun_acuan = 'extract(year from ' ~ tanggal_acuan() ~ ')' %}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

skp as (
    select * from {{ ref('int_skp_tahunan') }}
    where predikat is not null
        and {{ instansi_terdampak('kode_instansi') }}
),

jendela_r6 as (
    select
        nip,
        tahun,
        predikat,
        predikat_urutan,
        row_number() over (partition by nip order by tahun desc) as urutan_terbaru
    from skp
    where tahun >= {{ tahun_acuan }} - {{ var('kinerja_jendela_tahun') }}
        and tahun <= {{ tahun_acuan }}
),

terakhir as (
    select * from jendela_r6
    where urutan_terbaru = 1
),

tahun_k1 as (
    select
        nip,
        count(*) as jumlah_tahun_skp_k1,
        sum(case when predikat_urutan >= 4 then 1 else 0 end) as jumlah_tahun_baik_k1
    from jendela_r6
    where urutan_terbaru <= {{ var('k1_jumlah_tahun_skp') }}
    group by nip
),

final as (
    select
        pegawai.nip,
        pegawai.kode_instansi,
        terakhir.tahun as tahun_skp_terakhir,
        terakhir.predikat as predikat_terakhir,
        case
            when terakhir.predikat = 'SANGAT_BAIK' then 'DI_ATAS'
            when terakhir.predikat = 'BAIK' then 'SESUAI'
            when terakhir.predikat is not null then 'DI_BAWAH'
        end as kinerja_level,
        coalesce(tahun_k1.jumlah_tahun_skp_k1, 0) as jumlah_tahun_skp_k1,
        coalesce(tahun_k1.jumlah_tahun_baik_k1, 0) as jumlah_tahun_baik_k1,
        coalesce(tahun_k1.jumlah_tahun_skp_k1, 0) > 0 as ada_skp_k1,
        coalesce(
            tahun_k1.jumlah_tahun_skp_k1 > 0 and tahun_k1.jumlah_tahun_baik_k1 = tahun_k1.jumlah_tahun_skp_k1, false
        ) as k1_kinerja
    from pegawai
    left join terakhir on pegawai.nip = terakhir.nip
    left join tahun_k1 on pegawai.nip = tahun_k1.nip
)

select * from final
