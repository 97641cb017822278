"""One base class for every error the package raises about its input.

A caller (the command line, a notebook, a script) catches `AnalysisError` to tell a bad
corpus, lexicon, cache, parameter or report set from a bug: the first is the user's to fix
and is reported as one line; the second is a traceback. It is a `ValueError` because bad
input is what `ValueError` means, so code that caught `ValueError` keeps working.
"""

from __future__ import annotations


class AnalysisError(ValueError):
    """The input (a file, a table, a parameter, a configuration) cannot be used as given."""
