"""Corpus-level actor linking (analysis/link/): one real actor, one key, across documents,
spellings and scripts; the user's merges file; the review list; facilities; Russian names in
the nominative with the right gender."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.lang.ru.morphology import nominative_name
from analysis.link.actors import COUNTED_COLUMNS, ActorCounts, actor_summary, summarise
from analysis.link.corpus import decide
from analysis.link.link import Links, apply_links, link_actors
from analysis.link.merges import MergesError, read_merges
from analysis.link.names import name_skeleton, person_name
from analysis.link.review import review_actors, write_review
from analysis.reports.notebook import ParameterError, check_parameters
from analysis.stats.counts import filter_mentions
from analysis.workflow import actor_review, annotate_corpus, load_annotated_corpus

DOCUMENTS = [
    {"id": "a", "language": "en", "date": "2021-03-01",
     "text": "Temirbek Asankulov, the head of a mining company, met investors in Bishkek on Monday. "
             "Asankulov said the Kumtor gold mine would reopen."},
    {"id": "b", "language": "en", "date": "2021-03-02",
     "text": "Businessman Temirbek Asanqulov was detained in Osh on Tuesday, his lawyer said. "
             "Mr Asanqulov denies the charges."},
    {"id": "c", "language": "ru", "date": "2021-03-03",
     "text": "В Бишкеке задержан бизнесмен Темирбек Асанкулов. По данным следствия, Асанкулов скрывался "
             "от правосудия."},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("linking")
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCUMENTS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("linking-cache")


def _keys_of(mentions: pd.DataFrame, surname_start: str) -> set[str]:
    actors = mentions[mentions["kind"] == "actor"]
    return set(actors.loc[actors["text"].str.contains(surname_start), "key"])


def _summary(rows: list[tuple[str, str, str, int]], texts: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """An actor summary from (key, name, category, mentions) rows, each mention written as
    the name unless `texts` gives the written forms."""
    mentions = []
    for key, name, category, count in rows:
        for number, text in enumerate((texts or {}).get(key, [name] * count)):
            mentions.append({"doc_id": f"{key}-{number}", "kind": "actor", "key": key, "name": name,
                             "category": category, "affiliation": None, "text": text, "label": "PERSON"})
    return actor_summary(pd.DataFrame(mentions))


# ----------------------------------------------------------------------------- names


def test_spelling_and_script_variants_share_a_skeleton():
    assert name_skeleton("Kamchybek Kolbayev") == name_skeleton("Kamchybek Kolbaev") == name_skeleton(
        "Камчыбек Колбаев")
    assert name_skeleton("Qasym-Zhomart Toqaev") == name_skeleton("Kassym-Jomart Tokayev")
    assert person_name("Колбаева").surname == person_name("Kolbaev").surname  # a genitive too
    assert name_skeleton("Sadyr Japarov") != name_skeleton("Akylbek Japarov")


# ----------------------------------------------------------------------------- whole corpus


def test_two_spellings_and_a_cyrillic_form_in_three_documents_are_one_key(corpus, cache):
    raw, _ = annotate_corpus(corpus, cache_dir=cache, progress=False).parts.load()
    assert len(_keys_of(raw, "Asan") | _keys_of(raw, "Асанкулов")) == 3  # annotation alone: three keys
    mentions = load_annotated_corpus(corpus, cache_dir=cache, progress=False).mentions
    keys = _keys_of(mentions, "Asan") | _keys_of(mentions, "Асанкулов")
    assert keys == {"temirbek-asankulov"}
    names = set(mentions.loc[mentions["key"] == "temirbek-asankulov", "name"])
    assert names == {"Temirbek Asankulov"}  # the Latin, most frequent full form, also in Russian rows
    assert set(mentions.loc[mentions["key"] == "temirbek-asankulov", "doc_id"].str[-1]) == {"a", "b", "c"}


def test_merges_different_keeps_an_automatic_merge_apart(corpus, cache, tmp_path):
    merges = tmp_path / "merges.yaml"
    merges.write_text("different:\n  - [temirbek-asankulov, temirbek-asanqulov]\n", encoding="utf-8")
    mentions = load_annotated_corpus(corpus, cache_dir=cache, progress=False, merges=merges).mentions
    assert _keys_of(mentions, "Asanqulov") == {"temirbek-asanqulov"}
    assert _keys_of(mentions, "Asankulov") == {"temirbek-asankulov"}


def test_merges_same_names_and_categories_apply_everywhere(corpus, cache, tmp_path):
    merges = tmp_path / "merges.yaml"
    merges.write_text("same:\n  - [osh, bishkek]\nnames:\n  osh: Osh and Bishkek\ncategories:\n  osh: facility\n",
                      encoding="utf-8")
    mentions = load_annotated_corpus(corpus, cache_dir=cache, progress=False, merges=merges).mentions
    places = mentions[mentions["text"].isin(["Osh", "Bishkek", "Бишкеке"])]
    assert set(places["key"]) == {"osh"} and set(places["name"]) == {"Osh and Bishkek"}
    assert set(places["category"]) == {"facility"}


def test_a_reviewed_tsv_works_as_merges(corpus, cache, tmp_path):
    review = actor_review(annotate_corpus(corpus, cache_dir=cache, progress=False))
    merged = review[(review["kind"] == "automatic merge") & (review["key"] == "temirbek-asanqulov")]
    assert len(merged) == 1 and merged["other"].iloc[0] == "temirbek-asankulov"
    assert merged["context"].iloc[0].startswith("b: ")
    review.loc[merged.index, "decision"] = "different"
    path = tmp_path / "review.tsv"
    write_review(review, path)
    mentions = load_annotated_corpus(corpus, cache_dir=cache, progress=False, merges=path).mentions
    assert _keys_of(mentions, "Asanqulov") == {"temirbek-asanqulov"}
    assert _keys_of(mentions, "Асанкулов") == {"temirbek-asankulov"}


def test_review_actors_command_writes_a_list_the_merges_option_reads(corpus, cache, tmp_path, capsys):
    out = tmp_path / "review.tsv"
    assert main(["review-actors", str(corpus), "--cache", str(cache), "--out", str(out)]) == 0
    review = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert {"decision", "kind", "key", "other", "score", "context"} <= set(review.columns)
    assert (review["decision"] == "").all()
    assert main(["annotate", str(corpus), "--cache", str(cache), "--merges", str(out)]) == 0


def test_facilities_are_their_own_category_and_can_be_counted(corpus, cache):
    corpus_data = load_annotated_corpus(corpus, cache_dir=cache, progress=False)
    mine = corpus_data.mentions[corpus_data.mentions["text"] == "Kumtor gold mine"]
    assert set(mine["category"]) == {"facility"}
    chosen = filter_mentions(corpus_data.mentions, corpus_data.documents, kind="actor",
                             categories=["place", "facility"])
    assert {"facility", "place"} == set(chosen["category"])
    assert check_parameters(categories=["person", "place", "facility"])["categories"] == ["person", "place",
                                                                                          "facility"]
    with pytest.raises(ParameterError):
        check_parameters(categories=["mine"])


# ----------------------------------------------------------------------------- the rules


def test_people_sharing_a_surname_with_different_given_names_stay_apart():
    summary = _summary([("akylbek-temirov", "Akylbek Temirov", "person", 3),
                        ("nurlan-temirov", "Nurlan Temirov", "person", 2),
                        ("temirov", "Temirov", "person", 4)])
    links = link_actors(summary)
    linked = dict(zip(links.table["key"], links.table["linked"], strict=True))
    assert linked["akylbek-temirov"] != linked["nurlan-temirov"]
    assert linked["temirov"] == "temirov"  # a surname that could mean two people is not merged ...
    assert set(links.candidates.loc[links.candidates["key"] == "temirov", "other"]) == {
        "akylbek-temirov", "nurlan-temirov"}  # ... but listed


def test_a_surname_alone_joins_the_one_full_name_it_can_mean():
    summary = _summary([("kamchy-kolbaev", "Kamchy Kolbaev", "person", 3),
                        ("kamchybek-kolbayev", "Kamchybek Kolbayev", "person", 2),
                        ("kolbaev", "Kolbaev", "person", 4)])
    links = link_actors(summary)
    assert set(links.table["linked"]) == {"kamchy-kolbaev"}


def test_a_given_name_and_patronymic_join_the_one_full_name_with_that_given_name():
    # Russian addresses a person by given name and patronymic, with no surname
    summary = _summary([("temirbek-asankulov", "Temirbek Asankulov", "person", 5),
                        ("темирбек-шарипович", "Темирбек Шарипович", "person", 2)])
    links = link_actors(summary).table.set_index("key")["linked"]
    assert links["темирбек-шарипович"] == "temirbek-asankulov"
    # two people with that given name: listed, not merged; a surname with a patronymic's
    # ending ("Пашкевич") is a surname
    two = _summary([("temirbek-asankulov", "Temirbek Asankulov", "person", 5),
                    ("temirbek-kurmanov", "Temirbek Kurmanov", "person", 3),
                    ("темирбек-шарипович", "Темирбек Шарипович", "person", 2)])
    result = link_actors(two)
    assert result.table.set_index("key")["linked"]["темирбек-шарипович"] == "темирбек-шарипович"
    assert "темирбек-шарипович" in set(result.candidates.iloc[:, 0])
    assert person_name("Ксения Пашкевич").full and person_name("Темирбек Шарипович").patronymic_only
    # a woman's patronymic does not join a man of that given name
    woman = _summary([("aigul-asankulov", "Aigul Asankulov", "person", 5),
                      ("айгуль-кемеловна", "Айгуль Кемеловна", "person", 2)])
    assert person_name("Айгуль Кемеловна").gender == "f"
    assert link_actors(woman).table.set_index("key")["linked"]["айгуль-кемеловна"] == "айгуль-кемеловна"


def test_no_merge_across_categories_lexicon_actors_or_genders():
    summary = _summary([("temirbek-asankulov", "Temirbek Asankulov", "person", 3),
                        ("temirbek-asanqulov", "Temirbek Asanqulov", "organization", 2),
                        ("aigul-japarova", "Aigul Japarova", "person", 2),
                        ("aigul-japarov", "Aigul Japarov", "person", 2)])
    linked = dict(zip(*link_actors(summary).table[["key", "linked"]].T.values, strict=True))
    assert linked["temirbek-asanqulov"] == "temirbek-asanqulov"
    assert linked["aigul-japarova"] != linked["aigul-japarov"]
    summary = _summary([("sadyr-japarov", "Sadyr Japarov", "person", 5), ("japarov-s", "Sadyr Japarov", "person", 1),
                        ("садыр-жапаров", "Садыр Жапаров", "person", 2)])
    table = link_actors(summary, protected={"sadyr-japarov", "japarov-s"}).table.set_index("key")
    assert table.at["japarov-s", "linked"] == "japarov-s"  # two lexicon actors never merge
    assert table.at["садыр-жапаров", "linked"] in {"sadyr-japarov", "japarov-s"}  # an unknown variant joins one
    assert table.at["sadyr-japarov", "name"] == "Sadyr Japarov"


def test_a_russian_genitive_joins_the_man_and_a_womans_form_stays_a_woman():
    # "Азиза Батукаева" is a woman's nominative or a man's genitive; the man's other forms decide
    summary = _summary(
        [("азиз-батукаев", "Азиз Батукаев", "person", 2), ("азиза-батукаева", "Азиза Батукаева", "person", 1),
         ("гульмира-абдралиева", "Гульмира Абдралиева", "person", 1),
         ("гульмир-абдралиев", "Гульмир Абдралиев", "person", 1)],
        texts={"азиз-батукаев": ["Азизом Батукаевым", "Азиз Батукаев"], "азиза-батукаева": ["Азиза Батукаева"],
               "гульмира-абдралиева": ["Гульмиры Абдралиевой"], "гульмир-абдралиев": ["Гульмир Абдралиев"]})
    table = link_actors(summary).table.set_index("key")
    assert table.at["азиза-батукаева", "linked"] == "азиз-батукаев"
    assert table.at["гульмира-абдралиева", "linked"] == "гульмира-абдралиева"


def test_russian_names_in_the_nominative_keep_their_gender():
    assert nominative_name(["Гульмиры", "Абдралиевой"]) == ["Гульмира", "Абдралиева"]
    assert nominative_name(["Айгуль", "Жапаровой"]) == ["Айгуль", "Жапарова"]
    assert nominative_name(["Алмазбеком", "Бейшеналиевым"]) == ["Алмазбек", "Бейшеналиев"]
    assert nominative_name(["Садыра", "Жапарова"]) == ["Садыр", "Жапаров"]


def test_facility_head_words_in_both_languages():
    summary = _summary([("papan", "водохранилище Папан", "place", 1), ("toktogul", "Toktogul reservoir", "place", 1),
                        ("naryn", "Naryn", "place", 1)])
    table = link_actors(summary).table.set_index("key")
    assert table.at["papan", "category"] == "facility" and table.at["toktogul", "category"] == "facility"
    assert table.at["naryn", "category"] == "place"


# ----------------------------------------------------------------------------- the merges file


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("same:\n  - kamchy-kolbaev\n", 2, "two or more actor keys"),
    ("sames:\n  - [a, b]\n", 1, "a section from"),
    ("categories:\n  kumtor: mine\n", 2, "a category from"),
    ("names:\n  a: A\n  a: B\n", 3, "valid YAML"),
    ("different: [[a, b]\n", 2, "valid YAML"),
])
def test_a_malformed_merges_file_is_one_line_naming_file_and_line(tmp_path, text, line, expected):
    path = tmp_path / "merges.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MergesError) as error:
        read_merges(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: expected") and expected in message and "\n" not in message


def test_a_review_file_with_a_wrong_decision_names_its_line(tmp_path):
    path = tmp_path / "review.tsv"
    path.write_text("decision\tkind\tkey\tother\n\tcandidate\ta\tb\nmaybe\tcandidate\tc\td\n", encoding="utf-8")
    with pytest.raises(MergesError, match=r"review.tsv:3: expected decision"):
        read_merges(path)


def test_review_lists_cyrillic_only_keys_and_names_used_as_sources():
    mentions = pd.DataFrame([
        {"doc_id": "d1", "kind": "actor", "key": "откурбек-рахманов", "name": "Откурбек Рахманов",
         "category": "person", "affiliation": None, "text": "Откурбек Рахманов", "label": "PER", "start": 0, "end": 17},
        {"doc_id": "d2", "kind": "actor", "key": "azernews", "name": "Azernews", "category": "organization",
         "affiliation": None, "text": "Azernews", "label": "ORG", "start": 0, "end": 8},
    ])
    documents = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["Откурбек Рахманов сказал.", "Azernews reports."],
                              "source": ["Kloop", "Azernews"]})
    links = link_actors(actor_summary(mentions))
    review = review_actors(mentions, links, documents)
    kinds = dict(zip(review["key"], review["kind"], strict=True))
    assert kinds == {"откурбек-рахманов": "cyrillic only", "azernews": "also a source"}


def test_misspelt_long_given_names_and_case_endings_agree_but_short_near_names_do_not():
    summary = _summary([("kamchybek-tashiev", "Kamchybek Tashiev", "person", 5),
                        ("kamychbek-tashiyev", "Kamychbek Tashiyev", "person", 2),
                        ("askar-temirov", "Askar Temirov", "person", 2),
                        ("askat-temirov", "Askat Temirov", "person", 2),
                        ("камча-кольбаев", "Камча Кольбаев", "person", 2),
                        ("камчы-кольбаев", "Камчы Кольбаев", "person", 2)])
    table = link_actors(summary).table.set_index("key")
    assert table.at["kamychbek-tashiyev", "linked"] == "kamchybek-tashiev"
    assert table.at["askar-temirov", "linked"] != table.at["askat-temirov", "linked"]
    assert table.at["камча-кольбаев", "linked"] == table.at["камчы-кольбаев", "linked"]


def test_numbered_facilities_stay_apart_and_spellings_of_one_join():
    summary = _summary([("kambarata-hpp-1", "Kambarata HPP-1", "place", 3),
                        ("kambarata-hpp-2", "Kambarata HPP-2", "place", 2),
                        ("kambarata-hpp1", "Kambarata HPP 1", "place", 1)])
    table = link_actors(summary).table.set_index("key")
    assert table.at["kambarata-hpp-1", "linked"] != table.at["kambarata-hpp-2", "linked"]
    assert table.at["kambarata-hpp1", "linked"] == "kambarata-hpp-1"
    assert set(table["category"]) == {"facility"}


# ----------------------------------------------------------------------------- distinct keys, not mentions


def _mention_rows(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    """A mentions table (the schema's string dtypes) from (doc_id, kind, key, name, category,
    text) rows."""
    frame = pd.DataFrame(rows, columns=["doc_id", "kind", "key", "name", "category", "text"])
    frame = frame.assign(label=frame["kind"].map({"actor": "ORG", "theme": "THEME"}), affiliation=None)
    return frame.astype("string")


def test_the_summary_does_not_depend_on_how_the_corpus_is_cut_into_parts():
    # a key called a person in the part where it is most mentioned, an organisation in most of
    # its mentions: counts add up over parts, so the corpus-wide majority decides
    first = _mention_rows([("d1", "actor", "altyn-group", "Altyn Group", "person", "Altyn Group")] * 3)
    second = _mention_rows([("d2", "actor", "altyn-group", "Altyn Group", "organization", "Altyn Group")] * 2)
    third = _mention_rows([("d3", "actor", "altyn-group", "Altyn Group", "organization", "Altyn Group")] * 2)
    parts = decide([first, second, third]).table
    whole = decide([pd.concat([first, second, third], ignore_index=True)]).table
    pd.testing.assert_frame_equal(parts, whole)
    assert parts.set_index("key").at["altyn-group", "category"] == "organization"
    summary = actor_summary(pd.concat([first, second, third], ignore_index=True)).set_index("key")
    assert (summary.at["altyn-group", "mentions"], summary.at["altyn-group", "documents"]) == (7, 3)


def test_applying_links_rewrites_actor_rows_only_and_keeps_the_dtypes():
    mentions = _mention_rows([
        ("d1", "actor", "kamchy-kolbaev", "Kamchy Kolbaev", "person", "Kamchy Kolbaev"),
        ("d1", "actor", "kamchybek-kolbayev", "Kamchybek Kolbayev", "person", "Kamchybek Kolbayev"),
        ("d2", "theme", "kamchybek-kolbayev", "Kamchybek Kolbayev", "theme", "a theme that shares the key"),
        ("d2", "actor", "osh", "Osh", "place", "Osh"),
        ("d2", "actor", None, None, None, "a row without a key"),
    ])
    table = pd.DataFrame({"key": ["kamchy-kolbaev", "kamchybek-kolbayev"],
                          "linked": ["kamchy-kolbaev", "kamchy-kolbaev"], "name": ["Kamchy Kolbaev"] * 2,
                          "category": ["person"] * 2, "rule": ["self", "spelling"], "score": [1.0, 1.0]})
    linked = apply_links(mentions, Links(table, pd.DataFrame(columns=["key", "other", "score", "reason"])))
    assert linked["key"].tolist() == ["kamchy-kolbaev", "kamchy-kolbaev", "kamchybek-kolbayev", "osh", pd.NA]
    assert linked["name"].tolist()[:2] == ["Kamchy Kolbaev"] * 2 and linked["name"].iloc[2] == "Kamchybek Kolbayev"
    assert linked["category"].iloc[2] == "theme"
    assert linked.dtypes.equals(mentions.dtypes)
    assert linked["text"].equals(mentions["text"]) and mentions["key"].iloc[1] == "kamchybek-kolbayev"


def test_a_cached_corpus_links_as_its_tables_in_memory_do(corpus, cache):
    cached = annotate_corpus(corpus, cache_dir=cache, progress=False)
    streamed = pd.concat([m for m, _ in cached.partitions()], ignore_index=True)
    loaded = cached.load()
    pd.testing.assert_frame_equal(cached.links.table, loaded.links.table)
    order = ["doc_id", "start", "end", "kind", "key"]
    pd.testing.assert_frame_equal(streamed.sort_values(order).reset_index(drop=True),
                                  loaded.mentions.sort_values(order).reset_index(drop=True))


def test_a_text_shared_by_two_documents_counts_in_both(tmp_path):
    # the cache holds the text once; the counts linking reads must still see two documents
    text = "Temirbek Asankulov met investors in Bishkek. Asankulov said the mine would reopen."
    rows = [{"id": "first", "language": "en", "text": text}, {"id": "copy", "language": "en", "text": text},
            {"id": "other", "language": "en", "text": "Businessman Temirbek Asanqulov was detained in Osh."}]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    cached = annotate_corpus(path, cache_dir=tmp_path / "cache", progress=False)
    loaded = cached.load()
    pd.testing.assert_frame_equal(cached.links.table, loaded.links.table)
    mentions, _ = cached.parts.load()
    raw = mentions[(mentions["kind"] == "actor") & (mentions["key"] == "temirbek-asankulov")]
    assert set(raw["doc_id"]) == {"first", "copy"}
    streamed = summarise(ActorCounts.combine([ActorCounts.of(rows, "doc_key", copies) for rows, copies
                                              in cached.parts.mention_columns(COUNTED_COLUMNS, "actor")]))[0]
    for summary in (streamed.set_index("key"), actor_summary(mentions).set_index("key")):
        assert summary.at["temirbek-asankulov", "documents"] == 2
        assert summary.at["temirbek-asankulov", "mentions"] == len(raw)


def test_linking_counts_only_the_corpus_documents_of_a_shared_cache_part(tmp_path):
    # a cache part is shared by every corpus annotated alike: a corpus that holds only some of a
    # part's documents must not count the others' mentions
    rows = [{"id": "kept", "language": "en", "text": "Temirbek Asankulov met investors in Bishkek."},
            {"id": "left", "language": "en", "text": "Businessman Temirbek Asanqulov was detained in Osh. "
                                                     "Asanqulov denied it. Asanqulov appealed."}]
    whole, part = tmp_path / "whole.jsonl", tmp_path / "part.jsonl"
    whole.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    part.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    annotate_corpus(whole, cache_dir=tmp_path / "cache", progress=False)
    cached = annotate_corpus(part, cache_dir=tmp_path / "cache", progress=False)
    streamed = summarise(ActorCounts.combine([ActorCounts.of(table, "doc_key", copies) for table, copies
                                              in cached.parts.mention_columns(COUNTED_COLUMNS, "actor")]))[0]
    mentions, _ = cached.parts.load()
    assert set(mentions["doc_id"]) == {"kept"}
    assert streamed["mentions"].sum() == (mentions["kind"] == "actor").sum()
