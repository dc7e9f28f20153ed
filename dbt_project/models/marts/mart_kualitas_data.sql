-- Data quality per submitted file, from the ingest ledger: one row per file seen (loaded, rejected, ignored),
-- with its counts, reasons and message, whether it is its agency's current file for that entity, and the
-- number of warnings ingest recorded for it (ingest.peringatan, when that table exists).
{%- set peringatan = adapter.get_relation(
    database=target.database, schema='ingest', identifier='peringatan'
) if execute else none %}
-- depends_on: {{ source('ingest', 'peringatan') }}
with

ledger as (select * from {{ source('ingest', 'ledger') }}),

instansi as (select * from {{ ref('instansi') }}),

berkas_terkini as (select * from {{ ref('stg_berkas_terkini') }}),

peringatan as (
    {%- if peringatan is not none %}
    select
        file_sha256,
        count(*) as jumlah_peringatan
    from {{ source('ingest', 'peringatan') }}
    group by file_sha256
    {%- else %}
    -- ingest.peringatan does not exist in this warehouse yet: no warnings counted
    select
        cast(null as {{ dbt.type_string() }}) as file_sha256,
        cast(0 as bigint) as jumlah_peringatan
    where 1 = 0
    {%- endif %}
),

final as (
    select
        cast(ledger.file_sha256 as {{ dbt.type_string() }}) as file_sha256,
        cast(ledger.file_path as {{ dbt.type_string() }}) as file_path,
        cast(ledger.kode_instansi as {{ dbt.type_string() }}) as kode_instansi,
        cast(instansi.nama_instansi as {{ dbt.type_string() }}) as nama_instansi,
        cast(ledger.tanggal_ekstrak as date) as tanggal_ekstrak,
        cast(ledger.entity as {{ dbt.type_string() }}) as entity,
        cast(ledger.status as {{ dbt.type_string() }}) as status,
        cast(ledger.baris_dibaca as bigint) as baris_dibaca,
        cast(ledger.baris_dimuat as bigint) as baris_dimuat,
        cast(ledger.baris_karantina as bigint) as baris_karantina,
        cast(
            case when ledger.baris_dibaca > 0 then round(100.0 * ledger.baris_karantina / ledger.baris_dibaca, 2) end
            as decimal(5, 2)
        ) as persen_karantina,
        cast(ledger.alasan as {{ dbt.type_string() }}) as alasan,
        cast(ledger.pesan as {{ dbt.type_string() }}) as pesan,
        cast(peringatan.jumlah_peringatan as bigint) as jumlah_peringatan,
        cast(berkas_terkini.file_sha256 is not null as boolean) as berkas_terkini,
        cast(ledger.loaded_at as timestamp) as loaded_at
    from ledger
    left join instansi on ledger.kode_instansi = instansi.kode_instansi
    left join berkas_terkini
        on ledger.file_sha256 = berkas_terkini.file_sha256
        and ledger.file_path = berkas_terkini.file_path
    left join peringatan on ledger.file_sha256 = peringatan.file_sha256
)

select * from final
