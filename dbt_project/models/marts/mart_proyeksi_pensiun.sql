-- Retirement projection (R4) at three levels (NASIONAL, PROVINSI of the duty station, INSTANSI): people reaching
-- TMT pensiun in each calendar year from the year of tanggal_acuan to {{ var('proyeksi_pensiun_tahun') }} years
-- later, by jenis_jabatan and SEMUA, every combination of an area with ASN listed (zeros included): the counts of
-- agr_proyeksi_pensiun with R12 applied.
with

pensiun as (select * from {{ ref('agr_proyeksi_pensiun') }}),

pola as ({{ pola_baris('proyeksi_pensiun') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

final as (
    select
        {{ kolom_area('pensiun') }},
        cast(pensiun.tahun as integer) as tahun,
        cast(pensiun.jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast({{ tampil('pensiun.jumlah_pensiun', sel_ditekan('jumlah_pensiun')) }} as bigint) as jumlah_pensiun,
        cast({{ sel_ditekan('jumlah_pensiun') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from pensiun
    left join pola on pensiun.kunci = pola.kunci
    left join wilayah on pensiun.kode_provinsi = wilayah.kode_wilayah
    left join instansi on pensiun.kode_instansi = instansi.kode_instansi
)

select * from final
