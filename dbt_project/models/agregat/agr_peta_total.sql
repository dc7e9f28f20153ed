-- The ASN of each area of the talent map, profiled or not: the denominator of mart_peta_talenta's percentages
-- (R12 counts it as a cell of its own). An agency's and the nation's are public headcounts.
with

peta as (select * from {{ ref('agr_peta_talenta') }}),

total as (
    select
        level,
        kode_provinsi,
        kode_instansi,
        sum(jumlah) as jumlah
    from peta
    where jenis_jabatan = '{{ semua_nilai() }}'
    group by level, kode_provinsi, kode_instansi
),

final as (
    select
        {{ kunci_sel(['level', 'kode_provinsi', 'kode_instansi']) }} as kunci,
        *
    from total
)

select * from final
