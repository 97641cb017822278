"""Command-line pieces for selecting documents, weighting, stories and comparing groups:
the options every counting command shares, and the `compare` command.

Kept apart from `analysis.cli` so that a command gains them with one call each.
"""

from __future__ import annotations

import argparse
import sys

from analysis.corpus.stories import DEFAULT_THRESHOLD
from analysis.corpus.subset import Selection
from analysis.csvfile import write_csv
from analysis.parameters import add_option
from analysis.stats.compare import compare
from analysis.stats.cooccurrence import Cooccurrence
from analysis.workflow import AnnotatedCorpus, CachedCorpus


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """--start --end --languages --sources --source-groups (analysis.corpus.subset)."""
    for name in ("start", "end", "languages", "sources", "source_groups"):
        add_option(parser, name)


def add_design_options(parser: argparse.ArgumentParser, weighting: str = "none") -> None:
    """--weighting, --outlets and --story-threshold (analysis.stats.weighting, corpus.outlets, corpus.stories)."""
    add_option(parser, "weighting", default=weighting)
    add_option(parser, "outlets", default=[], metavar="YAML")
    add_option(parser, "story_threshold", default=DEFAULT_THRESHOLD)


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
    add_option(parser, "by")
    add_option(parser, "freq", default="quarter", help="periods for --by period")
    for name in ("reference", "groups", "pairs", "unit", "level"):
        add_option(parser, name)
    add_option(parser, "measure", default="npmi")
    add_option(parser, "min_count", default=2)
    add_option(parser, "top", default=50, help="pairs compared, the first of the corpus-wide ranking")
    add_option(parser, "ci", default=0.95, metavar="LEVEL")
    add_option(parser, "bootstrap", metavar="B")
    add_option(parser, "seed")
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
        write_csv(result.table, args.out)
        print(f"wrote {len(result.table)} rows to {args.out}", file=sys.stderr)
    else:
        _print_table(result.table)
    return 0
