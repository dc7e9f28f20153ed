{#
  Counts at every level analysts add up to (R12, docs/domain-rules.md): NASIONAL, PROVINSI (the duty-station
  province) and INSTANSI (the agency, with the agency's province), each breakdown in `semua` also as SEMUA (every
  value together), so that no national or provincial question needs a sum over suppressed cells. The true counts
  land in schema agregat (never published); models/agregat/pola_penekanan.py decides which cells are withheld and
  the marts apply it.

  `dasar`: a relation (CTE name) with kode_provinsi (of the duty station), kode_instansi, the `dims` and the
  `ukuran` (numbers summed at every level); the agency's own province comes from the instansi seed here. `kisi`: for each dim, a SQL query listing its values
  (or for several dims whose values go together, a key naming them, 'dimensi, kelompok', and a query listing
  their combinations): when given, every (area, dims) combination of an area with people is listed, empty ones
  with 0 (an empty cell is shown as 0, never as suppressed). `kunci` identifies a row: the area and the dims
  joined by '|'.
#}
{% macro hitung_per_level(dasar, dims, ukuran, semua=[], kisi=none) -%}
    {%- set levels = {
        'NASIONAL': ('null', 'null'),
        'PROVINSI': ('kode_provinsi', 'null'),
        'INSTANSI': ('kode_provinsi_instansi', 'kode_instansi'),
    } -%}
    {%- set subsets = [[]] -%}
    {%- for d in semua -%}
        {%- for s in subsets[:] -%}{%- do subsets.append(s + [d]) -%}{%- endfor -%}
    {%- endfor %}
    with

    dasar_area as (
        select
            dasar.*,
            instansi.kode_provinsi as kode_provinsi_instansi
        from {{ dasar }} as dasar
        left join {{ ref('instansi') }} as instansi on dasar.kode_instansi = instansi.kode_instansi
    ),

    per_level as (
        {%- for subset in subsets %}
        {%- set outer_loop = loop %}
        {%- for level, (provinsi, instansi) in levels.items() %}
        select
            '{{ level }}' as level,
            cast({{ provinsi }} as string) as kode_provinsi,
            cast({{ instansi }} as string) as kode_instansi,
            {%- for d in dims %}
            {% if d in subset %}'{{ semua_nilai() }}'{% else %}{{ d }}{% endif %} as {{ d }},
            {%- endfor %}
            {%- for u in ukuran %}
            sum({{ u }}) as {{ u }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from dasar_area
        group by all
        {% if not (outer_loop.last and loop.last) %}union all{% endif %}
        {%- endfor %}
        {%- endfor %}
    ),

    {%- if kisi is not none %}
    area as (
        select distinct
            level,
            kode_provinsi,
            kode_instansi
        from per_level
    ),

    kisi as (
        select * from area
        {%- for columns, values in kisi.items() %}
        cross join (
            {{ values }}
            {%- if columns in semua %}
            union all
            select '{{ semua_nilai() }}'
            {%- endif %}
        ) as kisi_{{ loop.index }} ({{ columns }})
        {%- endfor %}
    ),

    lengkap as (
        select
            kisi.*,
            {%- for u in ukuran %}
            coalesce(per_level.{{ u }}, 0) as {{ u }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from kisi
        left join per_level
            on kisi.level = per_level.level
            and kisi.kode_provinsi is not distinct from per_level.kode_provinsi
            and kisi.kode_instansi is not distinct from per_level.kode_instansi
            {%- for d in dims %}
            and kisi.{{ d }} is not distinct from per_level.{{ d }}
            {%- endfor %}
    )
    {%- else %}
    lengkap as (select * from per_level)
    {%- endif %}

    select
        {{ kunci_sel(['level', 'kode_provinsi', 'kode_instansi'] + dims) }} as kunci,
        *
    from lengkap
{%- endmacro %}

{# The value of a breakdown that stands for all its values. #}
{% macro semua_nilai() %}SEMUA{% endmacro %}

{# A row's key in the suppression pattern: its key columns as text joined by '|' (NULL as empty). #}
{% macro kunci_sel(columns) -%}
    concat_ws('|'{% for c in columns %}, coalesce(cast({{ c }} as string), ''){% endfor %})
{%- endmacro %}

{# The area columns of a published aggregate's row `sel`, with its name (the model joins `wilayah` on
   kode_provinsi and `instansi` on kode_instansi). #}
{% macro kolom_area(sel) -%}
    cast({{ sel }}.level as {{ dbt.type_string() }}) as level,
    cast({{ sel }}.kode_provinsi as {{ dbt.type_string() }}) as kode_provinsi,
    cast({{ sel }}.kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
    cast(
        case
            when {{ sel }}.level = 'NASIONAL' then 'Indonesia'
            when {{ sel }}.level = 'PROVINSI' then wilayah.nama_wilayah
            else instansi.nama_instansi
        end as {{ dbt.type_string() }}
    ) as nama_area
{%- endmacro %}
