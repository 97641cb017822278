"""Command-line pieces for selecting documents, weighting, stories and comparing groups:
the options every counting command shares, and the `compare` command.

Kept apart from `analysis.cli` so that a command gains them with one call each.
"""

from __future__ import annotations

import argparse
import sys

from analysis.corpus.stories import DEFAULT_THRESHOLD, check_threshold
from analysis.corpus.subset import Selection
from analysis.stats import cooccurrence
from analysis.stats.compare import BY, compare
from analysis.stats.cooccurrence import Cooccurrence
from analysis.stats.weighting import WEIGHTINGS
from analysis.workflow import AnnotatedCorpus, CachedCorpus


def _threshold(text: str) -> float:
    try:
        return check_threshold(float(text), "--story-threshold")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """--start --end --languages --sources --source-groups (analysis.corpus.subset)."""
    parser.add_argument("--start", help="first date counted (YYYY-MM-DD); undated documents are then left out")
    parser.add_argument("--end", help="last date counted (YYYY-MM-DD)")
    parser.add_argument("--languages", nargs="+", metavar="CODE", help="only documents in these languages (en ru)")
    parser.add_argument("--sources", nargs="+", metavar="OUTLET", help="only these outlets or source labels")
    parser.add_argument("--source-groups", nargs="+", metavar="GROUP",
                        help="only these outlet groups (lexicons/outlets.yaml), e.g. 'Russian state media'")


def add_design_options(parser: argparse.ArgumentParser, weighting: str = "none") -> None:
    """--weighting, --outlets and --story-threshold (analysis.stats.weighting, corpus.outlets, corpus.stories)."""
    parser.add_argument("--weighting", default=weighting, choices=WEIGHTINGS,
                        help="fractional: a unit naming k actors adds 1/(k-1) to each of its pairs "
                             f"(default: {weighting})")
    parser.add_argument("--outlets", nargs="+", default=[], metavar="YAML",
                        help="your outlet table(s), extending analysis/lexicons/outlets.yaml")
    parser.add_argument("--story-threshold", type=_threshold, default=DEFAULT_THRESHOLD,
                        help=f"similarity at which two documents are copies of one story "
                             f"(default: {DEFAULT_THRESHOLD})")


def selection(args: argparse.Namespace) -> Selection:
    return Selection(args.start, args.end, args.languages, args.sources, args.source_groups)


def needs_tables(args: argparse.Namespace) -> bool:
    """Whether the counts need the tables in memory (weights per unit, a selection of documents)
    rather than the cache's parts counted one at a time."""
    return args.weighting != "none" or selection(args).active


def load_selected(corpus: CachedCorpus, args: argparse.Namespace) -> AnnotatedCorpus:
    """The corpus's tables with outlets and stories, restricted to the selection; what the
    selection left out goes to stderr."""
    loaded = corpus.load(args.outlets, args.story_threshold)
    chosen = selection(args)
    if chosen.active:
        loaded = loaded.subset(chosen.start, chosen.end, chosen.languages, chosen.sources, chosen.source_groups)
    for note in loaded.selection_notes:
        print(note, file=sys.stderr)
    return loaded


def add_compare_command(commands, corpus_options, selected) -> None:
    """`compare CORPUS --by language|source_group|outlet|period --pairs ...`."""
    parser = commands.add_parser("compare", help="each pair measured per group of documents, with the "
                                                 "difference from the other groups and its interval")
    corpus_options(parser)
    parser.add_argument("--by", default="source_group", choices=BY)
    parser.add_argument("--freq", default="quarter", choices=cooccurrence.FREQS, help="periods for --by period")
    parser.add_argument("--reference", help="compare every group with this one (default: with all others pooled)")
    parser.add_argument("--groups", nargs="+", help="only these groups (default: every group found)")
    parser.add_argument("--pairs", default="actor-actor", choices=cooccurrence.PAIRS)
    parser.add_argument("--unit", default="sentence", help=" | ".join(cooccurrence.UNITS))
    parser.add_argument("--measure", default="npmi", choices=cooccurrence.MEASURES)
    parser.add_argument("--level", default="actor", choices=cooccurrence.LEVELS)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--top", type=int, default=50, help="pairs compared, the first of the corpus-wide ranking")
    parser.add_argument("--ci", type=float, default=0.95, metavar="LEVEL")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="B")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-titles", action="store_true")
    parser.add_argument("--no-roles", action="store_true")
    parser.add_argument("--out", help="write the table as CSV")
    add_selection_options(parser)
    add_design_options(parser, weighting="fractional")
    parser.set_defaults(run=lambda args: command_compare(args, selected))


def command_compare(args: argparse.Namespace, selected) -> int:
    from analysis.cli import _annotate, _print_problems, _print_table

    corpus = _annotate(args)
    _print_problems(corpus.problems)
    loaded = load_selected(corpus, args)
    mentions, sentences = next(selected(args, [(loaded.mentions, loaded.sentences)]))
    model = Cooccurrence.build(mentions, sentences, args.unit, args.level, weighting=args.weighting,
                               documents=loaded.documents)
    result = compare(model, loaded.documents, args.by, args.pairs, measure=args.measure, reference=args.reference,
                     groups=args.groups, freq=args.freq, min_count=args.min_count, top=args.top, ci=args.ci,
                     bootstrap=args.bootstrap, seed=args.seed)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.out:
        result.table.to_csv(args.out, index=False)
        print(f"wrote {len(result.table)} rows to {args.out}", file=sys.stderr)
    else:
        _print_table(result.table)
    return 0
