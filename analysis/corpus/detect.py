"""The language of each document: given in the corpus (a `language` column), or detected.

Detection uses py3langid (a maintained fork of langid.py: 97 languages, Kyrgyz, Kazakh and
Uzbek among them; its 4.6 MB model ships in the wheel, loads in about 0.6 s and classifies a
news article in well under a millisecond). Chosen over langdetect (random, so not repeatable
without a seed, and slower) and lingua-language-detector (a 96 MB wheel). A verdict is trusted
when the text is long enough and the detector sure; a short or unsure text takes the language
its script suggests (Cyrillic: Russian, else English), because a headline-length string is
where every detector guesses (each language's registry entry gives its script's letters).

A language without an annotation path (`analysis.lang.registry`) is listed as a problem, "no
pipeline for language 'ky' (Kyrgyz)", and its document is kept but not annotated.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analysis.lang.registry import DEFAULT_LANGUAGE, language_name, registered_languages, supported_languages

DETECT_CHARS = 3000  # the opening of a document is enough to tell its language
MIN_LETTERS = 40  # shorter texts take the language of their script
MIN_PROBABILITY = 0.9
_CODE = re.compile(r"^[a-z]{2,3}$")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


@lru_cache(maxsize=16)
def _script(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def script_language(text: str) -> str:
    """The first registered language with a script whose letters are most of the text's
    (Cyrillic: Russian), else the default language."""
    letters = len(_LETTER.findall(text))
    if letters:
        for code, language in registered_languages().items():
            if language.script and len(_script(language.script).findall(text)) * 2 > letters:
                return code
    return DEFAULT_LANGUAGE


def detect_language(text: str) -> str:
    """An ISO 639-1 code for `text` (see the module docstring for when the script decides)."""
    sample = text[:DETECT_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return script_language(sample)
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_PROBABILITY else script_language(sample)


def normalise_code(value: object) -> str | None:
    """A given language as a lower-case ISO code, or None when missing or not a code."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    code = str(value).strip().lower()
    return code if _CODE.match(code) else None


def with_languages(documents: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """`documents` with a `language` column (given, else detected), and (path, reason) for
    each document whose language has no annotation pipeline or whose given code is not one."""
    given = documents["language"] if "language" in documents else pd.Series([None] * len(documents),
                                                                            index=documents.index)
    codes: list[str] = []
    problems: list[tuple[str, str]] = []
    supported = supported_languages()
    for path, text, value in zip(documents["path"], documents["text"], given, strict=True):
        code = normalise_code(value)
        if code is None and value is not None and not pd.isna(value) and str(value).strip():
            problems.append((path, f"language {str(value)!r} is not an ISO 639-1 code; detected instead"))
        code = code or detect_language(text)
        if code not in supported:
            problems.append((path, f"no pipeline for language {code!r} ({language_name(code)}); "
                                   "kept but not annotated"))
        codes.append(code)
    return documents.assign(language=pd.array(codes, dtype="string")), problems
