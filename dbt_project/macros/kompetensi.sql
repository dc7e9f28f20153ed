{# R7: the managerial and socio-cultural competencies of PermenPANRB 38/2017 as (assessment column, name,
   kind), in the order of the regulation. One home for the list: the marts and the restricted models read it. #}
{% macro daftar_kompetensi() -%}
    {{ return([
        ('km_integritas', 'Integritas', 'MANAJERIAL'),
        ('km_kerja_sama', 'Kerja sama', 'MANAJERIAL'),
        ('km_komunikasi', 'Komunikasi', 'MANAJERIAL'),
        ('km_orientasi_hasil', 'Orientasi pada hasil', 'MANAJERIAL'),
        ('km_pelayanan_publik', 'Pelayanan publik', 'MANAJERIAL'),
        ('km_pengembangan_diri', 'Pengembangan diri dan orang lain', 'MANAJERIAL'),
        ('km_mengelola_perubahan', 'Mengelola perubahan', 'MANAJERIAL'),
        ('km_pengambilan_keputusan', 'Pengambilan keputusan', 'MANAJERIAL'),
        ('ks_perekat_bangsa', 'Perekat bangsa', 'SOSIAL_KULTURAL'),
    ]) }}
{%- endmacro %}
