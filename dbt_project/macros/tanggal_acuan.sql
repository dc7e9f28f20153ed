{# The reference date as a SQL date literal: the var the pipeline passes, else the run's date. #}
{% macro tanggal_acuan() -%}
    {%- set value = var('tanggal_acuan', none) or run_started_at.strftime('%Y-%m-%d') -%}
    cast('{{ value }}' as date)
{%- endmacro %}
