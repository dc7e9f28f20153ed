-- Reference: every agency that may submit, with its region and province names.
with

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

final as (
    select
        cast(instansi.kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(instansi.nama_instansi as {{ dbt.type_string() }}) as nama_instansi,
        cast(instansi.jenis_instansi as {{ dbt.type_string() }}) as jenis_instansi,
        cast(instansi.kode_wilayah as {{ dbt.type_string() }}) as kode_wilayah,
        cast(instansi.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(provinsi.nama_wilayah as {{ dbt.type_string() }}) as nama_provinsi
    from instansi
    left join wilayah as provinsi on instansi.kode_provinsi = provinsi.kode_wilayah
)

select * from final
