"""`python -m analysis ...`: a thin command line over the package's functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.annotate.cache import Annotations, CacheError
from analysis.annotate.engines import EngineConfig, engine_names, get_engine
from analysis.annotate.pipeline import DEFAULT_PIPELINE, AnnotatorConfig
from analysis.corpus.reader import DEFAULT_MAX_BYTES
from analysis.reports.export import write_tables
from analysis.stats import cooccurrence
from analysis.stats.cooccurrence import Cooccurrence
from analysis.stats.counts import actor_counts, combine_actor_counts
from analysis.stats.selection import select_mentions
from analysis.workflow import CachedCorpus, annotate_corpus


def _print_table(frame: pd.DataFrame, rows: int | None = None) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_colwidth", 70):
        print(frame.to_string(index=False, max_rows=rows) if len(frame) else "(none)")


def _print_problems(problems: pd.DataFrame) -> None:
    print(f"\nProblems ({len(problems)}):", file=sys.stderr)
    if len(problems):
        for row in problems.itertuples():
            line = f":{row.line}" if pd.notna(row.line) else ""
            print(f"  {row.file}{line}: {row.reason} [{row.action}]", file=sys.stderr)


def _positive_int(text: str) -> int:
    """argparse type: a whole number >= 1 (`--max-bytes 0` would read nothing)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive whole number")
    return value


def _reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on any reading problem")
    parser.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES,
                        help=f"largest .txt file or table row read as one document (default: {DEFAULT_MAX_BYTES:,})")


def _corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="seeds", help="corpus folder or .jsonl/.csv file (default: seeds)")
    parser.add_argument("--pipeline", default=DEFAULT_PIPELINE, help="installed spaCy English pipeline")
    parser.add_argument("--lexicon", help="your actor lexicon (YAML); extends the default")
    parser.add_argument("--themes", help="your theme taxonomy (YAML); extends the default")
    parser.add_argument("--replace-lexicons", action="store_true", help="use your files instead of the defaults")
    parser.add_argument("--cache", help="annotation cache folder (default: .cache/annotations)")
    parser.add_argument("--n-process", type=int, default=1, help="worker processes of the local engine")
    _reading_options(parser)
    parser.add_argument("--engine", default="local", choices=engine_names(),
                        help="run on this machine, or as tasks on dask.distributed (pip install .[dask])")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (default: a local cluster)")
    parser.add_argument("--batch-size", type=int, default=500,
                        help="documents per cache part and per Dask task (default: 500)")


def _engine(args: argparse.Namespace) -> EngineConfig:
    return EngineConfig(args.engine, args.n_process, args.batch_size, args.scheduler)


def _annotate(args: argparse.Namespace) -> CachedCorpus:
    return annotate_corpus(
        args.path,
        AnnotatorConfig(args.pipeline, args.lexicon, args.themes, extend=not args.replace_lexicons),
        _engine(args),
        cache_dir=args.cache,
        strict=args.strict,
        max_bytes=args.max_bytes,
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
                for m, _ in corpus.parts.partitions()]
    counts = combine_actor_counts(table for table, _ in per_part)
    print(f"{corpus.n_documents} documents, {int(counts['mentions'].sum())} actor mentions, "
          f"{counts['key'].nunique()} actors, {sum(themes for _, themes in per_part)} theme mentions\n")
    _print_table(counts, rows=args.top)
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
    if args.evidence or args.graph:  # these need the mention text and names: load the tables
        loaded = corpus.load()
        loaded.mentions, loaded.sentences = next(_selected(args, [(loaded.mentions, loaded.sentences)]))
    if args.evidence:
        a_key, b_key = args.evidence
        table = cooccurrence.evidence(
            loaded.mentions, loaded.sentences, loaded.documents, a_key, b_key, unit=args.unit, level=args.level,
        ).drop(columns=["html"])
    else:  # map: count each cache part (whole documents); reduce: combine the counts; then measure
        partitions = _selected(args, corpus.parts.partitions())
        counts = get_engine(args.engine).count(partitions, args.unit, args.level, _engine(args))
        table = Cooccurrence(counts, args.unit, args.level).pairs(
            args.pairs, min_count=args.min_count, measure=args.measure, top=args.top,
            ci=args.ci, bootstrap=args.bootstrap, seed=args.seed,
        )
        if args.graph:
            graph = cooccurrence.to_graph(table, loaded.mentions, level=args.level)
            cooccurrence.write_graph(graph, args.graph)
            print(f"wrote {args.graph}", file=sys.stderr)
    if args.out:
        table.to_csv(args.out, index=False)
        print(f"wrote {len(table)} rows to {args.out}", file=sys.stderr)
    else:
        _print_table(table)
    return 0


def command_reports(args: argparse.Namespace) -> int:
    from analysis.reports.reportset import render_reports

    gold = {"gold": args.gold, "theme_gold": args.theme_gold}
    return render_reports(corpus=args.corpus, out=args.out, only=args.only, config=args.config, force=args.force,
                          gold=gold)


