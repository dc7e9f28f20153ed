-- Training needs (R16) at three levels (NASIONAL, PROVINSI of the duty station, INSTANSI): jenis_kebutuhan
-- KEPEMIMPINAN, the ASN in a managerial post lacking the leadership training it requires, per training code (R8);
-- JP, the ASN short of {{ var('k3_jp_minimum') }} JP in the last {{ var('k3_jendela_bulan') }} months (JP_KURANG,
-- with the JP they miss in total) and those who reach it (JP_TERPENUHI); KOMPETENSI, the ASN below their post's
-- required level per competency (R7: the all-posts rows of mart_kesenjangan_kompetensi, the same cells). Counts of
-- agr_kebutuhan_pelatihan and agr_kesenjangan_kompetensi with R12 applied; the JP total is withheld with its count.
with

kebutuhan as (select * from {{ ref('agr_kebutuhan_pelatihan') }}),

pola as ({{ pola_baris('kebutuhan_pelatihan') }}),

kesenjangan as (select * from {{ ref('agr_kesenjangan_kompetensi') }}),

pola_kesenjangan as ({{ pola_baris('kesenjangan_kompetensi') }}),

pelatihan_kepemimpinan as (select * from {{ ref('pelatihan_kepemimpinan') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

daftar_kompetensi as (
    {%- for kode, nama, jenis in daftar_kompetensi() %}
    select
        '{{ kode }}' as kode_kompetensi,
        '{{ nama }}' as nama_kompetensi
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

sel as (
    select
        kebutuhan.level,
        kebutuhan.kode_provinsi,
        kebutuhan.kode_instansi,
        case
            when {{ text_starts_with('kebutuhan.kebutuhan', "'JP_'") }} then 'JP' else 'KEPEMIMPINAN'
        end as jenis_kebutuhan,
        kebutuhan.kebutuhan,
        coalesce(pelatihan_kepemimpinan.nama_pelatihan, kebutuhan.kebutuhan) as nama_kebutuhan,
        kebutuhan.jumlah,
        case when kebutuhan.kebutuhan = 'JP_KURANG' then kebutuhan.jumlah_jp_kurang end as jumlah_jp_kurang,
        {{ sel_ditekan('jumlah') }} as jumlah_ditekan
    from kebutuhan
    left join pola on kebutuhan.kunci = pola.kunci
    left join pelatihan_kepemimpinan on kebutuhan.kebutuhan = pelatihan_kepemimpinan.kode_kepemimpinan
    union all
    select
        kesenjangan.level,
        kesenjangan.kode_provinsi,
        kesenjangan.kode_instansi,
        'KOMPETENSI' as jenis_kebutuhan,
        kesenjangan.kode_kompetensi as kebutuhan,
        daftar_kompetensi.nama_kompetensi as nama_kebutuhan,
        kesenjangan.jumlah_di_bawah_standar as jumlah,
        null as jumlah_jp_kurang,
        {{ sel_ditekan('jumlah_di_bawah_standar', 'pola_kesenjangan') }} as jumlah_ditekan
    from kesenjangan
    left join pola_kesenjangan on kesenjangan.kunci = pola_kesenjangan.kunci
    left join daftar_kompetensi on kesenjangan.kode_kompetensi = daftar_kompetensi.kode_kompetensi
    where kesenjangan.kode_jabatan = '{{ semua_nilai() }}'
),

final as (
    select
        {{ kolom_area('sel') }},
        cast(sel.jenis_kebutuhan as {{ dbt.type_string() }}) as jenis_kebutuhan,
        cast(sel.kebutuhan as {{ dbt.type_string() }}) as kebutuhan,
        cast(sel.nama_kebutuhan as {{ dbt.type_string() }}) as nama_kebutuhan,
        cast({{ tampil('sel.jumlah', 'sel.jumlah_ditekan') }} as bigint) as jumlah,
        cast({{ tampil('sel.jumlah_jp_kurang', 'sel.jumlah_ditekan') }} as bigint) as jumlah_jp_kurang,
        cast(sel.jumlah_ditekan as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from sel
    left join wilayah on sel.kode_provinsi = wilayah.kode_wilayah
    left join instansi on sel.kode_instansi = instansi.kode_instansi
)

select * from final
