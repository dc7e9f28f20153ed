-- True counts of the competency gaps (R7) at every level, by post (kode_jabatan: FUNGSIONAL split by jenjang,
-- since the required level differs; and SEMUA) and competency: the current ASN in the post with a level in their
-- latest valid assessment (jumlah_dinilai), those below the post's required level (jumlah_di_bawah_standar) and the
-- sum of their levels (for the mean). Never published:
-- mart_kesenjangan_kompetensi applies R12.
{%- set kompetensi = daftar_kompetensi() %}
with

pegawai as (select * from {{ ref('int_pegawai_terkini') }}),

asesmen as (select * from {{ ref('int_asesmen_terkini') }}),

daftar_kompetensi as (
    {%- for kode, nama, jenis in kompetensi %}
    select '{{ kode }}' as kode_kompetensi
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

level_per_orang as (
    {%- for kode, nama, jenis in kompetensi %}
    select
        nip,
        '{{ kode }}' as kode_kompetensi,
        {{ kode }} as level_kompetensi
    from asesmen
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- every current ASN once per competency, assessed or not
orang as (
    select
        pegawai.kode_provinsi,
        pegawai.kode_instansi,
        pegawai.kode_jabatan,
        daftar_kompetensi.kode_kompetensi,
        level_per_orang.level_kompetensi,
        pegawai.level_kompetensi_standar
    from pegawai
    cross join daftar_kompetensi
    left join level_per_orang
        on pegawai.nip = level_per_orang.nip
        and daftar_kompetensi.kode_kompetensi = level_per_orang.kode_kompetensi
),

dasar as (
    select
        kode_provinsi,
        kode_instansi,
        kode_jabatan,
        kode_kompetensi,
        count(level_kompetensi) as jumlah_dinilai,
        count(case when level_kompetensi < level_kompetensi_standar then 1 end) as jumlah_di_bawah_standar,
        coalesce(sum(level_kompetensi), 0) as jumlah_level
    from orang
    group by all
),

final as (
    {{ hitung_per_level(
        'dasar', ['kode_jabatan', 'kode_kompetensi'],
        ['jumlah_dinilai', 'jumlah_di_bawah_standar', 'jumlah_level'], semua=['kode_jabatan']
    ) }}
)

select * from final
