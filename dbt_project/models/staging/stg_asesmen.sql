-- Assessment results (asesmen) of the current ASN, typed: the rows of each agency's current asesmen file (full-
-- snapshot rule, stg_berkas_terkini) for the people who are current pegawai of that same agency (stg_pegawai,
-- after transfers are resolved). Deduplicated: one result per (nip, tanggal_asesmen, metode): the later line.
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail') }}
with

terkini as (
    {{ current_history_rows('asesmen') }}
),

typed as (
    select
        nip,
        {{ dbt.safe_cast('tanggal_asesmen', 'date') }} as tanggal_asesmen,
        metode,
        lembaga,
        {{ dbt.safe_cast('skor_potensi', 'decimal(5, 2)') }} as skor_potensi,
        {{ dbt.safe_cast('km_integritas', 'integer') }} as km_integritas,
        {{ dbt.safe_cast('km_kerja_sama', 'integer') }} as km_kerja_sama,
        {{ dbt.safe_cast('km_komunikasi', 'integer') }} as km_komunikasi,
        {{ dbt.safe_cast('km_orientasi_hasil', 'integer') }} as km_orientasi_hasil,
        {{ dbt.safe_cast('km_pelayanan_publik', 'integer') }} as km_pelayanan_publik,
        {{ dbt.safe_cast('km_pengembangan_diri', 'integer') }} as km_pengembangan_diri,
        {{ dbt.safe_cast('km_mengelola_perubahan', 'integer') }} as km_mengelola_perubahan,
        {{ dbt.safe_cast('km_pengambilan_keputusan', 'integer') }} as km_pengambilan_keputusan,
        {{ dbt.safe_cast('ks_perekat_bangsa', 'integer') }} as ks_perekat_bangsa,
        {{ dbt.safe_cast('jpm', 'decimal(5, 2)') }} as jpm,
        {{ metadata_columns() }}
    from terkini
),

deduplicated as (
    select * from {{ one_row_per_key('typed', ['nip', 'tanggal_asesmen', 'metode'], 'line desc') }}
),

final as (
    select * from deduplicated  -- typed's columns, in their order
)

select * from final
