"""The theme taxonomy and its spaCy matcher.

The taxonomy is data (`lexicons/themes.yaml`): a fixed list of themes, each with a stable
key, display name, one-line definition, the closest GDELT GKG theme codes, trigger phrases
and exclusion phrases. `load_taxonomy` reads and validates it, and a user file can replace
it or extend it by key.

The matcher is a small spaCy component, `theme_matcher`, placed after the lemmatizer. A
trigger matches a run of tokens when each token's lower-cased lemma, or its lower-case form,
equals the trigger's token; the lower-case form (plus plain plurals) is a fallback for
proper-noun spellings such as "the Basic Law" or "COVID-19", whose lemma keeps its capitals,
and for lemmatizer quirks. Matches are written to ``doc.spans["themes"]`` with the theme key
as each span's label. The component needs only tokens and lemmas: no parser, no sentence
boundaries, no state saved to disk.
"""

import bisect
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analysis.corpus.datelines import load_dates
from analysis.errors import AnalysisError
from analysis.lang.registry import get_language
from analysis.lang.words import LanguageData, load_language
from analysis.schema import DEFAULT_LANGUAGE
from analysis.yamlfile import YamlTooLarge, safe_load_unique, short

DEFAULT_THEMES_PATH = Path(__file__).parents[1] / "lexicons" / "themes.yaml"
THEME_MATCHER_NAME = "theme_matcher"
SPANS_KEY = "themes"

THEME_FIELDS = ("key", "name", "definition", "gdelt", "triggers", "exclude", "weak", "associations", "cues",
                "offences", "weak_together", "languages")
# what a theme may give per language under `languages: {ru: {...}}` (the shipped Russian words are
# in lang/ru/themes.yaml; a user's theme file adds its own there)
LOCAL_FIELDS = ("triggers", "exclude", "weak", "cues")
CUE_FIELDS = ("name", "all")
CUE_OPTIONAL = ("none", "in_names")
REQUIRED_FIELDS = ("key", "name", "triggers")
TOP_LEVEL_FIELDS = ("version", "themes")
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_GDELT_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*$")
EXCLUDE_SUFFIX = "\x1fexclude"
ASSOCIATION_CUE = "@association"  # a cue group met by a name of one of the theme's associations


class TaxonomyError(AnalysisError):
    """A taxonomy file is malformed; the message names the file, the theme and the problem."""


@dataclass(frozen=True)
class Cue:
    """Words that mark a theme only together, in one sentence: each group is a list of words
    ("detain", or a stem "detain*"), and one word of every group must occur ("police detained
    opposition activists": detain + opposition). Each word alone is too weak to be a trigger.
    `none` lists words of the other senses of the groups' words: one of them in the sentence and
    the cue does not fire ("зарплату задерживают" is a delay, not a detention).
    `in_names`: the words count inside actor names too, for a cue whose words name what they
    mean: the theme's own kind of institution acting ("the Bishkek City Court ruled": a named court
    is still a court) or a region ("the heads of state of Central Asia"), where a word inside any
    other name ("the Democracy Fund") is no cue."""

    name: str
    groups: tuple[tuple[str, ...], ...]
    none: tuple[str, ...] = ()
    in_names: bool = False


@dataclass(frozen=True)
class LocalWords:
    """A theme's words in one other language (`languages: {ru: {triggers: [...]}}`)."""

    code: str
    triggers: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    definition: str = ""
    gdelt: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # triggers that count only beside another mention of the theme
    # actor keys of associations the theme is about: cooperation within one, or its member
    # states, is a mention of the theme (the words next to the name, never the name itself)
    associations: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()  # combinations of words that mark the theme without a trigger
    # the theme's triggers name offences ("embezzlement", "drug trafficking") or the court's own acts
    # ("sentenced to"): named in a charge, they are what the text reports on; another theme's trigger
    # in a charge is the court's word.
    # None: the file does not say (false, or the default theme's value when a user file extends it)
    offences: bool | None = None
    # two different weak words of the theme make a mention together ("the border" and "border guards"
    # in one story): true for a theme whose weak words all speak of it, only too briefly or in
    # another sense alone; a sector's generic words ("budget", "transport") co-occur in any text.
    # None: the file does not say (false, or the default theme's value when a user file extends it)
    weak_together: bool | None = None
    languages: tuple[LocalWords, ...] = ()  # the theme's words in other languages

    def local(self, code: str) -> LocalWords | None:
        """The theme's own words in language `code`, if its file gives any."""
        return next((words for words in self.languages if words.code == code), None)


class ThemeMatch(NamedTuple):
    """One theme mention in a document and why it counts: the trigger (the matched words as
    lemmas, or the words of a cue) and the rule that accepted it (`trigger`, `weak`, `cue:<name>`,
    `association`; `model` for the theme model's, analysis.annotate.theme_model)."""

    start: int
    end: int
    text: str
    key: str
    trigger: str = ""
    rule: str = "trigger"


# ----------------------------------------------------------------------------- loading


def _normalise_phrase(text: str) -> str:
    return " ".join(text.lower().split())


def _phrases(entry: dict, field: str, where: str, *, required: bool) -> tuple[str, ...]:
    values = entry.get(field)
    if values is None:
        values = []
    if not isinstance(values, list):
        raise TaxonomyError(f"{where}: '{field}' must be a list of strings, got {short(values)}")
    for number, value in enumerate(values):
        if not isinstance(value, str):
            raise TaxonomyError(
                f"{where}: {field}[{number}] must be a string, got {type(value).__name__} "
                f"{short(value)} (quote it in the YAML)"
            )
        if not value.strip():
            raise TaxonomyError(f"{where}: {field}[{number}] is an empty string")
    if required and not values:
        raise TaxonomyError(f"{where}: '{field}' is empty; a theme needs at least one trigger")
    return tuple(dict.fromkeys(_normalise_phrase(value) for value in values))


