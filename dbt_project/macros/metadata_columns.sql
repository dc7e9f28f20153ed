{#- The ingest's metadata on every raw row (pipelines/contract.py META_COLUMNS), renamed the way every staging
    model carries it: where the row came from, for lineage back to the agency's file and line. -#}
{% macro metadata_columns() -%}
    _kode_instansi as kode_instansi,
    _tanggal_ekstrak as tanggal_ekstrak,
    _file_path as file_path,
    _line as line
{%- endmacro %}
