"""``chengguan-build``: build the reports of reports.toml into outputs/.

Exit codes: 0 all good; 1 some run failed (its last good report is kept); 2 refused (bad manifest,
parameters or data tables, another build running, outputs/ unwritable or disk full); 130, 143, 129
stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP (128 + the signal's number).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from chengguan.params import ParameterError
from reportbuild.build import EXIT_OK, EXIT_REFUSED, BuildOptions, build, exit_code
from reportbuild.layout import Layout
from reportbuild.manifest import ManifestError, load_manifest


def seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type): 0 or less would mean no timeout."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="chengguan-build",
        description="Execute the report notebooks of reports.toml (only those whose inputs changed) "
                    "and render them to self-contained HTML in outputs/, with a site (outputs/index.html).",
    )
    p.add_argument("runs", nargs="*", metavar="RUN",
                   help="run names or globs (e.g. 'garbage_sorting-*'), or notebook names; default: all")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: the number of CPUs, %(default)s)")
    p.add_argument("-f", "--force", action="store_true", help="execute the selected runs even if up to date")
    p.add_argument("-n", "--dry-run", action="store_true", help="say what would run and why; change nothing")
    p.add_argument("-l", "--list", action="store_true", help="list the runs with their parameters")
    p.add_argument("--timeout", type=seconds, metavar="SECONDS",
                   help="per-cell timeout in seconds, fractions allowed (default: from the manifest)")
    code = p.add_mutually_exclusive_group()
    code.add_argument("--show-code", dest="show_code", action="store_true", default=None,
                      help="show code cells in the HTML")
    code.add_argument("--hide-code", dest="show_code", action="store_false",
                      help="collapse code cells in the HTML (the report default)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run each notebook on the Dask cluster at ADDRESS (e.g. tcp://10.0.0.5:8786) instead "
                        "of local workers; needs the [dask] extra (see README)")
    p.add_argument("--root", type=Path, help="project root (default: the nearest folder holding reports.toml, "
                                             "from the working directory up)")
    p.add_argument("--manifest", type=Path, help="manifest file (default: ROOT/reports.toml)")
    p.add_argument("--outputs", type=Path, help="outputs folder (default: ROOT/outputs)")
    return p


def list_runs(layout: Layout, patterns: Sequence[str], out: TextIO) -> int:
    """Print each selected run: name, notebook, title and resolved parameters."""
    manifest = load_manifest(layout.manifest, layout.root)
    status = EXIT_OK
    for run in manifest.select(patterns):
        out.write(f"{run.name}  ({layout.relative(run.notebook_path)})\n    {run.title}\n")
        try:
            values = run.resolved()
        except ParameterError as err:
            out.write("    " + str(err).replace("\n", "\n    ") + "\n")
            status = EXIT_REFUSED
            continue
        shown = ", ".join(f"{k} = {v!r}" for k, v in values.items()) or "no parameters"
        out.write(f"    {shown}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.jobs < 1:
        parser().error("--jobs must be at least 1")
    try:
        layout = Layout.create(root=args.root, manifest=args.manifest, outputs=args.outputs)
    except FileNotFoundError as err:  # no reports.toml here or above, and no --root
        sys.stderr.write(f"chengguan-build: {err}\n")
        return EXIT_REFUSED
    if args.list:
        try:
            return list_runs(layout, args.runs, sys.stdout)
        except ManifestError as err:
            sys.stderr.write(f"chengguan-build: {err}\n")
            return EXIT_REFUSED
        except BrokenPipeError:  # `chengguan-build --list | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
    options = BuildOptions(patterns=args.runs, jobs=args.jobs, force=args.force, dry_run=args.dry_run,
                           timeout=args.timeout, show_code=args.show_code, scheduler=args.scheduler)
    try:
        return build(layout, options)
    except BrokenPipeError:  # `chengguan-build --dry-run | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt as interrupt:  # before build() took over the signals
        sys.stderr.write("chengguan-build: interrupted\n")
        return exit_code(interrupt)


if __name__ == "__main__":
    sys.exit(main())
