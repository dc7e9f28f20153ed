"""The landing tree: every file under <landing>/<kode_instansi>/<tanggal_ekstrak>/ with its folder-level
verdict (contract section 1), found without following a symbolic link and without opening a file.

`discover()` is what the ingest, `proasn check` and the landing sensor walk; hashing is left to the caller.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipelines import contract
from pipelines.contract import ENTITIES

TANGGAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KODE_INSTANSI_RE = re.compile(r"^([0-9]{4}|[KL][0-9]{3})$")


# --- discovering submissions -------------------------------------------------------------------
@dataclass(frozen=True)
class LandingFile:
    """One file under <landing>/<kode_instansi>/<tanggal_ekstrak>/."""

    path: Path
    rel_path: str  # relative to the landing root, forward slashes, printable (display_name)
    kode_instansi: str  # the first folder when it has the form of an agency code, else ""
    tanggal_ekstrak: dt.date | None
    entity: str | None  # None when the name is not an entity of the contract
    file_problem: str | None = None  # a FILE-level reason code that rejects or ignores the file
    size: int = 0
    mtime_ns: int = 0
    is_symlink: bool = False  # a symbolic link: listed, never followed or opened

    @property
    def extension(self) -> str:
        return self.path.suffix.lower()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def symlink_sha256(path: Path) -> str:
    """A symbolic link's fingerprint for the ledger: the hash of where it points (it is never opened)."""
    return hashlib.sha256(b"symlink\0" + os.fsencode(os.readlink(path))).hexdigest()


def display_name(name: str) -> str:
    """A file or folder name as printable UTF-8 text: bytes that are not UTF-8 (Python keeps them as
    surrogate escapes) and control or format characters are written as \\xNN / \\uNNNN. Names that need
    it are rejected (NAMA_BERKAS_TIDAK_VALID); this form is what the ledger, logs and reports show."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Cf") else ch
        for ch in text
    )


def _folder_problem(parts: tuple[str, ...], today: dt.date) -> tuple[str | None, dt.date | None]:
    if len(parts) != 3 or not KODE_INSTANSI_RE.match(parts[0]) or not TANGGAL_RE.match(parts[1]):
        return "FOLDER_TIDAK_VALID", None
    try:
        tanggal = dt.date.fromisoformat(parts[1])
    except ValueError:
        return "FOLDER_TIDAK_VALID", None
    if parts[0] not in contract.kode_instansi():
        return "INSTANSI_TIDAK_DIKENAL", tanggal
    if tanggal > today:
        return "TANGGAL_EKSTRAK_MASA_DEPAN", tanggal
    if tanggal < contract.TANGGAL_EKSTRAK_TERAWAL:
        return "TANGGAL_EKSTRAK_TIDAK_WAJAR", tanggal
    return None, tanggal


class OutsideLanding(ValueError):
    """A path given to the ingest that leads out of the landing tree."""


def inside_landing(landing: Path, path: Path) -> Path:
    """`path` spelled from `landing`, when it lies below it once `..` is taken literally and no folder on the
    way is a symbolic link; OutsideLanding otherwise, before anything there is opened or listed. (`path`
    itself may be a link: the ingest lists it as one, TAUTAN_SIMBOLIK, and never follows it.) The walk
    checks its `below` with it, the ingest its `only`."""
    root, target = (
        Path(os.path.normpath(os.path.abspath(landing))),
        Path(os.path.normpath(os.path.abspath(path))),
    )
    if target != root and root not in target.parents:
        raise OutsideLanding(f"{display_name(str(path))} is outside the landing tree {root}: not read")
    for folder in target.parents:
        if folder == root:
            break
        if folder.is_symlink():
            raise OutsideLanding(
                f"{display_name(str(path))} leads through the symbolic link {folder}: not read"
            )
    return landing / target.relative_to(root)


def walk_landing(landing: Path, below: Path | None = None):
    """(path, names relative to the landing root, lstat, is a symbolic link) of every regular file and
    every symbolic link below the landing root (or only below the folder `below`, or in the folder of the
    file `below`). Links are never followed: a link to a file or a folder (inside or outside the tree,
    dangling, or a loop) is listed as itself and never opened. Folders are walked into; FIFOs, sockets
    and devices are skipped (opening one could block), and so is whatever vanishes or cannot be listed
    during the walk."""
    start = landing
    if below is not None:
        below = inside_landing(landing, below)
        start = below if below.is_dir() and not below.is_symlink() else below.parent
    stack = [(start, start.relative_to(landing).parts)]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            names = (*parts, entry.name)
            try:
                if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                    yield Path(entry.path), names, entry.stat(follow_symlinks=False), entry.is_symlink()
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), names))
            except OSError:
                continue


def discover(landing: Path, today: dt.date | None = None, below: Path | None = None) -> list[LandingFile]:
    """Every file below the landing root (or walk_landing's `below`) with its folder-level verdict, in a
    stable order.

    Only lstat() per file: hashing is left to the caller, which can skip files it has seen. A symbolic
    link is rejected (TAUTAN_SIMBOLIK) and a name that is not printable UTF-8 (NAMA_BERKAS_TIDAK_VALID),
    before anything else is judged.
    """
    today = today or dt.date.today()
    found = []
    for path, names, stat, is_link in sorted(walk_landing(landing, below), key=lambda item: item[1]):
        shown = tuple(display_name(n) for n in names)
        problem, tanggal = _folder_problem(shown, today)
        stem = Path(shown[-1]).stem.strip().lower()
        entity = stem if stem in ENTITIES else None
        if is_link:
            problem = "TAUTAN_SIMBOLIK"
        elif shown != names:
            problem = "NAMA_BERKAS_TIDAK_VALID"
        elif problem is None and entity is None:
            problem = "ENTITAS_TIDAK_DIKENAL"
        elif problem is None and path.suffix.lower() not in contract.FILE_EXTENSIONS:
            problem = "FORMAT_BERKAS_TIDAK_DIDUKUNG"
        # Only a folder name of the form of an agency code names an agency ("3373 " or "..3373" do not).
        kode = shown[0] if len(shown) > 1 and KODE_INSTANSI_RE.match(shown[0]) else ""
        found.append(
            LandingFile(
                path, "/".join(shown), kode, tanggal, entity, problem, stat.st_size, stat.st_mtime_ns, is_link
            )  # fmt: skip
        )
    # One file per entity per submission: pegawai.csv next to pegawai.xlsx is ambiguous, both are rejected.
    per_entity = defaultdict(list)
    for i, f in enumerate(found):
        if f.file_problem is None:
            per_entity[(f.path.parent, f.entity)].append(i)
    for indexes in per_entity.values():
        if len(indexes) > 1:
            for i in indexes:
                found[i] = dataclasses.replace(found[i], file_problem="ENTITAS_GANDA")
    return found
