-- The national talent pool (R16): the ASN of boxes 7-9 (R6) across all agencies by jenis_jabatan and jenjang (and
-- SEMUA), counts only: agr_kumpulan_talenta with R12 applied. The names are in the restricted schema
-- (rst_kumpulan_talenta), never published; the pool per province and agency is mart_peta_talenta's boxes 7-9.
with

kumpulan as (select * from {{ ref('agr_kumpulan_talenta') }}),

pola as ({{ pola_baris('kumpulan_talenta') }}),

final as (
    select
        cast(kumpulan.level as {{ dbt.type_string() }}) as level,
        cast(kumpulan.jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(kumpulan.jenjang as {{ dbt.type_string() }}) as jenjang,
        cast(kumpulan.kotak_talenta as integer) as kotak_talenta,
        cast({{ tampil('kumpulan.jumlah', sel_ditekan('jumlah')) }} as bigint) as jumlah,
        cast({{ sel_ditekan('jumlah') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from kumpulan
    left join pola on kumpulan.kunci = pola.kunci
)

select * from final
