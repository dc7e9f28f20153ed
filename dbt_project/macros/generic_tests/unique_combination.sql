{# The listed columns together identify a row (NULLs compare equal, as in group by). #}
{% test unique_combination(model, columns) %}

with

duplikat as (
    select {{ columns | join(', ') }}, count(*) as jumlah
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from duplikat

{% endtest %}
