-- The current agency of every person when the per-agency models were last built completely
-- (macros/status_bangun.sql): a person whose agency differs now moves rows in both agencies. Personal data:
-- working warehouse only.
{% set select_sql %}
    select nip, kode_instansi from {{ ref('stg_pegawai') }}
{% endset %}

{{ status_bangun(select_sql, ['nip', 'kode_instansi']) }}
