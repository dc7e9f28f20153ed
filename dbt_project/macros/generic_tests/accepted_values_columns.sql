{#
  Every listed column holds one of its accepted values, or NULL (as dbt's accepted_values). One test for all
  such columns of a model instead of an accepted_values test per column: each dbt test costs some 50-70 ms and
  three Dagster events whatever it reads, and the 51 per-column tests are 25 grouped ones (with
  relationships_columns, 167 data tests -> 129). `columns` maps a column to its list of values, quoted as SQL
  strings, or to {values: [...], quote: false} for values written as they are (numbers), as dbt's `quote`
  argument does. A failing row is a column, the value and how many rows hold it (columns_failing_values).
#}
{% test accepted_values_columns(model, columns) %}
{%- set conditions = {} -%}
{%- for column, accepted in columns.items() -%}
    {%- set values = accepted['values'] if accepted is mapping else accepted -%}
    {%- set quote = accepted.get('quote', true) if accepted is mapping else true -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append("'" ~ (value | string | replace("'", "''")) ~ "'" if quote else value | string) -%}
    {%- endfor -%}
    {%- set condition = column ~ ' is not null and ' ~ column ~ ' not in (' ~ literals | join(', ') ~ ')' -%}
    {%- do conditions.update({column: condition}) -%}
{%- endfor %}
{{ columns_failing_values(model, conditions) }}
{% endtest %}
