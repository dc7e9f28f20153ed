-- Education per active ASN as of tanggal_acuan: the highest level across pendidikan_terakhir (pegawai) and the
-- education history (stg_riwayat_pendidikan, contract v1.1) graduated by the year of tanggal_acuan (R0), which
-- gives the IP ASN kualifikasi (R11); and the qualification fit of the post held (R13): the minimum education of
-- the post (seed kualifikasi_jabatan, configurable) against that highest level (ranks of seed
-- jenjang_pendidikan, D4 = S1). The fit of the study programme is an extension point: no national mapping from
-- programme to post exists, so sesuai_program_studi stays NULL until one is given.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

riwayat as (
    select * from {{ ref('stg_riwayat_pendidikan') }}
    where tahun_lulus <= extract(year from {{ tanggal_acuan() }})
        and {{ instansi_terdampak('kode_instansi') }}
),

jenjang as (select * from {{ ref('jenjang_pendidikan') }}),

kualifikasi as (select * from {{ ref('kualifikasi_jabatan') }}),

-- per person, the highest level of the history (of two levels of one rank, S1 before D4), then the latest
riwayat_berurut as (
    select
        riwayat.nip,
        riwayat.jenjang,
        riwayat.program_studi,
        jenjang.peringkat,
        count(*) over (partition by riwayat.nip) as jumlah_riwayat_pendidikan,
        row_number() over (
            partition by riwayat.nip
            order by jenjang.peringkat desc, riwayat.jenjang desc, riwayat.tahun_lulus desc, riwayat.line desc
        ) as urutan
    from riwayat
    inner join jenjang on riwayat.jenjang = jenjang.kode_pendidikan
),

riwayat_tertinggi as (
    select
        nip,
        jenjang,
        program_studi,
        peringkat,
        jumlah_riwayat_pendidikan
    from riwayat_berurut
    where urutan = 1
),

gabung as (
    select
        pegawai.nip,
        pegawai.kode_instansi,
        pegawai.jenis_jabatan,
        pegawai.jenjang_fungsional,
        pegawai.pendidikan_terakhir,
        peringkat_terakhir.peringkat as peringkat_terakhir,
        riwayat_tertinggi.jenjang as pendidikan_tertinggi_riwayat,
        riwayat_tertinggi.peringkat as peringkat_riwayat,
        riwayat_tertinggi.program_studi as program_studi_riwayat,
        coalesce(riwayat_tertinggi.jumlah_riwayat_pendidikan, 0) as jumlah_riwayat_pendidikan,
        kualifikasi.pendidikan_minimum,
        peringkat_minimum.peringkat as peringkat_minimum
    from pegawai
    left join jenjang as peringkat_terakhir on pegawai.pendidikan_terakhir = peringkat_terakhir.kode_pendidikan
    left join riwayat_tertinggi on pegawai.nip = riwayat_tertinggi.nip
    left join kualifikasi
        on pegawai.jenis_jabatan = kualifikasi.jenis_jabatan
        and coalesce(pegawai.jenjang_fungsional, '') = coalesce(kualifikasi.jenjang_fungsional, '')
    left join jenjang as peringkat_minimum on kualifikasi.pendidikan_minimum = peringkat_minimum.kode_pendidikan
),

-- the history wins only when it is strictly higher: a D4 history beside an S1 pendidikan_terakhir keeps S1
tertinggi as (
    select
        *,
        coalesce(peringkat_riwayat > coalesce(peringkat_terakhir, 0), false) as dari_riwayat
    from gabung
),

final as (
    select
        nip,
        kode_instansi,
        pendidikan_terakhir,
        pendidikan_tertinggi_riwayat,
        jumlah_riwayat_pendidikan,
        case when dari_riwayat then pendidikan_tertinggi_riwayat else pendidikan_terakhir end as pendidikan_tertinggi,
        case
            when dari_riwayat then 'RIWAYAT_PENDIDIKAN'
            when pendidikan_terakhir is not null then 'PEGAWAI'
        end as sumber_pendidikan_tertinggi,
        case when dari_riwayat then peringkat_riwayat else peringkat_terakhir end as peringkat_pendidikan_tertinggi,
        program_studi_riwayat,
        pendidikan_minimum,
        case
            when peringkat_minimum is not null
                then coalesce(
                        case when dari_riwayat then peringkat_riwayat else peringkat_terakhir end >= peringkat_minimum,
                        false
                    )
        end as sesuai_kualifikasi,
        cast(null as boolean) as sesuai_program_studi
    from tertinggi
)

select * from final
