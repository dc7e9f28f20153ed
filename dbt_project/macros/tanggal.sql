{# Date arithmetic of the domain rules, on dbt's cross-database macros. #}

{# Full years of age (or of service) from `dari` to `sampai`: the year difference, less one when the
   anniversary has not been reached yet in the year of `sampai`. #}
{% macro usia_tahun(dari, sampai) -%}
    (
        {{ dbt.datediff(dari, sampai, 'year') }}
        - case
            when extract(month from {{ sampai }}) < extract(month from {{ dari }})
                or (extract(month from {{ sampai }}) = extract(month from {{ dari }})
                    and extract(day from {{ sampai }}) < extract(day from {{ dari }}))
            then 1
            else 0
        end
    )
{%- endmacro %}

{# R4: TMT pensiun, the first day of the month after the month in which the person reaches the BUP. #}
{% macro tmt_pensiun(tanggal_lahir, batas_usia_pensiun) -%}
    cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', dbt.dateadd('year', batas_usia_pensiun, tanggal_lahir))) }} as date)
{%- endmacro %}

{# The first day of a window of n `datepart`s up to tanggal_acuan (the window includes it). #}
{% macro awal_jendela(datepart, n) -%}
    cast({{ dbt.dateadd(datepart, -1 * n, tanggal_acuan()) }} as date)
{%- endmacro %}

{# Whether a date lies in the window of n `datepart`s up to tanggal_acuan, both ends included. #}
{% macro dalam_jendela(kolom, datepart, n) -%}
    ({{ kolom }} >= {{ awal_jendela(datepart, n) }} and {{ kolom }} <= {{ tanggal_acuan() }})
{%- endmacro %}

{# Full months from `dari` to `sampai`: the month difference, less one when the day of month is not reached. #}
{% macro bulan_penuh(dari, sampai) -%}
    (
        {{ dbt.datediff(dari, sampai, 'month') }}
        - case when extract(day from {{ sampai }}) < extract(day from {{ dari }}) then 1 else 0 end
    )
{%- endmacro %}
