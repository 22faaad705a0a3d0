"""``chengguan-data``: check, account for and describe the tables in ``data/``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from chengguan import paths, sources
from chengguan.tables import datapackage, schema
from chengguan.tables.coverage import coverage
from chengguan.tables.io import read_csv
from chengguan.tables.validate import validate


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir) if args.data_dir else paths.data_dir()
    return args.command(args, data_dir)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chengguan-data",
        description="Validate, account for and describe the indicator tables in data/.")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="the data directory (default: data/ of the project checkout)")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    command = commands.add_parser(
        "validate", help="check every rule on every row; exit 1 on any problem",
        description="Check columns, types, vocabularies, keys, quotes (against their sources "
        "and the quantity parser), periods and breakdowns. Prints every problem as "
        "FILE:LINE: column COLUMN: 'VALUE' MESSAGE [RULE] and exits 1, or a summary when clean.")
    command.set_defaults(command=_validate)

    command = commands.add_parser(
        "coverage", help="account for every numeral of a source; exit 1 if any is uncovered",
        description="List how many numerals of the source are covered by an observation or "
        "excluded, and every uncovered one with its raw line and context.")
    command.add_argument("source_id", nargs="?", default=sources.PRIMARY_SOURCE_ID,
                         help=f"the source (default: {sources.PRIMARY_SOURCE_ID})")
    command.add_argument("--all", action="store_true", help="every source of sources.csv")
    command.set_defaults(command=_coverage)

    command = commands.add_parser(
        "datapackage", help="write data/datapackage.json from the schema",
        description="Generate the Frictionless descriptor from chengguan.tables.schema.")
    command.add_argument("--check", action="store_true",
                         help="do not write; exit 1 if the committed file is out of date")
    command.set_defaults(command=_datapackage)

    command = commands.add_parser(
        "export", help="write every table as CSV, Parquet and Excel, with datapackage.json",
        description="Validate the tables, then write OUTDIR/<table>.csv (UTF-8 with a BOM, for "
        "Excel), OUTDIR/<table>.parquet, OUTDIR/chengguan_tables.xlsx (a README sheet, then a "
        "sheet per table) and OUTDIR/datapackage.json. Exit 2, writing nothing, when the "
        "tables do not validate.")
    command.add_argument("outdir", metavar="OUTDIR", help="the folder to write (created)")
    command.set_defaults(command=_export)

    command = commands.add_parser(
        "summary", help="count indicators, observations, exclusions and recognitions")
    command.set_defaults(command=_summary)
    return parser


def _validate(args: argparse.Namespace, data_dir: Path) -> int:
    problems = validate(data_dir)
    for problem in problems:
        print(problem)
    if problems:
        rules = Counter(p.rule for p in problems)
        print(f"{len(problems)} problems ({', '.join(f'{r}: {n}' for r, n in rules.items())})",
              file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(read_csv(data_dir / t.filename))} {t.name}" for t in schema.TABLES)
    print(f"{data_dir.name}/ is valid: {counts}")
    return 0


def _coverage(args: argparse.Namespace, data_dir: Path) -> int:
    ids = list(sources.load_sources(data_dir)) if args.all else [args.source_id]
    complete = True
    for source_id in ids:
        try:
            report = coverage(source_id, data_dir)
        except sources.UnknownSourceError as error:
            print(f"chengguan-data coverage: {error}", file=sys.stderr)
            return 2
        raw_path = sources.source(source_id, data_dir).raw_path
        print(report.summary())
        for mention in report.uncovered:
            print(f"  {data_dir.name}/{raw_path}:{mention.line}: {mention.context}")
        complete &= report.complete
    return 0 if complete else 1


def _datapackage(args: argparse.Namespace, data_dir: Path) -> int:
    shown = f"{data_dir.name}/{datapackage.FILENAME}"
    if args.check:
        if datapackage.is_current(data_dir):
            print(f"{shown} is up to date")
            return 0
        print(f"{shown} differs from the schema; run `chengguan-data datapackage`",
              file=sys.stderr)
        return 1
    datapackage.write(data_dir)
    print(f"wrote {shown}")
    return 0


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from chengguan.tables.export import ExportRefused, export

    try:
        written = export(args.outdir, data_dir)
    except ExportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print(f"chengguan-data export: {len(refused.problems)} problems in {data_dir.name}/; "
              f"nothing was exported", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {args.outdir}")
    return 0


def _summary(args: argparse.Namespace, data_dir: Path) -> int:
    def rows(name: str) -> list:
        path = data_dir / f"{name}.csv"
        return list(read_csv(path)) if path.is_file() else []

    indicators = rows("indicators")
    print(f"indicators: {len(indicators)} in "
          f"{len({r['domain_id'] for r in indicators})} domains")
    observations = rows("observations")
    print(f"observations: {len(observations)}")
    per_source = Counter((r["source_id"], r["status"]) for r in observations)
    for source_id in dict.fromkeys(r["source_id"] for r in observations):
        print(f"  {source_id}: {per_source[source_id, 'actual']} actual, "
              f"{per_source[source_id, 'target']} target")
    exclusions = rows("exclusions")
    print(f"exclusions: {len(exclusions)}")
    for reason, count in Counter(r["reason"] for r in exclusions).most_common():
        print(f"  {reason}: {count}")
    recognitions = rows("recognitions")
    print(f"recognitions: {len(recognitions)}")
    for kind, count in Counter(r["kind"] for r in recognitions).most_common():
        print(f"  {kind}: {count}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
