-- Transfers (R16 mutasi) between two kept dates, agency to agency and duty-station province to province: the
-- counts of agr_mutasi with R12 applied. persen_asal is the share of the origin's people (at the start date)
-- who are at the destination at the end date, withheld with either count.
with

mutasi as (select * from {{ ref('agr_mutasi') }}),

pola as ({{ pola_baris('mutasi') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

sel as (
    select
        mutasi.*,
        baris.jumlah as jumlah_asal,
        {{ sel_ditekan('jumlah') }} as jumlah_ditekan,
        {{ sel_ditekan('jumlah', 'pola_baris') }} as baris_ditekan
    from mutasi
    inner join mutasi as baris
        on baris.kunci = {{ kunci_sel(['mutasi.jenis', 'mutasi.asal', "'" ~ semua_nilai() ~ "'"]) }}
    left join pola on mutasi.kunci = pola.kunci
    left join pola as pola_baris on baris.kunci = pola_baris.kunci
),

final as (
    select
        cast(sel.tanggal_acuan_awal as date) as tanggal_acuan_awal,
        cast(sel.tanggal_acuan_akhir as date) as tanggal_acuan_akhir,
        cast(sel.jenis as {{ dbt.type_string() }}) as jenis,
        cast(sel.asal as {{ dbt.type_string() }}) as asal,
        cast(
            case
                when sel.jenis = 'INSTANSI' then instansi_asal.nama_instansi else wilayah_asal.nama_wilayah
            end as {{ dbt.type_string() }}
        ) as nama_asal,
        cast(sel.tujuan as {{ dbt.type_string() }}) as tujuan,
        cast(
            case
                when sel.jenis = 'INSTANSI' then instansi_tujuan.nama_instansi else wilayah_tujuan.nama_wilayah
            end as {{ dbt.type_string() }}
        ) as nama_tujuan,
        cast(
            sel.asal <> sel.tujuan
            and sel.asal not in ('MASUK', '{{ semua_nilai() }}')
            and sel.tujuan not in ('KELUAR', '{{ semua_nilai() }}') as boolean
        ) as pindah,
        cast({{ tampil('sel.jumlah', 'sel.jumlah_ditekan') }} as bigint) as jumlah,
        cast({{ tampil('sel.jumlah_asal', 'sel.baris_ditekan') }} as bigint) as jumlah_asal,
        {{ persen('sel.jumlah', 'sel.jumlah_asal', 'sel.jumlah_ditekan or sel.baris_ditekan') }} as persen_asal,
        cast(sel.jumlah_ditekan as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from sel
    left join instansi as instansi_asal on sel.jenis = 'INSTANSI' and sel.asal = instansi_asal.kode_instansi
    left join instansi as instansi_tujuan on sel.jenis = 'INSTANSI' and sel.tujuan = instansi_tujuan.kode_instansi
    left join wilayah as wilayah_asal on sel.jenis = 'PROVINSI' and sel.asal = wilayah_asal.kode_wilayah
    left join wilayah as wilayah_tujuan on sel.jenis = 'PROVINSI' and sel.tujuan = wilayah_tujuan.kode_wilayah
)

select * from final
