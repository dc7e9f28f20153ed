-- Reference: golongan/ruang with pangkat names (R2), for BI labels.
with

golongan as (select * from {{ ref('golongan') }}),

final as (
    select
        cast(kode_golongan as {{ dbt.type_string() }}) as kode_golongan,
        cast(rumpun as {{ dbt.type_string() }}) as rumpun,
        cast(urutan as integer) as urutan,
        cast(golongan_angka as integer) as golongan_angka,
        cast(ruang as {{ dbt.type_string() }}) as ruang,
        cast(pangkat as {{ dbt.type_string() }}) as pangkat
    from golongan
)

select * from final
