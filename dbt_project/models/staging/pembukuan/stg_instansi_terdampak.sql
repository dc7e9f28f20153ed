-- The agencies whose rows the per-agency models rebuild in this run (macros/per_instansi.sql): those whose
-- current file of some entity differs from the last complete build, with the rows that say "all of them"
-- (stg_berkas_berubah), and those people moved into or out of (a person's current agency differs from the
-- last build's).
-- depends_on: {{ ref('stg_pegawai') }}
{%- set pegawai_lalu = adapter.get_relation(
    database=this.database, schema='status', identifier='status_bangun_pegawai'
) %}
with

berkas_berubah as (select * from {{ ref('stg_berkas_berubah') }}),

{% if flags.FULL_REFRESH or pegawai_lalu is none %}

final as (
    select
        kode_instansi,
        alasan
    from berkas_berubah
    union
    select
        cast(null as string) as kode_instansi,
        'BANGUN_PENUH' as alasan
)

{% else %}

pegawai_kini as (
    select
        nip,
        kode_instansi
    from {{ ref('stg_pegawai') }}
),

pegawai_lalu as (
    select
        nip,
        kode_instansi
    from {{ pegawai_lalu }}
),

pegawai_pindah as (
    select
        pegawai_kini.kode_instansi as ke,
        pegawai_lalu.kode_instansi as dari
    from pegawai_kini
    full join pegawai_lalu on pegawai_kini.nip = pegawai_lalu.nip
    where pegawai_kini.kode_instansi is distinct from pegawai_lalu.kode_instansi
),

final as (
    select
        kode_instansi,
        alasan
    from berkas_berubah
    union
    select
        ke as kode_instansi,
        'PEGAWAI_PINDAH' as alasan
    from pegawai_pindah
    where ke is not null
    union
    select
        dari as kode_instansi,
        'PEGAWAI_PINDAH' as alasan
    from pegawai_pindah
    where dari is not null
)

{% endif %}

select * from final
