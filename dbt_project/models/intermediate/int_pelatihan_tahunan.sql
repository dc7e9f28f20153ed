-- Training per person per calendar year of tanggal_mulai (up to tanggal_acuan): JP totals (R8: at least
-- {{ var('k3_jp_minimum') }} JP a year) and the highest leadership training started that year.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pelatihan as (
    select * from {{ ref('stg_riwayat_pelatihan') }}
    where tanggal_mulai <= {{ tanggal_acuan() }}
        and {{ instansi_terdampak('kode_instansi') }}
),

pelatihan_kepemimpinan as (select * from {{ ref('pelatihan_kepemimpinan') }}),

dengan_urutan as (
    select
        pelatihan.nip,
        pelatihan.kode_instansi,
        cast(extract(year from pelatihan.tanggal_mulai) as integer) as tahun,
        pelatihan.jenis_pelatihan,
        pelatihan.jp,
        pelatihan_kepemimpinan.urutan as urutan_kepemimpinan
    from pelatihan
    left join pelatihan_kepemimpinan
        on pelatihan.jenis_pelatihan = 'KEPEMIMPINAN'
        and (
            pelatihan.kode_kepemimpinan = pelatihan_kepemimpinan.kode_kepemimpinan
            or pelatihan.kode_kepemimpinan = pelatihan_kepemimpinan.nama_lama
        )
),

per_tahun as (
    select
        nip,
        kode_instansi,
        tahun,
        count(*) as jumlah_pelatihan,
        sum(jp) as jumlah_jp,
        sum(case when jenis_pelatihan = 'LATSAR' then jp else 0 end) as jp_latsar,
        sum(case when jenis_pelatihan = 'KEPEMIMPINAN' then jp else 0 end) as jp_kepemimpinan,
        sum(case when jenis_pelatihan = 'FUNGSIONAL' then jp else 0 end) as jp_fungsional,
        sum(case when jenis_pelatihan = 'TEKNIS' then jp else 0 end) as jp_teknis,
        sum(case when jenis_pelatihan = 'SEMINAR' then jp else 0 end) as jp_seminar,
        max(urutan_kepemimpinan) as urutan_kepemimpinan_tertinggi
    from dengan_urutan
    group by nip, kode_instansi, tahun
),

final as (
    select
        per_tahun.nip,
        per_tahun.kode_instansi,
        per_tahun.tahun,
        per_tahun.jumlah_pelatihan,
        per_tahun.jumlah_jp,
        per_tahun.jp_latsar,
        per_tahun.jp_kepemimpinan,
        per_tahun.jp_fungsional,
        per_tahun.jp_teknis,
        per_tahun.jp_seminar,
        per_tahun.jumlah_jp >= {{ var('k3_jp_minimum') }} as memenuhi_jp_minimum,
        pelatihan_kepemimpinan.kode_kepemimpinan as kepemimpinan_tertinggi
    from per_tahun
    left join pelatihan_kepemimpinan
        on per_tahun.urutan_kepemimpinan_tertinggi = pelatihan_kepemimpinan.urutan
)

select * from final
