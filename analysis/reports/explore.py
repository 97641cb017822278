"""Exploring a corpus in JupyterLab: the displays of the notebook API's answers.

The corpus (analysis.workflow.AnnotatedCorpus) and the model's answers (analysis.stats.answers)
are computed in stages that never build HTML, so their rich displays are registered here, with
IPython's display formatters, by `open_corpus` (or `%load_ext analysis.reports.explore`):
the corpus shows a summary instead of every table, a pair table its first rows, evidence its
passages with both mentions marked and named, and an empty answer the sentence that says why.
"""

from __future__ import annotations

from pathlib import Path

from analysis.reports.presentation import answer_html, table_html
from analysis.stats.answers import Answer
from analysis.workflow import AnnotatedCorpus, load_annotated_corpus


def html(value: object) -> str | None:
    """The HTML a notebook shows for a corpus or an answer; None for anything else."""
    if isinstance(value, AnnotatedCorpus):
        return table_html(value.summary())
    if isinstance(value, Answer):
        names = getattr(value, "names", None) or (None, None)
        return answer_html(value, getattr(value, "kind", "pairs"), getattr(value, "message", ""),
                           a_name=names[0], b_name=names[1])
    return None


def register(shell=None) -> bool:
    """Register the displays with the running IPython (or `shell`); False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # a plain Python process: nothing to display in
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    for kind in (AnnotatedCorpus, Answer):
        formatter.for_type(kind, html)
    return True


def load_ipython_extension(shell) -> None:
    """`%load_ext analysis.reports.explore`."""
    register(shell)


def open_corpus(corpus: str | Path, **options: object) -> AnnotatedCorpus:
    """`analysis.workflow.load_annotated_corpus(corpus, **options)` with the displays registered:
    the first line of an exploring notebook."""
    register()
    return load_annotated_corpus(corpus, **options)  # type: ignore[arg-type]