def _parse_theme(entry: object, where: str) -> Theme:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where}: expected a mapping with key, name, triggers; got {short(entry)}")
    key = entry.get("key")
    if isinstance(key, str) and key.strip():
        where = f"{where} (key {key!r})"
    unknown = [field for field in entry if field not in THEME_FIELDS]
    if unknown:
        raise TaxonomyError(
            f"{where}: unknown field(s) {unknown}; allowed fields are {list(THEME_FIELDS)}"
        )
    for field in REQUIRED_FIELDS:
        if field not in entry or entry[field] is None:
            raise TaxonomyError(f"{where}: missing required field '{field}'")
    for field in ("key", "name"):
        if not isinstance(entry[field], str) or not entry[field].strip():
            raise TaxonomyError(
                f"{where}: '{field}' must be a non-empty string, got {short(entry[field])}"
            )
    if not _KEY_PATTERN.match(key):
        raise TaxonomyError(
            f"{where}: key must be lower-case letters, digits and underscores, "
            "starting with a letter"
        )
    definition = entry.get("definition") or ""
    if not isinstance(definition, str):
        raise TaxonomyError(f"{where}: 'definition' must be a string, got {short(definition)}")
    gdelt = entry.get("gdelt") or []
    if not isinstance(gdelt, list) or not all(
        isinstance(code, str) and _GDELT_PATTERN.match(code) for code in gdelt
    ):
        raise TaxonomyError(
            f"{where}: 'gdelt' must be a list of upper-case GKG theme codes, got {short(gdelt)}"
        )
    triggers = _phrases(entry, "triggers", where, required=True)
    weak = _weak(entry, triggers, where)
    offences, weak_together = entry.get("offences"), entry.get("weak_together")
    for field, value in (("offences", offences), ("weak_together", weak_together)):
        if value is not None and not isinstance(value, bool):
            raise TaxonomyError(f"{where}: '{field}' must be true or false, got {short(value)}")
    return Theme(
        key=key,
        name=entry["name"].strip(),
        definition=definition.strip(),
        gdelt=tuple(gdelt),
        triggers=triggers,
        exclude=_phrases(entry, "exclude", where, required=False),
        weak=weak,
        associations=_phrases(entry, "associations", where, required=False),
        cues=_cues(entry, where),
        offences=offences,
        weak_together=weak_together,
        languages=_languages(entry, where),
    )


def _weak(entry: dict, triggers: tuple[str, ...], where: str) -> tuple[str, ...]:
    weak = _phrases(entry, "weak", where, required=False)
    stray = [phrase for phrase in weak if phrase not in triggers]
    if stray:
        raise TaxonomyError(f"{where}: 'weak' phrases {stray} are not among its triggers")
    return weak


def _cues(entry: dict, where: str) -> tuple[Cue, ...]:
    """`cues: [{name: ..., all: [[word, stem*], [word]], none: [word], in_names: true}]`: two or
    more groups of words, and optionally the words that veto the cue in a sentence and whether its
    words count inside actor names."""
    values = entry.get("cues") or []
    if not isinstance(values, list):
        raise TaxonomyError(f"{where}: 'cues' must be a list of {{name, all}} mappings, got {values!r}")
    cues = []
    for number, value in enumerate(values):
        here = f"{where}: cues[{number}]"
        if not isinstance(value, dict) or not set(CUE_FIELDS) <= set(value) <= set(CUE_FIELDS + CUE_OPTIONAL):
            raise TaxonomyError(f"{here}: expected a mapping with {list(CUE_FIELDS)} and optionally "
                                f"{list(CUE_OPTIONAL)}, got {value!r}")
        none = value.get("none", [])
        if not isinstance(none, list) or not all(isinstance(w, str) and w.strip() for w in none):
            raise TaxonomyError(f"{here}: 'none' must be a list of non-empty words, got {none!r}")
        in_names = value.get("in_names", False)
        if not isinstance(in_names, bool):
            raise TaxonomyError(f"{here}: 'in_names' must be true or false, got {in_names!r}")
        name, groups = value["name"], value["all"]
        if not isinstance(name, str) or not name.strip():
            raise TaxonomyError(f"{here}: 'name' must be a non-empty string, got {name!r}")
        if isinstance(groups, list):
            groups = [[group] if group == "@association" else group for group in groups]
        if not isinstance(groups, list) or len(groups) < 2 or not all(
                isinstance(group, list) and group and all(isinstance(w, str) and w.strip() for w in group)
                for group in groups):
            raise TaxonomyError(f"{here}: 'all' must list two or more non-empty lists of words "
                                f"(or \"@association\"), got {groups!r}")
        cues.append(Cue(name.strip(), tuple(tuple(_normalise_phrase(w) for w in group) for group in groups),
                        tuple(_normalise_phrase(w) for w in none), in_names))
    return tuple(cues)


def _languages(entry: dict, where: str) -> tuple[LocalWords, ...]:
    """`languages: {ru: {triggers: [...], exclude: [...], weak: [...], cues: [...]}}`."""
    values = entry.get("languages") or {}
    if not isinstance(values, dict):
        raise TaxonomyError(f"{where}: 'languages' must map language codes to their words, got {values!r}")
    out = []
    for code, words in values.items():
        here = f"{where}: languages.{code}"
        if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}", code):
            raise TaxonomyError(f"{where}: 'languages' keys must be language codes such as ru, got {code!r}")
        if not isinstance(words, dict):
            raise TaxonomyError(f"{here}: expected a mapping with {list(LOCAL_FIELDS)}, got {words!r}")
        unknown = [field for field in words if field not in LOCAL_FIELDS]
        if unknown:
            raise TaxonomyError(f"{here}: unknown field(s) {unknown}; allowed are {list(LOCAL_FIELDS)}")
        triggers = _phrases(words, "triggers", here, required=False)
        out.append(LocalWords(code, triggers, _phrases(words, "exclude", here, required=False),
                              _weak(words, triggers, here), _cues(words, here)))
    return tuple(out)


