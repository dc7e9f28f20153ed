{#
  The project's sources on the Spark engine (docs/spark-engine.md): each a view over the Parquet folder the pipeline
  writes for it, <PROASN_SPARK_HOME>/sumber/<schema>/<table>/<agency or semua>/*.parquet (pipelines/spark.py).
  Run by on-run-start (dbt_project.yml); nothing on DuckDB, where the sources are the working warehouse's tables.
#}
{% macro spark_sources() -%}
    {{ return(adapter.dispatch('spark_sources', 'proasn')()) }}
{%- endmacro %}

{% macro default__spark_sources() -%}{{ return('') }}{%- endmacro %}

{% macro spark__spark_sources() -%}
    {%- if execute -%}
        {%- set root = env_var('PROASN_SPARK_HOME') ~ '/sumber' -%}
        {%- for source in graph.sources.values() if source.package_name == project_name -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query('create or replace view ' ~ source.schema ~ '.' ~ source.name
                ~ ' as select * from parquet.`' ~ root ~ '/' ~ source.schema ~ '/' ~ source.name ~ '/*/*.parquet`') -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('select 1') }}
{%- endmacro %}
