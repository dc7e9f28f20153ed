{# R12 small-cell suppression: a count of people from 1 to k-1 (var k_anonimitas) is shown as NULL, and so is
   every percentage computed from it. Zeros are shown. #}
{% macro ditekan(jumlah) -%}
    ({{ jumlah }} between 1 and {{ var('k_anonimitas') }} - 1)
{%- endmacro %}

{% macro tampil_jumlah(jumlah) -%}
    case when {{ ditekan(jumlah) }} then null else {{ jumlah }} end
{%- endmacro %}

{# A percentage of `jumlah` in `penyebut`: NULL when `jumlah` is suppressed, when `penyebut` is suppressed
   (unless `penyebut_publik`, a SQL condition true where penyebut is an agency's total headcount, which is
   public), or when penyebut is 0. #}
{% macro tampil_persen(jumlah, penyebut, penyebut_publik='false') -%}
    case
        when {{ ditekan(jumlah) }} then null
        when {{ ditekan(penyebut) }} and not ({{ penyebut_publik }}) then null
        when {{ penyebut }} = 0 or {{ penyebut }} is null then null
        else cast(round(100.0 * {{ jumlah }} / {{ penyebut }}, 2) as decimal(5, 2))
    end
{%- endmacro %}
