-- Sanctions per current ASN as of tanggal_acuan (PP 94/2021; R9, R10 K5, R11 disiplin). A sanction is active
-- when tmt_mulai <= tanggal_acuan and (tmt_selesai is NULL or tmt_selesai >= tanggal_acuan).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

hukuman as (
    select * from {{ ref('stg_hukuman_disiplin') }}
    where tmt_mulai <= {{ tanggal_acuan() }}
        and {{ instansi_terdampak('kode_instansi') }}
),

dengan_tingkat as (
    select
        *,
        case tingkat when 'RINGAN' then 1 when 'SEDANG' then 2 when 'BERAT' then 3 end as tingkat_urutan
    from hukuman
),

per_orang as (
    select
        nip,
        count(*) as jumlah_hukuman,
        max(
            case
                when tmt_selesai is null or tmt_selesai >= {{ tanggal_acuan() }} then tingkat_urutan
            end
        ) as tingkat_aktif_urutan,
        max(
            case when tmt_selesai is null then 1 else 0 end
        ) = 1 as hukuman_aktif_tanpa_akhir,
        max(
            case when tmt_selesai >= {{ tanggal_acuan() }} then tmt_selesai end
        ) as tmt_selesai_hukuman_aktif,
        max(
            case
                when tingkat = 'BERAT'
                    and {{ dalam_jendela('tmt_mulai', 'year', var('k5_jendela_berat_tahun')) }}
                    then 1
                else 0
            end
        ) = 1 as ada_berat_jendela_k5,
        max(
            case
                when tmt_selesai is null
                    or tmt_selesai >= {{ awal_jendela('year', var('ip_asn_jendela_disiplin_tahun')) }}
                    then tingkat_urutan
            end
        ) as tingkat_jendela_ip_asn_urutan
    from dengan_tingkat
    group by nip
),

final as (
    select
        pegawai.nip,
        pegawai.kode_instansi,
        coalesce(per_orang.jumlah_hukuman, 0) as jumlah_hukuman,
        per_orang.tingkat_aktif_urutan is not null as ada_hukuman_aktif,
        coalesce(per_orang.hukuman_aktif_tanpa_akhir, false) as hukuman_aktif_tanpa_akhir,
        per_orang.tmt_selesai_hukuman_aktif,
        case per_orang.tingkat_aktif_urutan
            when 1 then 'RINGAN' when 2 then 'SEDANG' when 3 then 'BERAT'
        end as tingkat_aktif_terberat,
        coalesce(per_orang.ada_berat_jendela_k5, false) as ada_berat_jendela_k5,
        case per_orang.tingkat_jendela_ip_asn_urutan
            when 1 then 'RINGAN' when 2 then 'SEDANG' when 3 then 'BERAT'
        end as tingkat_terberat_jendela_ip_asn
    from pegawai
    left join per_orang on pegawai.nip = per_orang.nip
)

select * from final
