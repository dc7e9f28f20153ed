-- The current pegawai of every agency, typed, one row per person nationally.
-- Full-snapshot rule (EXTRACT_CONTRACT s1): an agency's current pegawai is its newest loaded pegawai file.
-- A person current in two agencies (mutasi) is kept where tanggal_ekstrak is newer, then tmt_jabatan later.
with

ledger as (
    select * from {{ source('ingest', 'ledger') }}
),

raw_pegawai as (
    select * from {{ source('raw', 'pegawai') }}
),

current_file as (
    select
        kode_instansi,
        arg_max(file_sha256, (tanggal_ekstrak, loaded_at)) as file_sha256
    from ledger
    where entity = 'pegawai' and status = 'DIMUAT'
    group by kode_instansi
),

typed as (
    select
        raw_pegawai.nip,
        raw_pegawai.nik,
        raw_pegawai.nama,
        raw_pegawai.gelar_depan,
        raw_pegawai.gelar_belakang,
        raw_pegawai.jenis_kelamin,
        raw_pegawai.tempat_lahir,
        cast(raw_pegawai.tanggal_lahir as date) as tanggal_lahir,
        raw_pegawai.status_kepegawaian,
        raw_pegawai.golongan,
        cast(raw_pegawai.tmt_golongan as date) as tmt_golongan,
        raw_pegawai.jenis_jabatan,
        raw_pegawai.jenjang_fungsional,
        raw_pegawai.nama_jabatan,
        cast(raw_pegawai.tmt_jabatan as date) as tmt_jabatan,
        raw_pegawai.unit_kerja,
        raw_pegawai.kode_wilayah_kerja,
        raw_pegawai.pendidikan_terakhir,
        cast(raw_pegawai.tmt_cpns as date) as tmt_cpns,
        raw_pegawai._kode_instansi as kode_instansi,
        raw_pegawai._tanggal_ekstrak as tanggal_ekstrak,
        raw_pegawai._file_path as file_path,
        raw_pegawai._line as line
    from raw_pegawai
    inner join current_file
        on raw_pegawai._file_sha256 = current_file.file_sha256
        and raw_pegawai._kode_instansi = current_file.kode_instansi
),

ranked as (
    select
        *,
        row_number() over (
            partition by nip
            order by tanggal_ekstrak desc, tmt_jabatan desc nulls last, kode_instansi
        ) as rank_mutasi
    from typed
)

select * exclude (rank_mutasi)
from ranked
where rank_mutasi = 1
