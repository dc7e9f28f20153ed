-- The agencies whose current file of some entity differs from the last complete build (another file, or the
-- same file loaded again), and the rows without an agency that say "all of them" (BANGUN_PENUH under
-- --full-refresh or with no record of a complete build; TANGGAL_ACUAN_BERUBAH, VAR_BERUBAH). What
-- stg_pegawai_per_instansi rebuilds by (it comes before stg_pegawai, so before the people who moved);
-- stg_instansi_terdampak adds those for the other per-agency models.
-- depends_on: {{ ref('stg_berkas_terkini') }}
{%- set berkas_lalu = adapter.get_relation(
    database=this.database, schema='status', identifier='status_bangun_berkas'
) %}
with

{% if flags.FULL_REFRESH or berkas_lalu is none %}

final as (
    select
        cast(null as string) as kode_instansi,
        'BANGUN_PENUH' as alasan
)

{% else %}

berkas_kini as (
    select
        kode_instansi,
        entity,
        file_sha256,
        loaded_at
    from {{ ref('stg_berkas_terkini') }}
),

berkas_lalu as (
    select
        kode_instansi,
        entity,
        file_sha256,
        loaded_at,
        tanggal_acuan,
        sidik_var
    from {{ berkas_lalu }}
),

berkas_berubah as (
    select distinct coalesce(berkas_kini.kode_instansi, berkas_lalu.kode_instansi) as kode_instansi
    from berkas_kini
    full join berkas_lalu
        on berkas_kini.kode_instansi = berkas_lalu.kode_instansi
        and berkas_kini.entity = berkas_lalu.entity
    where berkas_kini.file_sha256 is distinct from berkas_lalu.file_sha256
        or berkas_kini.loaded_at is distinct from berkas_lalu.loaded_at
),

-- the last complete build as one row (an aggregate without group by always has one): none recorded, or
-- another tanggal_acuan or var values than this run's
bangun_lalu as (
    select
        count(*) as jumlah_berkas,
        max(tanggal_acuan) as tanggal_acuan,
        max(sidik_var) as sidik_var
    from berkas_lalu
),

final as (
    select
        kode_instansi,
        'BERKAS_BERUBAH' as alasan
    from berkas_berubah
    union all
    select
        null as kode_instansi,
        'BANGUN_PENUH' as alasan
    from bangun_lalu
    where jumlah_berkas = 0
    union all
    select
        null as kode_instansi,
        'TANGGAL_ACUAN_BERUBAH' as alasan
    from bangun_lalu
    where tanggal_acuan is distinct from {{ tanggal_acuan() }}
    union all
    select
        null as kode_instansi,
        'VAR_BERUBAH' as alasan
    from bangun_lalu
    where sidik_var is distinct from '{{ sidik_var() | replace("'", "''") }}'
)

{% endif %}

select * from final
