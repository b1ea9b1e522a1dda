"""Command line: python -m reports RESULT_DIR [RESULT_DIR ...] -o OUT_DIR"""

from __future__ import annotations

import argparse
import os
import sys

from reports.errors import ReportError
from reports.model import label_runs, load_run

USAGE_EPILOG = """\
Each RESULT_DIR holds info.json and at least one of accuracy.json and
throughput.json (sweep.log is linked when present). Several RESULT_DIRs
(other CPUs, other --isa caps) add a comparison across runs.

Writes OUT_DIR/index.html (self-contained, figures embedded), its
appendix.html (the per-kernel figures, linked from it) and
OUT_DIR/report.md with its PNGs beside it. Exit status: 0 written,
2 unreadable or malformed input (or unwritable output), one line on stderr:
  reports: error: <file>: <what>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reports", description="Render the gelubench report.",
        epilog=USAGE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("result_dirs", nargs="+", metavar="RESULT_DIR")
    parser.add_argument("-o", "--out", required=True, metavar="OUT_DIR",
                        help="output directory (created if missing)")
    args = parser.parse_args(argv)
    try:
        # Read and check every input before importing matplotlib or writing
        # anything: a bad file fails fast and leaves OUT_DIR untouched.
        runs = [load_run(d) for d in args.result_dirs]
        label_runs(runs)
        from reports.output import APPENDIX, INDEX, MARKDOWN, prepare_out_dir, write_report

        prepare_out_dir(args.out)
        from reports.build import build  # imports matplotlib: only once inputs are good

        doc = build(runs, args.out)
        written = write_report(doc, args.out)
    except ReportError as e:
        print(f"reports: error: {e.where}: {e.what}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reports: interrupted; files already replaced are complete, the rest untouched",
              file=sys.stderr)
        return 130
    for r in runs:
        for w in r.warnings:
            print(f"reports: warning: {r.directory}: {w}", file=sys.stderr)
    pngs = sum(1 for p in written if p.endswith(".png"))
    print(f"reports: wrote {os.path.join(args.out, INDEX)} and "
          f"{os.path.join(args.out, MARKDOWN)} with {pngs} figures "
          f"(the per-kernel ones on {os.path.join(args.out, APPENDIX)})")
    return 0
