{#
    Fails the build (and so the Dagster run) when a model or seed of this project, or one of its columns,
    has no description: a blank description in YAML, or a column of the built table that the YAML does not
    list. It depends on the models that nothing else reads, so `dbt build` runs it after every model; a model
    it does not reach (a new leaf missing from the list below) is reported too, so the list cannot go stale.
#}
-- depends_on: {{ ref('mart_talenta_asn') }}
-- depends_on: {{ ref('mart_peta_talenta') }}
-- depends_on: {{ ref('mart_indikator_instansi') }}
-- depends_on: {{ ref('mart_indikator_wilayah') }}
-- depends_on: {{ ref('mart_proyeksi_pensiun') }}
-- depends_on: {{ ref('mart_kesenjangan_kompetensi') }}
-- depends_on: {{ ref('mart_kualitas_data') }}
-- depends_on: {{ ref('mart_pergerakan_talenta') }}
-- depends_on: {{ ref('mart_mutasi') }}
-- depends_on: {{ ref('mart_kesetaraan') }}
-- depends_on: {{ ref('mart_kebutuhan_pelatihan') }}
-- depends_on: {{ ref('mart_kenaikan_pangkat') }}
-- depends_on: {{ ref('mart_kumpulan_talenta') }}
-- depends_on: {{ ref('rst_kumpulan_talenta') }}
-- depends_on: {{ ref('dim_instansi') }}
-- depends_on: {{ ref('dim_wilayah') }}
-- depends_on: {{ ref('dim_jabatan') }}
-- depends_on: {{ ref('dim_golongan') }}
-- depends_on: {{ ref('dim_kotak_talenta') }}
-- depends_on: {{ ref('int_riwayat_jabatan') }}
-- depends_on: {{ ref('int_pelatihan_tahunan') }}
-- depends_on: {{ ref('rst_kandidat_suksesi') }}
-- depends_on: {{ ref('status_bangun_berkas') }}
-- depends_on: {{ ref('status_bangun_pegawai') }}
{# shown in Dagster as an asset check of mart_talenta_asn (dagster-dbt needs one asset for a test with many parents) #}
{{ config(severity='error', meta={'dagster': {'ref': {'name': 'mart_talenta_asn'}}}) }}
{%- set masalah = [] -%}
{%- if execute -%}
    {#- every node this test reaches, walking depends_on (a fixed number of rounds: Jinja has no while) -#}
    {%- set tercapai = {} -%}
    {%- for n in model.depends_on.nodes -%}{%- do tercapai.update({n: true}) -%}{%- endfor -%}
    {%- for _ in range(30) -%}
        {%- for n in tercapai.keys() | list -%}
            {%- set node = graph.nodes.get(n) -%}
            {%- if node -%}
                {%- for p in node.depends_on.nodes -%}{%- do tercapai.update({p: true}) -%}{%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed') and node.package_name == project_name -%}
        {%- if not (node.description or '') | trim -%}
            {%- do masalah.append((node.name, '', 'model tanpa deskripsi')) -%}
        {%- endif -%}
        {%- if node.resource_type == 'model' and node.unique_id not in tercapai -%}
            {%- do masalah.append((node.name, '', 'model tidak tercakup pemeriksaan ini: tambahkan depends_on')) -%}
        {%- endif -%}
        {%- set kolom_yaml = {} -%}
        {%- for nama, kolom in node.columns.items() -%}
            {%- do kolom_yaml.update({nama | lower: true}) -%}
            {%- if not (kolom.description or '') | trim -%}
                {%- do masalah.append((node.name, nama, 'kolom tanpa deskripsi')) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set relasi = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {%- if relasi is not none -%}
            {%- for kolom in adapter.get_columns_in_relation(relasi) -%}
                {%- if kolom.name | lower not in kolom_yaml -%}
                    {%- do masalah.append((node.name, kolom.name, 'kolom tidak ada di YAML')) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

{% if masalah | length == 0 -%}
select
    cast(null as {{ dbt.type_string() }}) as nama_model,
    cast(null as {{ dbt.type_string() }}) as nama_kolom,
    cast(null as {{ dbt.type_string() }}) as masalah
where 1 = 0
{%- else -%}
{%- for nama_model, nama_kolom, keterangan in masalah %}
select '{{ nama_model }}' as nama_model, '{{ nama_kolom }}' as nama_kolom, '{{ keterangan }}' as masalah
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endif %}
