{# dbt.safe_cast is a plain cast on DuckDB: make it a try_cast (NULL when the value does not convert).
   Found through the dispatch search order in dbt_project.yml. #}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{# A CTE that DuckDB computes once although it is read twice (`with x as materialized (...)`); other engines
   take the plain form. #}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized', 'proasn')()) }}
{%- endmacro %}

{% macro default__cte_materialized() -%}{%- endmacro %}

{% macro duckdb__cte_materialized() -%}materialized{%- endmacro %}

{# Every match of regular expression `pattern` (a Python string, written once for every engine) replaced. #}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'proasn')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', {{ replacement }}, 'g')
{%- endmacro %}

{# Spark replaces every match by default and reads a backslash in a string literal as an escape. #}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern | replace('\\', '\\\\') }}', {{ replacement }})
{%- endmacro %}

{# Whether `text` begins with `prefix` (both SQL expressions). #}
{% macro text_starts_with(text, prefix) -%}
    {{ return(adapter.dispatch('text_starts_with', 'proasn')(text, prefix)) }}
{%- endmacro %}

{% macro default__text_starts_with(text, prefix) -%}starts_with({{ text }}, {{ prefix }}){%- endmacro %}

{% macro spark__text_starts_with(text, prefix) -%}startswith({{ text }}, {{ prefix }}){%- endmacro %}

{# Fails the query with `message` (a SQL expression) when evaluated. #}
{% macro sql_error(message) -%}
    {{ return(adapter.dispatch('sql_error', 'proasn')(message)) }}
{%- endmacro %}

{% macro default__sql_error(message) -%}error({{ message }}){%- endmacro %}

{% macro spark__sql_error(message) -%}raise_error({{ message }}){%- endmacro %}

{# Every column of the row but `columns` (a list of names): `select {{ all_columns_except(['x']) }} from ...`. #}
{% macro all_columns_except(columns) -%}
    {{ return(adapter.dispatch('all_columns_except', 'proasn')(columns)) }}
{%- endmacro %}

{% macro default__all_columns_except(columns) -%}* exclude ({{ columns | join(', ') }}){%- endmacro %}

{% macro spark__all_columns_except(columns) -%}* except ({{ columns | join(', ') }}){%- endmacro %}
