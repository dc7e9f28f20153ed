-- R4 per current pegawai (stg_pegawai), whatever tanggal_acuan: the retirement age (BUP) of the post and the
-- TMT pensiun. The BUP is the post's own law when its nama_jabatan matches the seed bup_jabatan_khusus
-- (teachers, lecturers: the longest matching pattern, then an exact match over a prefix), else the post
-- type's default of the seed jabatan. TMT pensiun is the first day of the month after the month in which the
-- person reaches the BUP. int_pegawai_terkini keeps those whose TMT pensiun is after tanggal_acuan (active
-- ASN), int_melewati_bup lists the others. Reads no var: rebuilt agency by agency with the files.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

pegawai as ({{ select_terdampak(ref('stg_pegawai')) }}),

jabatan as (select * from {{ ref('jabatan') }}),

bup_jabatan_khusus as (select * from {{ ref('bup_jabatan_khusus') }}),

dengan_kode as (
    select
        nip,
        kode_instansi,
        tanggal_lahir,
        nama_jabatan,
        case
            when jenis_jabatan = 'FUNGSIONAL' then {{ dbt.concat(["'FUNGSIONAL_'", 'jenjang_fungsional']) }}
            else jenis_jabatan
        end as kode_jabatan,
        -- case and repeated or outer spaces do not matter for the match
        lower(trim({{ regexp_replace_all('nama_jabatan', '\s+', "' '") }})) as nama_jabatan_baku
    from pegawai
),

pola as (
    select
        pola_nama_jabatan,
        cara_cocok,
        batas_usia_pensiun,
        lower(trim({{ regexp_replace_all('pola_nama_jabatan', '\s+', "' '") }})) as pola_baku
    from bup_jabatan_khusus
),

cocok as (
    select
        dengan_kode.nip,
        pola.pola_nama_jabatan,
        pola.batas_usia_pensiun,
        row_number() over (
            partition by dengan_kode.nip
            order by length(pola.pola_baku) desc, case pola.cara_cocok when 'SAMA' then 1 else 2 end
        ) as urutan_cocok
    from dengan_kode
    inner join pola
        on dengan_kode.nama_jabatan_baku = pola.pola_baku
        or (
            pola.cara_cocok = 'AWALAN'
            and {{ text_starts_with('dengan_kode.nama_jabatan_baku', "pola.pola_baku || ' '") }}
        )
),

lengkap as (
    select
        dengan_kode.nip,
        dengan_kode.kode_instansi,
        dengan_kode.kode_jabatan,
        dengan_kode.tanggal_lahir,
        jabatan.batas_usia_pensiun as batas_usia_pensiun_jenis_jabatan,
        cocok.pola_nama_jabatan as pola_bup_jabatan_khusus,
        coalesce(cocok.batas_usia_pensiun, jabatan.batas_usia_pensiun) as batas_usia_pensiun,
        case
            when cocok.batas_usia_pensiun is not null then 'JABATAN_KHUSUS'
            when jabatan.batas_usia_pensiun is not null then 'JENIS_JABATAN'
        end as sumber_batas_usia_pensiun
    from dengan_kode
    left join jabatan on dengan_kode.kode_jabatan = jabatan.kode_jabatan
    left join cocok
        on dengan_kode.nip = cocok.nip
        and cocok.urutan_cocok = 1
),

final as (
    select
        nip,
        kode_instansi,
        kode_jabatan,
        batas_usia_pensiun_jenis_jabatan,
        pola_bup_jabatan_khusus,
        batas_usia_pensiun,
        sumber_batas_usia_pensiun,
        {{ tmt_pensiun('tanggal_lahir', 'batas_usia_pensiun') }} as tmt_pensiun
    from lengkap
)

select * from final