def command_evaluate(args: argparse.Namespace) -> int:
    from analysis.stats.evaluation import ACTOR_GOLD_COLUMNS, THEME_GOLD_COLUMNS, evaluate, read_gold

    if not args.gold and not args.theme_gold:
        raise ValueError("evaluate: give --gold (actors), --theme-gold (themes) or both")
    actor_gold = read_gold(args.gold, ACTOR_GOLD_COLUMNS) if args.gold else None
    theme_gold = read_gold(args.theme_gold, THEME_GOLD_COLUMNS) if args.theme_gold else None
    corpus = _annotate(args).load()
    result = evaluate(corpus.mentions, actor_gold, theme_gold, ci=args.ci, bootstrap=args.bootstrap, seed=args.seed)
    print(f"Precision, recall and F1 per document ({args.ci:.0%} intervals from {args.bootstrap} document "
          "bootstrap replicates)\n")
    _print_table(result.summary.round(3))
    print(f"\nMisses ({len(result.misses)}): required in the gold, not found")
    _print_table(result.misses)
    print(f"\nFalse positives ({len(result.false_positives)}): found, not in the gold")
    _print_table(result.false_positives)
    if len(result.not_coded):
        print(f"\nNot coded in this gold ({len(result.not_coded)} themes): found, left out of scoring")
        _print_table(result.not_coded)
    if args.out:
        result.summary.to_csv(args.out, index=False)
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
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    corpus = commands.add_parser("corpus", help="print the documents table and reading problems")
    corpus.add_argument("path", nargs="?", default="seeds")
    _reading_options(corpus)
    corpus.set_defaults(run=command_corpus)

    annotate = commands.add_parser("annotate", help="extract actor and theme mentions")
    _corpus_options(annotate)
    annotate.add_argument("--out", help="folder for documents/mentions/sentences as Parquet and CSV")
    annotate.add_argument("--top", type=int, default=40, help="rows of the entity count table to print")
    annotate.set_defaults(run=command_annotate)

    pairs = commands.add_parser("cooccurrence", help="pair table of actors with actors or themes")
    _corpus_options(pairs)
    pairs.add_argument("--pairs", default="actor-actor", choices=cooccurrence.PAIRS)
    pairs.add_argument("--unit", default="sentence", help=" | ".join(cooccurrence.UNITS))
    pairs.add_argument("--measure", default="count", choices=cooccurrence.MEASURES,
                       help="ranks the pairs; with --ci, by the end of its interval that is least flattering")
    pairs.add_argument("--min-count", type=int, default=1)
    pairs.add_argument("--level", default="actor", choices=cooccurrence.LEVELS)
    pairs.add_argument("--top", type=int, default=None)
    pairs.add_argument("--ci", type=float, default=None, metavar="LEVEL",
                       help="add <measure>_low and <measure>_high from a document bootstrap at this level, e.g. 0.95")
    pairs.add_argument("--bootstrap", type=int, default=1000, metavar="B",
                       help="bootstrap replicates for --ci (default: 1000)")
    pairs.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap (default: 0)")
    pairs.add_argument("--no-titles", action="store_true",
                       help="leave out headlines (annotated as each document's first sentence)")
    pairs.add_argument("--no-roles", action="store_true",
                       help="leave out role mentions ('the head of state' resolved to the office holder)")
    pairs.add_argument("--out", help="write the table as CSV")
    pairs.add_argument("--graph", help="also write the network as .graphml or .gexf")
    pairs.add_argument("--evidence", nargs=2, metavar=("A_KEY", "B_KEY"), help="print the evidence for a pair")
    pairs.set_defaults(run=command_cooccurrence)

    check = commands.add_parser("evaluate", help="precision, recall and F1 against a gold file, with every miss")
    _corpus_options(check)
    check.add_argument("--gold", help="actor gold (columns doc, kind, required, name, aliases; .tsv or .csv)")
    check.add_argument("--theme-gold", help="theme gold (columns doc, theme, required)")
    check.add_argument("--ci", type=float, default=0.95, help="interval level (default: 0.95)")
    check.add_argument("--bootstrap", type=_positive_int, default=1000, help="document bootstrap replicates")
    check.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap (default: 0)")
    check.add_argument("--out", help="also write the summary table as CSV")
    check.set_defaults(run=command_evaluate)

    sheet = commands.add_parser("validation-sheet",
                                help="a random sample of documents with predicted actors and themes, to correct")
    _corpus_options(sheet)
    sheet.add_argument("--sample", type=_positive_int, required=True, help="number of documents to draw")
    sheet.add_argument("--seed", type=int, default=0, help="random seed of the sample (default: 0)")
    sheet.add_argument("--out", required=True,
                       help="actor sheet (.tsv, or .csv); themes go beside it as <name>.themes<suffix>")
    sheet.set_defaults(run=command_validation_sheet)

    reports = commands.add_parser("reports", help="render the report set with papermill")
    reports.add_argument("--corpus", default="seeds")
    reports.add_argument("--out", default=None, help="output folder (default: reports/ for the seeds)")
    reports.add_argument("--only", nargs="*", help="render only these report names")
    reports.add_argument("--config", default=None, help="report set file (default: notebooks/reports.yaml)")
    reports.add_argument("--gold", help="actor gold file of this corpus (doc, kind, required, name, aliases): "
                         "adds the Accuracy report (the seeds use their shipped gold)")
    reports.add_argument("--theme-gold", help="theme gold file of this corpus (doc, theme, required)")
    reports.add_argument("--force", action="store_true",
                         help="re-execute every report, even those whose inputs have not changed")
    reports.set_defaults(run=command_reports)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, FileNotFoundError, CacheError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
