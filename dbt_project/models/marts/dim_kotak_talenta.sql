-- Reference: the nine talent boxes of PermenPANRB 3/2020 (R6) with their axes and follow-up.
with

kotak as (select * from {{ ref('kotak_talenta') }}),

final as (
    select
        cast(kotak_talenta as integer) as kotak_talenta,
        cast(kinerja_level as {{ dbt.type_string() }}) as kinerja_level,
        cast(potensial_level as {{ dbt.type_string() }}) as potensial_level,
        cast(kelompok_suksesi as boolean) as kelompok_suksesi,
        cast(tindak_lanjut as {{ dbt.type_string() }}) as tindak_lanjut
    from kotak
)

select * from final
