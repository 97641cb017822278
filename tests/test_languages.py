"""One package per language: the registry finds the language folders, a language from a folder
elsewhere is one registration, shared code names no language, and a Russian-only run needs no
English model."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.pipeline import AnnotatorConfig, PipelineError, build_annotator
from analysis.corpus.reader import read_corpus
from analysis.lang.registry import (
    LanguageRegistryError,
    get_language,
    register_language,
    registered_languages,
    supported_languages,
    unregister_language,
)
from analysis.lang.words import OPTIONAL_WORD_LISTS, WORD_LISTS, LanguageError, load_language, read_language

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
# The one place outside analysis/lang/ that may name a language: the configuration defaults
# (DEFAULT_LANGUAGE, DEFAULT_LANGUAGES).
CONFIGURATION_DEFAULTS = PACKAGE / "schema.py"


def _shared_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "lang" not in path.relative_to(PACKAGE).parts[:1])


def _strings(path: Path) -> list[ast.Constant]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_the_registry_finds_every_language_folder() -> None:
    folders = {init.parent.name for init in (PACKAGE / "lang").glob("*/__init__.py")}
    assert set(supported_languages()) == folders == {"en", "ru"}
    russian = get_language("ru")
    assert russian.folder == (PACKAGE / "lang" / "ru").resolve()
    assert russian.dates_file.is_file() and russian.actors_file.is_file() and russian.themes_file.is_file()
    assert load_language("ru").finders.roles is not None  # its finders come with its word lists


def test_no_language_code_outside_lang_but_the_configuration_defaults() -> None:
    codes = set(registered_languages())
    found = [f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
             for path in _shared_modules() if path != CONFIGURATION_DEFAULTS
             for node in _strings(path) if node.value in codes]
    assert found == []


def test_no_language_word_list_outside_lang() -> None:
    """No regular expression in shared code lists words (an alternation 'reports|said'), nor
    uses a word of any language's word lists ('the', 'of', 'cooperation')."""
    words: set[str] = set()
    for code in supported_languages():
        language = load_language(code)
        for phrase in (*(w for name in (*WORD_LISTS, *OPTIONAL_WORD_LISTS) for w in getattr(language, name)),
                       *language.roles):
            words.update(word for word in re.findall(r"[^\W\d_]+", phrase) if len(word) > 1)
    regex = re.compile(r"\\[bsSwWd]|\(\?[:=!<P]|\$$|^\^")
    alternation = re.compile(r"(?<![\\\w])[^\W\d_]{2,}\??\|[^\W\d_]{2,}")
    found = []
    for path in _shared_modules():
        for node in _strings(path):
            if not regex.search(node.value):
                continue
            used = {word.lower() for word in re.findall(r"[^\W\d_]+", re.sub(r"\\[a-zA-Z]", " ", node.value))} & words
            if used or alternation.search(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r} {sorted(used)}")
    assert found == []


def test_the_check_finds_a_word_list_in_shared_code(tmp_path: Path) -> None:
    """The scan above is not vacuous: a module with an English word list in a regex is caught."""
    module = tmp_path / "bad.py"
    module.write_text('import re\nCREDIT = re.compile(r"^\\s+(?:reports?|said)\\s*[.:]")\nTHE = "^the\\\\s+"\n')
    values = [node.value for node in _strings(module)]
    assert any(re.search(r"(?<![\\\w])[^\W\d_]{2,}\??\|[^\W\d_]{2,}", value) for value in values)
    assert "^the\\s+" in values


