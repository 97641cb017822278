"""`python -m analysis ...`: a thin command line over the package's functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.annotate.cache import Annotations
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import DEFAULT_PIPELINE, AnnotatorConfig
from analysis.cli_compare import (
    add_compare_command,
    add_design_options,
    add_selection_options,
    load_selected,
    needs_tables,
)
from analysis.corpus.reader import DEFAULT_MAX_BYTES
from analysis.csvfile import write_csv
from analysis.errors import AnalysisError
from analysis.parameters import OneLineParser, add_option
from analysis.reports.export import write_tables
from analysis.stats import cooccurrence
from analysis.stats.cooccurrence import Cooccurrence, PairQuery
from analysis.stats.counts import actor_counts, combine_actor_counts
from analysis.stats.partitions import count_partitions
from analysis.stats.selection import select_mentions
from analysis.stats.weighting import plain_design
from analysis.workflow import CachedCorpus, annotate_corpus, describe_documents


def _print_table(frame: pd.DataFrame, rows: int | None = None) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_colwidth", 70):
        print(frame.to_string(index=False, max_rows=rows) if len(frame) else "(none)")


def _print_problems(problems: pd.DataFrame) -> None:
    print(f"\nProblems ({len(problems)}):", file=sys.stderr)
    if len(problems):
        for row in problems.itertuples():
            line = f":{row.line}" if pd.notna(row.line) else ""
            print(f"  {row.file}{line}: {row.reason} [{row.action}]", file=sys.stderr)


def _reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on any reading problem")
    add_option(parser, "max_bytes", default=DEFAULT_MAX_BYTES, metavar="BYTES")


def _corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="seeds", help="corpus folder or .jsonl/.csv file (default: seeds)")
    parser.add_argument("--pipeline", default=DEFAULT_PIPELINE, help="installed spaCy English pipeline")
    parser.add_argument("--lexicon", help="your actor lexicon (YAML); extends the default")
    parser.add_argument("--themes", help="your theme taxonomy (YAML); extends the default")
    parser.add_argument("--replace-lexicons", action="store_true", help="use your files instead of the defaults")
    parser.add_argument("--cache", help="annotation cache folder (default: .cache/annotations)")
    add_option(parser, "n_process", metavar="N")
    _reading_options(parser)
    for name in ("engine", "scheduler", "timeout", "batch_size", "merges"):
        add_option(parser, name)


def _engine(args: argparse.Namespace) -> EngineConfig:
    return EngineConfig(args.engine, args.batch_size, n_process=args.n_process, scheduler=args.scheduler,
                        timeout=args.timeout)


def _annotate(args: argparse.Namespace) -> CachedCorpus:
    return annotate_corpus(
        args.path,
        AnnotatorConfig(args.pipeline, args.lexicon, args.themes, extend=not args.replace_lexicons),
        _engine(args),
        cache_dir=args.cache,
        strict=args.strict,
        max_bytes=args.max_bytes,
        merges=getattr(args, "merges", None),
    )


def command_corpus(args: argparse.Namespace) -> int:
    from analysis.corpus.reader import read_corpus

    documents, problems = read_corpus(args.path, strict=args.strict, max_bytes=args.max_bytes)
    _print_table(documents.drop(columns=["text"]))
    print(f"\n{len(documents)} documents")
    _print_problems(problems)
    return 0


def command_annotate(args: argparse.Namespace) -> int:
    corpus = _annotate(args)  # the tables stay on disk, read one cache part at a time
    if args.out:
        write_tables(corpus, args.out)
        print(f"wrote documents, mentions, sentences and problems to {args.out}/ (Parquet and CSV)")
    per_part = [(actor_counts(m[m["kind"] == "actor"]), int((m["kind"] == "theme").sum()))
                for m, _ in corpus.partitions()]
    counts = combine_actor_counts(table for table, _ in per_part)
    print(f"{corpus.n_documents} documents, {int(counts['mentions'].sum())} actor mentions, "
          f"{counts['key'].nunique()} actors, {sum(themes for _, themes in per_part)} theme mentions\n")
    _print_table(counts, rows=args.print_rows)
    _print_problems(corpus.problems)
    return 0


def _selected(args: argparse.Namespace, partitions: Iterable[Annotations]) -> Iterator[Annotations]:
    """Each partition with only the mentions --no-titles / --no-roles leave in."""
    for mentions, sentences in partitions:
        yield Annotations(*select_mentions(mentions, sentences, include_titles=not args.no_titles,
                                           include_roles=not args.no_roles))


def command_cooccurrence(args: argparse.Namespace) -> int:
    corpus = _annotate(args)
    _print_problems(corpus.problems)  # on stderr, before the table, so a reader sees what was left out
    if args.evidence or args.graph or needs_tables(args):  # mention text, names, unit weights: load the tables
        loaded = load_selected(corpus, args)
        loaded.mentions, loaded.sentences = next(_selected(args, [(loaded.mentions, loaded.sentences)]))
    if args.evidence:
        a_key, b_key = args.evidence
        table = cooccurrence.evidence(
            loaded.mentions, loaded.sentences, loaded.documents, a_key, b_key, unit=args.unit, level=args.level,
        ).drop(columns=["start", "end"])
    elif needs_tables(args):
        table = Cooccurrence.build(loaded.mentions, loaded.sentences, args.unit, args.level, weighting=args.weighting,
                                   documents=loaded.documents).pairs(
            PairQuery(args.pairs, min_count=args.min_count, measure=args.measure, top=args.top,
                      ci=args.ci, bootstrap=args.bootstrap, seed=args.seed)
        )
    else:  # map: count each cache part (whole documents); reduce: combine the counts; then measure
        partitions = _selected(args, corpus.partitions())
        counts = count_partitions(partitions, args.unit, args.level, _engine(args))
        stories = describe_documents(corpus.documents, args.outlets, args.story_threshold)[0] if args.ci else None
        table = Cooccurrence(counts, args.unit, args.level, design=plain_design(counts, stories)).pairs(
            PairQuery(args.pairs, min_count=args.min_count, measure=args.measure, top=args.top,
                      ci=args.ci, bootstrap=args.bootstrap, seed=args.seed)
        )
    if args.graph and not args.evidence:
        graph = cooccurrence.to_graph(table, loaded.mentions, level=args.level)
        cooccurrence.write_graph(graph, args.graph)
        print(f"wrote {args.graph}", file=sys.stderr)
    if args.out:
        write_csv(table, args.out)
        print(f"wrote {len(table)} rows to {args.out}", file=sys.stderr)
    else:
        _print_table(table)
    return 0


def command_review_actors(args: argparse.Namespace) -> int:
    from analysis.link.review import write_review
    from analysis.workflow import actor_review

    corpus = _annotate(args)
    review = actor_review(corpus)
    write_review(review, args.out)
    kinds = review["kind"].value_counts().sort_index()
    print(f"wrote {len(review)} rows to {args.out} ("
          + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
          + "). Fill in the decision column (same / different) and pass the file as --merges.")
    _print_problems(corpus.problems)
    return 0


def command_reports(args: argparse.Namespace) -> int:
    from analysis.reports.outfolder import PublishError
    from analysis.reports.render import Interrupted, render_reports

    gold = {"gold": args.gold, "theme_gold": args.theme_gold}
    try:
        return render_reports(corpus=args.corpus, out=args.out, only=args.only, config=args.config,
                              force=args.force, gold=gold, merges=args.merges, profiles=args.profiles)
    except PublishError as error:
        print(f"error: {error}; nothing half-written was left in the output folder", file=sys.stderr)
        return 1
    except Interrupted as stop:
        print(f"stopped by {stop}: workers and kernels ended, unfinished files removed, published reports "
              "left as they were", file=sys.stderr)
        return stop.exit_code


def command_evaluate(args: argparse.Namespace) -> int:
    from analysis.stats.evaluation import ACTOR_GOLD_COLUMNS, THEME_GOLD_COLUMNS, evaluate, read_gold

    if not args.gold and not args.theme_gold:
        raise ValueError("evaluate: give --gold (actors), --theme-gold (themes) or both")
    actor_gold = read_gold(args.gold, ACTOR_GOLD_COLUMNS) if args.gold else None
    theme_gold = read_gold(args.theme_gold, THEME_GOLD_COLUMNS) if args.theme_gold else None
    corpus = _annotate(args).load()
    result = evaluate(corpus.mentions, actor_gold, theme_gold, ci=args.ci, bootstrap=args.bootstrap, seed=args.seed,
                      documents=corpus.documents["doc_id"])
    print(f"Precision, recall and F1 per document ({args.ci:.0%} intervals from {args.bootstrap} document "
          "bootstrap replicates)\n")
    _print_table(result.summary.round(3))
    print(f"\nMisses ({len(result.misses)}): required in the gold, not found")
    _print_table(result.misses)
    print(f"\nFalse positives ({len(result.false_positives)}): found, not in the gold")
    _print_table(result.false_positives)
    if len(result.unmatched):
        print(f"\nGold documents not in the corpus ({len(result.unmatched)}), left out of the scores")
        _print_table(result.unmatched)
    if len(result.not_coded):
        print(f"\nNot coded in this gold ({len(result.not_coded)} themes): found, left out of scoring")
        _print_table(result.not_coded)
    if args.out:
        write_csv(result.summary, args.out)
        print(f"wrote the summary to {args.out}", file=sys.stderr)
    _print_problems(corpus.problems)
    return 0


def command_validation_sheet(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.stats.evaluation import validation_sheet, write_sheet

    corpus = _annotate(args).load()
    actors, themes = validation_sheet(corpus.documents, corpus.mentions, args.sample, args.seed)
    out = Path(args.out)
    theme_out = out.with_name(f"{out.stem}.themes{out.suffix}")
    write_sheet(actors, out)
    write_sheet(themes, theme_out)
    documents = actors["doc"].nunique()
    print(f"wrote {len(actors)} actor rows to {out} and {len(themes)} theme rows to {theme_out} "
          f"(a sample of {min(args.sample, len(corpus.documents))} documents, seed {args.seed}; "
          f"{documents} with actors). "
          "Correct them (delete wrong rows, add missed ones, set required to no where optional), then run "
          f"`python -m analysis evaluate CORPUS --gold {out} --theme-gold {theme_out}`.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    corpus = commands.add_parser("corpus", help="print the documents table and reading problems")
    corpus.add_argument("path", nargs="?", default="seeds")
    _reading_options(corpus)
    corpus.set_defaults(run=command_corpus)

    annotate = commands.add_parser("annotate", help="extract actor and theme mentions")
    _corpus_options(annotate)
    annotate.add_argument("--out", help="folder for documents/mentions/sentences as Parquet and CSV")
    add_option(annotate, "print_rows", option="--top", help="rows of the entity count table to print")
    annotate.set_defaults(run=command_annotate)

    pairs = commands.add_parser("cooccurrence", help="pair table of actors with actors or themes")
    _corpus_options(pairs)
    for name in ("pairs", "unit", "measure", "min_count", "level", "top"):
        add_option(pairs, name)
    add_option(pairs, "ci", metavar="LEVEL",
               help="add <measure>_low and <measure>_high from a document bootstrap at this level, e.g. 0.95")
    add_option(pairs, "bootstrap", metavar="B")
    add_option(pairs, "seed", help="random seed of the bootstrap")
    pairs.add_argument("--no-titles", action="store_true",
                       help="leave out headlines (annotated as each document's first sentence)")
    pairs.add_argument("--no-roles", action="store_true",
                       help="leave out role mentions ('the head of state' resolved to the office holder)")
    pairs.add_argument("--out", help="write the table as CSV")
    pairs.add_argument("--graph", help="also write the network as .graphml or .gexf")
    pairs.add_argument("--evidence", nargs=2, metavar=("A_KEY", "B_KEY"), help="print the evidence for a pair")
    add_selection_options(pairs)
    add_design_options(pairs)
    pairs.set_defaults(run=command_cooccurrence)
    add_compare_command(commands, _corpus_options, _selected)

    check = commands.add_parser("evaluate", help="precision, recall and F1 against a gold file, with every miss")
    _corpus_options(check)
    add_option(check, "gold", metavar="FILE")
    add_option(check, "theme_gold", metavar="FILE")
    add_option(check, "ci", default=0.95, metavar="LEVEL")
    add_option(check, "bootstrap", metavar="B")
    add_option(check, "seed", help="random seed of the bootstrap")
    check.add_argument("--out", help="also write the summary table as CSV")
    check.set_defaults(run=command_evaluate)

    sheet = commands.add_parser("validation-sheet",
                                help="a random sample of documents with predicted actors and themes, to correct")
    _corpus_options(sheet)
    add_option(sheet, "sample", required=True, metavar="N")
    add_option(sheet, "seed", help="random seed of the sample")
    sheet.add_argument("--out", required=True,
                       help="actor sheet (.tsv, or .csv); themes go beside it as <name>.themes<suffix>")
    sheet.set_defaults(run=command_validation_sheet)

    review = commands.add_parser("review-actors",
                                 help="the actor keys to review (merges made and not made), to fill in for --merges")
    _corpus_options(review)
    review.add_argument("--out", required=True, help="the review list (.tsv)")
    review.set_defaults(run=command_review_actors)

    reports = commands.add_parser("reports", help="render the report set with papermill")
    reports.add_argument("--corpus", default="seeds")
    reports.add_argument("--out", default=None, help="output folder (default: reports/ for the seeds)")
    reports.add_argument("--only", nargs="*", help="render only these report names")
    reports.add_argument("--profiles", nargs="*", metavar="KEY",
                         help="also render the profiles of these actors (keys as on the All actors page)")
    reports.add_argument("--config", default=None, help="report set file (default: notebooks/reports.yaml)")
    reports.add_argument("--gold", help="actor gold file of this corpus (doc, kind, required, name, aliases): "
                         "adds the Accuracy report (the seeds use their shipped gold)")
    reports.add_argument("--theme-gold", help="theme gold file of this corpus (doc, theme, required)")
    add_option(reports, "merges")
    reports.add_argument("--force", action="store_true",
                         help="re-execute every report, even those whose inputs have not changed")
    reports.set_defaults(run=command_reports)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # a refused option (one line, already printed) or --help
        return int(stop.code or 0)
    try:
        return args.run(args)
    except (AnalysisError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a command with no handler of its own (`reports` has one)
        print("stopped by SIGINT", file=sys.stderr)
        return 130
