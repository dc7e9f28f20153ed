-- The current agency of every person when the per-agency models were last built completely
-- (macros/status_bangun.sql): a person whose agency differs now moves rows in both agencies. Rebuilt agency by
-- agency (strategy status_bangun). Personal data: working warehouse only.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='status_bangun', on_schema_change='fail') }}
{% set select_sql %}
with

pegawai as ({{ select_terdampak(ref('stg_pegawai')) }}),

final as (
    select
        nip,
        kode_instansi
    from pegawai
)

select * from final
{% endset %}

{{ status_bangun(select_sql, ['nip', 'kode_instansi']) }}
