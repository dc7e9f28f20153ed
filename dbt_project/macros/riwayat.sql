{#
  The talent history (R15, docs/domain-rules.md): riwayat_talenta_asn keeps every refresh's people per
  tanggal_acuan. It is the one table that cannot be built again from the landing tree, so it is incremental with
  full_refresh false (`dbt build --full-refresh`, which the pipeline runs when the project changes, leaves it) and
  this strategy: a refresh deletes the rows of its own tanggal_acuan and inserts them again (a refresh for a date
  already kept replaces it, R0 makes that exact), and leaves every other date as it was.
#}
{% macro get_incremental_per_tanggal_acuan_sql(arg_dict) -%}
    {{ ganti_baris(arg_dict, 'tanggal_acuan = ' ~ tanggal_acuan()) }}
{%- endmacro %}

{# The history's incremental configuration: the strategy above on DuckDB; on Spark (docs/spark-engine.md) the
   table partitioned by tanggal_acuan, whose partition a refresh overwrites (dbt-spark's insert_overwrite). #}
{% macro riwayat_inkremental() -%}
    {{ return(adapter.dispatch('riwayat_inkremental', 'proasn')()) }}
{%- endmacro %}

{% macro default__riwayat_inkremental() -%}
    {{ return({'incremental_strategy': 'per_tanggal_acuan'}) }}
{%- endmacro %}

{% macro spark__riwayat_inkremental() -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['tanggal_acuan']}) }}
{%- endmacro %}

{#
  The pair of kept dates that mart_pergerakan_talenta and mart_mutasi compare, as a one-row relation (awal,
  akhir): akhir is var pergerakan_akhir, else tanggal_acuan; awal is var pergerakan_awal, else the latest kept
  date before akhir (NULL when there is none: the marts are then empty). A named date that is not kept fails the
  build with a message, rather than publishing an empty comparison. `riwayat`: the history relation.
#}
{% macro pasangan_pergerakan(riwayat) -%}
    {%- set akhir = var('pergerakan_akhir', none) -%}
    {%- set awal = var('pergerakan_awal', none) -%}
    select
        {% if awal %}cast('{{ awal }}' as date){% else %}(
            select max(riwayat.tanggal_acuan) from {{ riwayat }} as riwayat
            where riwayat.tanggal_acuan < {% if akhir %}cast('{{ akhir }}' as date){% else %}{{ tanggal_acuan() }}{% endif %}
        ){% endif %} as awal,
        {% if akhir %}cast('{{ akhir }}' as date){% else %}{{ tanggal_acuan() }}{% endif %} as akhir
{%- endmacro %}

{# Fails the build when a date of the named pair (vars pergerakan_awal, pergerakan_akhir) is not kept. #}
{% macro periksa_pasangan(pasangan, riwayat) -%}
    select
        case
            when pasangan.awal >= pasangan.akhir
                then {{ sql_error("'pergerakan_awal harus sebelum pergerakan_akhir'") }}
            {%- for ujung in ['awal', 'akhir'] if var('pergerakan_' ~ ujung, none) %}
            when not exists (select 1 from {{ riwayat }} as r where r.tanggal_acuan = pasangan.{{ ujung }})
                then {{ sql_error("'pergerakan_" ~ ujung ~ " ' || pasangan." ~ ujung
                    ~ " || ' bukan tanggal_acuan yang tersimpan di riwayat_talenta_asn'") }}
            {%- endfor %}
        end as galat
    from {{ pasangan }} as pasangan
{%- endmacro %}
