-- R9: the published regular-promotion flag and status (mart_talenta_asn) agree with the restricted
-- recommendation (rst_rekomendasi_asn) for every active ASN: the same status, the flag true exactly for LAYAK
-- and NULL exactly for TIDAK_BERLAKU and TMT_GOLONGAN_TIDAK_DIKETAHUI, and the same people in both. Checked
-- for the agencies this run rebuilt (both models are rebuilt agency by agency, macros/per_instansi.sql).
{%- set terdampak = ref('stg_instansi_terdampak') %}
{# shown in Dagster as an asset check of mart_talenta_asn (dagster-dbt needs one asset for a test with many parents) #}
{{ config(meta={'dagster': {'ref': {'name': 'mart_talenta_asn'}}}) }}
with

terbit as (
    select
        asn_key,
        kode_instansi,
        layak_kenaikan_pangkat_reguler,
        status_kenaikan_pangkat
    from {{ ref('mart_talenta_asn') }}
    {%- if execute %}
    where {{ kondisi_terdampak('kode_instansi', terdampak, true) }}
    {%- endif %}
),

terbatas as (
    select
        {{ kunci_asn('rekomendasi.nip') }} as asn_key,
        rekomendasi.kode_instansi,
        rekomendasi.status_kenaikan_pangkat
    from {{ ref('rst_rekomendasi_asn') }} as rekomendasi
    {%- if execute %}
    where {{ kondisi_terdampak('rekomendasi.kode_instansi', terdampak, true) }}
    {%- endif %}
)

select
    coalesce(terbit.asn_key, terbatas.asn_key) as asn_key,
    terbit.layak_kenaikan_pangkat_reguler,
    terbit.status_kenaikan_pangkat as status_terbit,
    terbatas.status_kenaikan_pangkat as status_terbatas
from terbit
full join terbatas on terbit.asn_key = terbatas.asn_key
where terbit.asn_key is null
    or terbatas.asn_key is null
    or terbit.status_kenaikan_pangkat is distinct from terbatas.status_kenaikan_pangkat
    or terbit.kode_instansi is distinct from terbatas.kode_instansi
    or terbit.layak_kenaikan_pangkat_reguler is distinct from (
        case
            when terbatas.status_kenaikan_pangkat = 'LAYAK' then true
            when terbatas.status_kenaikan_pangkat not in ('TIDAK_BERLAKU', 'TMT_GOLONGAN_TIDAK_DIKETAHUI') then false
        end
    )
