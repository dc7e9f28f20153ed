{#
  Every listed column holds a value in every row. One test for all the required columns of a model instead of a
  not_null test per column: each dbt test costs some 50 ms and three Dagster events whatever it reads, and the
  per-column tests were 144 of the ~270 run on every refresh. A failing row is returned with the listed columns,
  so the empty ones show.
#}
{% test not_null_columns(model, columns) %}

select {{ columns | join(', ') }}
from {{ model }}
where {{ columns | join(' is null or ') }} is null

{% endtest %}
