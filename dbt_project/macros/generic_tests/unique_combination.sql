{#
  The listed columns together identify a row (NULLs compare equal, as in group by). Grouping by one 64-bit
  hash of the columns is cheaper than grouping by the columns themselves (strings) over tens of millions of
  rows; only rows whose hash repeats are grouped again by their values, so a hash collision is never
  reported as a duplicate. (stg_skp at scale 1.0: 5.1 s -> 4.0 s; stg_riwayat_pelatihan 2.1 s -> 1.1 s.)
#}
{% test unique_combination(model, columns) %}

with

hash_berulang as (
    select hash({{ columns | join(', ') }}) as kunci_hash
    from {{ model }}
    group by kunci_hash
    having count(*) > 1
),

duplikat as (
    select {{ columns | join(', ') }}, count(*) as jumlah
    from {{ model }}
    where hash({{ columns | join(', ') }}) in (select kunci_hash from hash_berulang)
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from duplikat

{% endtest %}
