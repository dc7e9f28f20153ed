-- Career spells never overlap: no spell starts on or before the last day of the person's previous spell.
with

rentang as (
    select
        nip,
        urutan_riwayat,
        berlaku_mulai,
        lag(berlaku_sampai) over (partition by nip order by urutan_riwayat) as sampai_sebelumnya
    from {{ ref('int_riwayat_jabatan') }}
)

select *
from rentang
where sampai_sebelumnya is not null
    and berlaku_mulai <= sampai_sebelumnya
