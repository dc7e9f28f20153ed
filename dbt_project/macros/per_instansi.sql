{#
  Per-agency rebuilds. A person's rows in the staging, intermediate and person-level models come from one agency
  only (the one they are current pegawai of), so a model can be rebuilt agency by agency: the agencies in
  stg_instansi_terdampak (their current files changed, or people moved into or out of them since the last
  complete build) are deleted and selected again, the rest of the table stays as it was.
  stg_pegawai_per_instansi, whose rows are each agency's own file, goes by the changed files alone
  (stg_berkas_berubah): it comes before stg_pegawai, from which the people who moved are known, and so does
  stg_pegawai, rebuilt person by person (strategy per_pegawai). Models opt in with
  `materialized=per_instansi_materialized(), incremental_strategy='per_instansi'`, filter their input with
  instansi_terdampak(), and are listed in
  per_instansi_models() (macros/status_bangun.sql), which the record of the last complete build depends on.
  A model whose rows depend on tanggal_acuan or on configurable vars sets meta `ikut_acuan`: a new tanggal_acuan
  or a var with another value than at the last complete build (sidik_var()) rebuilds all of it, while staging
  (typed copies of the current files, no var allowed) stays per agency. `dbt build --full-refresh` rebuilds
  everything; the pipeline passes it when the dbt project changed (assets/dbt.py).
#}

{#
  How a per-agency model is materialised: incremental with the strategies below on DuckDB. Other engines
  (Spark, docs/spark-engine.md) rebuild the table whole: their incremental materialisations accept only their own
  strategies, and on a cluster a whole rebuild is the simpler exact one.
#}
{% macro per_instansi_materialized() -%}
    {{ return(adapter.dispatch('per_instansi_materialized', 'proasn')()) }}
{%- endmacro %}

{% macro default__per_instansi_materialized() -%}{{ return('table') }}{%- endmacro %}

{% macro duckdb__per_instansi_materialized() -%}{{ return('incremental') }}{%- endmacro %}

{#
  A SQL condition on `column` (a kode_instansi): true for the rows this run rebuilds in the calling model.
  `dari`: the model saying which agencies, stg_instansi_terdampak, or stg_berkas_berubah for the model that comes
  before stg_pegawai (stg_pegawai_per_instansi), which also names it in meta `terdampak_dari` for the strategy.
#}
{% macro instansi_terdampak(column, dari='stg_instansi_terdampak') -%}
    {%- set terdampak = ref(dari) -%}
    {%- if not is_incremental() -%}
        true
    {%- elif execute -%}
        {%- if dari != terdampak_dari(config.get('meta', {})) -%}
            {{ exceptions.raise_compiler_error(this.identifier ~ ': set meta terdampak_dari to ' ~ dari) }}
        {%- endif -%}
        {{ kondisi_terdampak(column, terdampak, config.get('meta', {}).get('ikut_acuan', false)) }}
    {%- endif -%}
{%- endmacro %}

{# An import CTE's body: the rows of `relation` that this run rebuilds (instansi_terdampak on `column`). #}
{% macro select_terdampak(relation, column='kode_instansi') -%}
    select * from {{ relation }} where {{ instansi_terdampak(column) }}
{%- endmacro %}

{# The model saying which agencies a model with this `meta` rebuilds: terdampak_dari, else stg_instansi_terdampak. #}
{% macro terdampak_dari(meta) -%}
    {{ return(meta.get('terdampak_dari', 'stg_instansi_terdampak')) }}
{%- endmacro %}

{#
  The condition itself, read from `terdampak` (stg_instansi_terdampak): true when a row without an agency
  applies (BANGUN_PENUH; also TANGGAL_ACUAN_BERUBAH and VAR_BERUBAH when `ikut_acuan`), else the listed agencies.
  They are written out as constants, which DuckDB applies while scanning (a subquery was 4.0 s instead of 0.5 s
  for stg_riwayat_golongan's rows of one big agency at national scale).
#}
{% macro kondisi_terdampak(column, terdampak, ikut_acuan) -%}
    {%- set alasan_semua = ['BANGUN_PENUH'] + (['TANGGAL_ACUAN_BERUBAH', 'VAR_BERUBAH'] if ikut_acuan else []) -%}
    {%- set semua = [] -%}
    {%- set kode = [] -%}
    {%- for row in run_query('select kode_instansi, alasan from ' ~ terdampak).rows -%}
        {%- if row[0] is none and row[1] in alasan_semua -%}
            {%- do semua.append(row[1]) -%}
        {%- elif row[0] is not none -%}
            {%- do kode.append("'" ~ row[0] | replace("'", "''") ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if semua -%}
        true
    {%- elif kode -%}
        {{ column }} in ({{ kode | unique | sort | join(', ') }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#
  The value of every var the project's models read (tanggal_acuan, passed on its own, the pipeline's
  sidik_proyek and the pair of kept dates compared, read by no per-agency model, aside), as JSON: kept by status_bangun_berkas, compared by stg_instansi_terdampak. The graph holds
  models' code, not macros': the vars read inside macros are listed here by hand.
#}
{% macro sidik_var() -%}
    {%- set names = ['k_anonimitas'] -%}  {#- macros/suppression.sql #}
    {%- for node in (graph.nodes.values() if execute else [])
            if node.resource_type == 'model' and node.package_name == project_name -%}
        {%- do names.extend(modules.re.findall("var\\(\\s*['\"](\\w+)['\"]", node.raw_code)) -%}
    {%- endfor -%}
    {%- set values = {} -%}
    {%- for name in names | unique | sort if name not in ('tanggal_acuan', 'sidik_proyek', 'pergerakan_awal', 'pergerakan_akhir') -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {{ return(tojson(values, sort_keys=true)) }}
{%- endmacro %}

{# The incremental strategy: delete the affected agencies' rows, insert their rebuilt rows, in one transaction. #}
{% macro get_incremental_per_instansi_sql(arg_dict) -%}
    {{ ganti_baris(arg_dict, instansi_terdampak('kode_instansi', terdampak_dari(config.get('meta', {})))) }}
{%- endmacro %}

{#
  stg_pegawai's strategy: one row per person, kept in one of the agencies listing them, so a person can move
  between a rebuilt agency and one that is not. The model selects again every person listed by a rebuilt
  agency now or kept in one before; their rows go, wherever they were kept, with the rebuilt agencies' rows.
#}
{% macro get_incremental_per_pegawai_sql(arg_dict) -%}
    {%- set terdampak = instansi_terdampak('kode_instansi', terdampak_dari(config.get('meta', {}))) -%}
    {{ ganti_baris(arg_dict, '(' ~ terdampak ~ ') or nip in (select nip from ' ~ arg_dict['temp_relation'] ~ ')') }}
{%- endmacro %}

{# Delete the target's rows where `kondisi`, insert the rows the model selected (dbt runs both in one transaction). #}
{% macro ganti_baris(arg_dict, kondisi) -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ kondisi }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#
  The generic tests of a per-agency model check the rows this run rebuilt (dbt's `where` test config, applied to
  every such test): the other agencies' rows were checked when they were built and have not changed since. A
  person's rows are all in their one current agency (stg_pegawai is unique on nip), so a key with nip stays
  unique across agencies; stg_pegawai's tests read the whole table, since that is what they check. A failed
  test stops the build before status_bangun_*, so the next run tests the same agencies again.
#}
{% macro duckdb__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set conditions = [where] if where else [] -%}
    {%- if execute and relation.identifier in per_instansi_models() + per_instansi_views() -%}
        {#- a test cannot ref() the model; every "all agencies" reason counts, as for the widest model -#}
        {%- set model = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
            | selectattr('name', 'equalto', relation.identifier) | first -%}
        {%- if model.config.get('incremental_strategy') != 'per_pegawai' -%}
            {%- set terdampak = api.Relation.create(database=relation.database, schema='staging',
                identifier=terdampak_dari(model.config.meta)) -%}
            {%- do conditions.append(kondisi_terdampak('kode_instansi', terdampak, true)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where (' ~ conditions | join(') and (') ~ ')) dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
