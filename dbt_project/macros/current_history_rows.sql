{#
  The raw rows of a history entity that count today: those of each agency's current file of that entity
  (full-snapshot rule, stg_berkas_terkini) whose person is a current pegawai of that same agency
  (stg_pegawai, after transfers are resolved). One definition for every stg_<history entity> model; in a
  per-agency rebuild, only the affected agencies' rows (macros/per_instansi.sql).
#}
{% macro current_history_rows(entity) -%}
    select raw_rows.*
    from {{ source('raw', entity) }} as raw_rows
    inner join {{ ref('stg_berkas_terkini') }} as berkas_terkini
        on raw_rows._file_sha256 = berkas_terkini.file_sha256
        and raw_rows._kode_instansi = berkas_terkini.kode_instansi
        and berkas_terkini.entity = '{{ entity }}'
    inner join {{ ref('stg_pegawai') }} as pegawai
        on raw_rows.nip = pegawai.nip
        and raw_rows._kode_instansi = pegawai.kode_instansi
    where {{ instansi_terdampak('raw_rows._kode_instansi') }}
{%- endmacro %}
