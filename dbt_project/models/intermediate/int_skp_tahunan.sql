-- SKP per person per year (up to the year of tanggal_acuan) with the predikat derived by R5:
-- 1. both hasil_kerja and perilaku_kerja given: the PermenPANRB 6/2022 matrix, the seed matriks_predikat_skp
--    (it wins over a given predikat that disagrees; the disagreement is flagged as a data-quality warning);
-- 2. else the given predikat;
-- 3. else nilai: > 100 always the PermenPANRB 8/2021 bands; <= 100 the PP 46/2011 bands (see the model docs
--    for the skp_tahun_awal_regime_2021 var).
-- A view: row-wise rules over stg_skp (38.5M rows at national scale), read once by int_kinerja_acuan, which
-- keeps only the recent years; writing it as a table cost more than every read of it.
{{ config(materialized='view') }}
{%- set tahun_2021 = var('skp_tahun_awal_regime_2021') %}
with

skp as (
    select * from {{ ref('stg_skp') }}
    where tahun <= extract(year from {{ tanggal_acuan() }})
),

matriks as (select * from {{ ref('matriks_predikat_skp') }}),

turunan as (
    select
        skp.nip,
        skp.kode_instansi,
        skp.tahun,
        skp.hasil_kerja,
        skp.perilaku_kerja,
        skp.predikat as predikat_asli,
        skp.nilai,
        matriks.predikat as predikat_matriks,
        case
            when skp.nilai is null then null
            when skp.nilai > 100{% if tahun_2021 is not none %} or skp.tahun >= {{ tahun_2021 }}{% endif %}
                then 'PERMENPANRB_8_2021'
            else 'PP_46_2011'
        end as regime_nilai
    from skp
    left join matriks
        on skp.hasil_kerja = matriks.hasil_kerja and skp.perilaku_kerja = matriks.perilaku_kerja
),

dengan_predikat_nilai as (
    select
        *,
        case
            when regime_nilai = 'PERMENPANRB_8_2021'
                then
                    case
                        when nilai >= 110 then 'SANGAT_BAIK'
                        when nilai >= 90 then 'BAIK'
                        when nilai >= 70 then 'BUTUH_PERBAIKAN'
                        when nilai >= 50 then 'KURANG'
                        else 'SANGAT_KURANG'
                    end
            when regime_nilai = 'PP_46_2011'
                then
                    case
                        when nilai >= 91 then 'SANGAT_BAIK'
                        when nilai >= 76 then 'BAIK'
                        when nilai >= 61 then 'BUTUH_PERBAIKAN'
                        when nilai >= 51 then 'KURANG'
                        else 'SANGAT_KURANG'
                    end
        end as predikat_nilai
    from turunan
),

hasil as (
    select
        *,
        case
            when predikat_matriks is not null then 'MATRIKS'
            when predikat_asli is not null then 'PREDIKAT'
            when predikat_nilai is not null then 'NILAI'
        end as sumber_predikat,
        coalesce(predikat_matriks, predikat_asli, predikat_nilai) as predikat
    from dengan_predikat_nilai
),

final as (
    select
        nip,
        kode_instansi,
        tahun,
        hasil_kerja,
        perilaku_kerja,
        predikat_asli,
        nilai,
        predikat_matriks,
        regime_nilai,
        predikat_nilai,
        predikat,
        sumber_predikat,
        case predikat
            when 'SANGAT_BAIK' then 5
            when 'BAIK' then 4
            when 'BUTUH_PERBAIKAN' then 3
            when 'KURANG' then 2
            when 'SANGAT_KURANG' then 1
        end as predikat_urutan,
        coalesce(predikat_matriks <> predikat_asli, false) as predikat_tidak_sesuai_matriks
    from hasil
)

select * from final
