-- The promotion pipeline (R16, R9) at three levels (NASIONAL, PROVINSI of the duty station, INSTANSI): the current
-- ASN per status (agr_kenaikan_pangkat: LAYAK, LAYAK_12_BULAN, MENUNGGU_MASA_GOLONGAN, TERHAMBAT_SKP,
-- TERHAMBAT_HUKUMAN, TIDAK_BERLAKU, TMT_GOLONGAN_TIDAK_DIKETAHUI), every status of an area with ASN listed, zeros
-- included, with R12 applied; persen is the share of the area's ASN (the statuses add up to it), withheld with
-- either count.
with

kenaikan as (select * from {{ ref('agr_kenaikan_pangkat') }}),

total as (select * from {{ ref('agr_peta_total') }}),

pola as ({{ pola_baris('kenaikan_pangkat') }}),

pola_total as ({{ pola_baris('peta_total') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

sel as (
    select
        kenaikan.*,
        total.jumlah as jumlah_area,
        {{ sel_ditekan('jumlah') }} as jumlah_ditekan,
        {{ sel_ditekan('jumlah', 'pola_total') }} as total_ditekan
    from kenaikan
    inner join total
        on total.kunci = {{ kunci_sel(['kenaikan.level', 'kenaikan.kode_provinsi', 'kenaikan.kode_instansi']) }}
    left join pola on kenaikan.kunci = pola.kunci
    left join pola_total on total.kunci = pola_total.kunci
),

final as (
    select
        {{ kolom_area('sel') }},
        cast(sel.status_pipeline as {{ dbt.type_string() }}) as status_pipeline,
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
