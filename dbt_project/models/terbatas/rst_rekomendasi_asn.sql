-- RESTRICTED (NIP and name): one row per current ASN with what to do next, for the agency's HR unit and BKN
-- only (agency feedback packs, `proasn profil`); never published. Built on int_talenta_asn (every rule, R4-R11):
-- the follow-up of the talent box (R6), training needs (R8 leadership for the post held and the next post up,
-- the JP minimum, R7 competency gaps), the regular-promotion status and date (R9, as int_talenta_asn decides
-- them: the published layak_kenaikan_pangkat_reguler reads the same status), rotation and placement flags.
-- Active ASN only: people past their TMT pensiun are in int_melewati_bup (R4).
{%- set kompetensi = daftar_kompetensi() %}
{{ config(materialized=per_instansi_materialized(), incremental_strategy='per_instansi', on_schema_change='fail',
          meta={'ikut_acuan': true}) }}
with

talenta as ({{ select_terdampak(ref('int_talenta_asn')) }}),

-- the other inputs are filtered too: a person's rows are all in their agency, and the joins stay small
pegawai as ({{ select_terdampak(ref('int_pegawai_terkini')) }}),

identitas as (
    select
        nip,
        nama
    from {{ ref('stg_pegawai') }}
    where {{ instansi_terdampak('kode_instansi') }}
),

asesmen as ({{ select_terdampak(ref('int_asesmen_terkini')) }}),

kinerja as ({{ select_terdampak(ref('int_kinerja_acuan')) }}),

hukuman as ({{ select_terdampak(ref('stg_hukuman_disiplin')) }}),

jabatan as (select * from {{ ref('jabatan') }}),

jenjang_manajerial as (select * from {{ ref('jenjang_manajerial') }}),

pelatihan_kepemimpinan as (select * from {{ ref('pelatihan_kepemimpinan') }}),

kotak as (select * from {{ ref('kotak_talenta') }}),

-- sanctions active on tanggal_acuan (R9)
hukuman_berlaku as (
    select
        nip,
        tmt_selesai,
        case tingkat when 'RINGAN' then 1 when 'SEDANG' then 2 when 'BERAT' then 3 end as tingkat_urutan
    from hukuman
    where tmt_mulai <= {{ tanggal_acuan() }}
        and (tmt_selesai is null or tmt_selesai >= {{ tanggal_acuan() }})
),

-- per person: the day after the last one ends, or none when one is open-ended
hukuman_aktif as (
    select
        nip,
        max(tingkat_urutan) as tingkat_urutan,
        max(case when tmt_selesai is null then 1 else 0 end) = 1 as ada_tanpa_akhir,
        max(tmt_selesai) as tmt_selesai_terakhir
    from hukuman_berlaku
    group by nip
),

-- the post one level up and its leadership training (R8)
jabatan_atas as (
    select
        jenjang_manajerial.kode_jabatan,
        jenjang_manajerial.kode_jabatan_atas,
        jabatan.pelatihan_kepemimpinan_wajib as kepemimpinan_jabatan_atas,
        pelatihan_kepemimpinan.urutan as urutan_kepemimpinan_jabatan_atas
    from jenjang_manajerial
    inner join jabatan on jenjang_manajerial.kode_jabatan_atas = jabatan.kode_jabatan
    left join pelatihan_kepemimpinan
        on jabatan.pelatihan_kepemimpinan_wajib = pelatihan_kepemimpinan.kode_kepemimpinan
),

gabung as (
    select
        talenta.*,
        identitas.nama,
        pegawai.nama_jabatan,
        pegawai.level_kompetensi_standar,
        pegawai.pelatihan_kepemimpinan_wajib,
        pegawai.urutan_kepemimpinan_wajib,
        kotak.tindak_lanjut,
        kinerja.jumlah_tahun_skp_k1,
        kinerja.jumlah_tahun_baik_k1,
        pelatihan_dimiliki.urutan as urutan_kepemimpinan_tertinggi,
        jabatan_atas.kode_jabatan_atas,
        jabatan_atas.kepemimpinan_jabatan_atas,
        jabatan_atas.urutan_kepemimpinan_jabatan_atas,
        hukuman_aktif.nip is not null as ada_hukuman_aktif,
        case hukuman_aktif.tingkat_urutan
            when 1 then 'RINGAN' when 2 then 'SEDANG' when 3 then 'BERAT'
        end as tingkat_hukuman_aktif,
        hukuman_aktif.ada_tanpa_akhir as hukuman_aktif_tanpa_akhir,
        {%- for kode, nama, jenis in kompetensi %}
        asesmen.{{ kode }} as level_{{ kode }},
        pegawai.level_kompetensi_standar - asesmen.{{ kode }} as kesenjangan_{{ kode }},
        {%- endfor %}
        hukuman_aktif.tmt_selesai_terakhir as tmt_selesai_hukuman_aktif
    from talenta
    left join pegawai on talenta.nip = pegawai.nip
    left join identitas on talenta.nip = identitas.nip
    left join asesmen on talenta.nip = asesmen.nip
    left join kinerja on talenta.nip = kinerja.nip
    left join hukuman_aktif on talenta.nip = hukuman_aktif.nip
    left join kotak on talenta.kotak_talenta = kotak.kotak_talenta
    left join pelatihan_kepemimpinan as pelatihan_dimiliki
        on talenta.kepemimpinan_tertinggi = pelatihan_dimiliki.kode_kepemimpinan
    left join jabatan_atas on talenta.kode_jabatan = jabatan_atas.kode_jabatan
),

