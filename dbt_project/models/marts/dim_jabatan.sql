-- Reference: position types and functional levels with their rules in force (BUP R4, competency level R7,
-- leadership training R8), for BI labels.
with

jabatan as (select * from {{ ref('jabatan') }}),

final as (
    select
        cast(kode_jabatan as {{ dbt.type_string() }}) as kode_jabatan,
        cast(jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(jenjang_fungsional as {{ dbt.type_string() }}) as jenjang_fungsional,
        cast(kelompok_jabatan as {{ dbt.type_string() }}) as kelompok_jabatan,
        cast(eselon as {{ dbt.type_string() }}) as eselon,
        cast(batas_usia_pensiun as integer) as batas_usia_pensiun,
        cast(level_kompetensi_standar as integer) as level_kompetensi_standar,
        cast(pelatihan_kepemimpinan_wajib as {{ dbt.type_string() }}) as pelatihan_kepemimpinan_wajib
    from jabatan
)

select * from final
