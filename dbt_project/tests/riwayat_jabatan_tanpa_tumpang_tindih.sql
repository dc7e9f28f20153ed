-- Career spells never overlap: no spell starts on or before the last day of the person's previous spell.
-- Checked for the agencies this run rebuilt: a person's spells are all in one agency (macros/per_instansi.sql).
{%- set terdampak = ref('stg_instansi_terdampak') %}
{# shown in Dagster as an asset check of int_riwayat_jabatan (dagster-dbt needs one asset for a test with many parents) #}
{{ config(meta={'dagster': {'ref': {'name': 'int_riwayat_jabatan'}}}) }}
with

rentang as (
    select
        nip,
        urutan_riwayat,
        berlaku_mulai,
        lag(berlaku_sampai) over (partition by nip order by urutan_riwayat) as sampai_sebelumnya
    from {{ ref('int_riwayat_jabatan') }}
    {%- if execute %}
    where {{ kondisi_terdampak('kode_instansi', terdampak, true) }}
    {%- endif %}
)

select *
from rentang
where sampai_sebelumnya is not null
    and berlaku_mulai <= sampai_sebelumnya
