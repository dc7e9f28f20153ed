-- Competency gaps (R7) at three levels (NASIONAL, PROVINSI of the duty station, INSTANSI) per post and
-- competency: the required level (seed jabatan) against the levels of the latest valid assessment
-- (int_asesmen_terkini) of the current ASN in that post. FUNGSIONAL posts are split by jenjang (kode_jabatan),
-- since the required level differs per jenjang; kode_jabatan SEMUA takes every post together (no single
-- required level). The counts of agr_kesenjangan_kompetensi with R12 applied.
{%- set kompetensi = daftar_kompetensi() %}
with

kesenjangan as (select * from {{ ref('agr_kesenjangan_kompetensi') }}),

pola as ({{ pola_baris('kesenjangan_kompetensi') }}),

jabatan as (select * from {{ ref('jabatan') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

daftar_kompetensi as (
    {%- for kode, nama, jenis in kompetensi %}
    select
        '{{ kode }}' as kode_kompetensi,
        '{{ nama }}' as nama_kompetensi,
        '{{ jenis }}' as jenis_kompetensi
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

sel as (
    select
        kesenjangan.*,
        coalesce(jabatan.jenis_jabatan, kesenjangan.kode_jabatan) as jenis_jabatan,
        jabatan.jenjang_fungsional,
        jabatan.level_kompetensi_standar,
        daftar_kompetensi.nama_kompetensi,
        daftar_kompetensi.jenis_kompetensi,
        {{ sel_ditekan('jumlah_dinilai') }} as dinilai_ditekan,
        {{ sel_ditekan('jumlah_di_bawah_standar') }} as di_bawah_ditekan
    from kesenjangan
    left join pola on kesenjangan.kunci = pola.kunci
    left join jabatan on kesenjangan.kode_jabatan = jabatan.kode_jabatan
    left join daftar_kompetensi on kesenjangan.kode_kompetensi = daftar_kompetensi.kode_kompetensi
),

final as (
    select
        {{ kolom_area('sel') }},
        cast(sel.jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast(sel.jenjang_fungsional as {{ dbt.type_string() }}) as jenjang_fungsional,
        cast(sel.kode_jabatan as {{ dbt.type_string() }}) as kode_jabatan,
        cast(sel.kode_kompetensi as {{ dbt.type_string() }}) as kode_kompetensi,
        cast(sel.nama_kompetensi as {{ dbt.type_string() }}) as nama_kompetensi,
        cast(sel.jenis_kompetensi as {{ dbt.type_string() }}) as jenis_kompetensi,
        cast(sel.level_kompetensi_standar as integer) as level_standar,
        cast({{ tampil('sel.jumlah_dinilai', 'sel.dinilai_ditekan') }} as bigint) as jumlah_dinilai,
        cast(
            {{ tampil('round(sel.jumlah_level / nullif(sel.jumlah_dinilai, 0), 2)', 'sel.dinilai_ditekan') }}
            as decimal(4, 2)
        ) as rata_level,
        cast(
            {{ tampil(
                'round(sel.level_kompetensi_standar - sel.jumlah_level / nullif(sel.jumlah_dinilai, 0), 2)',
                'sel.dinilai_ditekan'
            ) }} as decimal(4, 2)
        ) as rata_kesenjangan,
        cast(
            {{ tampil('sel.jumlah_di_bawah_standar', 'sel.di_bawah_ditekan') }} as bigint
        ) as jumlah_di_bawah_standar,
        {{ persen('sel.jumlah_di_bawah_standar', 'sel.jumlah_dinilai', 'sel.di_bawah_ditekan or sel.dinilai_ditekan') }}
            as persen_di_bawah_standar,
        cast(sel.dinilai_ditekan or sel.di_bawah_ditekan as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from sel
    left join wilayah on sel.kode_provinsi = wilayah.kode_wilayah
    left join instansi on sel.kode_instansi = instansi.kode_instansi
)

select * from final
