{#
  R12 (docs/domain-rules.md): the marts publish the counts of schema agregat with the cells that
  models/agregat/pola_penekanan.py withholds (primary: 1 to k-1 people; secondary: what would give a primary cell
  back) set to NULL, and every figure computed from a withheld count NULL too. An empty cell (0) is shown unless
  secondary suppression needed it.
#}

{# One row per row (kunci) of aggregate `tabel` that has withheld counts, with their names (kolom_ditekan). #}
{% macro pola_baris(tabel) -%}
    select kunci, array_agg(kolom) as kolom_ditekan from {{ ref('pola_penekanan') }} where tabel = '{{ tabel }}' group by kunci
{%- endmacro %}

{# True when count `kolom` of the row joined as `pola` (a pola_baris) is withheld. #}
{% macro sel_ditekan(kolom, pola='pola') -%}
    coalesce(array_contains({{ pola }}.kolom_ditekan, '{{ kolom }}'), false)
{%- endmacro %}

{# `nilai`, or NULL where `ditekan` (a SQL condition) holds. #}
{% macro tampil(nilai, ditekan) -%}
    case when {{ ditekan }} then null else {{ nilai }} end
{%- endmacro %}

{# A percentage: NULL when withheld (`ditekan`) or when the denominator is 0. #}
{% macro persen(pembilang, penyebut, ditekan) -%}
    case
        when {{ ditekan }} or coalesce({{ penyebut }}, 0) = 0 then null
        else cast(round(100.0 * {{ pembilang }} / {{ penyebut }}, 2) as decimal(5, 2))
    end
{%- endmacro %}