TOY_INIT = '''
    """Toy: a made-up language, one folder: a blank spaCy tokenizer, the lexicon's names and its
    own, and a role finder ("la prezidento")."""

    import re

    import spacy

    from analysis.annotate.actors import LABEL_FOR_CATEGORY, RoleMatch, Resolver
    from analysis.annotate.names import load_names, localise
    from analysis.annotate.pipeline import LanguageAnnotator, ruler_patterns
    from analysis.annotate.themes import add_theme_matcher
    from analysis.lang.registry import LanguageDefaults
    from analysis.lang.words import Finders, load_language

    ROLE = re.compile(r"\\b[Ll]a (?P<role>prezidento)\\b")


    def find_roles(text, resolved, context):
        for match in ROLE.finditer(text):
            start, end = match.span("role")
            yield RoleMatch(start, start, end, context.language.roles[match.group("role")], None, end)


    def build(annotator):
        language = load_language("xx")
        lexicon, institutions = localise(annotator.lexicon, load_names("xx"), annotator.lexicon.normalise,
                                         annotator.institutions)
        nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "validate": False})
        ruler.add_patterns(ruler_patterns(lexicon) + [
            {"label": LABEL_FOR_CATEGORY[lexicon.actors[key].category], "pattern": name, "id": key}
            for key, names in lexicon.names.items() for name in names])
        add_theme_matcher(nlp, (), language="xx")
        return LanguageAnnotator("xx", nlp, Resolver(lexicon, institutions, language=language), (), language)


    DEFAULTS = LanguageDefaults(code="xx", name="Toy", builder=build, finders=Finders(roles=find_roles))
'''
TOY_WORDS = """
    determiners: [la]
    titles: [prezidento]
    sentence_final: [".", "!", "?"]
    roles: {prezidento: President}
"""
TOY_ACTORS = """
    names:
      sadyr-japarov: [Ĵaparovo]
      rus: [Rusio]
"""


@pytest.fixture
def toy_language(tmp_path: Path):
    folder = tmp_path / "xx"
    folder.mkdir()
    for name, text in (("__init__.py", TOY_INIT), ("words.yaml", TOY_WORDS), ("actors.yaml", TOY_ACTORS)):
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    register_language(folder)
    yield folder
    unregister_language("xx")


