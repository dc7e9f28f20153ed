-- Training per current ASN as of tanggal_acuan: JP in the {{ var('k3_jendela_bulan') }} months up to it (R8, K3),
-- the highest leadership training held (completed by tanggal_acuan; a higher one satisfies a lower
-- requirement, R8, K4), a SEMINAR in the last {{ var('ip_asn_jendela_seminar_bulan') }} months and a FUNGSIONAL or
-- TEKNIS training in the last {{ var('ip_asn_jendela_pelatihan_tahun') }} years (R11 kompetensi).
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

pelatihan as (
    select * from {{ ref('stg_riwayat_pelatihan') }}
    where tanggal_mulai <= {{ tanggal_acuan() }}
        and {{ instansi_terdampak('kode_instansi') }}
),

pelatihan_kepemimpinan as (select * from {{ ref('pelatihan_kepemimpinan') }}),

dengan_urutan as (
    select
        pelatihan.nip,
        pelatihan.jenis_pelatihan,
        pelatihan.tanggal_mulai,
        pelatihan.jp,
        case
            when coalesce(pelatihan.tanggal_selesai, pelatihan.tanggal_mulai) <= {{ tanggal_acuan() }}
                then pelatihan_kepemimpinan.urutan
        end as urutan_kepemimpinan_dimiliki
    from pelatihan
    left join pelatihan_kepemimpinan
        on pelatihan.jenis_pelatihan = 'KEPEMIMPINAN'
        and (
            pelatihan.kode_kepemimpinan = pelatihan_kepemimpinan.kode_kepemimpinan
            or pelatihan.kode_kepemimpinan = pelatihan_kepemimpinan.nama_lama
        )
),

per_orang as (
    select
        nip,
        sum(
            case when {{ dalam_jendela('tanggal_mulai', 'month', var('k3_jendela_bulan')) }} then jp else 0 end
        ) as jp_12_bulan,
        max(urutan_kepemimpinan_dimiliki) as urutan_kepemimpinan_tertinggi,
        max(
            case
                when jenis_pelatihan = 'SEMINAR'
                    and {{ dalam_jendela('tanggal_mulai', 'month', var('ip_asn_jendela_seminar_bulan')) }}
                    then 1
                else 0
            end
        ) = 1 as ada_seminar_12_bulan,
        max(
            case
                when jenis_pelatihan in ('FUNGSIONAL', 'TEKNIS')
                    and {{ dalam_jendela('tanggal_mulai', 'year', var('ip_asn_jendela_pelatihan_tahun')) }}
                    then 1
                else 0
            end
        ) = 1 as ada_fungsional_teknis_2_tahun
    from dengan_urutan
    group by nip
),

final as (
    select
        pegawai.nip,
        pegawai.kode_instansi,
        coalesce(per_orang.jp_12_bulan, 0) as jp_12_bulan,
        coalesce(per_orang.jp_12_bulan, 0) >= {{ var('k3_jp_minimum') }} as memenuhi_jp_minimum,
        pelatihan_kepemimpinan.kode_kepemimpinan as kepemimpinan_tertinggi,
        per_orang.urutan_kepemimpinan_tertinggi,
        pegawai.pelatihan_kepemimpinan_wajib,
        case
            when pegawai.urutan_kepemimpinan_wajib is null then true
            else coalesce(per_orang.urutan_kepemimpinan_tertinggi, 0) >= pegawai.urutan_kepemimpinan_wajib
        end as memenuhi_kepemimpinan_wajib,
        coalesce(per_orang.ada_seminar_12_bulan, false) as ada_seminar_12_bulan,
        coalesce(per_orang.ada_fungsional_teknis_2_tahun, false) as ada_fungsional_teknis_2_tahun
    from pegawai
    left join per_orang on pegawai.nip = per_orang.nip
    left join pelatihan_kepemimpinan
        on per_orang.urutan_kepemimpinan_tertinggi = pelatihan_kepemimpinan.urutan
)

select * from final
