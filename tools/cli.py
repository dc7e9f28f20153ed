"""`proasn`: the command line (README.md: Commands)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from pipelines.settings import parse_date


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text, "the date")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _add_verbosity(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="store_const", const=2, dest="verbosity",
                       help="every log line on the console too (Dagster's events, dbt's output)")  # fmt: skip
    group.add_argument("-q", "--quiet", action="store_const", const=0, dest="verbosity",
                       help="only what needs action, failures and the outcome")  # fmt: skip
    parser.set_defaults(verbosity=1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="proasn",
        description="ProASN warehouse: agency extracts -> national talent map and merit readiness.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        help="the ProASN home (before PROASN_HOME, proasn.toml and the project's data/; README: Settings)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = sub.add_parser("generate", help="write synthetic agency submissions (contract v1)")
    gen.add_argument("--out", required=True, type=Path, help="landing folder to write into")
    gen.add_argument("--scale", type=float, default=0.001, help="1.0 = the nation (about 5.6M people)")
    gen.add_argument("--seed", type=int, default=1, help="the same seed gives the same bytes")
    gen.add_argument("--format", choices=("csv", "xlsx", "mixed"), default="csv", dest="file_format")
    gen.add_argument("--defect-rate", type=float, default=0.01, help="share of defective rows; 0 = clean")
    gen.add_argument(
        "--anchor",
        type=_date_arg,
        help="newest possible tanggal_ekstrak, YYYY-MM-DD (default: today, so the demo data is fresh; "
        "the same seed and anchor give the same bytes)",
    )
    _add_verbosity(gen)

    chk = sub.add_parser("check", help="validate a submission folder or landing tree; loads nothing")
    chk.add_argument("path", type=Path)
    chk.add_argument("--json", action="store_true", help="machine-readable report")

    ref = sub.add_parser("refresh", help="one full pipeline run: ingest, dbt, checks, publish")
    ref.add_argument("--tanggal-acuan", type=_date_arg, help="reference date (default: today)")
    ref.add_argument(
        "--no-packs",
        action="store_true",
        help="publish without writing the agency packs; the Dagster job paket_instansi writes them (README)",
    )
    _add_verbosity(ref)

    sql = sub.add_parser(
        "sql", help="query the published aggregates (or with --mikro the microdata) read-only"
    )
    sql.add_argument("query", nargs="?", help="SQL; omit for an interactive prompt")
    sql.add_argument("--csv", action="store_true", help="CSV output instead of a table")
    sql.add_argument(
        "--mikro",
        action="store_true",
        help="open the pseudonymous person-level file (owner and PROASN_ANALYST_GROUP only) instead",
    )

    sub.add_parser("ui", help="start the Dagster web UI and daemon on 127.0.0.1:3000")
    sub.add_parser("status", help="last runs, current submissions per agency, ledger totals")

    prof = sub.add_parser(
        "profil", help="one civil servant's career profile (restricted: reads the working warehouse)"
    )
    prof.add_argument("nip", help="the 18-digit NIP (spaces, dots and hyphens allowed)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.home is not None:
        from pipelines.settings import use_home_flag

        use_home_flag(args.home)
    # Imports stay inside the commands: `proasn --help` must not pay for loading Dagster and dbt.
    if args.command == "generate":
        from tools.generate import generate

        try:
            generate(args.out, scale=args.scale, seed=args.seed, file_format=args.file_format,
                     defect_rate=args.defect_rate, anchor=args.anchor or dt.date.today(),
                     quiet=args.verbosity == 0, progress=args.verbosity == 1)  # fmt: skip
        except ValueError as e:
            build_parser().error(str(e))  # exit 2, like every usage error
        return 0
    if args.command == "check":
        from tools.commands import check

        return check(args.path, as_json=args.json)
    if args.command == "refresh":
        from tools.commands import refresh

        return refresh(args.tanggal_acuan, verbosity=args.verbosity, packs=not args.no_packs)
    if args.command == "sql":
        from tools.commands import sql

        return sql(args.query, as_csv=args.csv, mikro=args.mikro)
    if args.command == "ui":
        from tools.commands import ui

        return ui()
    if args.command == "status":
        from tools.commands import status

        return status()
    if args.command == "profil":
        from pipelines.profil import profil

        return profil(args.nip)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