def test_a_third_language_is_one_folder_and_one_registration(toy_language: Path) -> None:
    assert "xx" in supported_languages() and get_language("xx").folder == toy_language.resolve()
    annotator = build_annotator(languages=("xx",))
    text = "Ĵaparovo vizitis Rusio kaj Vladimir Putin. La prezidento dankis."
    tables = annotate_batch(annotator, Batch(["toy"], [text], [None], ["xx"]))
    actors = tables.mentions[tables.mentions["kind"] == "actor"]
    found = set(zip(actors["text"], actors["key"], actors["via"], strict=True))
    assert {("Ĵaparovo", "sadyr-japarov", "text"), ("Rusio", "rus", "text"),
            ("Vladimir Putin", "vladimir-putin", "text")} <= found
    # the shared role decision, with the toy's finder: two presidents are named, so whose? none
    assert not any(via == "role" for *_, via in found)
    alone = annotate_batch(annotator, Batch(["toy"], ["Ĵaparovo parolis. La prezidento dankis."], [None], ["xx"]))
    roles = alone.mentions[alone.mentions["via"] == "role"]
    assert list(zip(roles["text"], roles["key"], strict=True)) == [("prezidento", "sadyr-japarov")]
    # the folder is the language's fingerprint: a change to its words re-annotates
    words = toy_language / "words.yaml"
    words.write_text(words.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert build_annotator(languages=("xx",)).fingerprint != annotator.fingerprint


def test_a_language_gives_only_the_word_lists_it_has(tmp_path: Path) -> None:
    words = tmp_path / "words.yaml"
    words.write_text(textwrap.dedent(TOY_WORDS), encoding="utf-8")
    toy = read_language(words, "xx")
    assert toy.determiners == {"la"} and toy.of_words == frozenset() and toy.roles == {"prezidento": "President"}
    words.write_text("sentence_final: [.]\ndeterminer: [la]\n", encoding="utf-8")
    with pytest.raises(LanguageError, match=r"words\.yaml: unknown field\(s\) \['determiner'\]"):
        read_language(words)
    words.write_text("determiners: [la]\n", encoding="utf-8")
    with pytest.raises(LanguageError, match=r"words\.yaml: field 'sentence_final' must be a list"):
        read_language(words)
    # whether a noun modifies the next one is a yes or no, English's by default
    assert toy.noun_modifiers is True and load_language("ru").noun_modifiers is False
    words.write_text(textwrap.dedent(TOY_WORDS) + "noun_modifiers: sometimes\n", encoding="utf-8")
    with pytest.raises(LanguageError, match=r"words\.yaml: 'noun_modifiers' must be true or false, got 'sometimes'"):
        read_language(words)


def test_unregistering_removes_the_language(toy_language: Path) -> None:
    unregister_language("xx")
    assert "xx" not in supported_languages()
    with pytest.raises(PipelineError, match=r"no annotation pipeline for language\(s\) \['xx'\]"):
        AnnotatorConfig(languages=("xx",))


def test_a_folder_without_defaults_is_refused_with_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "zz"
    folder.mkdir()
    (folder / "__init__.py").write_text("NAME = 'zz'\n", encoding="utf-8")
    with pytest.raises(LanguageRegistryError, match=r"zz/__init__.py: expected DEFAULTS = LanguageDefaults"):
        register_language(folder)
    assert "zz" not in supported_languages()


def test_a_russian_only_run_needs_no_english_model() -> None:
    with pytest.raises(PipelineError, match="is not installed"):  # English would need it
        build_annotator("en_core_web_nonexistent")
    annotator = build_annotator("en_core_web_nonexistent", languages=("ru",))
    tables = annotate_batch(annotator, Batch(["r"], ["Садыр Жапаров встретился с Владимиром Путиным в Москве."],
                                             [None], ["ru"]))
    assert {"sadyr-japarov", "vladimir-putin"} <= set(tables.mentions["key"])
    assert annotator.loaded_languages() == ("ru",)


READING_INIT = """
    from analysis.lang.registry import LanguageDefaults

    DEFAULTS = LanguageDefaults(code="xx", name="Toy", builder="unused:build")
"""
READING_DATES = r"""
    months: {januaro: 1, junio: 6}
    dates: ['(?P<day>\d{1,2})-a de (?P<month>[a-z]+) (?P<year>\d{4})']
    datelines:
      - '^(?P<day>\d{1,2})-a de (?P<month>[a-z]+) (?P<year>\d{4}), (?P<place>[A-Z]+) [–-] '
    bylines: ['^(?P<source>[A-Z]\w+) [|] (?P<date>.+)$']
"""
READING_RULES = r"""
    boilerplate: ['(?i)^daŭrigota\.?$', '^Fonto:.*$']
    source_lines: ['^Fonto: (?P<source>.+)$']
    attributions: ['(?P<source>[A-Z]\w+) raportis\.']
"""
READING_TEXTS = {
    "dateline.txt": "3-a de junio 2021, BISKEKO – Ĵaparovo vizitis Rusio.\n\nDaŭrigota.\n\nFonto: Kabaro\n",
    "impossible.txt": "31-a de junio 2021, BISKEKO – Ĵaparovo parolis.\n",
    "byline.txt": "Ĵaparovo vizitis Rusio.\n\nKabaro | 12-a de januaro 2021\n",
    "credit.txt": "Ĵaparovo vizitis Rusio. Kabaro raportis.\n",
}


def _read_toy_corpus(folder: Path) -> dict[str, tuple]:
    folder.mkdir(exist_ok=True)
    for name, text in READING_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = read_corpus(folder)
    return {row.doc_id: (row.text, None if pd.isna(row.date) else row.date.date().isoformat(), row.date_source,
                         None if pd.isna(row.source) else row.source)
            for row in result.documents.itertuples()}, set(result.problems["reason"])


def test_a_languages_reading_rules_come_from_its_folder_only(tmp_path: Path) -> None:
    """Datelines, bylines, dates, boilerplate, source lines and attributions given in a toy
    language's folder are applied by the corpus reader once the folder is registered, and only
    then."""
    language = tmp_path / "xx"
    language.mkdir()
    for name, text in (("__init__.py", READING_INIT), ("words.yaml", TOY_WORDS), ("dates.yaml", READING_DATES),
                       ("reading.yaml", READING_RULES)):
        (language / name).write_text(textwrap.dedent(text), encoding="utf-8")
    before, _ = _read_toy_corpus(tmp_path / "corpus")
    assert before["dateline"] == ("3-a de junio 2021, BISKEKO – Ĵaparovo vizitis Rusio.\n\nDaŭrigota.\n\n"
                                  "Fonto: Kabaro", None, "none", None)
    register_language(language)
    try:
        after, reasons = _read_toy_corpus(tmp_path / "corpus")
    finally:
        unregister_language("xx")
    assert after["dateline"] == ("Ĵaparovo vizitis Rusio.", "2021-06-03", "dateline", "Kabaro")
    assert after["impossible"] == ("Ĵaparovo parolis.", None, "none", None)
    assert ("malformed dateline date '31 junio 2021'; the dateline was removed and the document kept undated"
            in reasons)
    assert after["byline"] == ("Ĵaparovo vizitis Rusio.", "2021-01-12", "byline", "Kabaro")
    assert after["credit"] == ("Ĵaparovo vizitis Rusio. Kabaro raportis.", None, "none", "Kabaro")
    assert _read_toy_corpus(tmp_path / "corpus")[0] == before  # unregistered: its rules are gone
