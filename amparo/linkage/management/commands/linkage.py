"""`amparo linkage match-files LEFT RIGHT --out pairs.csv` and `amparo linkage dedupe-file FILE
--out pairs.csv`: the matching engine on CSV files, with no database. Output:
left_id,right_id,match_probability for every pair at or above the threshold: by default the
lowest probability at which the pairs are, by the run's own estimate, `--precision` true (0.95);
`--threshold` sets one instead."""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.core.sheets import SafeCsvWriter
from amparo.linkage import splink_adapter as splink
from amparo.linkage.engine import PRECISION, Engine
from amparo.linkage.records import BadInput, records_iter


def _probability(text: str | None, option: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1
    if not 0 <= value <= 1:
        raise CommandError(_("%(option)s is a probability between 0 and 1, such as 0.9.")
                           % {"option": option})
    return value


class Command(BaseCommand):
    help = ("Find the same person in two CSV files (match-files) or within one (dedupe-file); "
            "writes left_id,right_id,match_probability.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        match = actions.add_parser("match-files", help="pairs between two files")
        match.add_argument("left")
        match.add_argument("right")
        dedupe = actions.add_parser("dedupe-file", help="pairs within one file")
        dedupe.add_argument("file")
        for action in (match, dedupe):
            action.add_argument("--out", required=True, help="where to write the pairs (CSV)")
            action.add_argument("--threshold", default=None,
                                help="lowest match probability written (default: the one "
                                     "that gives --precision)")
            action.add_argument("--precision", default=str(PRECISION),
                                help="the share of true pairs wanted among those written, "
                                     "by the run's own estimate (default %(default)s)")
            action.add_argument("--memory", default=None,
                                help="DuckDB's memory limit, beyond which it spills to disk "
                                     "(default AMPARO_LINKAGE_MEMORY), e.g. 3GB")
            action.add_argument("--engine", default=None, choices=["duckdb", "spark"],
                                help="where the pairs are compared (default "
                                     "AMPARO_LINKAGE_ENGINE: duckdb)")
            action.add_argument("--summary", default=None,
                                help="also write the run's figures as JSON here: the prior, "
                                     "the operating point, the threshold used")
            action.add_argument("--threads", type=int, default=None,
                                help="DuckDB threads (default: every core)")

    def handle(self, *args, action, out, threshold, precision, threads, memory, summary,
               engine, **options):
        with translation.override("es"):
            threshold = _probability(threshold, "--threshold")
            precision = _probability(precision, "--precision")
            start = time.monotonic()
            try:
                if action == "match-files":
                    engine = Engine(records_iter(options["left"]), records_iter(options["right"]),
                                    threads=threads, memory=memory, backend=engine)
                else:
                    engine = Engine(records_iter(options["file"]), threads=threads, memory=memory,
                                    backend=engine)
            except BadInput as error:
                raise CommandError(str(error)) from None
            except ValueError as error:  # a memory size DuckDB would not read
                raise CommandError(_("--memory is a size such as 3GB or 512MB.")) from error
            try:
                # opened apart from the `with` below: only a failure to open is this message
                handle = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as error:
                raise CommandError(_("Cannot write %(path)s (%(error)s).")
                                   % {"path": out, "error": error.strerror}) from None
            point = engine.operating_point(precision)
            if threshold is None:
                threshold = point.threshold
                sys.stderr.write(_(
                    "Threshold %(threshold)s for a precision of %(precision)s: about "
                    "%(expected).0f true pairs expected among %(pairs)s, of %(total).0f in "
                    "all.\n") % {"threshold": threshold, "precision": precision,
                                 "expected": point.expected, "pairs": point.pairs,
                                 "total": point.total})
            count = 0
            with handle:
                writer = SafeCsvWriter(handle)
                writer.writerow(["left_id", "right_id", "match_probability"])
                for pair in engine.pairs(threshold):
                    writer.writerow([pair.left_id, pair.right_id, f"{pair.probability:.6f}"])
                    count += 1
            if summary:
                with open(summary, "w", encoding="utf-8") as handle:
                    json.dump({"threshold": threshold, "pairs": count,
                               "prior": splink.prior(engine.linker),
                               "comparisons": engine.comparisons_count(),
                               "operating_point": point.as_dict()}, handle, indent=1)
            sys.stderr.write(_("%(count)s pairs at or above %(threshold)s written to %(out)s in "
                               "%(seconds).1f s.\n") % {"count": count, "threshold": threshold,
                                                        "out": out,
                                                        "seconds": time.monotonic() - start})
