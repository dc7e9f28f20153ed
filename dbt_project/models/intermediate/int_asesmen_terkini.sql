-- The latest valid assessment per person: tanggal_asesmen within the {{ var('potensial_jendela_tahun') }} years up to
-- tanggal_acuan (R6) and at least one of skor_potensi and jpm given. Same-day results: ASSESSMENT_CENTER
-- before CACT before UJI_KOMPETENSI. With its potensial level (R6) and JPM category (R7).
{{ config(materialized='incremental', incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

asesmen as (
    select * from {{ ref('stg_asesmen') }}
    where
        {{ dalam_jendela('tanggal_asesmen', 'year', var('potensial_jendela_tahun')) }}
        and (skor_potensi is not null or jpm is not null)
        and {{ instansi_terdampak('kode_instansi') }}
),

berurutan as (
    select
        *,
        row_number() over (
            partition by nip
            order by
                tanggal_asesmen desc,
                case metode when 'ASSESSMENT_CENTER' then 1 when 'CACT' then 2 else 3 end,
                line desc
        ) as urutan_terbaru
    from asesmen
),

final as (
    select
        nip,
        kode_instansi,
        tanggal_asesmen,
        metode,
        lembaga,
        skor_potensi,
        case
            when skor_potensi >= {{ var('potensial_batas_tinggi') }} then 'TINGGI'
            when skor_potensi >= {{ var('potensial_batas_menengah') }} then 'MENENGAH'
            when skor_potensi is not null then 'RENDAH'
        end as potensial_level,
        jpm,
        case
            when jpm >= {{ var('jpm_batas_memenuhi') }} then 'MEMENUHI_SYARAT'
            when jpm >= {{ var('jpm_batas_masih_memenuhi') }} then 'MASIH_MEMENUHI_SYARAT'
            when jpm is not null then 'KURANG_MEMENUHI_SYARAT'
        end as kategori_jpm,
        km_integritas,
        km_kerja_sama,
        km_komunikasi,
        km_orientasi_hasil,
        km_pelayanan_publik,
        km_pengembangan_diri,
        km_mengelola_perubahan,
        km_pengambilan_keputusan,
        ks_perekat_bangsa
    from berurutan
    where urutan_terbaru = 1
)

select * from final
