{# dbt.safe_cast is a plain cast on DuckDB: make it a try_cast (NULL when the value does not convert).
   Found through the dispatch search order in dbt_project.yml. #}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
