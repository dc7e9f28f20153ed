-- The talent history (R15): per tanggal_acuan kept, every active ASN of int_talenta_asn with their talent box
-- (NULL = belum terprofil), readiness category, agency and duty-station province. Keyed by NIP (the working
-- warehouse's key: an asn_key would change with the pseudonym secret, breaking the history). Survives every later
-- refresh, per-agency rebuild and --full-refresh (full_refresh false; macros/riwayat.sql). Never published.
{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns',
          **riwayat_inkremental()) }}
with

talenta as (select * from {{ ref('int_talenta_asn') }}),

final as (
    select
        {{ tanggal_acuan() }} as tanggal_acuan,
        cast(talenta.nip as string) as nip,
        cast(talenta.kode_instansi as string) as kode_instansi,
        cast(talenta.kode_provinsi as string) as kode_provinsi,
        cast(talenta.status_kepegawaian as string) as status_kepegawaian,
        cast(talenta.jenis_jabatan as string) as jenis_jabatan,
        cast(talenta.kode_jabatan as string) as kode_jabatan,
        cast(talenta.kotak_talenta as integer) as kotak_talenta,
        cast(talenta.kategori_kesiapan as string) as kategori_kesiapan
    from talenta
)

select * from final
