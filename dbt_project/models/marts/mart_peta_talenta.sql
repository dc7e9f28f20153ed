-- The national talent map (R6) at three levels: NASIONAL, PROVINSI (duty-station province) and INSTANSI, by
-- jenis_jabatan (and SEMUA for all posts) and talent box (NULL = belum terprofil), every (area, jenis_jabatan,
-- box) of an area with ASN listed, zeros included: the counts of agr_peta_talenta with R12 applied. persen is
-- the share of the area's ASN (jumlah_area), whatever their post.
with

peta as (select * from {{ ref('agr_peta_talenta') }}),

total as (select * from {{ ref('agr_peta_total') }}),

pola as ({{ pola_baris('peta_talenta') }}),

pola_total as ({{ pola_baris('peta_total') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

sel as (
    select
        peta.*,
        total.jumlah as jumlah_area,
        {{ sel_ditekan('jumlah') }} as jumlah_ditekan,
        {{ sel_ditekan('jumlah', 'pola_total') }} as total_ditekan
    from peta
    inner join total on total.kunci = {{ kunci_sel(['peta.level', 'peta.kode_provinsi', 'peta.kode_instansi']) }}
    left join pola on peta.kunci = pola.kunci
    left join pola_total on total.kunci = pola_total.kunci
),

final as (
    select
        {{ kolom_area('sel') }},
        cast(sel.jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(sel.kotak_talenta as integer) as kotak_talenta,
        cast({{ tampil('sel.jumlah', 'sel.jumlah_ditekan') }} as bigint) as jumlah,
        cast({{ tampil('sel.jumlah_area', 'sel.total_ditekan') }} as bigint) as jumlah_area,
        {{ persen('sel.jumlah', 'sel.jumlah_area', 'sel.jumlah_ditekan or sel.total_ditekan') }} as persen,
        cast(sel.jumlah_ditekan or sel.total_ditekan as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from sel
    left join wilayah on sel.kode_provinsi = wilayah.kode_wilayah
    left join instansi on sel.kode_instansi = instansi.kode_instansi
)

select * from final
