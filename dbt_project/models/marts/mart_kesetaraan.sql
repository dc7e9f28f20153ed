-- Equal opportunity (R14) at three levels (NASIONAL, PROVINSI of the duty station, INSTANSI) per dimension and
-- group: the counts of agr_kesetaraan with R12 applied, each group's shares of its own headcount, its mean IP ASN,
-- and its representation ratios: the group's share of the area's succession group (boxes 7-9) or of its managerial
-- posts divided by its share of the area's headcount (1.0 = parity), flagged below
-- {{ var('rasio_empat_perlima') }} (var rasio_empat_perlima, the four-fifths rule). The area's figures are the
-- row of dimensi SEMUA. A share, mean or ratio is withheld with any count it is computed from; the mean also for a
-- group of 1..k-1 ASN. A post type (dimensi jenis_jabatan) has no managerial ratio: whether it is a managerial post
-- is its definition (all or none of its ASN), not a representation.
{%- set ditekan = {
    'asn': sel_ditekan('jumlah_asn'),
    'terprofil': sel_ditekan('jumlah_terprofil'),
    'suksesi': sel_ditekan('jumlah_kelompok_suksesi'),
    'siap': sel_ditekan('jumlah_siap'),
    'manajerial': sel_ditekan('jumlah_manajerial'),
    'jp': sel_ditekan('jumlah_20jp'),
} %}
with

kesetaraan as (select * from {{ ref('agr_kesetaraan') }}),

pola as ({{ pola_baris('kesetaraan') }}),

instansi as (select * from {{ ref('instansi') }}),

wilayah as (select * from {{ ref('wilayah') }}),

-- each row with its withheld flags
baris as (
    select
        kesetaraan.*,
        {%- for nama, kondisi in ditekan.items() %}
        {{ kondisi }} as {{ nama }}_ditekan{% if not loop.last %},{% endif %}
        {%- endfor %}
    from kesetaraan
    left join pola on kesetaraan.kunci = pola.kunci
),

-- each row beside its area's (the SEMUA row of the same area)
sel as (
    select
        baris.*,
        area.jumlah_asn as area_asn,
        area.jumlah_kelompok_suksesi as area_suksesi,
        area.jumlah_manajerial as area_manajerial,
        area.asn_ditekan as area_asn_ditekan,
        area.suksesi_ditekan as area_suksesi_ditekan,
        area.manajerial_ditekan as area_manajerial_ditekan
    from baris
    inner join baris as area
        on baris.level = area.level
        and baris.kode_provinsi is not distinct from area.kode_provinsi
        and baris.kode_instansi is not distinct from area.kode_instansi
        and area.dimensi = '{{ semua_nilai() }}'
),

rasio as (
    select
        *,
        case
            when not (suksesi_ditekan or asn_ditekan or area_suksesi_ditekan or area_asn_ditekan)
                and area_suksesi > 0 and jumlah_asn > 0
                then round((1.0 * jumlah_kelompok_suksesi / area_suksesi) / (1.0 * jumlah_asn / area_asn), 3)
        end as rasio_suksesi,
        case
            when not (manajerial_ditekan or asn_ditekan or area_manajerial_ditekan or area_asn_ditekan)
                and area_manajerial > 0 and jumlah_asn > 0 and dimensi <> 'jenis_jabatan'
                then round((1.0 * jumlah_manajerial / area_manajerial) / (1.0 * jumlah_asn / area_asn), 3)
        end as rasio_manajerial
    from sel
),

final as (
    select
        {{ kolom_area('rasio') }},
        cast(rasio.dimensi as {{ dbt.type_string() }}) as dimensi,
        cast(rasio.kelompok as {{ dbt.type_string() }}) as kelompok,
        cast({{ tampil('rasio.jumlah_asn', 'rasio.asn_ditekan') }} as bigint) as jumlah_asn,
        {%- for nama, kolom, persen_kolom in [
            ('terprofil', 'jumlah_terprofil', 'persen_terprofil'),
            ('suksesi', 'jumlah_kelompok_suksesi', 'persen_kelompok_suksesi'),
            ('siap', 'jumlah_siap', 'persen_siap'),
            ('manajerial', 'jumlah_manajerial', 'persen_manajerial'),
            ('jp', 'jumlah_20jp', 'persen_20jp'),
        ] %}
        cast({{ tampil('rasio.' ~ kolom, 'rasio.' ~ nama ~ '_ditekan') }} as bigint) as {{ kolom }},
        {{ persen('rasio.' ~ kolom, 'rasio.jumlah_asn', 'rasio.' ~ nama ~ '_ditekan or rasio.asn_ditekan') }}
            as {{ persen_kolom }},
        {%- endfor %}
        cast(
            {{ tampil('round(rasio.jumlah_skor_ip_asn / nullif(rasio.jumlah_asn, 0), 2)',
                      'rasio.asn_ditekan or rasio.jumlah_asn < ' ~ var('k_anonimitas')) }} as decimal(5, 2)
        ) as rata_ip_asn,
        cast(rasio.rasio_suksesi as decimal(8, 3)) as rasio_suksesi,
        cast(rasio.rasio_suksesi < {{ var('rasio_empat_perlima') }} as boolean) as suksesi_di_bawah_empat_perlima,
        cast(rasio.rasio_manajerial as decimal(8, 3)) as rasio_manajerial,
        cast(rasio.rasio_manajerial < {{ var('rasio_empat_perlima') }} as boolean) as manajerial_di_bawah_empat_perlima,
        cast(
            rasio.asn_ditekan or rasio.terprofil_ditekan or rasio.suksesi_ditekan or rasio.siap_ditekan
            or rasio.manajerial_ditekan or rasio.jp_ditekan as boolean
        ) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from rasio
    left join wilayah on rasio.kode_provinsi = wilayah.kode_wilayah
    left join instansi on rasio.kode_instansi = instansi.kode_instansi
)

select * from final
