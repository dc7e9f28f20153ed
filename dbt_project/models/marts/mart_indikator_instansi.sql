-- Merit-readiness indicators per agency (every agency of the seed instansi; one without current ASN has
-- jumlah_asn 0 and NULL rates): the values of agr_indikator_instansi with R12 applied. A rate is withheld with
-- the count of people behind it, the mean IP ASN with an agency of 1..k-1 ASN, and indeks_kesiapan_merit with any
-- of its components (an index built from a withheld share would give it back).
{%- set ditekan = {
    'terprofil': sel_ditekan('jumlah_terprofil'),
    'suksesi': sel_ditekan('jumlah_kelompok_suksesi'),
    'siap': sel_ditekan('jumlah_siap'),
    'siap_pengembangan': sel_ditekan('jumlah_siap_pengembangan'),
    'jp': sel_ditekan('jumlah_20jp'),
    'kualifikasi': sel_ditekan('jumlah_sesuai_kualifikasi'),
    'pensiun': sel_ditekan('pensiun_5_tahun'),
    'jabatan': sel_ditekan('jumlah_jabatan_suksesi'),
    'tercakup': sel_ditekan('jumlah_jabatan_tercakup'),
    'konflik': sel_ditekan('jumlah_konflik_mutasi'),
    'melewati_bup': sel_ditekan('jumlah_melewati_bup'),
    'kecil': 'indikator.jumlah_asn between 1 and ' ~ var('k_anonimitas') ~ ' - 1',
} %}
{%- set komponen_ditekan = [ditekan.terprofil, ditekan.siap, ditekan.siap_pengembangan, ditekan.jp, ditekan.kecil,
                            ditekan.tercakup, ditekan.jabatan] | join(' or ') %}
with

indikator as (select * from {{ ref('agr_indikator_instansi') }}),

pola as ({{ pola_baris('indikator_instansi') }}),

final as (
    select
        cast(indikator.kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(indikator.nama_instansi as {{ dbt.type_string() }}) as nama_instansi,
        cast(indikator.jenis_instansi as {{ dbt.type_string() }}) as jenis_instansi,
        cast(indikator.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
        cast(indikator.jumlah_asn as bigint) as jumlah_asn,
        cast({{ tampil('indikator.jumlah_terprofil', ditekan.terprofil) }} as bigint) as jumlah_terprofil,
        {{ persen('indikator.jumlah_terprofil', 'indikator.jumlah_asn', ditekan.terprofil) }} as cakupan_profil_persen,
        {{ persen('indikator.jumlah_kelompok_suksesi', 'indikator.jumlah_asn', ditekan.suksesi) }}
            as persen_kelompok_suksesi,
        {{ persen('indikator.jumlah_siap', 'indikator.jumlah_asn', ditekan.siap) }} as persen_siap,
        {{ persen('indikator.jumlah_siap_pengembangan', 'indikator.jumlah_asn', ditekan.siap_pengembangan) }}
            as persen_siap_dengan_pengembangan,
        {{ persen('indikator.jumlah_20jp', 'indikator.jumlah_asn', ditekan.jp) }} as persen_20jp,
        {{ persen('indikator.jumlah_sesuai_kualifikasi', 'indikator.jumlah_asn', ditekan.kualifikasi) }}
            as persen_sesuai_kualifikasi,
        cast({{ tampil('round(indikator.rata_ip_asn, 2)', ditekan.kecil) }} as decimal(5, 2)) as rata_ip_asn,
        cast({{ tampil('indikator.pensiun_5_tahun', ditekan.pensiun) }} as bigint) as pensiun_5_tahun,
        cast({{ tampil('indikator.jumlah_jabatan_suksesi', ditekan.jabatan) }} as bigint) as jumlah_jabatan_suksesi,
        {{ persen(
            'indikator.jumlah_jabatan_tercakup', 'indikator.jumlah_jabatan_suksesi',
            ditekan.tercakup ~ ' or ' ~ ditekan.jabatan
        ) }} as cakupan_suksesi_persen,
        cast({{ tampil('indikator.jumlah_konflik_mutasi', ditekan.konflik) }} as bigint) as jumlah_konflik_mutasi,
        cast({{ tampil('indikator.jumlah_melewati_bup', ditekan.melewati_bup) }} as bigint) as jumlah_melewati_bup,
        cast(indikator.jumlah_berkas as bigint) as jumlah_berkas,
        cast(indikator.jumlah_berkas_ditolak as bigint) as jumlah_berkas_ditolak,
        cast(
            case
                when indikator.baris_dibaca > 0
                    then round(100.0 * indikator.baris_karantina / indikator.baris_dibaca, 2)
            end as decimal(5, 2)
        ) as persen_baris_karantina,
        cast(indikator.tanggal_ekstrak_terakhir as date) as tanggal_ekstrak_terakhir,
        cast(
            {{ tampil('round(indikator.indeks_mentah, 2)', komponen_ditekan) }} as decimal(5, 2)
        ) as indeks_kesiapan_merit,
        cast({{ ditekan.values() | join(' or ') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from indikator
    left join pola on indikator.kunci = pola.kunci
)

select * from final
