-- The current files the per-agency models were last built from completely, with the tanggal_acuan, the var
-- values and the dbt project fingerprint of that build (macros/status_bangun.sql). Working warehouse only.
{%- set sidik_proyek = "'" ~ var('sidik_proyek') ~ "'" if var('sidik_proyek', none) else 'null' %}
{% set select_sql %}
with

berkas_terkini as (select * from {{ ref('stg_berkas_terkini') }}),

final as (
    select
        kode_instansi,
        entity,
        file_sha256,
        loaded_at,
        {{ tanggal_acuan() }} as tanggal_acuan,
        '{{ sidik_var() | replace("'", "''") }}' as sidik_var,
        cast({{ sidik_proyek }} as string) as sidik_proyek
    from berkas_terkini
)

select * from final
{% endset %}

{{ status_bangun(select_sql, [
    'kode_instansi', 'entity', 'file_sha256', 'loaded_at', 'tanggal_acuan', 'sidik_var', 'sidik_proyek'
]) }}
