-- Competency gaps (R7) per agency x post x competency: the required level (seed jabatan) against the levels of
-- the latest valid assessment (int_asesmen_terkini) of the current ASN in that post. FUNGSIONAL posts are split
-- by jenjang (kode_jabatan), since the required level differs per jenjang. Every row is one agency's: rebuilt
-- agency by agency (macros/per_instansi.sql).
{%- set kompetensi = daftar_kompetensi() %}
{{ config(materialized='incremental', incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

asesmen as ({{ select_terdampak(ref('int_asesmen_terkini')) }}),

daftar_kompetensi as (
    {%- for kode, nama, jenis in kompetensi %}
    select
        '{{ kode }}' as kode_kompetensi,
        '{{ nama }}' as nama_kompetensi,
        '{{ jenis }}' as jenis_kompetensi,
        {{ loop.index }} as urutan
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

level_per_orang as (
    {%- for kode, nama, jenis in kompetensi %}
    select
        nip,
        '{{ kode }}' as kode_kompetensi,
        {{ kode }} as level_kompetensi
    from asesmen
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

kelompok as (
    select distinct
        kode_instansi,
        jenis_jabatan,
        jenjang_fungsional,
        kode_jabatan,
        level_kompetensi_standar
    from pegawai
),

dinilai as (
    select
        pegawai.kode_instansi,
        pegawai.kode_jabatan,
        level_per_orang.kode_kompetensi,
        count(*) as jumlah_dinilai,
        avg(level_per_orang.level_kompetensi) as rata_level,
        sum(case when level_per_orang.level_kompetensi < pegawai.level_kompetensi_standar then 1 else 0 end)
            as jumlah_di_bawah_standar
    from pegawai
    inner join level_per_orang on pegawai.nip = level_per_orang.nip
    where level_per_orang.level_kompetensi is not null
    group by pegawai.kode_instansi, pegawai.kode_jabatan, level_per_orang.kode_kompetensi
),

lengkap as (
    select
        kelompok.kode_instansi,
        kelompok.jenis_jabatan,
        kelompok.jenjang_fungsional,
        kelompok.kode_jabatan,
        daftar_kompetensi.kode_kompetensi,
        daftar_kompetensi.nama_kompetensi,
        daftar_kompetensi.jenis_kompetensi,
        kelompok.level_kompetensi_standar,
        coalesce(dinilai.jumlah_dinilai, 0) as jumlah_dinilai,
        dinilai.rata_level,
        coalesce(dinilai.jumlah_di_bawah_standar, 0) as jumlah_di_bawah_standar
    from kelompok
    cross join daftar_kompetensi
    left join dinilai
        on kelompok.kode_instansi = dinilai.kode_instansi
        and kelompok.kode_jabatan = dinilai.kode_jabatan
        and daftar_kompetensi.kode_kompetensi = dinilai.kode_kompetensi
),

final as (
    select
        cast(kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(jenjang_fungsional as {{ dbt.type_string() }}) as jenjang_fungsional,
        cast(kode_jabatan as {{ dbt.type_string() }}) as kode_jabatan,
        cast(kode_kompetensi as {{ dbt.type_string() }}) as kode_kompetensi,
        cast(nama_kompetensi as {{ dbt.type_string() }}) as nama_kompetensi,
        cast(jenis_kompetensi as {{ dbt.type_string() }}) as jenis_kompetensi,
        cast(level_kompetensi_standar as integer) as level_standar,
        cast({{ tampil_jumlah('jumlah_dinilai') }} as bigint) as jumlah_dinilai,
        cast(case when not {{ ditekan('jumlah_dinilai') }} then round(rata_level, 2) end as decimal(4, 2))
            as rata_level,
        cast(
            case when not {{ ditekan('jumlah_dinilai') }} then round(level_kompetensi_standar - rata_level, 2) end
            as decimal(4, 2)
        ) as rata_kesenjangan,
        cast({{ tampil_persen('jumlah_di_bawah_standar', 'jumlah_dinilai') }} as decimal(5, 2))
            as persen_di_bawah_standar,
        cast({{ ditekan('jumlah_dinilai') }} or {{ ditekan('jumlah_di_bawah_standar') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from lengkap
)

select * from final
