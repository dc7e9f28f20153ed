-- Current state per active ASN: one row per current pegawai whose TMT pensiun is after tanggal_acuan (R4: a
-- person whose TMT pensiun is on or before it is no longer an active ASN, whatever the agency's file says;
-- int_melewati_bup lists them), with the attributes of the post from the seed jabatan (required competency
-- level R7, required leadership training R8), the BUP and TMT pensiun of int_pegawai_bup (R4), age and time
-- in the current golongan.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('stg_pegawai')) }}),

bup as ({{ select_terdampak(ref('int_pegawai_bup')) }}),

instansi as (select * from {{ ref('instansi') }}),

jabatan as (select * from {{ ref('jabatan') }}),

golongan as (select * from {{ ref('golongan') }}),

pelatihan_kepemimpinan as (select * from {{ ref('pelatihan_kepemimpinan') }}),

riwayat_golongan as (select * from {{ ref('int_riwayat_golongan') }}),

-- the start of the current golongan in the rank history, when pegawai does not give it
tmt_golongan_riwayat as (
    select
        nip,
        golongan,
        min(berlaku_mulai) as tmt_golongan
    from riwayat_golongan
    where is_terkini
        and {{ instansi_terdampak('kode_instansi') }}
    group by nip, golongan
),

-- active ASN only (R4), with the post's code, BUP and TMT pensiun
dengan_kode as (
    select
        pegawai.*,
        bup.kode_jabatan,
        bup.batas_usia_pensiun,
        bup.sumber_batas_usia_pensiun,
        bup.tmt_pensiun
    from pegawai
    inner join bup on pegawai.nip = bup.nip
    where bup.tmt_pensiun > {{ tanggal_acuan() }}
),

lengkap as (
    select
        dengan_kode.nip,
        dengan_kode.kode_instansi,
        case
            when dengan_kode.kode_wilayah_kerja is not null
                then {{ dbt.split_part('dengan_kode.kode_wilayah_kerja', "'.'", 1) }}
            else instansi.kode_provinsi
        end as kode_provinsi,
        dengan_kode.kode_wilayah_kerja,
        dengan_kode.status_kepegawaian,
        dengan_kode.jenis_kelamin,
        dengan_kode.tanggal_lahir,
        dengan_kode.pendidikan_terakhir,
        dengan_kode.golongan,
        golongan.urutan as golongan_urutan,
        coalesce(dengan_kode.tmt_golongan, tmt_golongan_riwayat.tmt_golongan) as tmt_golongan,
        dengan_kode.jenis_jabatan,
        dengan_kode.jenjang_fungsional,
        dengan_kode.kode_jabatan,
        jabatan.kelompok_jabatan,
        jabatan.kelompok_jabatan = 'MANAJERIAL' as is_manajerial,
        dengan_kode.nama_jabatan,
        dengan_kode.tmt_jabatan,
        dengan_kode.tmt_cpns,
        dengan_kode.batas_usia_pensiun,
        dengan_kode.sumber_batas_usia_pensiun,
        dengan_kode.tmt_pensiun,
        jabatan.level_kompetensi_standar,
        jabatan.pelatihan_kepemimpinan_wajib,
        pelatihan_kepemimpinan.urutan as urutan_kepemimpinan_wajib,
        dengan_kode.tanggal_ekstrak
    from dengan_kode
    left join instansi on dengan_kode.kode_instansi = instansi.kode_instansi
    left join jabatan on dengan_kode.kode_jabatan = jabatan.kode_jabatan
    left join golongan on dengan_kode.golongan = golongan.kode_golongan
    left join pelatihan_kepemimpinan
        on jabatan.pelatihan_kepemimpinan_wajib = pelatihan_kepemimpinan.kode_kepemimpinan
    left join tmt_golongan_riwayat
        on dengan_kode.nip = tmt_golongan_riwayat.nip
        and dengan_kode.golongan = tmt_golongan_riwayat.golongan
),

final as (
    select
        nip,
        kode_instansi,
        kode_provinsi,
        kode_wilayah_kerja,
        status_kepegawaian,
        jenis_kelamin,
        tanggal_lahir,
        {{ usia_tahun('tanggal_lahir', tanggal_acuan()) }} as usia,
        pendidikan_terakhir,
        golongan,
        golongan_urutan,
        tmt_golongan,
        {{ usia_tahun('tmt_golongan', tanggal_acuan()) }} as masa_golongan_tahun,
        {{ bulan_penuh('tmt_golongan', tanggal_acuan()) }} as masa_golongan_bulan,
        jenis_jabatan,
        jenjang_fungsional,
        kode_jabatan,
        kelompok_jabatan,
        is_manajerial,
        nama_jabatan,
        tmt_jabatan,
        tmt_cpns,
        batas_usia_pensiun,
        sumber_batas_usia_pensiun,
        level_kompetensi_standar,
        pelatihan_kepemimpinan_wajib,
        urutan_kepemimpinan_wajib,
        tmt_pensiun,
        tanggal_ekstrak
    from lengkap
)

select * from final
