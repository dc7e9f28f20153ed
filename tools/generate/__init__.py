"""`proasn generate`: synthetic agency submissions following the extract contract (contract v1).

Design, in order of execution:

1. Agencies. Every agency of the `instansi` seed gets a weight: central agencies (K###/L###) from a
   table of approximate real headcounts (Kementerian Agama, Pendidikan Tinggi, Keuangan, Pendidikan Dasar
   dan Menengah, Polri... large) and a heavy-tailed default for the rest, together 24% of the nation;
   provinces and kabupaten/kota from their province's population (to the power 0.7) times a
   heavy-tailed factor, together 76%. Scale 1.0 = 5.6 million people. Sizes are fixed (they do not
   depend on the seed). **Tiny scales**: every agency is kept once the scale gives about 12 people per
   agency (scale >= 0.0014); below that a deterministic subset is kept: the same fraction of each group
   (central, provinces, kabupaten/kota), the largest agencies of each group first, so that every kept
   agency has at least a handful of people (minimum 5); each group keeps its share of the people (24%
   central) whatever the scale. At the default `make run` scale 0.0005 (2,800 people) that is 234
   agencies.
   Ages run up to the BUP of each person's post (R4: 58, 60 or 65, from the jabatan seed), never past it:
   entry age + service stays below BUP - AGE_MARGIN at the agency's last extract, and service is drawn
   towards its maximum, so a realistic share is in the last years before retirement. A career step to a
   post with a higher BUP happens before the BUP of the previous post is reached.
2. Submissions. Each agency submits 1-3 times within the 18 months before the fixed anchor date
   ANCHOR = 2026-10-31 (a constant, not today: the output must be byte-identical across days; it is in
   the past of every real run). The first submission holds all seven entities; a later one is either
   full again or partial (1-3 history entities, same people as the newest full one). People are
   generated as of the agency's last extract date; an earlier submission is a true earlier snapshot
   (spells, ranks, trainings... after its date are cut, the current post is the spell held on that day),
   so no date is ever after its tanggal_ekstrak. A few people leave between full submissions.
3. People are generated for the whole nation at once (vectorised numpy), so NIP sequence numbers are
   unique nationally (rank within equal birth date + TMT + gender); history rows per agency from the
   person arrays; text from the pools of names.py by index. DuckDB formats the numeric arrays
   as text and writes CSV with COPY (fast); XLSX goes through xlsxwriter (slow, meant for small scales).
4. Injections. Per file, about defect_rate of the rows get one DEFECT, as many one accepted VARIANT, and
   half as many (pegawai, skp) one WARNING; each injected row carries exactly one change. Pegawai rows
   with a defect (the row is quarantined) take their person out of that submission's history files, so
   no unintended orphans appear. Transfers (mutasi), whole-file variants (Windows-1252, `;`, BOM, header
   spelling, native Excel dates) and whole-file defects (missing required column, unknown agency folder,
   unknown file) come at a low rate, at least one of each when defect_rate > 0 and there are files to
   carry them. defect_rate = 0 writes canonical data only, with an empty manifest.
5. Manifest (ground truth), next to the landing tree: `<out.parent>/<out.name>-manifest.csv` with columns
   file, line, column, kind, category, expected_reason (see MANIFEST_COLUMNS and KINDS).

The modules, in that order: reference (constants, code lists, seeds, the text pool), arrays (numpy
helpers), agencies (1, 2), people (3), histories (3 and the snapshot of a submission), injections (4 and
the manifest's columns), writers (CSV/XLSX, 4, 5), run (`generate()`); names holds the text pools.
"""

from __future__ import annotations

from tools.generate.agencies import _agencies, _plan
from tools.generate.injections import KINDS, MANIFEST_COLUMNS
from tools.generate.people import _people, nip_sequence
from tools.generate.reference import ANCHOR, ENTITY_NAMES, NATION, R5, _Ref
from tools.generate.run import GenerateSummary, default_manifest_path, generate, planted_path

__all__ = [
    "ANCHOR",
    "ENTITY_NAMES",
    "KINDS",
    "MANIFEST_COLUMNS",
    "NATION",
    "R5",
    "GenerateSummary",
    "default_manifest_path",
    "planted_path",
    "generate",
    "nip_sequence",
    # the people arrays without files (the age model's test)
    "_Ref",
    "_agencies",
    "_people",
    "_plan",
]
