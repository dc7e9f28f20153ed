{#
  The failing rows of a grouped test: `conditions` maps a column to the SQL condition true when its value fails.
  The rows failing any condition are read from the model once (few, normally none), then counted per column.
#}
{% macro columns_failing_values(model, conditions) %}
with gagal as {{ cte_materialized() }} (
    select {{ conditions.keys() | join(', ') }}
    from {{ model }}
    where ({{ conditions.values() | join(') or (') }})
)
select kolom, nilai, count(*) as jumlah
from (
    {%- for column, condition in conditions.items() %}
    select '{{ column }}' as kolom, cast({{ column }} as {{ dbt.type_string() }}) as nilai
    from gagal
    where {{ condition }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
) as per_kolom
group by kolom, nilai
{% endmacro %}
