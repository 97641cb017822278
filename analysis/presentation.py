"""The one place where text from data becomes HTML.

Names, paths, titles and parameter values come from users' files, so a report must never
build Markdown or HTML from them by string formatting: Markdown has no escaping a notebook
can rely on (a backtick closes a code span, `[x](javascript:...)` is a link, raw HTML passes
through). Everything shown from data goes through `escape_html`, and notebooks show it with
`heading`, `paragraph`, `strong` and `code`, which return markup built only from escaped text.

Data is also kept away from MathJax: a reader opening a notebook in Jupyter would otherwise
typeset `$\\href{...}{...}$` in a name. Every block is marked `tex2jax_ignore mathjax_ignore`
(the classes MathJax 2 and 3 skip).
"""

from __future__ import annotations

import html

from IPython.display import HTML

NO_MATH = "tex2jax_ignore mathjax_ignore"


class Markup(str):
    """HTML that is safe to place as is: only this module's functions make it."""


def escape_html(text: object) -> str:
    """`text` (any value, shown as `str(value)`) as HTML text: `& < > " '` are escaped, so
    it can go into an element or a quoted attribute and never becomes markup."""
    return html.escape(str(text), quote=True)


def _piece(part: object) -> str:
    return part if isinstance(part, Markup) else escape_html(part)


def inline(*parts: object) -> Markup:
    """Parts joined into inline HTML; plain values are escaped, `Markup` kept."""
    return Markup("".join(_piece(part) for part in parts))


def strong(*parts: object) -> Markup:
    """Bold text, e.g. a count the reader should see first."""
    return Markup(f"<strong>{inline(*parts)}</strong>")


def code(text: object) -> Markup:
    """A path, key or fingerprint shown as code; any backtick or tag in it stays text."""
    return Markup(f"<code>{escape_html(text)}</code>")


def heading(text: object, level: int = 2) -> HTML:
    """A heading whose text comes from data (an actor's name), for `display()`."""
    if not isinstance(level, int) or not 1 <= level <= 6:
        raise ValueError(f"heading level {level!r}: expected an integer from 1 to 6")
    return HTML(f'<h{level} class="{NO_MATH}">{_piece(text)}</h{level}>')


def paragraph(*parts: object) -> HTML:
    """A paragraph built from plain values (escaped) and `strong`/`code` pieces."""
    return HTML(f'<p class="{NO_MATH}">{inline(*parts)}</p>')


def note(*parts: object) -> HTML:
    """A paragraph set apart as a caveat the reader must see (a small corpus, a ranking rule)."""
    return HTML(f'<p class="note {NO_MATH}">{inline(*parts)}</p>')


def full_table(frame) -> HTML:
    """A small table shown whole, with no cell cut at 50 characters as the notebook display
    does; pandas escapes every cell and header (`escape=True`)."""
    return HTML(frame.to_html(escape=True, classes=NO_MATH, border=0))