def read_theme_file(path: str | Path) -> tuple[Theme, ...]:
    """Read and validate one taxonomy file (no merging with the default)."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"theme taxonomy file {str(file)!r} does not exist")
    text = file.read_text(encoding="utf-8")
    try:
        data = safe_load_unique(text)
    except YamlTooLarge as error:
        raise TaxonomyError(f"{file}: {error.problem}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise TaxonomyError(f"{file}: malformed YAML{where}: {problem}") from None
    if not isinstance(data, dict) or "themes" not in data:
        raise TaxonomyError(
            f"{file}: expected a mapping with a 'themes' list at the top level, "
            f"got {type(data).__name__}"
        )
    unknown = [field for field in data if field not in TOP_LEVEL_FIELDS]
    if unknown:
        raise TaxonomyError(
            f"{file}: unknown top-level field(s) {unknown}; allowed are {list(TOP_LEVEL_FIELDS)}"
        )
    if data.get("version", 1) != 1:
        raise TaxonomyError(f"{file}: unsupported version {short(data['version'])}; expected 1")
    entries = data["themes"]
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{file}: 'themes' must be a non-empty list of themes, got {short(entries)}")
    themes: list[Theme] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries):
        theme = _parse_theme(entry, f"{file}: theme #{number + 1}")
        if theme.key in seen:
            raise TaxonomyError(f"{file}: theme #{number + 1}: duplicate key {theme.key!r}")
        seen.add(theme.key)
        themes.append(theme)
    return tuple(themes)


def load_taxonomy(path: str | Path | None = None, extend: bool = False) -> tuple[Theme, ...]:
    """The theme taxonomy: the shipped default, a user file instead of it, or both.

    With ``path=None`` the default (`DEFAULT_THEMES_PATH`) is returned. A user file replaces
    the default, or with ``extend=True`` overrides default themes with the same key (in
    place) and appends new ones. Problems raise `TaxonomyError` (a `ValueError`) naming the
    file, the theme and what is wrong.
    """
    default = read_theme_file(DEFAULT_THEMES_PATH)
    if path is None:
        return default
    user = read_theme_file(path)
    if not extend:
        return user
    by_key = {theme.key: theme for theme in default}
    for theme in user:  # a field the user's entry leaves out keeps the default's (`offences`, `weak_together`)
        shipped = by_key.get(theme.key)
        if shipped is not None and theme.offences is None:
            theme = replace(theme, offences=shipped.offences)
        if shipped is not None and theme.weak_together is None:
            theme = replace(theme, weak_together=shipped.weak_together)
        by_key[theme.key] = theme
    return tuple(by_key.values())


def taxonomy_fingerprint(themes: Iterable[Theme]) -> str:
    """A short hash of a taxonomy's content, for cache keys (order and every field count)."""
    payload = json.dumps([asdict(theme) for theme in themes], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# ----------------------------------------------------------------------------- matching


def _lower_variants(phrase: str, language: LanguageData) -> set[str]:
    """The phrase and the plurals of its last word (the language's plural forms), for the
    lower-case fallback."""
    words = phrase.split(" ")
    last = words[-1]
    forms = {last} | language.plurals(last)
    return {" ".join([*words[:-1], form]) for form in forms}


def _annotate(nlp: Language, texts: list[str]) -> list[Doc]:
    """Run the pipeline's existing components (not theme matchers) over trigger phrases."""
    docs = [nlp.make_doc(text) for text in texts]
    for _, component in nlp.pipeline:
        if isinstance(component, ThemeMatcher):
            continue
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
    return docs


class ThemeMatcher:
    """spaCy component tagging theme triggers into ``doc.spans["themes"]``."""

    def __init__(self, nlp: Language, name: str = THEME_MATCHER_NAME, themes: Sequence[Theme] = (),
                 language: str = DEFAULT_LANGUAGE):
        self.name = name
        self.language = load_language(language)  # whose plurals the lower-case fallback adds
        # and whose declension gives every written form of a trigger (Russian cases)
        self.trigger_forms = get_language(language).forms_of_trigger
        self.set_themes(nlp, themes)

    def set_themes(self, nlp: Language, themes: Sequence[Theme]) -> None:
        """(Re)build the matchers for `themes`, lemmatising phrases with `nlp`'s pipes."""
        self.themes = tuple(themes)
        self.fingerprint = taxonomy_fingerprint(self.themes)
        # Lemma patterns are matched on a shadow doc whose words are the lower-cased lemmas
        # (proper nouns keep their capitals in the lemma: "Constitution").
        self.lemma_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        phrases: dict[str, list[str]] = defaultdict(list)
        for theme in self.themes:
            phrases[theme.key].extend(theme.triggers)
            phrases[theme.key + EXCLUDE_SUFFIX].extend(theme.exclude)
        texts = sorted({text for group in phrases.values() for text in group})
        lemmatised = dict(zip(texts, _annotate(nlp, texts), strict=True))
        self.uses_lemmas = bool(texts) and all(
            doc.has_annotation("LEMMA") for doc in lemmatised.values()
        )
        self.lemma_patterns: dict[tuple[str, ...], set[str]] = defaultdict(set)  # lemma words -> match keys
        # (match key, lower-case form or lemma words) -> the trigger as listed, for mentions' `trigger`
        self.listed: dict[tuple[str, str], str] = {}
        # an exclusion whose lemmas are a trigger's of its theme ("bordering" -> "border") would
        # veto every use of the trigger: it is matched as written only
        trigger_lemmas = {key: {_lemma_words(lemmatised[text]) for text in group}
                          for key, group in phrases.items() if self.uses_lemmas and not key.endswith(EXCLUDE_SUFFIX)}
        for match_key, group in phrases.items():
            if not group:
                continue
            theme_key = match_key.removesuffix(EXCLUDE_SUFFIX)
            vetoed = trigger_lemmas.get(theme_key, set()) if theme_key != match_key else set()
            lower_forms: set[str] = set()
            lemma_forms: set[tuple[str, ...]] = set()
            for text in group:
                variants = _lower_variants(text, self.language) | self.trigger_forms(text)
                lemmas = _lemma_words(lemmatised[text]) if self.uses_lemmas else None
                if lemmas is not None and lemmas not in vetoed:
                    lemma_forms.add(lemmas)
                    self.listed.setdefault((match_key, " ".join(lemmas)), text)
                    variants |= _lower_variants(" ".join(lemmas), self.language)
                for form in variants:
                    self.listed.setdefault((match_key, form), text)
                lower_forms |= variants
            if lemma_forms:
                for words in lemma_forms:
                    self.lemma_patterns[words].add(match_key)
                self.lemma_matcher.add(
                    match_key, [Doc(nlp.vocab, words=list(words)) for words in sorted(lemma_forms)]
                )
            self.lower_matcher.add(match_key, [nlp.make_doc(form) for form in sorted(lower_forms)])

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = set(self.lower_matcher(doc))
        if self.uses_lemmas and len(doc) and doc.has_annotation("LEMMA"):
            # same tokens, so the shadow doc's token offsets are the doc's
            found |= set(self.lemma_matcher(Doc(doc.vocab, words=list(_lemma_words(doc)))))
        return sorted(found, key=lambda match: (match[1], match[2]))

    def _trigger(self, key: str, span: Span) -> str:
        """The listed trigger a match stands for ("polls" -> "poll"; Russian "выборах" -> "выборы"),
        else the lemmas the matcher saw."""
        lemmas = _trigger_words(span)
        return self.listed.get((key, span.text.lower()), self.listed.get((key, lemmas), lemmas))

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        triggers: dict[str, list[tuple[int, int]]] = defaultdict(list)
        exclusions: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for match_id, start, end in self._matches(doc):
            match_key = strings[match_id]
            if match_key.endswith(EXCLUDE_SUFFIX):
                exclusions[match_key[: -len(EXCLUDE_SUFFIX)]].append((start, end))
            else:
                triggers[match_key].append((start, end))
        spans: list[Span] = []
        for key, found in triggers.items():
            kept = [
                Span(doc, start, end, label=key, kb_id=self._trigger(key, doc[start:end]))
                for start, end in found
                if not _excluded(start, end, exclusions.get(key, ()))
            ]
            spans.extend(filter_spans(kept))  # non-overlapping, the longest preferred
        spans.sort(key=lambda span: (span.start, span.end, span.label_))
        doc.spans[SPANS_KEY] = spans
        return doc


def outside_spans(themes: Sequence[tuple], spans: Sequence[tuple[int, int]]) -> list:
    """The theme matches (start, end, text, key) that overlap none of `spans` (actor mentions).

    A trigger inside an actor's name ("Security Council", "Central Election Commission")
    names the actor, not the theme; counting it would pair the actor with the theme every
    time it is mentioned.
    """
    if not themes or not spans:
        return list(themes)
    theme_bounds = np.array([(start, end) for start, end, *_ in themes], dtype=np.int64)
    span_bounds = np.array(spans, dtype=np.int64)
    overlaps = (theme_bounds[:, :1] < span_bounds[None, :, 1]) & (span_bounds[None, :, 0] < theme_bounds[:, 1:])
    return [theme for theme, hit in zip(themes, overlaps.any(axis=1), strict=True) if not hit]


def _heads(start: int, end: int, place: tuple[int, int]) -> bool:
    """True when (start, end) ends the place's name after its first word: its head ("the
    Kempir-Abad reservoir", "the Aral Sea")."""
    return end == place[1] and start > place[0]


def heading_places(themes: Sequence[ThemeMatch], places: Sequence[tuple[int, int]]) -> list[ThemeMatch]:
    """The theme matches that end a place's name ("the Kempir-Abad reservoir", "Kambarata
    hydropower plant"): the trigger is the head of the name, so the place is a thing of the
    theme, unlike a trigger inside a body's or a person's name ("Ministry of Energy")."""
    return [match._replace(rule="place_head") for match in themes
            if any(_heads(match.start, match.end, place) for place in places)]


def _lemma_words(doc: Doc) -> tuple[str, ...]:
    """Lower-cased lemmas of a doc's tokens (the lower-case form where a lemma is missing)."""
    return tuple((token.lemma_ or token.text).lower() for token in doc)


def _trigger_words(span: Span) -> str:
    """The trigger a match stands for, as the matcher saw it: the lemmas of its tokens where
    they are known ("voted" -> "vote"), else the lower-case words."""
    return " ".join(_lemma_words(span))


def _excluded(start: int, end: int, exclusions: Iterable[tuple[int, int]]) -> bool:
    """True when (start, end) overlaps an exclusion it does not strictly contain."""
    for ex_start, ex_end in exclusions:
        overlaps = start < ex_end and ex_start < end
        covers = start <= ex_start and ex_end <= end and (end - start) > (ex_end - ex_start)
        if overlaps and not covers:
            return True
    return False


@Language.factory(
    THEME_MATCHER_NAME,
    default_config={"themes_path": None, "extend": False, "language": DEFAULT_LANGUAGE},
)
def make_theme_matcher(
    nlp: Language, name: str, themes_path: str | None, extend: bool, language: str
) -> ThemeMatcher:
    """Factory for ``nlp.add_pipe("theme_matcher", config={"themes_path": ..., "extend": ...,
    "language": ...})``."""
    return ThemeMatcher(nlp, name, load_taxonomy(themes_path, extend=extend), language)


def add_theme_matcher(
    nlp: Language,
    themes: Sequence[Theme] | str | Path | None = None,
    *,
    extend: bool = False,
    name: str = THEME_MATCHER_NAME,
    language: str = DEFAULT_LANGUAGE,
) -> ThemeMatcher:
    """Add the theme matcher after the existing pipes and return it.

    `themes` is a loaded taxonomy, a path to a taxonomy file (replacing the default, or
    extending it with ``extend=True``) or None for the default. Add it after the lemmatizer
    (and after any component whose annotations it should see). With Theme objects the
    pipeline config keeps the default factory settings, so identify the taxonomy by the
    component's `fingerprint` (`taxonomy_fingerprint`) rather than by ``nlp.config``.
    """
    if themes is None or isinstance(themes, str | Path):
        config: dict[str, Any] = {
            "themes_path": None if themes is None else str(themes),
            "extend": extend,
            "language": language,
        }
        return nlp.add_pipe(THEME_MATCHER_NAME, name=name, config=config)
    themes = tuple(themes)
    if not all(isinstance(theme, Theme) for theme in themes):
        raise TypeError("themes must be Theme objects, a taxonomy file path or None")
    component = nlp.add_pipe(THEME_MATCHER_NAME, name=name, config={"language": language})
    component.set_themes(nlp, themes)
    return component


def theme_spans(doc: Doc) -> list[tuple[int, int, str, str]]:
    """The theme matches of a processed doc as (start_char, end_char, text, key)."""
    if SPANS_KEY not in doc.spans:
        return []
    return [
        (span.start_char, span.end_char, span.text, span.label_) for span in doc.spans[SPANS_KEY]
    ]


# ----------------------------------------------------------------------------- document rules
# A theme needs a sentence that is about it. These rules run over the theme matches of one
# whole document (the matcher sees one paragraph at a time), after matches inside actor names
# are dropped (`outside_spans`), in the order of THEME_RULES. Each rule drops matches or
# re-labels why a kept one counts (`ThemeMatch.rule`); the words they read are language data
# (lang/<code>/words.yaml: cooperation_words, title_heads, title_links, formula_words).


@dataclass(frozen=True)
class ThemeRule:
    name: str
    apply: Any  # (matches, text, themes, language) -> matches
    why: str


def _as_match(match: tuple) -> ThemeMatch:
    """A ThemeMatch from a (start, end, text, key[, trigger, rule]) tuple; the trigger of a
    bare tuple is its lower-cased text."""
    if isinstance(match, ThemeMatch):
        return match
    start, end, text, key, *rest = match
    return ThemeMatch(start, end, text, key, *(rest or [_normalise_phrase(text)]))


def in_cooperation_list(matches: list[ThemeMatch], text: str, themes: Sequence[Theme], language) -> list:
    """'economic' in a list of areas of cooperation ('cooperation in the political, trade,
    economic, cultural and humanitarian areas') is boilerplate, not the economy. The language's
    `Finders.cooperation_lists` finds the lists."""
    finder = language.finders.cooperation_lists
    spans = finder(text, language) if finder is not None else []
    return [m for m in matches if not any(start <= m[0] and m[1] <= end for start, end in spans)]


def in_title(matches: list[ThemeMatch], text: str, themes: Sequence[Theme], language) -> list:
    """A trigger inside a job title or a name is not the theme: 'Minister of Economy and
    Commerce', 'head of state security', 'the Democracy Fund', 'министр энергетики и
    экономической безопасности'. The language's `Finders.in_title` reads its titles (English
    capitals and "of", Russian genitive chains); only listed triggers are judged, not the words
    of a cue or an association."""
    finder = language.finders.in_title
    if finder is None:
        return matches
    return [m for m in matches if m.rule != "trigger" or not finder(text, m.start, m.end, language)]


def _base(word: str, language) -> set[str]:
    return set(language.singulars(word))


def in_formula(matches: list[ThemeMatch], text: str, themes: Sequence[Theme], language) -> list:
    """'peace and stability', 'security, stability and prosperity', 'to ensure regional
    stability': a trigger that is itself a word of a set formula of goals (`formula_words`),
    listed with another such word or right after a word of pursuing a goal (`goal_words`:
    ensure, strengthen, maintain), is a goal named in passing, not what the sentence is about."""
    if not language.formula_words:
        return matches
    words = list(re.finditer(r"[\w-]+", text))
    starts = {w.start(): i for i, w in enumerate(words)}
    conjunctions = language.coordinators
    joins = re.compile(r"^(?:\s*,\s*|\s+)$")
    coordinator = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(conjunctions))) + r")\b") if conjunctions \
        else re.compile(r"(?!)")
    goals = _goal_pattern(language)

    def formula(index: int) -> bool:
        return 0 <= index < len(words) and bool(_base(words[index].group(), language) & language.formula_words)

    def neighbour(index: int, step: int) -> int:
        """The next word in direction `step`, across one conjunction and commas only."""
        other = index + step
        if 0 <= other < len(words) and words[other].group().lower() in conjunctions:
            other += step
        if not 0 <= other < len(words):
            return -1
        left, right = sorted((index, other))
        between = text[words[left].end():words[right].start()]
        plain = coordinator.sub(" ", between)
        return other if joins.match(plain) else -1

    kept = []
    for m in matches:
        index = starts.get(m[0])
        if index is None or m.rule != "trigger" or len(m[2].split()) > 1:  # "energy security" is not a goal word
            kept.append(m)
            continue
        last = index
        listed = formula(last) and (formula(neighbour(index, -1)) or formula(neighbour(last, +1)))
        pursued = formula(last) and goals is not None and goals.search(text, max(0, m[0] - 80), m[0])
        if not (listed or pursued):
            kept.append(m)
    return kept


