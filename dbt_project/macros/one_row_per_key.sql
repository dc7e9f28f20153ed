{#
  The rows of `relation` (a CTE) with one row per `key` (a list of columns): where a key repeats, the first row
  by `order_by`. Most keys occur once, so only the rows of repeated keys go through the row_number() window:
  sorting every row with its payload was most of a staging model's time at national scale. Keys compare with
  IS NOT DISTINCT FROM, so NULL keys group as they would in the window's partition.
#}
{% macro one_row_per_key(relation, key, order_by) -%}
    {%- set matches = [] -%}
    {%- for column in key -%}
        {%- do matches.append('r.' ~ column ~ ' is not distinct from k.' ~ column) -%}
    {%- endfor -%}
    (
        with repeated_keys as (
            select {{ key | join(', ') }} from {{ relation }} group by all having count(*) > 1
        )
        select r.* from {{ relation }} as r anti join repeated_keys as k on {{ matches | join(' and ') }}
        union all
        select * from (
            select r.* from {{ relation }} as r semi join repeated_keys as k on {{ matches | join(' and ') }}
            qualify row_number() over (partition by {{ key | join(', ') }} order by {{ order_by }}) = 1
        )
    )
{%- endmacro %}
