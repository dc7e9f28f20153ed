-- Data quality: every person listed in the current pegawai of more than one agency (a transfer, mutasi, the old
-- agency not yet resubmitted), one row per (person, agency), with the agency stg_pegawai kept.
with

pegawai_per_instansi as (select * from {{ ref('stg_pegawai_per_instansi') }}),

pegawai as (select * from {{ ref('stg_pegawai') }}),

nip_ganda as (
    select
        nip,
        count(*) as jumlah_instansi
    from pegawai_per_instansi
    group by nip
    having count(*) > 1
),

final as (
    select
        pegawai_per_instansi.nip,
        pegawai_per_instansi.kode_instansi,
        pegawai_per_instansi.tanggal_ekstrak,
        pegawai_per_instansi.tmt_jabatan,
        pegawai_per_instansi.file_path,
        pegawai_per_instansi.line,
        nip_ganda.jumlah_instansi,
        pegawai.kode_instansi as kode_instansi_dipakai,
        pegawai_per_instansi.kode_instansi = pegawai.kode_instansi as dipakai
    from pegawai_per_instansi
    inner join nip_ganda on pegawai_per_instansi.nip = nip_ganda.nip
    inner join pegawai on pegawai_per_instansi.nip = pegawai.nip
)

select * from final
