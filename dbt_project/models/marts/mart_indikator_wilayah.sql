-- The merit-readiness counts and rates of mart_indikator_instansi for the nation and each duty-station province:
-- the NASIONAL and PROVINSI rows of agr_indikator_wilayah with R12 applied. A rate is withheld with its count or with
-- the area's headcount. The mean IP ASN and the index are published per agency only (a regional mean less the
-- agencies' shown ones would give back an agency's withheld mean).
{%- set ditekan = {
    'asn': sel_ditekan('jumlah_asn'),
    'terprofil': sel_ditekan('jumlah_terprofil'),
    'suksesi': sel_ditekan('jumlah_kelompok_suksesi'),
    'siap': sel_ditekan('jumlah_siap'),
    'siap_pengembangan': sel_ditekan('jumlah_siap_pengembangan'),
    'jp': sel_ditekan('jumlah_20jp'),
    'kualifikasi': sel_ditekan('jumlah_sesuai_kualifikasi'),
    'pensiun': sel_ditekan('pensiun_5_tahun'),
} %}
with

indikator as (select * from {{ ref('agr_indikator_wilayah') }}),

pola as ({{ pola_baris('indikator_wilayah') }}),

wilayah as (select * from {{ ref('wilayah') }}),

final as (
    select
        cast(indikator.level as {{ dbt.type_string() }}) as level,
        cast(indikator.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(
            case when indikator.level = 'NASIONAL' then 'Indonesia' else wilayah.nama_wilayah end
            as {{ dbt.type_string() }}
        ) as nama_area,
        cast({{ tampil('indikator.jumlah_asn', ditekan.asn) }} as bigint) as jumlah_asn,
        {%- for nama, kolom, persen_kolom in [
            ('terprofil', 'jumlah_terprofil', 'cakupan_profil_persen'),
            ('suksesi', 'jumlah_kelompok_suksesi', 'persen_kelompok_suksesi'),
            ('siap', 'jumlah_siap', 'persen_siap'),
            ('siap_pengembangan', 'jumlah_siap_pengembangan', 'persen_siap_dengan_pengembangan'),
            ('jp', 'jumlah_20jp', 'persen_20jp'),
            ('kualifikasi', 'jumlah_sesuai_kualifikasi', 'persen_sesuai_kualifikasi'),
        ] %}
        cast({{ tampil('indikator.' ~ kolom, ditekan[nama]) }} as bigint) as {{ kolom }},
        {{ persen('indikator.' ~ kolom, 'indikator.jumlah_asn', ditekan[nama] ~ ' or ' ~ ditekan.asn) }}
            as {{ persen_kolom }},
        {%- endfor %}
        cast({{ tampil('indikator.pensiun_5_tahun', ditekan.pensiun) }} as bigint) as pensiun_5_tahun,
        cast({{ ditekan.values() | join(' or ') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from indikator
    left join pola on indikator.kunci = pola.kunci
    left join wilayah on indikator.kode_provinsi = wilayah.kode_wilayah
    where indikator.level in ('NASIONAL', 'PROVINSI')
)

select * from final
