-- The agencies whose rows the per-agency models rebuild in this run (macros/per_instansi.sql): those whose
-- current file of some entity differs from the last complete build (another file, or the same file loaded
-- again), and those people moved into or out of (a person's current agency differs from the last build's).
-- One row with no agency says "all of them": BANGUN_PENUH under --full-refresh or with no record of a complete build,
-- TANGGAL_ACUAN_BERUBAH and VAR_BERUBAH (for the models that depend on them, meta ikut_acuan) when the last
-- build was for another tanggal_acuan, or with another value of a var the models read.
-- depends_on: {{ ref('stg_berkas_terkini') }}, {{ ref('stg_pegawai') }}
{%- set berkas_lalu = adapter.get_relation(database=this.database, schema='status', identifier='status_bangun_berkas') -%}
{%- set pegawai_lalu = adapter.get_relation(database=this.database, schema='status', identifier='status_bangun_pegawai') -%}

{% if flags.FULL_REFRESH or berkas_lalu is none or pegawai_lalu is none %}

select cast(null as varchar) as kode_instansi, 'BANGUN_PENUH' as alasan

{% else %}

with

berkas_kini as (
    select kode_instansi, entity, file_sha256, loaded_at from {{ ref('stg_berkas_terkini') }}
),

berkas_lalu as (
    select kode_instansi, entity, file_sha256, loaded_at, tanggal_acuan, sidik_var from {{ berkas_lalu }}
),

pegawai_kini as (
    select nip, kode_instansi from {{ ref('stg_pegawai') }}
),

pegawai_lalu as (
    select nip, kode_instansi from {{ pegawai_lalu }}
),

berkas_berubah as (
    select coalesce(berkas_kini.kode_instansi, berkas_lalu.kode_instansi) as kode_instansi
    from berkas_kini
    full join berkas_lalu
        on berkas_kini.kode_instansi = berkas_lalu.kode_instansi
        and berkas_kini.entity = berkas_lalu.entity
    where berkas_kini.file_sha256 is distinct from berkas_lalu.file_sha256
        or berkas_kini.loaded_at is distinct from berkas_lalu.loaded_at
),

pegawai_pindah as (
    select pegawai_kini.kode_instansi as ke, pegawai_lalu.kode_instansi as dari
    from pegawai_kini
    full join pegawai_lalu on pegawai_kini.nip = pegawai_lalu.nip
    where pegawai_kini.kode_instansi is distinct from pegawai_lalu.kode_instansi
),

per_instansi as (
    select kode_instansi, 'BERKAS_BERUBAH' as alasan from berkas_berubah
    union
    select ke, 'PEGAWAI_PINDAH' from pegawai_pindah where ke is not null
    union
    select dari, 'PEGAWAI_PINDAH' from pegawai_pindah where dari is not null
)

select kode_instansi, alasan from per_instansi
union all
select null, 'BANGUN_PENUH' where not exists (select 1 from berkas_lalu)
union all
select null, 'TANGGAL_ACUAN_BERUBAH'
where (select max(tanggal_acuan) from berkas_lalu) is distinct from {{ tanggal_acuan() }}
union all
select null, 'VAR_BERUBAH'
where (select max(sidik_var) from berkas_lalu) is distinct from '{{ sidik_var() | replace("'", "''") }}'

{% endif %}
