-- Reference: provinces and kabupaten/kota (Kemendagri codes; idn-area-data 4.0.1, ODbL), with the province name.
with

wilayah as (select * from {{ ref('wilayah') }}),

provinsi as (
    select
        kode_wilayah,
        nama_wilayah
    from wilayah
    where jenis_wilayah = 'PROVINSI'
),

final as (
    select
        cast(wilayah.kode_wilayah as {{ dbt.type_string() }}) as kode_wilayah,
        cast(wilayah.jenis_wilayah as {{ dbt.type_string() }}) as jenis_wilayah,
        cast(wilayah.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(wilayah.nama_wilayah as {{ dbt.type_string() }}) as nama_wilayah,
        cast(provinsi.nama_wilayah as {{ dbt.type_string() }}) as nama_provinsi
    from wilayah
    left join provinsi on wilayah.kode_provinsi = provinsi.kode_wilayah
)

select * from final
