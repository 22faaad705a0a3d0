"""``chengguan-data``: check, account for and describe the tables in ``data/``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from chengguan import paths, sources
from chengguan.curation import datapackage
from chengguan.curation.coverage import coverage
from chengguan.curation.validate import validate
from chengguan.tables import schema
from chengguan.tables.io import TableReadError, read_csv


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
        description="List how many numerals of the source, Arabic and Chinese, are covered by "
        "an observation or excluded, and every uncovered one with its raw line and context.")
    command.add_argument("source_id", nargs="?", default=None,
                         help=f"the source (default: {sources.PRIMARY_SOURCE_ID})")
    command.add_argument("--source", metavar="ID", dest="source_option",
                         help="the source (same as the positional argument)")
    command.add_argument("--all", action="store_true", help="every source of sources.csv")
    command.set_defaults(command=_coverage)

    command = commands.add_parser(
        "add-source", help="store a new source document in raw/ and add its sources.csv row",
        description="Copy FILE byte for byte to raw/NNN_<sha256 prefix><suffix>, append its "
        "row (with the SHA-256) to sources.csv and regenerate datapackage.json. The text must "
        "be UTF-8. Nothing is written when the row would not validate. Next: `coverage "
        "--source ID`, then `draft --source ID --year YEAR`.")
    command.add_argument("file", metavar="FILE", help="the document, as UTF-8 text")
    command.add_argument("--id", required=True, dest="new_id",
                         help="source_id, snake_case ASCII (e.g. cgzf_2023_summary)")
    command.add_argument("--title", required=True, help="title of the document, verbatim")
    command.add_argument("--title-zh", default="",
                         help="when the title is a description or not Chinese: how zh reports "
                              "name the source (give it in both languages)")
    command.add_argument("--title-en", default="", help="the same for English reports")
    command.add_argument("--issued", required=True, help="date of issue, YYYY-MM-DD")
    command.add_argument("--url", required=True, help="public address of the document")
    command.add_argument("--issuer", default="上海市城市管理行政执法局",
                         help="who published it, as it names itself (default: the bureau)")
    command.add_argument("--issuer-zh", default="",
                         help="when the issuer is not named in Chinese: how zh reports name it")
    command.add_argument("--issuer-en", default="",
                         help="when the issuer is not named in English: how en reports name it")
    command.add_argument("--doc-number", default="", help="document number (文号), if any")
    command.add_argument("--scope", default="city", help="scope_id it reports on (default city)")
    command.add_argument("--kind", default="official_report",
                         choices=schema.SOURCES.field("kind").enum,
                         help="kind of document (default official_report)")
    # How far a source can be trusted is the curator's judgement, never a default: the choice
    # and its reason in both languages are required.
    command.add_argument("--reliability", required=True,
                         choices=schema.SOURCES.field("reliability").enum,
                         help="how far the source can be trusted (required: no default)")
    command.add_argument("--reliability-note-zh", required=True,
                         help="why that reliability, in Chinese (required)")
    command.add_argument("--reliability-note-en", required=True,
                         help="why that reliability, in English (required)")
    command.set_defaults(command=_add_source)

    command = commands.add_parser(
        "draft", help="draft table rows for the uncovered numerals of a source",
        description="For every numeral of the source that no row accounts for, draft an "
        "observation of a known indicator when the words before it match a quote already in "
        "the tables (and the unit is the indicator's), an exclusion for dates, years, document "
        "numbers and plan periods, or else a new indicator with its observation. Writes "
        "OUT/indicators.csv, OUT/observations.csv and OUT/exclusions.csv with a review column; "
        "edit them, then `append OUT`.")
    command.add_argument("--source", required=True, metavar="ID", help="the source")
    command.add_argument("--year", required=True, type=int,
                         help="the year its outcomes are for (its plan's targets: the next)")
    command.add_argument("--out", metavar="DIR",
                         help="where to write the draft (default: drafts/<source id>/)")
    command.set_defaults(command=_draft)

    command = commands.add_parser(
        "append", help="append reviewed draft rows to the tables, if they then validate",
        description="Append the rows of DIR/<table>.csv (the table's columns, plus an optional "
        "review column, which is dropped) to the tables. Every rule is checked on the result "
        "first; on any problem nothing is written and the problems name the draft file and "
        "line. Exit 1 then.")
    command.add_argument("draft_dir", metavar="DIR", help="the reviewed draft folder")
    command.set_defaults(command=_append)

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
    chosen = args.source_option or args.source_id or sources.PRIMARY_SOURCE_ID
    ids = list(sources.load_sources(data_dir)) if args.all else [chosen]
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


def _add_source(args: argparse.Namespace, data_dir: Path) -> int:
    from chengguan.curation.intake import IntakeRefused, add_source

    try:
        row = add_source(args.file, source_id=args.new_id, title=args.title,
                         title_zh=args.title_zh, title_en=args.title_en,
                         issuer=args.issuer, issuer_zh=args.issuer_zh, issuer_en=args.issuer_en,
                         issued=args.issued, url=args.url,
                         scope_id=args.scope, kind=args.kind, reliability=args.reliability,
                         reliability_note_zh=args.reliability_note_zh,
                         reliability_note_en=args.reliability_note_en, doc_number=args.doc_number,
                         data_dir=data_dir)
    except IntakeRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print("chengguan-data add-source: nothing was written", file=sys.stderr)
        return 1
    print(f"stored {data_dir.name}/{row['raw_path']} (sha256 {row['sha256']}) as source "
          f"{row['source_id']}; next: chengguan-data coverage --source {row['source_id']}")
    return 0


def _draft(args: argparse.Namespace, data_dir: Path) -> int:
    from chengguan.curation.draft import draft

    try:
        result = draft(args.source, args.year, data_dir)
    except sources.UnknownSourceError as error:
        print(f"chengguan-data draft: {error}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else data_dir.parent / "drafts" / args.source
    result.write(out)
    counts = result.counts()
    print(f"wrote {out}: {counts['observations']} observations "
          f"({len(result.matched())} of known indicators), {counts['indicators']} new "
          f"indicators, {counts['exclusions']} exclusions; review them (column review), then: "
          f"chengguan-data append {out}")
    return 0


def _append(args: argparse.Namespace, data_dir: Path) -> int:
    from chengguan.curation.intake import IntakeRefused, append_rows, read_draft

    try:
        appended = append_rows(read_draft(args.draft_dir), data_dir)
    except (IntakeRefused, TableReadError) as refused:
        for problem in getattr(refused, "problems", [refused]):
            print(problem, file=sys.stderr)
        print("chengguan-data append: nothing was written", file=sys.stderr)
        return 1
    added = ", ".join(f"{n} {name}" for name, n in appended.counts.items()) or "no rows"
    print(f"appended {added}; the tables validate. Next: chengguan-data coverage --source ID, "
          f"then rebuild the reports (make reports)")
    return 0


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from chengguan.curation.export import ExportRefused, export

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
