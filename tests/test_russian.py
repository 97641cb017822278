"""Russian news: language per document, the Russian annotation path, one lexicon for two
languages. Constructed sentences only; the Russian pipeline is built once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.lexicon_checks import triggers_naming_actors
from analysis.annotate.names import load_names, localise
from analysis.annotate.pipeline import build_annotator
from analysis.corpus.detect import detect_language
from analysis.corpus.reader import parse_seed_text, read_corpus
from analysis.lang.ru import morphology
from analysis.lang.ru.pipeline import russian_themes
from analysis.stats.cooccurrence import Cooccurrence


@pytest.fixture(scope="session")
def annotator():
    """One annotator for the session; its Russian path (about 3 s to build) is built once."""
    built = build_annotator()
    built.for_language("ru")
    return built


def _actors(annotator, *texts: str, date=None) -> list[pd.DataFrame]:
    keys = [f"doc{number}" for number in range(len(texts))]
    tables = annotate_batch(annotator, Batch(keys, list(texts), [date] * len(texts), ["ru"] * len(texts)))
    mentions = tables.mentions
    return [mentions[mentions["doc_key"] == key] for key in keys]


def _keys(frame: pd.DataFrame, kind: str = "actor") -> dict[str, str]:
    rows = frame[frame["kind"] == kind]
    return dict(zip(rows["text"], rows["key"], strict=True))


def test_declined_names_of_lexicon_people_are_one_actor(annotator) -> None:
    (doc,) = _actors(annotator, "Садыр Жапаров встретился с Владимиром Путиным. Путин поблагодарил Садыра Жапарова, "
                                "а Садыру Жапарову вручили орден. Жапаров ответил.")
    keys = _keys(doc)
    assert {keys[name] for name in ("Садыр Жапаров", "Садыра Жапарова", "Садыру Жапарову", "Жапаров")} == {
        "sadyr-japarov"}
    assert keys["Владимиром Путиным"] == keys["Путин"] == "vladimir-putin"
    assert set(doc.loc[doc["key"] == "sadyr-japarov", "name"]) == {"Sadyr Japarov"}  # the lexicon's name


def test_unknown_names_take_their_nominative_as_name_and_key(annotator) -> None:
    assert morphology.nominative_name("Садыра Жапарова".split()) == ["Садыр", "Жапаров"]
    assert morphology.nominative_name("Нуржан Шайлдабекова".split()) == ["Нуржан", "Шайлдабекова"]
    assert morphology.nominative_name("Аленом ле Руа".split()) == ["Ален", "ле", "Руа"]  # particle, indeclinable
    assert morphology.nominative_name("Алымкадыра Бейшеналиева".split()) == ["Алымкадыр", "Бейшеналиев"]
    (doc,) = _actors(annotator, "Айгуль Токтосунова выступила в Бишкеке. Послушали Айгуль Токтосунову и "
                                "депутата Бакыта Сыдыкова.")
    people = doc[doc["category"] == "person"]
    assert set(people["key"]) == {"айгуль-токтосунова", "бакыт-сыдыков"}, people[["text", "key"]]
    assert "Бакыт Сыдыков" in set(people["name"])


def test_given_name_and_surname_are_read_together_for_case_and_gender() -> None:
    name = morphology.nominative_name
    # a woman's and a man's name in the genitive, dative and instrumental
    for woman in ("Гульмиры Абдралиевой", "Гульмире Абдралиевой", "Гульмирой Абдралиевой"):
        assert name(woman.split()) == ["Гульмира", "Абдралиева"], woman
    for man in ("Азизу Батукаеву", "Азизом Батукаевым", "Руслана Казакбаева", "Шафката Мирзиеева"):
        assert name(man.split())[1] in ("Батукаев", "Казакбаев", "Мирзиеев"), man
    # "Азиза Батукаева" is a woman's nominative or a man's genitive: the words around it decide
    assert name("Азиза Батукаева".split(), "освобождении криминального авторитета ") == ["Азиз", "Батукаев"]
    assert name("Азиза Батукаева".split(), "", " заявила, что") == ["Азиза", "Батукаева"]
    assert name("Дамира Уркуналиева".split(), "айыл окмоту ", " сказала") == ["Дамира", "Уркуналиева"]
    # foreign names resolve like any other form; a surname is read as a surname
    assert name("Си Цзиньпином".split()) == name("Си Цзиньпина".split()) == ["Си", "Цзиньпин"]
    assert name("Никола Пашиняна".split()) == ["Никол", "Пашинян"]
    # a given name the dictionary does not know is kept where it does not decline ("Камчы"), but a
    # man's name ending in a consonant would decline, so "Нуржан Шайлдабекова" is a woman
    assert name("Камчы Кольбаева".split(), "авторитета ") == ["Камчы", "Кольбаев"]
    assert name("Нургазы Анаркулов".split()) == ["Нургазы", "Анаркулов"]
    assert name("Нуржан Шайлдабекова".split()) == ["Нуржан", "Шайлдабекова"]


def test_a_name_seen_in_one_form_only_gets_its_base_form_and_gender(annotator) -> None:
    docs = _actors(annotator, "Следователи допросили сторонников криминального авторитета Азиза Батукаева.",
                   "Адвокат Гульмиры Абдралиевой подал жалобу в суд.",
                   "Министр встретился с Гульмирой Абдралиевой и Азизом Батукаевым.",
                   "Депутаты обсудили заявление премьер-министра Армении Никола Пашиняна.")
    people = [dict(zip(doc["text"], doc["name"], strict=True)) for doc in docs]
    assert people[0]["Азиза Батукаева"] == "Азиз Батукаев"
    assert people[1]["Гульмиры Абдралиевой"] == "Гульмира Абдралиева"
    assert people[2]["Гульмирой Абдралиевой"] == "Гульмира Абдралиева"
    assert people[2]["Азизом Батукаевым"] == "Азиз Батукаев"
    assert people[3]["Никола Пашиняна"] == "Никол Пашинян"
    assert set(docs[0]["key"]) | set(docs[2]["key"]) >= {"азиз-батукаев", "гульмира-абдралиева"}


def test_countries_by_name_case_and_adjective(annotator) -> None:
    (doc,) = _actors(annotator, "Киргизская делегация прибыла в Россию. Кыргызстан и Киргизия — одна страна; "
                                "российская сторона поддержала Кыргызскую Республику, как и власти Казахстана.")
    keys = _keys(doc)
    assert keys["Киргизская"] == keys["Кыргызстан"] == keys["Киргизия"] == keys["Кыргызскую Республику"] == "kgz"
    assert keys["Россию"] == keys["российская"] == "rus"
    assert keys["Казахстана"] == "kaz"


def test_institutions_and_organisations(annotator) -> None:
    (doc,) = _actors(annotator, "МИД Киргизии направил ноту. Депутаты Жогорку Кенеша и ЦИК Кыргызстана обсудили "
                                "доклад ОБСЕ, ООН, ШОС, ЕС, ОДКБ и ЕАЭС. Министерство иностранных дел России ответило, "
                                "а минобороны России промолчало.")
    keys = _keys(doc)
    assert keys["МИД Киргизии"] == "kgz-mfa"
    assert keys["Жогорку Кенеша"] == "kgz-parliament"
    assert keys["ЦИК Кыргызстана"] == "kgz-cec"
    assert [keys[name] for name in ("ОБСЕ", "ООН", "ШОС", "ЕС", "ОДКБ", "ЕАЭС")] == [
        "osce", "un", "sco", "eu", "csto", "eaeu"]
    assert keys["Министерство иностранных дел России"] == "rus-mfa"
    assert keys["минобороны России"] == "rus-defence-ministry"  # a name's first word in lower case


def test_a_bare_institution_is_the_home_countrys(annotator) -> None:
    (doc,) = _actors(annotator, "Председатель ЦИК Нуржан Шайлдабекова рассказала о подготовке. В ЦИК заявили, что "
                                "Улукбек Марипов подписал постановление.")
    keys = _keys(doc)
    assert keys["ЦИК"] == "kgz-cec"
    assert keys["Нуржан Шайлдабекова"] == "nurzhan-shaildabekova"


def test_roles_stand_for_the_office_holder_the_document_makes_clear(annotator) -> None:
    (doc,) = _actors(annotator, "Садыр Жапаров прибыл в Москву. Президент Киргизии встретился с министрами, а "
                                "киргизский лидер ответил на вопросы.", date="2021-06-01")
    roles = doc[doc["via"] == "role"]
    assert dict(zip(roles["text"], roles["key"], strict=True)) == {
        "Президент": "sadyr-japarov", "киргизский лидер": "sadyr-japarov"}, roles[["text", "key"]]
    (titled,) = _actors(annotator, "Президент Киргизии Садыр Жапаров встретился с Владимиром Путиным.",
                        date="2021-06-01")
    assert not (titled["via"] == "role").any()  # a title before a name, and two presidents named


def test_areas_of_cooperation_in_passing_and_association_contexts(annotator) -> None:
    passing, about, association = _actors(
        annotator,
        "Стороны обсудили сотрудничество в политической, торгово-экономической и культурной сферах, а также "
        "по сотрудничеству в области торговли и экономики, экологии и безопасности.",
        "Экономика страны выросла, инвестиции увеличились.",
        "Саммит ОДКБ прошел в Бишкеке; государства-члены ШОС поддержали сотрудничество в рамках ЕАЭС.",
    )
    assert not (passing["kind"] == "theme").any(), passing[["text", "key"]]
    assert set(about.loc[about["kind"] == "theme", "key"]) == {"economy"}
    contexts = association[association["kind"] == "theme"]
    assert set(contexts["text"]) == {"Саммит", "государства-члены", "сотрудничество"}
    assert set(contexts["key"]) == {"regional_integration"}


def test_themes_from_russian_lemmas(annotator) -> None:
    (doc,) = _actors(annotator, "Наблюдатели оценили ход выборов и явку избирателей. Прокуроры расследуют "
                                "коррупцию и взятки. Вакцинация от коронавируса продолжается. Торговля выросла.")
    themes = set(doc.loc[doc["kind"] == "theme", "key"])
    assert {"elections", "corruption", "pandemic", "economy"} <= themes, doc[["text", "key"]]


def test_russian_triggers_name_no_actor(annotator) -> None:
    lexicon, institutions = localise(annotator.lexicon, load_names("ru"), morphology.normalise,
                                     annotator.institutions)
    found = triggers_naming_actors(russian_themes(annotator.themes), lexicon, institutions)
    assert found.empty, found


def test_a_user_lexicon_entry_brings_its_russian_names(annotator, tmp_path: Path) -> None:
    from analysis.annotate.actors import load_institutions
    from analysis.annotate.lexicon import load_lexicon

    mine = tmp_path / "mine.yaml"
    mine.write_text("actors:\n  - key: aigul-toktosunova\n    name: Aigul Toktosunova\n    category: person\n"
                    "    names: {ru: [Айгуль Токтосунова]}\n", encoding="utf-8")
    lexicon, _ = localise(load_lexicon(mine), load_names("ru"), morphology.normalise, load_institutions())
    assert lexicon.lookup("Айгуль Токтосуновой").key == "aigul-toktosunova"
    assert lexicon.lookup("Садыра Жапарова").key == "sadyr-japarov"


def test_every_lexicon_actor_has_russian_names(annotator) -> None:
    names = load_names("ru").names
    assert set(names) == set(annotator.lexicon.actors)


def test_language_detection_and_the_script_fallback() -> None:
    assert detect_language("President Sadyr Japarov met the OSCE Secretary General in Bishkek to discuss "
                           "the elections and the constitution.") == "en"
    assert detect_language("Президент Садыр Жапаров встретился с генеральным секретарем ОБСЕ в Бишкеке и "
                           "обсудил выборы.") == "ru"
    kyrgyz = "Кыргыз Республикасынын Президенти Садыр Жапаров Орусиянын Президенти менен жолукту."
    assert detect_language(kyrgyz) == "ky"
    assert detect_language("Жапаров") == "ru"  # too short to tell: the script decides


def test_russian_datelines() -> None:
    parsed = parse_seed_text("Жапаров встретился с Путиным\n3 июня 2021, БИШКЕК – Президент прибыл в Москву.\n")
    assert parsed.date.isoformat() == "2021-06-03" and parsed.date_source == "dateline"
    assert parsed.text.startswith("Президент") and parsed.title == "Жапаров встретился с Путиным"
    sputnik = parse_seed_text("Заголовок новости\nБИШКЕК, 26 фев — Sputnik. Президент прибыл в Москву.\n")
    assert sputnik.text.startswith("Президент") and sputnik.source == "Sputnik" and sputnik.date is None


def _mixed_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "en.txt").write_text("3 June 2021, BISHKEK – President Sadyr Japarov met Vladimir Putin in Moscow. "
                                   "Japarov and Putin discussed the elections in Kyrgyzstan with the OSCE.\n")
    (folder / "ru.txt").write_text("3 июня 2021, БИШКЕК – Президент Садыр Жапаров встретился с Владимиром Путиным "
                                   "в Москве. Жапаров и Путин обсудили с ОБСЕ выборы в Кыргызстане.\n")
    (folder / "ky.txt").write_text("Кыргыз Республикасынын Президенти Садыр Жапаров Орусиянын Президенти Владимир "
                                   "Путин менен Москвада жолугушту.\n")
    given = {"id": "given", "language": "ru", "text": "Садыр Жапаров и Касым-Жомарт Токаев."}
    (folder / "given.jsonl").write_text(json.dumps(given, ensure_ascii=False) + "\n")
    return folder


def test_mixed_folder_gives_one_key_per_actor_across_languages(annotator, tmp_path: Path) -> None:
    from analysis.annotate.cache import annotate

    corpus = read_corpus(_mixed_corpus(tmp_path / "mixed"))
    documents = corpus.documents.set_index("doc_id")
    assert documents.loc[["en", "ru", "ky", "given"], "language"].tolist() == ["en", "ru", "ky", "ru"]
    problems = corpus.problems
    assert problems["reason"].str.contains("no pipeline for language 'ky' (Kyrgyz)", regex=False).any(), problems
    mentions, sentences = annotate(corpus.documents, annotator, cache_dir=tmp_path / "cache")
    keys = mentions[mentions["kind"] == "actor"].groupby("doc_id")["key"].apply(set)
    assert keys["en"] == keys["ru"] == {"sadyr-japarov", "vladimir-putin", "moscow", "osce", "kgz"}, keys
    assert "ky" not in keys  # listed as a problem, not annotated
    themes = mentions[mentions["kind"] == "theme"].groupby("doc_id")["key"].apply(set)
    assert themes["en"] == themes["ru"] == {"elections"}
    model = Cooccurrence.build(mentions, sentences, unit="document")
    pairs = model.pairs("actor-actor")
    languages = dict(zip(zip(pairs["a_key"], pairs["b_key"], strict=True),
                         model.pair_languages(corpus.documents, pairs), strict=True))
    assert languages[("sadyr-japarov", "vladimir-putin")] == "en, ru"
    assert languages[("osce", "sadyr-japarov")] == "en, ru"
    assert languages[("kassym-jomart-tokayev", "sadyr-japarov")] == "ru"  # Russian coverage only


def test_a_trigger_is_declined_by_its_own_paradigm() -> None:
    # the lemmatiser reads "основного" as основный and "судов" as судно: the trigger's own
    # paradigm finds them
    assert {"основного закона", "основном законе", "основные законы"} <= morphology.phrase_forms("основной закон")
    assert "судов" in morphology.phrase_forms("суд") and morphology.lemma("судов") != "суд"
    # the head declines, the words before it agree and its complement stays as written
    assert {"правам человека", "правах человека"} <= morphology.phrase_forms("права человека")
    assert "правам человеку" not in morphology.phrase_forms("права человека")
    assert {"вооруженных сил", "вооружённых сил"} <= morphology.phrase_forms("вооружённые силы")
    # a verb in its personal forms, not its participles used as adjectives ("оправданный риск")
    assert {"оправдал", "оправдали"} <= morphology.phrase_forms("оправдать")
    assert "оправданный" not in morphology.phrase_forms("оправдать")
    # a phrase a preposition opens, or with Latin letters, is matched as written
    assert morphology.phrase_forms("под стражей") == {"под стражей"}
    assert morphology.phrase_forms("covid-19") == {"covid-19"}


def test_triggers_are_found_in_the_cases_the_lemmatiser_misreads(annotator) -> None:
    (doc,) = _actors(annotator, "Депутаты обсудили проект нового Основного закона. Прокурор обжаловал "
                                "решения районных судов.")
    themes = doc[doc["kind"] == "theme"]
    assert set(themes.loc[themes["text"] == "Основного закона", "key"]) == {"constitution"}, themes[["text", "key"]]
    assert set(themes.loc[themes["text"] == "судов", "key"]) == {"judiciary"}, themes[["text", "key"]]