def _goal_pattern(language) -> re.Pattern | None:
    """Words of pursuing a goal before a formula word, across at most five words of the same
    list ('ensuring regional stability', 'enhance trade, investment, and regional stability',
    'обеспечения региональной безопасности')."""
    if not language.goal_words:
        return None
    stems = "|".join(re.escape(w[:-1]) + r"[\w-]*" if w.endswith("*") else re.escape(w)
                     for w in sorted(language.goal_words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?i:{stems})\s+(?:[\w-]+,?\s+){{0,5}}$")


PASSING = "passing"  # the rule of a trigger `in_passing` judged named in passing, until `weak_alone`
# A sentence dated this many years or more before the latest year the text names is background
# history ("has ruled since 1992, when the country was immersed in a civil war").
HISTORY_YEARS = 10
_YEAR = re.compile(r"(?<![\w.,-])(1[89]\d\d|20\d\d)(?![\w-])")
_SENTENCE_BOUNDARY = re.compile(r"[.!?…](?=\s)|\n")


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """An alternation of phrases, longest first, a word "stem*" taking any ending ("подозрева* в")."""
    def words(phrase: str) -> str:
        return r"\s+".join(re.escape(word[:-1]) + r"[\w-]*" if word.endswith("*") else re.escape(word)
                           for word in phrase.split())
    return "|".join(words(p) for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=8)
def _passing_patterns(language) -> dict[str, re.Pattern]:
    """The patterns of `in_passing` for one language, from its word lists (a list left empty
    gives no pattern, so its class of rule finds nothing)."""
    patterns = {}
    words = r"(?:[\w-]+\s+)"
    if language.time_words:
        patterns["time"] = re.compile(rf"(?<![\w-])(?i:{_phrase_pattern(language.time_words)})\s+{words}{{0,3}}$")
    joins = _phrase_pattern(language.coordinators) if language.coordinators else None
    if joins and language.modifier_endings:
        patterns["modifier_list"] = re.compile(
            rf"(?<![\w-])(?P<list>[\w-]+(?:,\s+[\w-]+)+,?\s+(?:{joins})\s+[\w-]+)\s+(?P<shared>[\w-]+)")
    # across one coordinated word, not an article ("industry and trade minister", "energy and water
    # ministry"; not "investment and the ministry")
    article = rf"(?!(?i:{_phrase_pattern(language.determiners)})(?![\w-]))" if language.determiners else ""
    coordinated = rf"(?:\s*,?\s+(?i:{joins})\s+{article}[\w-]+)?" if joins else ""
    if language.body_heads:
        patterns["body_name"] = re.compile(
            rf"^{coordinated}\s+(?i:{_phrase_pattern(language.body_heads)})(?![\w-])")
    sentence = r"[^.;!?\n]"
    if language.charge_words:
        # what is charged, up to the clause's first comma ("Japarov, once convicted of kidnapping,
        # won the election": the election is no charge)
        charge = _phrase_pattern(language.charge_words)
        clause = r"[^.;!?\n,]"
        # or across commas through a list of offences that a coordinator closes ("guilty of
        # bribe-taking, abuse of office and illegal possession of weapons")
        offence_list = (rf"|(?:{clause}{{1,80}},){{1,5}}{clause}{{0,80}}?(?<![\w-])(?i:{joins})\s{clause}{{0,80}}"
                        if joins else "")
        patterns["charge"] = re.compile(
            rf"(?<![\w-])(?i:{charge})(?![\w-])(?:{clause}{{0,120}}{offence_list})$")
    if language.charge_heads and language.charge_openers and language.charge_contexts and joins:
        # the trigger inside a list of single words, no article among them, that modifies a
        # charge's head, in a sentence about a case ("sentenced ... on bribery, extortion, and
        # extremism charges"; not "the cap on electricity charges")
        item = rf"(?:{article}[\w-]+(?:,\s+|\s+(?:(?i:{joins})\s+)?|,\s+(?i:{joins})\s+))"
        patterns["charge_opener"] = re.compile(
            rf"(?<![\w-])(?i:{_phrase_pattern(language.charge_openers)})\s+{item}{{0,5}}$")
        patterns["charge_head"] = re.compile(
            rf"^(?:,?\s+(?:(?i:{joins})\s+)?{article}[\w-]+){{0,5}}?\s+"
            rf"(?i:{_phrase_pattern(language.charge_heads)})(?![\w-])")
        patterns["charge_context"] = re.compile(
            rf"(?<![\w-])(?i:{_phrase_pattern(language.charge_contexts)})(?![\w-])")
    if language.seizure_words:
        seizure = _phrase_pattern(language.seizure_words)
        patterns["seizure_before"] = re.compile(rf"(?<![\w-])(?i:{seizure})(?![\w-]){sentence}{{0,100}}$")
    if language.seized_words:
        seized = _phrase_pattern(language.seized_words)
        patterns["seizure_after"] = re.compile(rf"^{sentence}{{0,100}}(?<![\w-])(?i:{seized})(?![\w-])")
    if language.vote_words and language.bill_words:
        patterns["bill"] = re.compile(rf"(?<![\w-])(?i:{_phrase_pattern(language.bill_words)})(?![\w-])")
    if language.disclaimer_words:
        patterns["disclaimer"] = re.compile(
            rf"\([^()]{{0,160}}?(?<![\w-])(?i:{_phrase_pattern(language.disclaimer_words)})(?![\w-])[^()]{{0,80}}\)")
    return patterns


def _is_modifier(word: str, language) -> bool:
    return any(word.lower().endswith(ending) for ending in language.modifier_endings)


def _list_spans(text: str, patterns: dict[str, re.Pattern], language) -> list[tuple[int, int]]:
    """Spans of lists of three or more single words of which at least two (the trigger and
    another) read as modifiers by their endings: adjectives sharing one head noun ('economic,
    energy, environmental, and security goals'). A list of areas ('the economic, social and
    judicial spheres') names what the sentence is about: only after a word of cooperation is it
    boilerplate (`in_cooperation_list`)."""
    spans = []
    area = re.compile(rf"^(?i:{_phrase_pattern(language.area_words)})$") if language.area_words else None
    for found in patterns["modifier_list"].finditer(text) if "modifier_list" in patterns else ():
        words = re.findall(r"[\w-]+", found.group("list"))
        items = [word for word in words if word.lower() not in language.coordinators]
        if area is not None and area.match(found.group("shared")):
            continue
        if len(items) >= 3 and sum(_is_modifier(word, language) for word in items) >= 2:
            spans.append(found.span("list"))
    return spans


def in_passing(matches: list[ThemeMatch], text: str, themes: Sequence[Theme], language) -> list:
    """A trigger the sentence names in passing counts as a weak one (only when the document
    mentions its theme another way too): after a word dating something
    else by the event once ('during the pandemic', 'во время пандемии'; an event dating two
    things is the document's), in a list of modifiers
    sharing a head ('economic, energy, environmental, and security goals'; not a list of areas,
    'the economic, social and judicial spheres'), and right before the head of a body's name
    ('the state security service'). Their words are language data (words.yaml
    time_words, area_words, modifier_endings, body_heads). A rule followed ('in compliance with
    the Constitution') is not in passing: the seeds' gold codes it as what the sentence is about.
    Also after a charge, up to the clause's first comma ('sentenced on a charge of calling for
    the overthrow of the constitutional order': the court's word for the act) or through a list
    of offences that a coordinator closes ('guilty of bribe-taking, abuse of office and illegal
    possession of weapons'; not 'Japarov, once convicted of kidnapping, won the election'), in a list of
    offences modifying a charge in a sentence about a case ('sentenced on bribery, extortion,
    and extremism charges'; words.yaml charge_heads, charge_openers, charge_contexts), and beside a
    seizure in the same sentence ('rifles and other weapons were seized': evidence of a crime),
    unless the theme's triggers name offences (`Theme.offences`: "convicted of embezzlement" is
    corruption); and in a sentence dated a decade or more before the latest year the text names
    (background history, `HISTORY_YEARS`); a vote in a sentence about a bill, a resolution
    or a budget ('33 deputies voted for the draft law': a legislature's vote, no election); and
    inside a legal disclaimer in brackets ('the Taliban (terrorist organisation, banned in Russia)':
    what the law makes a publisher print). Words: words.yaml charge_words, seizure_words,
    seized_words, year_words, vote_words, bill_words, disclaimer_words."""
    patterns = _passing_patterns(language)
    if not patterns:
        return matches
    lists = _list_spans(text, patterns, language)

    def phrase_before(name: str, m: ThemeMatch) -> int | None:
        """Where the phrase of class `name` before the trigger starts, if there is one."""
        found = patterns[name].search(text, max(0, m.start - 260), m.start) if name in patterns else None
        return found.start() if found else None

    def follows(name: str, m: ThemeMatch) -> bool:
        return phrase_before(name, m) is not None

    def modifies_a_charge(m: ThemeMatch) -> bool:
        """The trigger in a list of words between a charge opener and a charge's head ("on
        bribery, extortion, and extremism charges")."""
        if "charge_head" not in patterns or not patterns["charge_head"].match(text[m.end:m.end + 80]):
            return False
        return follows("charge_opener", m) and bool(patterns["charge_context"].search(sentence_of(m)))

    def sentence_of(m: ThemeMatch) -> str:
        """The words of the trigger's sentence before and after it, the trigger left out."""
        before = re.search(r"[^.;!?\n]*$", text[max(0, m.start - 250):m.start]).group()
        return before + " " + re.match(r"[^.;!?\n]*", text[m.end:m.end + 250]).group()

    def legislature_votes(m: ThemeMatch) -> bool:
        """A vote on a bill, a resolution or a budget ("33 deputies voted for the draft law"), named
        in the vote's sentence or the one before ("The Senate passed the bill. Sixty-six members voted
        for it")."""
        if "bill" not in patterns or m.trigger not in language.vote_words:
            return False
        *before, _ = re.split(r"[.;!?\n]", text[max(0, m.start - 400):m.start])  # the last is the vote's own
        previous = next((clause for clause in reversed(before) if re.search(r"\w", clause)), "")
        return bool(patterns["bill"].search(sentence_of(m)) or patterns["bill"].search(previous))

    def seized(m: ThemeMatch) -> bool:
        """A word of a seizure after the trigger in its sentence ("weapons were seized")."""
        return "seizure_after" in patterns and bool(patterns["seizure_after"].match(text[m.end:m.end + 140]))

    offences = {theme.key for theme in themes if theme.offences}
    # an event that dates several things in one document ("injured during the riots", "treated
    # in hospital during the riots") is the document's event, not a date for something else
    dating = defaultdict(set)
    for m in matches:
        if m.rule == "trigger" and (start := phrase_before("time", m)) is not None:
            dating[m.key].add(start)
    history = _history_sentences(text, _year_words(language))
    disclaimers = [found.span() for found in patterns["disclaimer"].finditer(text)] if "disclaimer" in patterns else []
    out = []
    for m in matches:
        if m.rule == "trigger":
            one_word = len(m.text.split()) == 1
            passing = (
                (follows("time", m) and len(dating[m.key]) < 2)
                or any(start <= m.start and m.end <= end for start, end in lists if one_word)
                or ("body_name" in patterns and bool(patterns["body_name"].match(text[m.end:m.end + 60]))
                    and (language.noun_modifiers or _is_modifier(m.text.split()[-1], language)))
                or (m.key not in offences and (follows("charge", m) or modifies_a_charge(m)
                                               or follows("seizure_before", m) or seized(m)))
                or any(start <= m.start < end for start, end in history)
                or legislature_votes(m)
                or any(start <= m.start and m.end <= end for start, end in disclaimers)
            )
            if passing:
                m = m._replace(rule=PASSING)
        out.append(m)
    return out


@lru_cache(maxsize=8)
def _year_words(language) -> frozenset[str]:
    """Words that make a four-digit number a year beside it: the language's `year_words` ("in",
    "since", "году") and its month names ("5 March 2024"), when it has a dates file."""
    return frozenset(language.year_words) | _month_names(language.code)


@lru_cache(maxsize=8)
def _month_names(code: str) -> frozenset[str]:
    """The month names of language `code` from its dates.yaml; none when it has no dates file."""
    defaults = get_language(code)
    if defaults.folder is None or not defaults.dates_file.exists():
        return frozenset()
    return frozenset(load_dates(code).months)


def _history_sentences(text: str, year_words: frozenset[str]) -> list[tuple[int, int]]:
    """The sentences whose years are all HISTORY_YEARS or more before the latest year the text
    names: background, not what the text reports. A number counts as a year only beside a word
    of `year_words`, or one word after it ("in 1992", "in the 2020 vote", "в 1992 году", "5 March
    2024"): "2000 people" is a quantity, "until 2040" a target, and neither moves the latest year."""
    if not year_words:
        return []
    years = []
    for found in _YEAR.finditer(text):
        before = text[max(0, found.start() - 20):found.start()].split()
        after = text[found.end():found.end() + 20].split()
        if any(word.lower().strip(",") in year_words for word in before[-2:]) or (
                after and after[0].lower().strip(".,") in year_words):  # "in 1992", "in the 2020 vote"
            years.append((found.start(), int(found.group(1))))
    if not years:
        return []
    latest = max(year for _, year in years)
    ends = [found.end() for found in _SENTENCE_BOUNDARY.finditer(text)]
    newest: dict[int, int] = {}  # sentence index -> its latest year
    for at, year in years:
        index = bisect.bisect_right(ends, at)
        newest[index] = max(year, newest.get(index, year))
    bounds = [0, *ends, len(text)]
    return [(bounds[index], bounds[index + 1]) for index, year in sorted(newest.items())
            if year <= latest - HISTORY_YEARS]


# how often a weak word of a `weak_together` theme makes a mention by itself: a story that names
# "the border" again and again is about it, where one word in passing is not
REPEATED_WEAK = 3


def weak_alone(matches: list[ThemeMatch], text: str, themes: Sequence[Theme], language) -> list:
    """A weak trigger ('court', 'the internal political situation') counts only when the
    document mentions the theme another way too: a court in passing is not the judiciary.
    A weak trigger kept this way says so (`rule` "weak"). Named in several sentences, a weak
    word is still weak: "water" three times in a flood story is not water management. For a
    theme with `weak_together`, two different weak words are another way ("the border" and
    "border guards": a story about the border), and so is one of its weak words named again and
    again (`REPEATED_WEAK` times, not counting its mentions in passing): such a theme's weak words
    all speak of it, only too briefly alone."""
    weak = {theme.key: set(theme.weak) for theme in themes}
    together = {theme.key for theme in themes if theme.weak_together}

    def is_weak(m: ThemeMatch) -> bool:
        phrases = weak.get(m.key, set())
        return m.rule == PASSING or (m.rule == "trigger" and bool(phrases) and (
            _normalise_phrase(m.text) in phrases or m.trigger in phrases or _weak_form(m.text, phrases, language)))

    strong = {m.key for m in matches if not is_weak(m)}
    words = defaultdict(set)
    places = defaultdict(set)
    for m in matches:
        if m.key in together and is_weak(m):
            words[m.key].add(m.trigger)
            if m.rule != PASSING:
                places[m.key].add(m.start)
    strong |= {key for key, found in words.items() if len(found) >= 2}
    strong |= {key for key, found in places.items() if len(found) >= REPEATED_WEAK}
    return [m._replace(rule="weak") if is_weak(m) else m for m in matches if m.key in strong]


def _weak_form(surface: str, weak: set[str], language) -> bool:
    """The surface is a weak trigger once its words are in a base form of the language
    ("courts" -> "court"; in Russian, each word's lemma: "чрезвычайного положения" ->
    "чрезвычайное положение")."""
    words = _normalise_phrase(surface).split()
    if not words:
        return False
    forms = [set(language.singulars(word)) for word in words]
    return any(len(phrase.split()) == len(words)
               and all(forms[i] & set(language.singulars(word)) for i, word in enumerate(phrase.split()))
               for phrase in weak)


THEME_RULES: tuple[ThemeRule, ...] = (
    ThemeRule("in_cooperation_list", in_cooperation_list, "areas of cooperation listed in passing"),
    ThemeRule("in_title", in_title, "a trigger inside a job title or a name"),
    ThemeRule("in_formula", in_formula, "a goal in a set formula ('peace and stability')"),
    ThemeRule("in_passing", in_passing, "a trigger named in passing counts as a weak one"),
    ThemeRule("weak_alone", weak_alone, "a weak trigger needs another mention of its theme"),
)


def themes_about(
    matches: Sequence[tuple], text: str, themes: Sequence[Theme], rules: Sequence[ThemeRule] = THEME_RULES,
    language=None, rejected: list | None = None,
) -> list[ThemeMatch]:
    """The theme matches of one document that the document is about (every rule, in order;
    `language`: the document's word lists, English by default), each with its trigger and the
    rule that accepted it. With a list as `rejected`, each match a rule dropped is added to it
    as (match, rule name): why a trigger did not count."""
    language = language or load_language()
    kept = [_as_match(m) for m in matches]
    for rule in rules:
        before, kept = kept, rule.apply(kept, text, themes, language)
        if rejected is not None:
            left = {(m.start, m.end, m.key) for m in kept}
            rejected.extend((m, rule.name) for m in before if (m.start, m.end, m.key) not in left)
    return kept


# ----------------------------------------------------------------------------- cues


def _cue_pattern(words: Iterable[str]) -> re.Pattern:
    """One group of a cue as a regex: whole words, "stem*" for any ending, spaces and dashes
    between the words of a phrase ("государств — членов" for "государств* член*")."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        pieces = [re.escape(piece[:-1]) + r"[\w-]*" if piece.endswith("*") else re.escape(piece)
                  for piece in word.split()]
        parts.append(r"[\s—–-]+".join(pieces))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _compiled(groups: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern, ...]:
    return tuple(_cue_pattern(group) for group in groups)


@lru_cache(maxsize=8)
def _month_pattern(code: str) -> re.Pattern | None:
    """The month names of language `code` as one pattern, or None without a dates file."""
    names = sorted(_month_names(code), key=len, reverse=True)
    if not names:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(name) for name in names)})\.?(?![\w-])", re.IGNORECASE)


def month_spans(text: str, sentences: Sequence[tuple[int, int]], code: str) -> list[tuple[int, int]]:
    """Month names used as dates: beside a number ("5 March", "марта 2021") or capitalised inside
    a sentence ("since March"). A cue's word there is a date, not the word: "restrictions were
    lifted since March" bans no march. Month names come from the language's dates.yaml."""
    pattern = _month_pattern(code)
    if pattern is None:
        return []
    starts = {start for start, _ in sentences} | {len(text) - len(text.lstrip())}
    spans = []
    for hit in pattern.finditer(text):
        word = hit.group()
        # "5 March", "March 2021", "5 марта": a number beside it in the same clause
        beside_number = bool(re.search(r"\d\s*$", text[max(0, hit.start() - 4):hit.start()])
                             or re.match(r"\s*\d", text[hit.end():hit.end() + 4]))
        if beside_number or (word[0].isupper() and not word.isupper() and hit.start() not in starts):
            spans.append(hit.span())
    return spans


def _in_a_name(span: tuple[int, int], names: Sequence[tuple[int, int]], places: Sequence[tuple[int, int]]) -> bool:
    """True when `span` is inside a name, not a phrase holding a whole name ("citizens working in
    Russia") nor the head that ends a place's name ("the Aral Sea": the sea is the place)."""
    start, end = span
    headed = {place for place in places if _heads(start, end, place)}
    return _excluded(start, end, [name for name in names if name not in headed])


def cue_mentions(text: str, sentences: Sequence[tuple[int, int]], actors: Sequence[tuple],
                 themes: Sequence[Theme], dates: Sequence[tuple[int, int]] = (),
                 places: Sequence[tuple[int, int]] = ()) -> list[ThemeMatch]:
    """Theme mentions marked by combinations of words in one sentence (`Theme.cues`): "hundreds
    gathered on the square demanding the minister's resignation" is unrest without the word
    "protest". Every group of a cue must match in the sentence, outside actor names (a phrase may
    hold a whole name: "citizens working in Russia"; a cue with `in_names` counts words inside
    names too: "the Bishkek City Court ruled"); the group
    `@association` is met by the name of one of the theme's associations ("the CSTO decided to
    send peacekeeping forces"). The mention is the first group's words, its trigger every
    group's words joined by " + "; one mention per theme and sentence (the first cue that fits).
    A cue's word inside one of the theme's exclusion phrases does not count, as a trigger there
    would not ("held" in "held hostage" is no detention), nor one that is a date (`dates`,
    `month_spans`: "since March" is no march). `actors` are (start, end) or (start, end, key); a
    word that ends the name of one of `places` is its head and counts ("restoring the Aral Sea")."""
    names = [(actor[0], actor[1]) for actor in actors]
    found: dict[tuple[str, int], ThemeMatch] = {}
    for theme in themes:
        excluded = [h.span() for h in _compiled((theme.exclude,))[0].finditer(text)] if theme.exclude else []
        spans = list(dates) + excluded
        members = [(a[0], a[1], text[a[0]:a[1]]) for a in actors if len(a) > 2 and a[2] in theme.associations]
        for cue in theme.cues:
            words = tuple(group for group in cue.groups if group != (ASSOCIATION_CUE,))
            needs_association = len(words) < len(cue.groups)
            patterns = _compiled(words)
            veto = _compiled((cue.none,))[0] if cue.none else None
            for start, end in sentences:
                named = [m for m in members if start <= m[0] < end]
                if (needs_association and not named) or (theme.key, start) in found:
                    continue
                if veto is not None and veto.search(text, start, end):
                    continue
                hits = []
                for pattern in patterns:
                    # each group's own words: "detention" cannot be both the detention and the
                    # "detention centre" it is held in
                    taken = spans + [hit.span() for hit in hits]
                    # a cue's phrase may hold a whole name ("citizens working in Russia"), while
                    # a word inside a name ("the Democracy Fund") is no cue
                    hit = next((h for h in pattern.finditer(text, start, end)
                                if (cue.in_names or not _in_a_name(h.span(), names, places))
                                and not any(a < h.end() and h.start() < b for a, b in taken)), None)
                    if hit is None:
                        break
                    hits.append(hit)
                else:
                    first = hits[0]
                    parts = [_normalise_phrase(h.group()) for h in hits]
                    if needs_association:
                        parts.insert(0, named[0][2])
                    found[theme.key, start] = ThemeMatch(first.start(), first.end(), first.group(), theme.key,
                                                         " + ".join(parts), f"cue:{cue.name}")
    return sorted(found.values())


def association_contexts(text: str, actors: Sequence[tuple[int, int, str]], themes: Sequence[Theme],
                         language) -> list[ThemeMatch]:
    """Theme mentions made by the words around an association's name: 'cooperation within the
    SCO', 'SCO member states'. The name itself stays the actor's (no circular pair); only the
    cooperation or membership words (found by the language's `Finders.association_words`)
    become the theme mention. `actors` are (start, end, key)."""
    owner = {key: theme.key for theme in themes for key in theme.associations}
    finder = language.finders.association_words
    if not owner or finder is None:
        return []
    found = [ThemeMatch(start, end, surface, owner[key], surface.lower(), "association")
             for begin, finish, key in actors if key in owner
             for start, end, surface in finder(text, begin, finish, language)]
    return sorted(set(found))
