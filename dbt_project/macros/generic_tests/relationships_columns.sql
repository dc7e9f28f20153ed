{#
  Every listed column's value, when not NULL, is in its referenced field (as dbt's relationships). One test for
  all such columns of a model instead of a relationships test per column: each dbt test costs some 50-70 ms and
  three Dagster events whatever it reads, and the 27 per-column tests are 15 grouped ones (with
  accepted_values_columns, 167 data tests -> 129). `columns` maps a column to {to: ref('seed or model'),
  field: its column}; dbt renders the ref() inside the mapping and makes the test depend on the referenced
  node, so it runs after it. A failing row is a column, the value and how many rows hold it
  (columns_failing_values).
#}
{% test relationships_columns(model, columns) %}
{%- set conditions = {} -%}
{%- for column, parent in columns.items() -%}
    {%- set field = parent['field'] -%}
    {%- set reference = 'select ' ~ field ~ ' from ' ~ parent['to'] ~ ' where ' ~ field ~ ' is not null' -%}
    {%- do conditions.update({column: column ~ ' is not null and ' ~ column ~ ' not in (' ~ reference ~ ')'}) -%}
{%- endfor %}
{{ columns_failing_values(model, conditions) }}
{% endtest %}
