-- Assessment results per person as of tanggal_acuan (R6 revision 2, R7): of the assessments with tanggal_asesmen
-- in the {{ var('potensial_jendela_tahun') }} years up to tanggal_acuan, each measure (skor_potensi, jpm, each
-- competency level) comes from the latest one that has it, so an incomplete newer assessment never hides an
-- older value. Latest: the later date; on the same day ASSESSMENT_CENTER before CACT before UJI_KOMPETENSI,
-- then the later line of the file. With the potensial level (R6) and the JPM category (R7).
{%- set kompetensi = daftar_kompetensi() %}
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

asesmen as (
    select * from {{ ref('stg_asesmen') }}
    where
        {{ dalam_jendela('tanggal_asesmen', 'year', var('potensial_jendela_tahun')) }}
        and (
            skor_potensi is not null
            or jpm is not null
            {%- for kode, nama, jenis in kompetensi %}
            or {{ kode }} is not null
            {%- endfor %}
        )
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

-- each measure from the latest assessment that has it (urutan_terbaru 1 is the latest of all)
per_orang as (
    select
        nip,
        kode_instansi,
        min_by(tanggal_asesmen, urutan_terbaru) as tanggal_asesmen,
        min_by(metode, urutan_terbaru) as metode,
        min_by(lembaga, urutan_terbaru) as lembaga,
        min_by(tanggal_asesmen, urutan_terbaru) filter (where skor_potensi is not null) as tanggal_asesmen_potensi,
        min_by(skor_potensi, urutan_terbaru) filter (where skor_potensi is not null) as skor_potensi,
        min_by(tanggal_asesmen, urutan_terbaru) filter (where jpm is not null) as tanggal_asesmen_jpm,
        min_by(jpm, urutan_terbaru) filter (where jpm is not null) as jpm,
        {%- for kode, nama, jenis in kompetensi %}
        min_by({{ kode }}, urutan_terbaru)
        filter (where {{ kode }} is not null) as {{ kode }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from berurutan
    group by nip, kode_instansi
),

final as (
    select
        nip,
        kode_instansi,
        tanggal_asesmen,
        metode,
        lembaga,
        tanggal_asesmen_potensi,
        skor_potensi,
        case
            when skor_potensi >= {{ var('potensial_batas_tinggi') }} then 'TINGGI'
            when skor_potensi >= {{ var('potensial_batas_menengah') }} then 'MENENGAH'
            when skor_potensi is not null then 'RENDAH'
        end as potensial_level,
        tanggal_asesmen_jpm,
        jpm,
        case
            when jpm >= {{ var('jpm_batas_memenuhi') }} then 'MEMENUHI_SYARAT'
            when jpm >= {{ var('jpm_batas_masih_memenuhi') }} then 'MASIH_MEMENUHI_SYARAT'
            when jpm is not null then 'KURANG_MEMENUHI_SYARAT'
        end as kategori_jpm,
        {%- for kode, nama, jenis in kompetensi %}
        {{ kode }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from per_orang
)

select * from final
