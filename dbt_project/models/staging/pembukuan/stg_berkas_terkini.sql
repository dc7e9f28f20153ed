-- The current file of every (agency, entity) as of tanggal_acuan: the full-snapshot rule of
-- docs/extract-contract.md section 1 and R0 of docs/domain-rules.md. Only loaded files (status DIMUAT) with
-- tanggal_ekstrak on or before tanggal_acuan compete: a submission dated after it did not exist yet, so an
-- earlier tanggal_acuan finds the files current on that date again. A rejected newer file leaves the older
-- one current, and an entity missing from a newer submission keeps the file of an older one. Newest
-- tanggal_ekstrak wins, then the later load, then the file path (a deterministic last resort). A new
-- tanggal_acuan that changes an agency's current file rebuilds that agency (stg_berkas_berubah).
with

ledger as (select * from {{ source('ingest', 'ledger') }}),

dimuat as (
    select
        kode_instansi,
        entity,
        file_sha256,
        file_path,
        tanggal_ekstrak,
        loaded_at,
        baris_dimuat,
        row_number() over (
            partition by kode_instansi, entity
            order by tanggal_ekstrak desc, loaded_at desc, file_path desc
        ) as urutan_terbaru
    from ledger
    where status = 'DIMUAT'
        and tanggal_ekstrak <= {{ tanggal_acuan() }}
        and kode_instansi is not null
        and entity is not null
),

final as (
    select
        kode_instansi,
        entity,
        file_sha256,
        file_path,
        tanggal_ekstrak,
        loaded_at,
        baris_dimuat
    from dimuat
    where urutan_terbaru = 1
)

select * from final
