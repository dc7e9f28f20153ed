-- One row per current ASN, pseudonymous (DOMAIN_RULES R12): what analysts and BI tools read per person.
-- Foundation version: identity, post and retirement columns. Talent box, readiness and IP ASN columns
-- come with the marts issue.
with

pegawai as (
    select * from {{ ref('stg_pegawai') }}
),

instansi as (
    select * from {{ ref('instansi') }}
),

jabatan as (
    select * from {{ ref('jabatan') }}
),

with_bup as (
    select
        pegawai.*,
        instansi.kode_provinsi as kode_provinsi_instansi,
        jabatan.batas_usia_pensiun
    from pegawai
    left join instansi on pegawai.kode_instansi = instansi.kode_instansi
    left join jabatan
        on pegawai.jenis_jabatan = jabatan.jenis_jabatan
        and coalesce(pegawai.jenjang_fungsional, '') = coalesce(jabatan.jenjang_fungsional, '')
)

select
    asn_key(nip) as asn_key,
    kode_instansi,
    coalesce(left(kode_wilayah_kerja, 2), kode_provinsi_instansi) as kode_provinsi,
    status_kepegawaian,
    jenis_jabatan,
    jenjang_fungsional,
    golongan,
    pendidikan_terakhir,
    -- R4: the first day of the month after the month the person reaches the BUP.
    cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', dbt.dateadd('year', 'batas_usia_pensiun', 'tanggal_lahir'))) }} as date)
        as tmt_pensiun,
    {{ tanggal_acuan() }} as tanggal_acuan
from with_bup
