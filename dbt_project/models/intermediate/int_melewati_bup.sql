-- R4: the people an agency's current pegawai file still lists whose TMT pensiun is on or before tanggal_acuan.
-- They are no longer active ASN (int_pegawai_terkini leaves them out, and so every person mart, map,
-- indicator and recommendation); each agency's count of them is a data-quality figure of its own
-- (jumlah_melewati_bup), and the agency's restricted pack lists them by name so that it corrects its file.
-- Holds NIP and name: working warehouse only.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('stg_pegawai')) }}),

bup as ({{ select_terdampak(ref('int_pegawai_bup')) }}),

melewati as (
    select
        pegawai.nip,
        pegawai.nama,
        pegawai.kode_instansi,
        pegawai.status_kepegawaian,
        pegawai.jenis_jabatan,
        pegawai.jenjang_fungsional,
        pegawai.nama_jabatan,
        pegawai.tanggal_lahir,
        bup.batas_usia_pensiun,
        bup.sumber_batas_usia_pensiun,
        bup.tmt_pensiun,
        pegawai.tanggal_ekstrak,
        pegawai.file_path
    from pegawai
    inner join bup on pegawai.nip = bup.nip
    where bup.tmt_pensiun <= {{ tanggal_acuan() }}
),

final as (
    select
        nip,
        nama,
        kode_instansi,
        status_kepegawaian,
        jenis_jabatan,
        jenjang_fungsional,
        nama_jabatan,
        tanggal_lahir,
        batas_usia_pensiun,
        sumber_batas_usia_pensiun,
        tmt_pensiun,
        tanggal_ekstrak,
        file_path,
        'Sudah mencapai batas usia pensiun (' || cast(batas_usia_pensiun as string) || ' tahun): TMT pensiun '
        || cast(tmt_pensiun as string) || ' tidak setelah tanggal acuan '
        || cast({{ tanggal_acuan() }} as string)
        || '. Tidak dihitung sebagai ASN aktif. Perbarui berkas pegawai: keluarkan yang sudah pensiun, '
        || 'atau perbaiki tanggal_lahir, jenis_jabatan, jenjang_fungsional atau nama_jabatan bila salah.'
            as keterangan,
        {{ tanggal_acuan() }} as tanggal_acuan
    from melewati
)

select * from final