kebutuhan as (
    select
        *,
        coalesce(is_manajerial and not k4_kepemimpinan, false) as perlu_kepemimpinan_jabatan,
        coalesce(
            kode_jabatan_atas is not null
            and coalesce(urutan_kepemimpinan_tertinggi, 0) < urutan_kepemimpinan_jabatan_atas,
            false
        ) as perlu_kepemimpinan_jabatan_atas,
        greatest({{ var('k3_jp_minimum') }} - coalesce(jp_12_bulan, 0), 0) as kekurangan_jp,
        coalesce(jp_12_bulan, 0) < {{ var('k3_jp_minimum') }} as perlu_pelatihan_20jp,
        (
            {%- for kode, nama, jenis in kompetensi %}
            {% if not loop.first %}+ {% endif %}case when kesenjangan_{{ kode }} > 0 then 1 else 0 end
            {%- endfor %}
        ) as jumlah_kompetensi_di_bawah_standar,
        concat_ws(
            '; ',
            {%- for kode, nama, jenis in kompetensi %}
            case
                when kesenjangan_{{ kode }} > 0
                    then '{{ nama }} ' || cast(level_{{ kode }} as string) || ' dari standar '
                        || cast(level_kompetensi_standar as string)
            end{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as kompetensi_di_bawah_standar,
        coalesce(kotak_talenta in (4, 7, 8), false) as perlu_rotasi,
        coalesce(jpm < {{ var('tinjauan_penempatan_jpm_batas') }}, false) as perlu_tinjauan_penempatan,
        coalesce(not sesuai_kualifikasi, false) as perlu_peningkatan_pendidikan
    from gabung
),

hasil as (
    select
        *,
        case
            when kotak_talenta is null
                then 'Belum terprofil: lengkapi SKP ' || cast({{ var('kinerja_jendela_tahun') }} as string)
                    || ' tahun terakhir dan asesmen ' || cast({{ var('potensial_jendela_tahun') }} as string)
                    || ' tahun terakhir'
            else tindak_lanjut
        end as tindak_lanjut_kotak
    from kebutuhan
),

final as (
    select
        nip,
        nama,
        kode_instansi,
        kode_provinsi,
        status_kepegawaian,
        jenis_jabatan,
        jenjang_fungsional,
        kode_jabatan,
        nama_jabatan,
        golongan,
        pendidikan_terakhir,
        pendidikan_tertinggi,
        pendidikan_minimum,
        sesuai_kualifikasi,
        perlu_peningkatan_pendidikan,
        tahun_skp_terakhir,
        predikat_terakhir,
        kinerja_level,
        tanggal_asesmen,
        skor_potensi,
        potensial_level,
        kotak_talenta,
        tindak_lanjut_kotak,
        kelompok_suksesi,
        jpm,
        kategori_jpm,
        k1_kinerja,
        k2_kompetensi,
        k3_pengembangan,
        k4_kepemimpinan,
        k5_disiplin,
        k6_masa_kerja,
        kategori_kesiapan,
        coalesce(jumlah_tahun_skp_k1, 0) as jumlah_tahun_skp_k1,
        coalesce(jumlah_tahun_baik_k1, 0) as jumlah_tahun_baik_k1,
        ada_hukuman_aktif,
        tingkat_hukuman_aktif,
        tmt_selesai_hukuman_aktif,
        pelatihan_kepemimpinan_wajib,
        kepemimpinan_tertinggi,
        perlu_kepemimpinan_jabatan,
        kode_jabatan_atas,
        kepemimpinan_jabatan_atas,
        perlu_kepemimpinan_jabatan_atas,
        jp_12_bulan,
        kekurangan_jp,
        perlu_pelatihan_20jp,
        level_kompetensi_standar,
        {%- for kode, nama, jenis in kompetensi %}
        level_{{ kode }},
        kesenjangan_{{ kode }},
        {%- endfor %}
        jumlah_kompetensi_di_bawah_standar,
        nullif(kompetensi_di_bawah_standar, '') as kompetensi_di_bawah_standar,
        perlu_rotasi,
        perlu_tinjauan_penempatan,
        tmt_golongan,
        tanggal_memenuhi_masa_golongan,
        status_kenaikan_pangkat,
        tanggal_layak_kenaikan_pangkat,
        tmt_pensiun,
        concat_ws(
            '; ',
            coalesce('Kotak ' || cast(kotak_talenta as string) || ': ', '') || tindak_lanjut_kotak,
            case
                when perlu_kepemimpinan_jabatan
                    then 'Ikuti ' || pelatihan_kepemimpinan_wajib || ' (wajib untuk jabatan saat ini)'
            end,
            case
                when perlu_kepemimpinan_jabatan_atas
                    and not (perlu_kepemimpinan_jabatan and kepemimpinan_jabatan_atas = pelatihan_kepemimpinan_wajib)
                    then 'Ikuti ' || kepemimpinan_jabatan_atas || ' (untuk jabatan ' || kode_jabatan_atas || ')'
            end,
            case
                when perlu_pelatihan_20jp
                    then 'Tambah ' || cast(kekurangan_jp as string) || ' JP pengembangan kompetensi'
            end,
            case
                when jumlah_kompetensi_di_bawah_standar > 0
                    then 'Kembangkan kompetensi: ' || kompetensi_di_bawah_standar
            end,
            case
                when perlu_tinjauan_penempatan
                    then 'Tinjau penempatan (JPM di bawah '
                        || cast({{ var('tinjauan_penempatan_jpm_batas') }} as string) || ')'
            end,
            case
                when perlu_peningkatan_pendidikan
                    then 'Kesenjangan pendidikan: ' || coalesce(pendidikan_tertinggi, 'tidak diketahui')
                        || ' di bawah minimum jabatan ' || pendidikan_minimum
                        || ' (tingkatkan pendidikan atau tinjau penempatan)'
            end
        ) as rekomendasi,
        {{ tanggal_acuan() }} as tanggal_acuan
    from hasil
)

select * from final
