-- The agencies whose rows the per-agency models rebuild in this run (macros/per_instansi.sql): those whose
-- current file of some entity differs from the last complete build, with the rows that say "all of them"
-- (stg_berkas_berubah), and those people moved into or out of (a person's current agency differs from the
-- last build's).
-- depends_on: {{ ref('stg_pegawai') }}
{%- set pegawai_lalu = adapter.get_relation(database=this.database, schema='status', identifier='status_bangun_pegawai') -%}

{% if flags.FULL_REFRESH or pegawai_lalu is none %}

select kode_instansi, alasan from {{ ref('stg_berkas_berubah') }}
union
select cast(null as varchar), 'BANGUN_PENUH'

{% else %}

with

pegawai_kini as (
    select nip, kode_instansi from {{ ref('stg_pegawai') }}
),

pegawai_lalu as (
    select nip, kode_instansi from {{ pegawai_lalu }}
),

pegawai_pindah as (
    select pegawai_kini.kode_instansi as ke, pegawai_lalu.kode_instansi as dari
    from pegawai_kini
    full join pegawai_lalu on pegawai_kini.nip = pegawai_lalu.nip
    where pegawai_kini.kode_instansi is distinct from pegawai_lalu.kode_instansi
)

select kode_instansi, alasan from {{ ref('stg_berkas_berubah') }}
union
select ke, 'PEGAWAI_PINDAH' from pegawai_pindah where ke is not null
union
select dari, 'PEGAWAI_PINDAH' from pegawai_pindah where dari is not null

{% endif %}
