-- True counts of the transfers (R16 mutasi) between the two kept dates of agr_pergerakan_talenta
-- (macros/riwayat.sql): every person of riwayat_talenta_asn at either date, from origin to destination, by agency
-- (jenis INSTANSI: kode_instansi) and by duty-station province (jenis PROVINSI: kode_provinsi, NULL when unknown);
-- the origin MASUK for people not an ASN on the start date, the destination KELUAR for people no longer an ASN
-- on the end date, origin = destination for those who stayed, and each also as SEMUA. The columns level,
-- kode_provinsi and kode_instansi name the one area a row's count equals a count of (an agency's or province's
-- ASN at the end date, its MASUK or KELUAR of agr_pergerakan_talenta): pipelines/disclosure.py links them.
-- Never published: mart_mutasi applies R12.
with

riwayat as (select * from {{ ref('riwayat_talenta_asn') }}),

instansi as (select * from {{ ref('instansi') }}),

pasangan as (
    {{ pasangan_pergerakan('riwayat') }}
),

awal as (
    select riwayat.*
    from riwayat
    inner join pasangan on riwayat.tanggal_acuan = pasangan.awal
),

akhir as (
    select riwayat.*
    from riwayat
    inner join pasangan on riwayat.tanggal_acuan = pasangan.akhir
),

orang as (
    select
        case when awal.nip is null then 'MASUK' else awal.kode_instansi end as instansi_asal,
        case when akhir.nip is null then 'KELUAR' else akhir.kode_instansi end as instansi_tujuan,
        case when awal.nip is null then 'MASUK' else awal.kode_provinsi end as provinsi_asal,
        case when akhir.nip is null then 'KELUAR' else akhir.kode_provinsi end as provinsi_tujuan
    from awal
    full outer join akhir on awal.nip = akhir.nip
    where (select pasangan.awal from pasangan) is not null
),

per_jenis as (
    select
        'INSTANSI' as jenis,
        instansi_asal as asal,
        instansi_tujuan as tujuan
    from orang
    union all
    select
        'PROVINSI' as jenis,
        provinsi_asal as asal,
        provinsi_tujuan as tujuan
    from orang
),

sel as (
    select
        jenis,
        asal,
        tujuan,
        count(*) as jumlah
    from per_jenis
    group by jenis, asal, tujuan
    union all
    select
        jenis,
        asal,
        '{{ semua_nilai() }}' as tujuan,
        count(*) as jumlah
    from per_jenis
    group by jenis, asal
    union all
    select
        jenis,
        '{{ semua_nilai() }}' as asal,
        tujuan,
        count(*) as jumlah
    from per_jenis
    group by jenis, tujuan
    union all
    select
        jenis,
        '{{ semua_nilai() }}' as asal,
        '{{ semua_nilai() }}' as tujuan,
        count(*) as jumlah
    from per_jenis
    group by jenis
),

berarea as (
    select
        sel.*,
        -- the real code on one side, the other side SEMUA, MASUK or KELUAR: that agency or province
        case
            when sel.asal in ('{{ semua_nilai() }}', 'MASUK') and sel.tujuan not in ('{{ semua_nilai() }}', 'KELUAR')
                then sel.tujuan
            when sel.tujuan in ('{{ semua_nilai() }}', 'KELUAR') and sel.asal not in ('{{ semua_nilai() }}', 'MASUK')
                then sel.asal
        end as kode_area,
        sel.asal in ('{{ semua_nilai() }}', 'MASUK') and sel.tujuan in ('{{ semua_nilai() }}', 'KELUAR')
            as nasional
    from sel
),

final as (
    select
        {{ kunci_sel(['berarea.jenis', 'berarea.asal', 'berarea.tujuan']) }} as kunci,
        berarea.jenis,
        berarea.asal,
        berarea.tujuan,
        berarea.jumlah,
        case
            when berarea.nasional then 'NASIONAL' when berarea.kode_area is not null then berarea.jenis
        end as level,
        case
            when berarea.jenis = 'PROVINSI' then berarea.kode_area
            when berarea.kode_area is not null then instansi.kode_provinsi
        end as kode_provinsi,
        case when berarea.jenis = 'INSTANSI' then berarea.kode_area end as kode_instansi,
        pasangan.awal as tanggal_acuan_awal,
        pasangan.akhir as tanggal_acuan_akhir,
        pasangan.akhir = {{ tanggal_acuan() }} as akhir_acuan
    from berarea
    cross join pasangan
    left join instansi on berarea.jenis = 'INSTANSI' and berarea.kode_area = instansi.kode_instansi
    where pasangan.awal is not null
)

select * from final
