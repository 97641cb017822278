"""Generic bodies and roles resolved from their context, and sources that are not actors, in
English (constructed spans through the resolver) and Russian (the real Russian pipeline), on
constructed text only."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.annotate.actors import Candidate, credit_position, load_institutions, resolve_document
from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.lexicon import load_lexicon
from analysis.annotate.pipeline import build_annotator


@pytest.fixture(scope="module")
def lexicon():
    generic = frozenset(form for institution in load_institutions() for form in institution.synonyms)
    return load_lexicon(generic_forms=generic)


@pytest.fixture(scope="module")
def annotator():
    built = build_annotator()
    built.for_language("ru")
    return built


def _resolve(text: str, spans: list[tuple[str, str]], lexicon, date=None) -> list[tuple[str, str, str]]:
    """(text, key, via) of the mentions resolved from the given (surface, label) spans."""
    candidates, position = [], 0
    for surface, label in spans:
        start = text.index(surface, position)
        candidates.append(Candidate(start, start + len(surface), surface, label))
        position = start + len(surface)
    found = resolve_document(candidates, text, lexicon, load_institutions(), date)
    return [(m.text, m.key, m.via) for m in found]


def _russian(annotator, text: str, date=None) -> pd.DataFrame:
    tables = annotate_batch(annotator, Batch(["doc"], [text], [date], ["ru"]))
    mentions = tables.mentions
    return mentions[mentions["kind"] == "actor"]


# ----------------------------------------------------------------------------- generic bodies


def _bodies(found: list[tuple[str, str, str]]) -> list[str]:
    return [key for _, key, _ in found if key.endswith(("-mfa", "-government", "-parliament", "-justice-ministry",
                                                         "-cec", "-health-ministry"))]


def test_a_country_in_the_bodys_sentence_counts_only_when_the_body_is_its_subject(lexicon) -> None:
    subject = _resolve("China is mentioned. China again. The Government resigned after protests in Kyrgyzstan.",
                       [("China", "GPE"), ("China", "GPE"), ("The Government", "ORG"), ("Kyrgyzstan", "GPE")], lexicon)
    assert _bodies(subject) == ["kgz-government"]  # not China, the most mentioned
    # Kyrgyzstan is where the protesters are, not the Government's owner: nothing says whose it is
    other = _resolve("China is mentioned. China again. Protesters in Kyrgyzstan asked the Government to resign.",
                     [("China", "GPE"), ("China", "GPE"), ("Kyrgyzstan", "GPE"), ("the Government", "ORG")], lexicon)
    assert _bodies(other) == ["unresolved-government"]


def test_a_body_after_a_foreign_countrys_law_is_not_that_countrys(lexicon) -> None:
    text = ("Kyrgyzstan adopted a law on NGOs. It copies Russia's foreign agents law. The Ministry of Justice "
            "will keep the register.")
    spans = [("Kyrgyzstan", "GPE"), ("Russia", "GPE"), ("The Ministry of Justice", "ORG")]
    assert _bodies(_resolve(text, spans, lexicon)) == ["unresolved-justice-ministry"]  # not Russia's
    qualified = "Kyrgyzstan's Ministry of Justice drafted a law. It copies Russia's law. The Ministry of Justice " \
                "will keep the register."
    spans = [("Kyrgyzstan", "GPE"), ("Ministry of Justice", "ORG"), ("Russia", "GPE"),
             ("The Ministry of Justice", "ORG")]
    assert _bodies(_resolve(qualified, spans, lexicon)) == ["kgz-justice-ministry", "kgz-justice-ministry"]


def test_a_noun_for_the_country_beside_a_body_is_the_country_named_last(lexicon) -> None:
    text = ("Russia sent vaccines to Kyrgyzstan, said the republic's Health Ministry.\n\nChina and Russia "
            "talked. The Ministry of Justice of the Republic of Kazakhstan objected.")
    spans = [("Russia", "GPE"), ("Kyrgyzstan", "GPE"), ("Health Ministry", "ORG"), ("China", "GPE"),
             ("Russia", "GPE"), ("The Ministry of Justice", "ORG")]
    # "Republic" in capitals is a name's, not a noun standing for the country named last
    assert _bodies(_resolve(text, spans, lexicon)) == ["kgz-health-ministry", "unresolved-justice-ministry"]


def test_a_body_refers_back_to_the_same_institution_with_a_country(lexicon) -> None:
    text = ("Kyrgyzstan's Government met Chinese investors. Russia sent a note, and China answered. "
            "The Government said nothing.")
    spans = [("Kyrgyzstan", "GPE"), ("Government", "ORG"), ("Chinese", "NORP"), ("Russia", "GPE"), ("China", "GPE"),
             ("The Government", "ORG")]
    assert _bodies(_resolve(text, spans, lexicon)) == ["kgz-government", "kgz-government"]


def test_a_body_in_the_title_of_a_named_person_is_that_persons_countrys(lexicon) -> None:
    text = "Russia and Tajikistan met. Deputy Chairman of the Cabinet of Ministers Kamchybek Tashiev spoke."
    spans = [("Russia", "GPE"), ("Tajikistan", "GPE"), ("the Cabinet of Ministers", "ORG"),
             ("Kamchybek Tashiev", "PERSON")]
    assert _bodies(_resolve(text, spans, lexicon)) == ["kgz-government"]


def test_a_body_takes_the_one_country_the_text_before_it_points_to(lexicon) -> None:
    text = "Parliament approves the budget\n\nProtests shook Bishkek and Osh. Later the Parliament met."
    spans = [("Parliament", "ORG"), ("Bishkek", "GPE"), ("Osh", "GPE"), ("the Parliament", "ORG")]
    # the headline has nothing before it that qualifies it: listed, not guessed
    assert _bodies(_resolve(text, spans, lexicon)) == ["unresolved-parliament", "kgz-parliament"]


def test_a_generic_body_its_name_qualifies_keeps_that_country(lexicon) -> None:
    text = "Russia and China talked. The Kyrgyz Foreign Ministry objected."
    found = _resolve(text, [("Russia", "GPE"), ("China", "GPE"), ("The Kyrgyz Foreign Ministry", "ORG")], lexicon)
    assert [key for _, key, _ in found if key.endswith("-mfa")] == ["kgz-mfa"]


def test_a_generic_body_without_a_country_is_listed_unresolved(lexicon) -> None:
    alone = _resolve("The Government resigned. Later China reacted.", [("The Government", "ORG"), ("China", "GPE")],
                     lexicon)
    assert alone[0] == ("Government", "unresolved-government", "unresolved")
    two = _resolve("Russia and Kyrgyzstan agree, and the Foreign Ministry welcomed it.",
                   [("Russia", "GPE"), ("Kyrgyzstan", "GPE"), ("the Foreign Ministry", "ORG")], lexicon)
    assert ("Foreign Ministry", "unresolved-mfa", "unresolved") in two  # two countries in its sentence: whose?


def test_an_unresolved_body_is_not_counted() -> None:
    from analysis.stats.selection import select_mentions

    mentions = pd.DataFrame({"kind": ["actor", "actor"], "via": ["text", "unresolved"],
                             "section": ["body", "body"], "key": ["kgz", "unresolved-mfa"]})
    sentences = pd.DataFrame({"section": ["body"]})
    kept, _ = select_mentions(mentions, sentences)
    assert list(kept["key"]) == ["kgz"]


def test_russian_generic_bodies_from_context(annotator) -> None:
    def keys(text: str) -> dict[str, list[str]]:
        doc = _russian(annotator, text)
        return doc.groupby("text")["key"].agg(list).to_dict()

    # the one country of a sentence the body opens, not the most mentioned one
    assert keys("Китай ответил. Китай промолчал. Кабмин ушел в отставку после протестов в Киргизии.")["Кабмин"] == [
        "kgz-government"]
    # a Kyrgyz story quoting Russia's law: the Ministry of Justice is no one's it can name
    law = keys("Президент Киргизии подписал закон об НКО. Он повторяет закон России об иноагентах. "
               "Министерство юстиции будет вести реестр.")
    assert law["Министерство юстиции"] == ["unresolved-justice-ministry"]
    # the same institution named earlier with its country
    same = keys("Правительство Киргизии утвердило план. Россия направила ноту. Правительство ответило.")
    assert same["Правительство"] == ["kgz-government"]
    # in the title of a named person
    title = keys("Россия и Таджикистан провели переговоры. Распоряжение главы кабмина Акылбека Жапарова "
                 "опубликовано.")
    assert title["кабмина"] == ["kgz-government"]
    # a noun for the country beside it: the country named last
    country = keys("Россия и Китай провели переговоры. Глава рабочей группы Кыргызстана выступил в парламенте "
                   "страны.")
    assert country["парламенте"] == ["kgz-parliament"]
    # the one country everything before it points to; a headline with nothing before it stays unresolved
    alone = keys("ЦИК подвела итоги выборов\n\nПротесты прошли в Бишкеке и Оше. Парламент собрался на заседание. "
                 "Кабмин подал в отставку.")
    assert alone["ЦИК"] == ["unresolved-cec"]
    assert alone["Парламент"] == ["kgz-parliament"] and alone["Кабмин"] == ["kgz-government"]


# ----------------------------------------------------------------------------- plural roles


def test_plural_roles_name_every_holder_or_none(lexicon, annotator) -> None:
    text = "The foreign ministers of Russia and Kyrgyzstan met in Bishkek."
    found = _resolve(text, [("foreign ministers of Russia and Kyrgyzstan", "ORG"), ("Bishkek", "GPE")], lexicon)
    assert not any(key.startswith(("rus-", "kgz-")) for _, key, _ in found)  # not Russia's alone
    doc = _russian(annotator, "Садыр Жапаров прибыл на саммит. Главы государств подписали декларацию.",
                   date="2021-06-01")
    assert not (doc["via"] == "role").any()  # one president named; the heads of state are several
    single = _russian(annotator, "Садыр Жапаров прибыл на саммит. Глава государства подписал декларацию.",
                      date="2021-06-01")
    assert list(single.loc[single["via"] == "role", "key"]) == ["sadyr-japarov"]


# ----------------------------------------------------------------------------- sources


def test_bylines_and_credits_are_sources_not_actors(lexicon) -> None:
    text = ("Japarov appoints Maripov\n\nBISHKEK (Steppe News / Qazaq Wire - 12th October, 2021) Sadyr Japarov "
            "appointed Ulukbek Maripov, reports Orbita.\n\nThe decree was published. (Tengri Daily)\n\n"
            "The Kyrgyz service of Radio Tulpar reported the news, and the Ministry of Health reported cases in "
            "Kyrgyzstan.\n\nAlmaz Press")
    spans = [("Steppe News", "ORG"), ("Qazaq Wire", "ORG"), ("Sadyr Japarov", "PERSON"), ("Ulukbek Maripov", "PERSON"),
             ("Orbita", "ORG"), ("Tengri Daily", "ORG"), ("Radio Tulpar", "ORG"), ("the Ministry of Health", "ORG"),
             ("Kyrgyzstan", "GPE"), ("Almaz Press", "ORG")]
    found = {surface for surface, _, _ in _resolve(text, spans, lexicon)}
    assert found == {"Sadyr Japarov", "Ulukbek Maripov", "Ministry of Health", "Kyrgyzstan"}


def test_a_name_in_parentheses_after_a_name_is_its_abbreviation() -> None:
    text = "They joined the Shanghai Cooperation Organisation (SCO).\n\nThey left. (AKIpress)"
    assert not credit_position(text, text.index("SCO)"), text.index("SCO)") + 3)
    assert credit_position(text, text.index("AKIpress"), text.index("AKIpress") + 8)


def test_russian_credits_are_sources_not_actors(annotator) -> None:
    doc = _russian(annotator, "Садыр Жапаров подписал закон, передает Тулпар-Инфо.\n\nОб этом сообщает радио Азаттык. "
                              "Министерство здравоохранения Киргизии сообщило о новых случаях.")
    names = set(doc["text"])
    assert "Тулпар-Инфо" not in names and not any("Азаттык" in name for name in names)
    assert "Садыр Жапаров" in names and "Министерство здравоохранения Киргизии" in names


def test_a_security_committee_named_without_its_country_takes_it_from_the_context(lexicon, annotator) -> None:
    # the security service goes by one generic name in Kyrgyzstan and Tajikistan: unqualified, it
    # is a generic body like a ministry, Kyrgyzstan's in a Kyrgyz story, Tajikistan's in a Tajik one
    kyrgyz = _resolve("Kyrgyzstan's government met. The State Committee for National Security detained two men.",
                      [("Kyrgyzstan", "GPE"), ("The State Committee for National Security", "ORG")], lexicon)
    assert [key for _, key, _ in kyrgyz] == ["kgz", "kgz-gknb"]
    tajik = _resolve("Tajikistan's president spoke. The State Committee of National Security denied it.",
                     [("Tajikistan", "GPE"), ("The State Committee of National Security", "ORG")], lexicon)
    assert [key for _, key, _ in tajik] == ["tjk", "tjk-gknb"]
    alone = _resolve("The State National Security Committee detained two men.",
                     [("The State National Security Committee", "ORG")], lexicon)
    assert [key for _, key, _ in alone] == ["unresolved-gknb"]
    russian = _russian(annotator, "Президент Таджикистана выступил. Государственный комитет национальной "
                                  "безопасности опроверг сообщения.")
    assert "tjk-gknb" in set(russian["key"]), russian[["text", "key"]]


def test_a_possessive_with_any_apostrophe_is_the_name_itself(lexicon) -> None:
    # Latin-script Kazakh and Uzbek texts write the modifier letter apostrophe (U+02BC)
    for apostrophe in ("'", "\u2019", "\u02bc"):
        text = f"Kazakhstan{apostrophe}s president spoke."
        found = _resolve(text, [(f"Kazakhstan{apostrophe}s", "GPE")], lexicon)
        assert [key for _, key, _ in found] == ["kaz"], (apostrophe, found)
