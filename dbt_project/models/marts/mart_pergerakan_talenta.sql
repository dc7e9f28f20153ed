-- The talent movement (R15) between two kept dates at three levels: the counts of agr_pergerakan_talenta with
-- R12 applied. persen_asal is the share of the people of kotak_asal (in the same area) who are in kotak_tujuan
-- at the end date, withheld with either count.
with

gerak as (select * from {{ ref('agr_pergerakan_talenta') }}),

pola as ({{ pola_baris('pergerakan_talenta') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

sel as (
    select
        gerak.*,
        baris.jumlah as jumlah_asal,
        {{ sel_ditekan('jumlah') }} as jumlah_ditekan,
        {{ sel_ditekan('jumlah', 'pola_baris') }} as baris_ditekan
    from gerak
    inner join gerak as baris
        on baris.kunci = {{ kunci_sel(['gerak.level', 'gerak.kode_provinsi', 'gerak.kode_instansi',
            'gerak.kotak_asal', "'" ~ semua_nilai() ~ "'"]) }}
    left join pola on gerak.kunci = pola.kunci
    left join pola as pola_baris on baris.kunci = pola_baris.kunci
),

final as (
    select
        {{ kolom_area('sel') }},
        cast(sel.tanggal_acuan_awal as date) as tanggal_acuan_awal,
        cast(sel.tanggal_acuan_akhir as date) as tanggal_acuan_akhir,
        cast(sel.kotak_asal as {{ dbt.type_string() }}) as kotak_asal,
        cast(sel.kotak_tujuan as {{ dbt.type_string() }}) as kotak_tujuan,
        cast({{ tampil('sel.jumlah', 'sel.jumlah_ditekan') }} as bigint) as jumlah,
        cast({{ tampil('sel.jumlah_asal', 'sel.baris_ditekan') }} as bigint) as jumlah_asal,
        {{ persen('sel.jumlah', 'sel.jumlah_asal', 'sel.jumlah_ditekan or sel.baris_ditekan') }} as persen_asal,
        cast(sel.jumlah_ditekan as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from sel
    left join wilayah on sel.kode_provinsi = wilayah.kode_wilayah
    left join instansi on sel.kode_instansi = instansi.kode_instansi
)

select * from final
