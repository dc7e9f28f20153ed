{#
  The record of a complete build, read by the next run's stg_berkas_berubah and stg_instansi_terdampak. The
  status models depend on every per-agency model, so dbt skips them when one of those failed (or was skipped),
  and the next run rebuilds every agency changed since the last complete build. A run that selects only some of
  the per-agency models keeps the previous record (`select_sql` is used only when all of them ran); `kolom` names
  the columns of an empty record. A per-agency model missing from per_instansi_models(), or one reading a var
  without meta ikut_acuan (its unaffected agencies would keep the old value's results), is an error, not a stale
  table. status_bangun_pegawai is incremental (strategy status_bangun): a complete build replaces the rebuilt
  agencies' rows only.
#}

{# Every model rebuilt agency by agency: incremental_strategy 'per_instansi', or 'per_pegawai' (stg_pegawai). #}
{% macro per_instansi_models() -%}
    {{ return([
        'stg_pegawai_per_instansi', 'stg_pegawai', 'stg_skp', 'stg_riwayat_golongan', 'stg_riwayat_jabatan',
        'stg_riwayat_pelatihan', 'stg_asesmen', 'stg_hukuman_disiplin', 'int_pegawai_bup', 'int_melewati_bup',
        'int_riwayat_golongan', 'stg_riwayat_pendidikan', 'int_pendidikan_acuan',
        'int_riwayat_jabatan', 'int_pelatihan_tahunan', 'int_pegawai_terkini', 'int_kinerja_acuan',
        'int_pelatihan_acuan', 'int_asesmen_terkini', 'int_hukuman_disiplin_acuan', 'int_talenta_asn',
        'rst_rekomendasi_asn', 'rst_kandidat_suksesi', 'mart_talenta_asn',
    ]) }}
{%- endmacro %}

{# Views computed row by row from a per-agency model, with its kode_instansi: tested like it (per_instansi.sql). #}
{% macro per_instansi_views() -%}
    {{ return(['int_skp_tahunan']) }}
{%- endmacro %}

{% macro status_bangun(select_sql, kolom) -%}
    {%- set per_instansi_models = per_instansi_models() -%}
    {%- for name in per_instansi_models %}
    -- depends_on: {{ ref(name) }}
    {%- endfor %}
    {%- if execute -%}
        {%- set dalam_graf = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model'
                and node.config.get('incremental_strategy') in ('per_instansi', 'per_pegawai') -%}
            {%- do dalam_graf.append(node.name) -%}
            {%- if 'var(' in node.raw_code and not node.config.meta.get('ikut_acuan', false) -%}
                {#- its unaffected agencies would keep rows computed with the old value -#}
                {{ exceptions.raise_compiler_error(
                    node.name ~ ' reads a var: set meta ikut_acuan, so that a new value rebuilds all of it') }}
            {%- endif -%}
        {%- endfor -%}
        {%- if dalam_graf | sort != per_instansi_models | sort -%}
            {{ exceptions.raise_compiler_error(
                this.identifier ~ ': list the per-agency models ' ~ (dalam_graf | sort) ~ ', not '
                ~ (per_instansi_models | sort)) }}
        {%- endif -%}
    {%- endif -%}
    {%- set sebelumnya = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {#- each branch starts on a new line: the depends_on comments above end without one #}
    {%- if semua_per_instansi_dipilih() %}
        {{ select_sql }}
    {%- elif sebelumnya is not none and not is_incremental() %}
        select {{ kolom | join(', ') }} from {{ sebelumnya }}
    {%- else %}
        {#- an incremental record keeps its rows (its strategy leaves it alone) #}
        select {{ kolom | join(', ') }} from ({{ select_sql }}) where false
    {%- endif -%}
{%- endmacro %}

{# True when the run builds every per-agency model: only then is it a complete build to record. #}
{% macro semua_per_instansi_dipilih() -%}
    {%- for name in per_instansi_models() -%}
        {%- if ('model.' ~ project_name ~ '.' ~ name) not in selected_resources -%}
            {{- return(false) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(true) -}}
{%- endmacro %}

{#
  status_bangun_pegawai's strategy. A complete build replaces the rows of the agencies it rebuilt: every person
  whose agency changed since the last complete build has both the old and the new agency among them
  (stg_instansi_terdampak, PEGAWAI_PINDAH), so the record equals stg_pegawai again without rewriting 5.6M rows.
  Any other build leaves the record as it was.
#}
{% macro get_incremental_status_bangun_sql(arg_dict) -%}
    {%- if semua_per_instansi_dipilih() -%}
        {{ ganti_baris(arg_dict, instansi_terdampak('kode_instansi')) }}
    {%- else -%}
        select 'not a complete build: the record of the last one stays'
    {%- endif -%}
{%- endmacro %}
