-- Retirement projection (R4): people reaching TMT pensiun per agency, calendar year and jenis_jabatan, for the
-- year of tanggal_acuan and the next {{ var('proyeksi_pensiun_tahun') }} years, every combination of an agency
-- with ASN listed (zeros included), small counts suppressed (R12).
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

jabatan as (select * from {{ ref('jabatan') }}),

daftar_jenis_jabatan as (
    select distinct jenis_jabatan from jabatan
),

tahun as (
    {%- for selisih in range(var('proyeksi_pensiun_tahun') + 1) %}
    select cast(extract(year from {{ tanggal_acuan() }}) as integer) + {{ selisih }} as tahun
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

instansi_dengan_asn as (
    select distinct kode_instansi from talenta
),

pensiun as (
    select
        kode_instansi,
        cast(extract(year from tmt_pensiun) as integer) as tahun,
        jenis_jabatan,
        count(*) as jumlah
    from talenta
    group by kode_instansi, cast(extract(year from tmt_pensiun) as integer), jenis_jabatan
),

kisi as (
    select
        instansi_dengan_asn.kode_instansi,
        tahun.tahun,
        daftar_jenis_jabatan.jenis_jabatan
    from instansi_dengan_asn
    cross join tahun
    cross join daftar_jenis_jabatan
),

lengkap as (
    select
        kisi.kode_instansi,
        kisi.tahun,
        kisi.jenis_jabatan,
        coalesce(pensiun.jumlah, 0) as jumlah
    from kisi
    left join pensiun
        on kisi.kode_instansi = pensiun.kode_instansi
        and kisi.tahun = pensiun.tahun
        and kisi.jenis_jabatan = pensiun.jenis_jabatan
),

final as (
    select
        cast(kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(tahun as integer) as tahun,
        cast(jenis_jabatan as {{ dbt.type_string() }}) as jenis_jabatan,
        cast({{ tampil_jumlah('jumlah') }} as bigint) as jumlah_pensiun,
        cast({{ ditekan('jumlah') }} as boolean) as ditekan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from lengkap
)

select * from final
