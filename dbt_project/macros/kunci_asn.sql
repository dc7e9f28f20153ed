{#
  The pseudonymous key of a NIP (docs/domain-rules.md R12), as a SQL expression; `nip` a qualified column.
  On DuckDB the function asn_key(), which the dbt-duckdb plugin pipelines/pseudonym.py defines with the secret on
  every connection. On Spark the pipeline computes the keys where the secret is held (pipelines/spark.py,
  langkah_spark.kunci_asn): neither the secret nor a way to derive keys reaches Spark's SQL or logs.
#}
{% macro kunci_asn(nip) -%}
    {{ return(adapter.dispatch('kunci_asn', 'proasn')(nip)) }}
{%- endmacro %}

{% macro default__kunci_asn(nip) -%}asn_key({{ nip }}){%- endmacro %}

{% macro spark__kunci_asn(nip) -%}
    (select max(kunci.asn_key) from {{ source('langkah_spark', 'kunci_asn') }} as kunci where kunci.nip = {{ nip }})
{%- endmacro %}
