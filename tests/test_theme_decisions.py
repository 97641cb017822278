"""Theme decisions per sentence, with their reason, on constructed sentences in English and
Russian: one test per class of error (a trigger in passing or in another sense, a theme with
no trigger word, activity within a regional organisation, a trigger inside a title or a name,
Russian case forms) and one per new theme. The whole annotation path runs (pipeline, actor
resolution, theme rules), as it does on a corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.pipeline import build_annotator
from analysis.annotate.themes import load_taxonomy
from analysis.lang.ru.pipeline import russian_themes


@pytest.fixture(scope="module")
def annotator():
    built = build_annotator()
    built.for_language("ru")
    return built


def _themes(annotator, language: str, *texts: str) -> list[pd.DataFrame]:
    """The theme mentions of each text (one document each)."""
    keys = [f"doc{number}" for number in range(len(texts))]
    batch = Batch(keys, list(texts), [None] * len(texts), [language] * len(texts))
    mentions = annotate_batch(annotator, batch).mentions
    themes = mentions[mentions["kind"] == "theme"]
    return [themes[themes["doc_key"] == key] for key in keys]


def _keys(frame: pd.DataFrame) -> set[str]:
    return set(frame["key"])


# ----------------------------------------------------------------------------- every mention says why


def test_every_theme_mention_keeps_its_trigger_and_rule(annotator) -> None:
    (doc,) = _themes(annotator, "en", "Voters went to the polls. Hundreds gathered on the square demanding the "
                                      "minister's resignation.")
    assert doc["trigger"].notna().all() and doc["rule"].notna().all(), doc
    by_key = doc.groupby("key")
    assert set(by_key.get_group("elections")["rule"]) == {"trigger"}
    assert set(by_key.get_group("elections")["trigger"]) == {"poll", "voter"}  # as listed ("polls", "Voters")
    stability = by_key.get_group("stability")
    assert list(stability["rule"]) == ["cue:protest at a seat of power"]
    assert list(stability["trigger"]) == ["gathered + square"]


# ----------------------------------------------------------------------------- class 4: titles and names


def test_a_trigger_inside_a_job_title_is_not_a_mention(annotator) -> None:
    title, long_title, head, about = _themes(
        annotator, "en",
        "Minister of Economy and Commerce Daniyar Amangeldiev met the delegation in Bishkek.",
        "The talks were led by the Deputy Minister of Energy and Economic Security.",
        "He named his ally head of state security.",
        "The economy grew by five percent and electricity prices fell.")
    assert _keys(title) == set(), title[["text", "key"]]
    assert _keys(long_title) == set(), long_title[["text", "key"]]
    assert _keys(head) == set(), head[["text", "key"]]
    assert {"economy", "water_energy"} <= _keys(about)


def test_a_trigger_in_a_russian_title_is_not_a_mention(annotator) -> None:
    title, long_title, about = _themes(
        annotator, "ru",
        "Министр экономики и коммерции встретился с делегацией.",
        "Переговоры провел заместитель министра энергетики и экономической безопасности.",
        "Экономика страны выросла, а безопасность на дорогах улучшилась.")
    assert _keys(title) == set(), title[["text", "key"]]
    assert _keys(long_title) == set(), long_title[["text", "key"]]
    assert {"economy", "security"} <= _keys(about)


# ----------------------------------------------------------------------------- class 1: in passing, other senses


def test_goals_in_a_set_formula_and_other_senses_are_not_mentions(annotator) -> None:
    formula, goal, other_sense, about = _themes(
        annotator, "en",
        "The leaders called for peace and stability in the region.",
        "The new railway will enhance trade, investment and regional stability.",
        "She bought an economy class ticket. Engineers checked the stability of the bridge's supports.",
        "Political stability returned after months of unrest.")
    assert "stability" not in _keys(formula)
    assert "stability" not in _keys(goal) and "economy" in _keys(goal)
    assert _keys(other_sense) == set(), other_sense[["text", "key"]]
    assert "stability" in _keys(about)
    (russian,) = _themes(annotator, "ru", "Лидеры призвали к миру и стабильности в регионе.")
    assert "stability" not in _keys(russian)


def test_a_weak_trigger_counts_only_beside_another_mention(annotator) -> None:
    passing, about = _themes(
        annotator, "en",
        "He used a forged military ID to cross the border.",
        "The border was closed for a week. Trucks queued at the checkpoint.")
    assert "borders" not in _keys(passing)
    found = about[about["key"] == "borders"]
    assert "cue:closure of a border" in set(found["rule"]) and "weak" in set(found["rule"])


# ----------------------------------------------------------------------------- class 1: named in passing


def test_a_trigger_after_a_phrase_of_conformity_still_counts(annotator) -> None:
    # The seeds' gold codes "return to the legal field ... in compliance with the requirements of
    # the Constitution" as the constitution: a rule the actors are asked to follow is what the
    # sentence is about, not a word in passing (unlike an event that only dates something).
    english, _ = _themes(
        annotator, "en",
        "The envoys said the country should return to the legal field in compliance with the requirements "
        "of the Constitution.",
        "The envoys met the president.")
    assert "constitution" in _keys(english), english[["text", "key", "rule"]]
    russian, _ = _themes(
        annotator, "ru",
        "Послы заявили, что страна должна вернуться в правовое поле в соответствии с требованиями Конституции.",
        "Послы встретились с президентом.")
    assert "constitution" in _keys(russian), russian[["text", "key", "rule"]]


def test_a_trigger_dating_something_else_is_named_in_passing(annotator) -> None:
    passing, about = _themes(
        annotator, "en",
        "The businessman, who helped hospitals during the pandemic, was detained on Monday.",
        "Cases of COVID-19 rose again. Schools closed during the pandemic.")
    assert "pandemic" not in _keys(passing), passing[["text", "key", "rule"]]
    assert "pandemic" in _keys(about)
    (russian,) = _themes(annotator, "ru", "Для кого-то он меценат, помогавший людям во время пандемии коронавируса.")
    assert "pandemic" not in _keys(russian), russian[["text", "key", "rule"]]
    (following,) = _themes(annotator, "en", "The two men came to power following the disputed parliamentary "
                                            "elections, a court heard.")
    assert "elections" not in _keys(following)
    # an event that dates two things is what the document is about
    (event,) = _themes(annotator, "en", "At least 14 people who suffered during the riots are still in hospital. "
                                        "In total, 100 people turned to hospitals during the riots.")
    assert "stability" in _keys(event), event[["text", "key", "rule"]]


def test_a_sector_word_alone_needs_another_mention(annotator) -> None:
    passing, about = _themes(
        annotator, "en",
        "Observers said reforms had yet to lead to a truly pluralistic environment.",
        "The dam was cancelled so as not to harm the environment.")
    assert "environment" not in _keys(passing)
    assert "environment" in _keys(about)
    russian, russian_about = _themes(
        annotator, "ru",
        "Стороны обсудят вопросы в сферах экономики, сельского хозяйства, энергетики и промышленности.",
        "Зимой в стране не хватает электроэнергии, энергетика держится на импорте.")
    assert "water_energy" not in _keys(russian), russian[["text", "key", "rule"]]
    assert "water_energy" in _keys(russian_about)


def test_a_trigger_among_modifiers_of_another_head_is_named_in_passing(annotator) -> None:
    passing, areas = _themes(
        annotator, "en",
        "The ministers discussed ways to advance shared economic, energy, environmental, and security goals.",
        "Reforms in the economic, social and judicial spheres are priorities.")
    assert not {"environment", "economy"} & _keys(passing), passing[["text", "key", "rule"]]
    assert {"economy", "judiciary"} <= _keys(areas)  # a list of areas names what the sentence is about
    russian, russian_areas = _themes(
        annotator, "ru",
        "Нельзя допускать конфликтов, созданных по надуманным социально-экономическим, межэтническим, "
        "религиозным и другим мотивам.",
        "Реформы в экономической, социальной и судебной сферах остаются приоритетом.")
    assert "economy" not in _keys(russian), russian[["text", "key", "rule"]]
    assert "economy" in _keys(russian_areas)


def test_a_trigger_before_the_head_of_a_bodys_name_is_named_in_passing(annotator) -> None:
    passing, about = _themes(
        annotator, "en",
        "The state security service said it had gathered enough evidence against the mining company.",
        "The state security service reported the arrest of a terrorist cell.")
    assert "security" not in _keys(passing), passing[["text", "key", "rule"]]
    assert "security" in _keys(about)


def test_a_trigger_in_the_name_of_a_programme_is_not_a_mention(annotator) -> None:
    named, about = _themes(
        annotator, "en",
        'Under the project, entitled "Kyrgyzstan Community Security Initiative", the OSCE will train police.',
        "The initiative aims to improve security in border villages after the clashes.")
    assert "security" not in _keys(named), named[["text", "key", "rule"]]
    assert "security" in _keys(about)


def test_a_legislature_voting_to_do_something_is_not_an_election(annotator) -> None:
    committee, election = _themes(
        annotator, "en",
        "The committee voted to ratify the border agreement.",
        "Only a third of the electorate turned out to vote.")
    assert "elections" not in _keys(committee)
    assert "elections" in _keys(election)


def test_arms_trafficking_in_russian_is_not_security(annotator) -> None:
    (crime,) = _themes(annotator, "ru", "Преступная сеть занималась вымогательством и торговлей оружием.")
    assert "security" not in _keys(crime), crime[["text", "key", "rule"]]
    assert "organised_crime" in _keys(crime)


# ----------------------------------------------------------------------------- class 2: no trigger word


def test_a_protest_without_the_word_protest_is_stability(annotator) -> None:
    square, resign = _themes(annotator, "en",
                             "Hundreds gathered on the central square demanding the minister's resignation.",
                             "Activists called for the mayor to resign.")
    assert "stability" in _keys(square) and "stability" in _keys(resign)
    (russian,) = _themes(annotator, "ru", "Сотни человек собрались на центральной площади, требуя отставки министра.")
    assert "stability" in _keys(russian), russian[["text", "key"]]


def test_bans_and_detentions_of_the_opposition_are_democracy(annotator) -> None:
    ban, held, neutral = _themes(annotator, "en",
                                 "The city authorities prohibited marches.",
                                 "Police held several followers of the jailed politician.",
                                 "Police held a press conference.")
    assert "democracy" in _keys(ban) and "democracy" in _keys(held)
    assert "democracy" not in _keys(neutral)
    ban_ru, held_ru = _themes(annotator, "ru", "Власти города запретили шествия.",
                              "Полиция задержала нескольких сторонников оппозиционного политика.")
    assert "democracy" in _keys(ban_ru) and "democracy" in _keys(held_ru)


# ----------------------------------------------------------------------------- class 3: regional organisations


def test_joint_action_of_an_integration_body_is_regional_integration(annotator) -> None:
    members, named, other = _themes(
        annotator, "en",
        "The alliance's members agreed to send a joint contingent.",
        "The CSTO decided to send peacekeeping forces to Kazakhstan.",
        "The UN decided to send peacekeeping forces.")
    assert "regional_integration" in _keys(members)
    assert "regional_integration" in _keys(named)
    assert "regional_integration" not in _keys(other)  # not one of the theme's associations
    rule = named.loc[named["key"] == "regional_integration", "rule"]
    assert list(rule) == ["cue:joint action within an association"]
    exercise, tariff = _themes(annotator, "ru", "В рамках совместных учений государств — членов ШОС прошли стрельбы.",
                               "На саммите обсудили единый таможенный тариф.")
    assert "regional_integration" in _keys(exercise), exercise[["text", "key"]]
    assert "regional_integration" in _keys(tariff), tariff[["text", "key"]]


# ----------------------------------------------------------------------------- class 5: Russian case forms


@pytest.mark.parametrize("text", [
    "Трудовые мигранты вернулись домой.", "Число трудовых мигрантов сократилось.",
    "Помощь трудовым мигрантам увеличили.", "Говорили о трудовой миграции.",
])
def test_russian_triggers_in_every_case_form(annotator, text: str) -> None:
    (doc,) = _themes(annotator, "ru", text)
    assert "migration" in _keys(doc), doc[["text", "key"]]


# ----------------------------------------------------------------------------- the four new themes


def test_the_new_themes_in_english(annotator) -> None:
    migration, water, borders, crime = _themes(
        annotator, "en",
        "Remittances from labour migrants in Russia fell by a third.",
        "The country faces electricity shortages, and farmers lack water for irrigation.",
        "The commission agreed on the delimitation and demarcation of the state border. An armed clash broke out "
        "at the border last year.",
        "Police detained the leader of an organised criminal group involved in drug trafficking.")
    assert _keys(migration) == {"migration", "economy"}  # remittances are money flows too
    assert _keys(water) == {"water_energy"}
    assert {"borders", "security"} <= _keys(borders)  # an armed clash stays security as well
    assert "organised_crime" in _keys(crime)


def test_the_new_themes_in_russian(annotator) -> None:
    migration, water, borders, crime = _themes(
        annotator, "ru",
        "Денежные переводы трудовых мигрантов из России сократились.",
        "Дефицит электроэнергии вынудил ввести веерные отключения, фермерам не хватает воды для орошения.",
        "Стороны согласовали делимитацию и демаркацию государственной границы.",
        "Задержан лидер организованной преступной группы, занимавшейся наркотрафиком.")
    assert "migration" in _keys(migration), migration[["text", "key"]]
    assert "water_energy" in _keys(water), water[["text", "key"]]
    assert "borders" in _keys(borders), borders[["text", "key"]]
    assert "organised_crime" in _keys(crime), crime[["text", "key"]]


def test_a_user_theme_file_adds_russian_triggers(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 1\nthemes:\n"
        "  - key: sport\n    name: Sport\n    triggers: [football]\n"
        "    languages: {ru: {triggers: [футбол], cues: [{name: match, all: [[матч*], [сборн*]]}]}}\n"
        "  - key: migration\n    name: Migration\n    triggers: [migrant]\n"
        "    languages: {ru: {triggers: [отходник]}}\n", encoding="utf-8")
    themes = {theme.key: theme for theme in russian_themes(load_taxonomy(path, extend=True))}
    assert themes["sport"].triggers == ("футбол",) and themes["sport"].cues[0].name == "match"
    assert "отходник" in themes["migration"].triggers and "мигрант" in themes["migration"].triggers  # added to
    assert "football" not in themes["sport"].triggers


def test_a_theme_file_with_a_bad_language_block_names_the_problem(tmp_path) -> None:
    from analysis.annotate.themes import TaxonomyError

    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nthemes:\n  - {key: sport, name: Sport, triggers: [football], "
                    "languages: {ru: {words: [футбол]}}}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml: theme #1 \(key 'sport'\): languages\.ru: unknown field"):
        load_taxonomy(path)
    path.write_text("version: 1\nthemes:\n  - {key: sport, name: Sport, triggers: [football], "
                    "cues: [{name: one, all: [[goal]]}]}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"cues\[0\]: 'all' must list two or more"):
        load_taxonomy(path)


# ----------------------------------------------------------------------------- second round: held-out classes


def test_a_meeting_of_an_integration_bodys_organs_is_regional_integration(annotator) -> None:
    council, summit, leaders, other = _themes(
        annotator, "en",
        "Xi spoke at the meeting of the Council of Heads of State of the Shanghai Cooperation Organization.",
        "The leaders gathered for a summit of the SCO in Astana.",
        "The SCO leaders' meeting opened in Astana.",
        "The leaders gathered for a meeting of the UN Security Council.")
    for frame in (council, summit, leaders):
        rows = frame[frame["key"] == "regional_integration"]
        assert "association" in set(rows["rule"]), frame[["text", "key", "rule"]]
    # the council of leaders named is the association at work too
    assert set(council.loc[council["key"] == "regional_integration", "rule"]) == {
        "association", "cue:an association's council of leaders"}
    assert list(summit.loc[summit["key"] == "regional_integration", "text"]) == ["summit"]
    assert "regional_integration" not in _keys(other)  # not one of the theme's associations
    leaders_ru, organ_ru, talk_ru = _themes(
        annotator, "ru",
        "В Бишкеке началось заседание совета лидеров стран СНГ.",
        "Позже состоится заседание Совета глав государств СНГ.",
        "Президент рассказал о встрече с послом в Бишкеке.")
    assert list(leaders_ru.loc[leaders_ru["key"] == "regional_integration", "text"]) == ["заседание"]
    assert "regional_integration" in _keys(organ_ru), organ_ru[["text", "key"]]
    assert "regional_integration" not in _keys(talk_ru)


def test_an_armed_clash_between_servicemen_is_security(annotator) -> None:
    clash, fire, match = _themes(
        annotator, "en",
        "Kyrgyz and Tajik soldiers clashed near the village.",
        "The two sides exchanged fire for an hour.",
        "Fans clashed with the police after the match.")
    assert "security" in _keys(clash) and "security" in _keys(fire)
    assert list(clash.loc[clash["key"] == "security", "rule"]) == ["cue:clash of servicemen"]
    assert "security" not in _keys(match)
    armed, shooting, crowd, gang = _themes(
        annotator, "ru",
        "На границе произошло вооруженное столкновение между военнослужащими двух стран.",
        "Между пограничниками произошла перестрелка.",
        "Болельщики столкнулись с полицией у стадиона.",
        "Криминальный авторитет погиб в перестрелке с полицией.")
    assert "security" in _keys(armed) and "security" in _keys(shooting)
    assert "вооруженное столкновение" in set(armed.loc[armed["key"] == "security", "trigger"])
    assert "security" not in _keys(crowd)
    assert "security" not in _keys(gang) and "organised_crime" in _keys(gang)  # a shootout alone is weak


def test_drugs_smuggled_across_a_border_are_organised_crime(annotator) -> None:
    smuggled, medicine = _themes(annotator, "en",
                                 "Ten percent of the drugs smuggled across the border are seized.",
                                 "The pharmacy ran out of drugs for diabetes.")
    assert list(smuggled.loc[smuggled["key"] == "organised_crime", "rule"]).count("cue:drugs smuggled") == 1
    assert "organised_crime" not in _keys(medicine)
    carried, addiction = _themes(annotator, "ru", "Ежегодно через границу провозят сто тонн героина.",
                                 "Врачи лечат зависимость от героина.")
    assert "organised_crime" in _keys(carried), carried[["text", "key"]]
    assert "organised_crime" not in _keys(addiction)


def test_talks_with_a_mining_company_are_economy(annotator) -> None:
    (english,) = _themes(annotator, "en", "The government continued talks with the company over the Kumtor mine.")
    assert list(english.loc[english["key"] == "economy", "rule"]) == ["cue:talks with a company"]
    (russian,) = _themes(annotator, "ru", "Переговоры с золотодобывающей компанией об управлении рудником Кумтор "
                                          "продолжаются.")
    assert "economy" in _keys(russian)


def test_words_in_another_sense_are_not_elections_or_economy(annotator) -> None:
    water, runoff, assembly, detained = _themes(
        annotator, "en",
        "An estimated 15 percent of freshwater runoff comes from glaciers.",
        "Voters return to the polls for a runoff on Sunday.",
        "He did not take part in the UN General Assembly vote on the war.",
        "Police detained entrepreneurs linked to the underworld.")
    assert "elections" not in _keys(water) and "elections" not in _keys(assembly)
    assert "runoff" in set(runoff.loc[runoff["key"] == "elections", "trigger"])  # beside voters and polls
    assert "economy" not in _keys(detained) and "organised_crime" in _keys(detained)
    resolution, detained_ru = _themes(annotator, "ru", "Он не участвовал в голосовании по резолюции Генассамблеи ООН.",
                                      "Сотрудники ГКНБ задержали предпринимателей.")
    assert "elections" not in _keys(resolution) and "economy" not in _keys(detained_ru)


def test_a_person_held_hostage_is_not_a_detention(annotator) -> None:
    hostage, detained = _themes(
        annotator, "en",
        "Six officers held hostage by supporters of the former president were released.",
        "Police held several supporters of the former president.")
    assert "democracy" not in _keys(hostage), hostage[["text", "key", "rule"]]
    assert "democracy" in _keys(detained)


def test_security_forces_alone_and_an_arrival_are_not_themes(annotator) -> None:
    police, army = _themes(annotator, "en",
                           "Security forces used water cannons against the crowd.",
                           "Security forces repelled an attack by militants.")
    assert "security" not in _keys(police)  # weak alone: the police dispersing a crowd
    assert set(army.loc[army["key"] == "security", "rule"]) >= {"weak", "trigger"}  # beside "militant"
    arrived, profit = _themes(annotator, "ru", "В Бишкек прибыли лидеры стран — членов ОДКБ.",
                              "Прибыль компании выросла, инвестиции в экономику растут.")
    assert "economy" not in _keys(arrived), arrived[["text", "key"]]
    assert "economy" in _keys(profit)


def test_storming_a_residence_and_border_issues_and_ngos(annotator) -> None:
    storm, border, ngo = _themes(annotator, "en",
                                 "Special forces stormed the residence of the former president.",
                                 "The settlement of border issues opened the roads.",
                                 "The bill would curb nongovernmental organizations funded from abroad.")
    assert "stability" in _keys(storm) and "borders" in _keys(border) and "democracy" in _keys(ngo)
    (storm_ru,) = _themes(annotator, "ru", "Спецназ пошел на штурм резиденции бывшего президента, произошел "
                                           "вооруженный захват.")
    assert {"stability", "security"} <= _keys(storm_ru), storm_ru[["text", "key"]]


# ----------------------------------------------------------------------------- classes the unseen samples showed


def test_a_trigger_in_a_charge_is_the_courts_word_unless_it_names_an_offence(annotator) -> None:
    charge, offence, reported = _themes(
        annotator, "en",
        "A court sentenced the activist to eight years on a charge of calling for the violent overthrow of the "
        "constitutional order.",
        "The former minister was convicted of embezzlement and sentenced to ten years.",
        "Parliament adopted the constitutional amendments. The activist was charged with calling for the "
        "overthrow of the constitutional order.")
    assert "constitution" not in _keys(charge), charge[["text", "key", "rule"]]
    assert "corruption" in _keys(offence), offence[["text", "key", "rule"]]  # corruption names offences
    assert "constitution" in _keys(reported)  # the amendments are what the text reports on
    (ru_charge, ru_offence, riots) = _themes(
        annotator, "ru",
        "Задержаны члены банды, которые подозреваются в похищениях людей и вооружённых нападениях.",
        "Бывший аким обвиняется во взяточничестве.",
        "Суд признал 39 человек виновными в организации массовых беспорядков.")
    assert "security" not in _keys(ru_charge), ru_charge[["text", "key", "rule"]]
    assert "corruption" in _keys(ru_offence), ru_offence[["text", "key", "rule"]]
    assert "stability" in _keys(riots), riots[["text", "key", "rule"]]  # mass riots are an offence


def test_weapons_seized_in_a_search_are_evidence_not_security(annotator) -> None:
    seized, fighting = _themes(
        annotator, "en",
        "During the searches, three rifles, masks and other weapons were seized.",
        "The militants attacked the border post with heavy weapons.")
    assert "security" not in _keys(seized), seized[["text", "key", "rule"]]
    assert "security" in _keys(fighting)
    (ru_seized,) = _themes(annotator, "ru", "Из домов подозреваемых изъяли огнестрельное оружие и деньги.")
    assert "security" not in _keys(ru_seized), ru_seized[["text", "key", "rule"]]


def test_a_field_before_an_office_or_a_firm_is_named_in_passing(annotator) -> None:
    office, coordinated, firm, about = _themes(
        annotator, "en",
        "The former economy minister was sentenced to ten years.",
        "He served as deputy industry and trade minister before his arrest.",
        "The suspects invited the head of a large investment company to Aktobe.",
        "The economy minister said the economy grew by five percent.")
    for doc in (office, coordinated, firm):
        assert "economy" not in _keys(doc), doc[["text", "key", "rule"]]
    assert "economy" in _keys(about)


def test_a_sentence_a_decade_before_the_news_is_background(annotator) -> None:
    history, recent = _themes(
        annotator, "en",
        "Rahmon won a new term in the 2020 vote. He has ruled since 1992, when the country was immersed in a "
        "civil war.",
        "Rahmon won a new term in the 2020 vote. In 2020 the war in the region flared again.")
    assert "security" not in _keys(history), history[["text", "key", "rule"]]
    assert "security" in _keys(recent)


def test_normalising_the_epidemic_is_not_political_stability(annotator) -> None:
    epidemic, politics = _themes(
        annotator, "en",
        "The border reopened given the normalization of the epidemiological situation in the country.",
        "The president called for the normalization of the situation in the country after the riots.")
    assert "stability" not in _keys(epidemic), epidemic[["text", "key", "rule"]]
    assert "stability" in _keys(politics)


def test_themes_without_a_listed_word(annotator) -> None:
    wildlife, stay, drugs, torture = _themes(
        annotator, "en",
        "More than a hundred dead seals and birds were found on the shore.",
        "Thousands of citizens staying in Russia without legal grounds must leave the country.",
        "Police detained a man selling drugs at a bus stop.",
        "Dozens of police officers tortured people detained during the riots.")
    assert "environment" in _keys(wildlife), wildlife[["text", "key", "rule"]]
    assert "migration" in _keys(stay), stay[["text", "key", "rule"]]
    assert "organised_crime" in _keys(drugs) and "economy" not in _keys(drugs), drugs[["text", "key", "rule"]]
    assert "democracy" in _keys(torture), torture[["text", "key", "rule"]]
    fear, troops, editor = _themes(
        annotator, "en",
        "The cases deepened the climate of fear and self-censorship among journalists.",
        "Soldiers of the border troops detained two smugglers.",
        "Police summoned the editor of the news agency for questioning.")
    assert "environment" not in _keys(fear), fear[["text", "key", "rule"]]
    assert "security" not in _keys(troops), troops[["text", "key", "rule"]]
    assert "democracy" in _keys(editor), editor[["text", "key", "rule"]]
    wildlife, stay, drugs, torture, plant = _themes(
        annotator, "ru",
        "На побережье обнаружены трупы тюленей, погибли и другие животные.",
        "В реестр включены граждане, не имеющие законных оснований для пребывания в России.",
        "Задержан мужчина при попытке сбыта наркотиков на остановке общественного транспорта.",
        "Сотрудники полиции пытали задержанных.",
        "Жители проголосовали за строительство АЭС.")
    assert "environment" in _keys(wildlife), wildlife[["text", "key", "rule"]]
    assert "migration" in _keys(stay), stay[["text", "key", "rule"]]
    assert "organised_crime" in _keys(drugs) and "economy" not in _keys(drugs), drugs[["text", "key", "rule"]]
    assert "democracy" in _keys(torture), torture[["text", "key", "rule"]]
    assert "water_energy" in _keys(plant), plant[["text", "key", "rule"]]
    troops, editor, press = _themes(
        annotator, "ru",
        "В ходе операции военнослужащих пограничных войск задержаны двое местных жителей.",
        "Шеф-редактора информагентства вызвали на допрос в полицию.",
        "У задержанных изъяли гашиш, говорится в сообщении для СМИ.")
    assert "security" not in _keys(troops), troops[["text", "key", "rule"]]
    assert "democracy" in _keys(editor), editor[["text", "key", "rule"]]
    assert "democracy" not in _keys(press), press[["text", "key", "rule"]]  # a press release is no detained critic


@pytest.mark.parametrize(("field", "value"), [("offences", "yes please"), ("weak_together", "1")])
def test_a_theme_flag_must_be_true_or_false(tmp_path, field: str, value: str) -> None:
    from analysis.annotate.themes import TaxonomyError

    path = tmp_path / "bad.yaml"
    path.write_text(f"version: 1\nthemes:\n  - {{key: fraud, name: Fraud, triggers: [fraud], {field}: {value}}}\n",
                    encoding="utf-8")
    with pytest.raises(TaxonomyError, match=rf"bad\.yaml: theme #1 \(key 'fraud'\): '{field}' must be true or false"):
        load_taxonomy(path)


def test_two_different_weak_words_of_a_theme_count_together(annotator) -> None:
    """A story that speaks of the border only in weak words ("a border village", "border guards")
    is about the border; one weak word, however often, is not; nor are two of a sector whose weak
    words are generic ("budget" and "transport")."""
    two, one, sector = _themes(
        annotator, "en",
        "Residents of a border village complained about the noise. Border guards visited them on Monday.",
        "Residents of a border village complained about the noise. Another border village joined them.",
        "The city budget grew this year. The mayor spoke about transport.")
    assert "borders" in _keys(two) and set(two[two["key"] == "borders"]["rule"]) == {"weak"}, two[["text", "rule"]]
    assert "borders" not in _keys(one), one[["text", "key", "rule"]]
    assert "economy" not in _keys(sector), sector[["text", "key", "rule"]]
    (russian,) = _themes(annotator, "ru", "Мужчину задержали у границы. Пограничники передали его полиции.")
    assert "borders" in _keys(russian), russian[["text", "key", "rule"]]


def test_border_treaties_entry_refusals_rulings_and_words_in_other_senses(annotator) -> None:
    treaty, guarded, refused, audience, media_war, mine, ruling = _themes(
        annotator, "en",
        "The Senate ratified the treaty on the state border with Uzbekistan.",
        "The bloc will supply equipment to strengthen the border with Afghanistan.",
        "Hundreds of citizens were refused entry to Russia this month.",
        "Up to 1,000 people were deported per year, he told journalists.",
        "Tajikistan's war on independent media has silenced the press.",
        "A fire at the coal mine killed 32 workers.",
        "The company said it would appeal the court ruling.")
    assert "borders" in _keys(treaty), treaty[["text", "key", "rule"]]
    assert "borders" in _keys(guarded), guarded[["text", "key", "rule"]]
    assert "migration" in _keys(refused), refused[["text", "key", "rule"]]
    assert "democracy" not in _keys(audience), audience[["text", "key", "rule"]]
    assert "security" not in _keys(media_war), media_war[["text", "key", "rule"]]
    assert "water_energy" not in _keys(mine), mine[["text", "key", "rule"]]
    assert "judiciary" in _keys(ruling), ruling[["text", "key", "rule"]]
    treaty, attack, vote, prison, audience = _themes(
        annotator, "ru",
        "Парламент ратифицировал договор о кыргызско-узбекской госгранице.",
        "Боевики атаковали погранзаставу на таджикско-узбекской границе.",
        "На заседании 86 депутатов проголосовали «за», 32 – «против».",
        "Осуждённый должен отбывать срок в учреждении минимальной безопасности.",
        "Задержаны трое, сообщили журналистам в пресс-службе.")
    assert "borders" in _keys(treaty), treaty[["text", "key", "rule"]]
    assert "borders" in _keys(attack), attack[["text", "key", "rule"]]
    assert "elections" not in _keys(vote), vote[["text", "key", "rule"]]
    assert "security" not in _keys(prison), prison[["text", "key", "rule"]]
    assert "democracy" not in _keys(audience), audience[["text", "key", "rule"]]


def test_sentences_gas_water_tariffs_drills_and_idioms(annotator) -> None:
    sentenced, serving, gunfire, tariff, medium, drugs, idiom = _themes(
        annotator, "en",
        "A Kazakh court has sentenced three opposition activists to two weeks in jail.",
        "Japarov had been serving a sentence for kidnapping before he was freed.",
        "The border was closed after an exchange of gunfire injured several border guards.",
        "The government raised the electricity tariff for households.",
        "A district court ruled to liquidate the independent news outlet.",
        "Customs officers found a consignment of 71 kilograms of heroin in a truck.",
        "The names of some people were changed for security reasons.")
    assert "judiciary" in _keys(sentenced), sentenced[["text", "key", "rule"]]
    assert "judiciary" not in _keys(serving), serving[["text", "key", "rule"]]
    assert "security" in _keys(gunfire), gunfire[["text", "key", "rule"]]
    assert "water_energy" in _keys(tariff) and "economy" not in _keys(tariff), tariff[["text", "key", "rule"]]
    assert "democracy" in _keys(medium), medium[["text", "key", "rule"]]
    assert "organised_crime" in _keys(drugs), drugs[["text", "key", "rule"]]
    assert "security" not in _keys(idiom), idiom[["text", "key", "rule"]]
    gas, drills, water, tariff, vehicles, plot = _themes(
        annotator, "ru",
        "Президент готов рассмотреть предложение об увеличении прокачки туркменского газа.",
        "У таджикско-афганской границы пройдут новые военные учения.",
        "Нехватка воды для полива стала катастрофической.",
        "Тариф для производственных и бюджетных объектов составляет два сома.",
        "Казахстан приостановил пропуск транспортных средств через границу.",
        "Целью их приезда была попытка организации покушения на высших должностных лиц страны.")
    assert "water_energy" in _keys(gas), gas[["text", "key", "rule"]]
    assert "security" in _keys(drills), drills[["text", "key", "rule"]]
    assert "water_energy" in _keys(water), water[["text", "key", "rule"]]
    assert "economy" not in _keys(tariff), tariff[["text", "key", "rule"]]
    assert "economy" not in _keys(vehicles), vehicles[["text", "key", "rule"]]
    assert "security" in _keys(plot), plot[["text", "key", "rule"]]


def test_cue_words_that_name_something_else(annotator) -> None:
    guards, road = _themes(
        annotator, "en",
        "Teachers, border guards and customs officers will be vaccinated first.",
        "According to Kabar news agency, border guards blocked a section of the road.")
    assert "borders" not in _keys(guards), guards[["text", "key", "rule"]]  # guards of a border, not guarding it
    assert "democracy" not in _keys(road), road[["text", "key", "rule"]]  # a road blocked, an agency reporting


@pytest.mark.parametrize(("language", "text", "key", "found"), [
    # a seizure is its verb's, and a seized thing of an offence theme is that theme
    ("ru", "Более 20 кандидатов изъявили желание участвовать в выборах президента.", "elections", True),
    ("en", "Power was seized in a coup that toppled the president.", "stability", True),
    ("en", "Police said 5 kg of heroin were seized from members of a criminal gang.", "organised_crime", True),
    # a charge reaches to its clause's end, and an article of a law is no charge
    ("en", "Japarov, who was once convicted of kidnapping, won the presidential election by a landslide.",
     "elections", True),
    ("ru", "Президент распустил парламент по статье 63 Конституции и назначил досрочные выборы.", "elections", True),
    # a year is a year beside a word of dates: a target or a quantity moves no sentence into history
    ("en", "Parliament passed the new electoral code in 2025. The energy strategy runs until 2040.", "elections", True),
    ("en", "Police said 2000 people took part in the protest. The rally was held on 5 March 2024.", "stability", True),
    # the word after "and" before a body's head is a word of its name, not an article
    ("en", "The government will increase investment and the ministry will monitor it.", "economy", True),
    ("en", "Electricity and gas charges for households will rise by 20 percent from January.", "water_energy", True),
    ("en", "Kyrgyzstan will hold a parliamentary vote on November 28.", "elections", True),
    # an adjective's short form is another sense
    ("ru", "Власти избирательно применяют закон к критикам правительства.", "elections", False),
    ("ru", "Премьер-министр был вынужден покинуть свой пост после скандала.", "humanitarian", False),
    # a cue's words must be about each other
    ("en", "Police conducted an illegal search of the journalist's residence.", "migration", False),
    ("en", "According to the newspaper, smoking was banned in public places.", "democracy", False),
    ("en", "Hundreds of migrants are held in a detention centre near the border.", "judiciary", False),
    ("ru", "Египет возобновил поставки гуманитарной помощи в сектор Газа.", "water_energy", False),
    ("ru", "Депутаты от правящей партии обсудили вред наркотиков для школьников.", "organised_crime", False),
    ("ru", "Двое рыбаков погибли на Иссык-Куле во время шторма.", "environment", False),
    ("ru", "Ситуация на рынке в границах города остаётся спокойной.", "borders", False),
    # sentences a review ran through the cues and words added after heldout8 to heldout10
    # a delay is no detention
    ("ru", "Жители жалуются, что зарплаты задерживают уже три месяца.", "judiciary", False),
    ("ru", "Рейс Бишкек – Москва задержали на пять часов, граждане ночевали в аэропорту.", "judiciary", False),
    ("ru", "Правительство определило срок заключения контракта на строительство дороги.", "judiciary", False),
    # the opposition asking for a ban
    ("en", "The opposition called for a ban on coal exports to China.", "democracy", False),
    ("ru", "Оппозиция потребовала запретить вывоз скота.", "democracy", False),
    # worth noting, a plea deal
    ("en", "It is worth noting that the agreement was signed without a public debate.", "economy", False),
    ("ru", "Чиновник заключил досудебное соглашение и признал получение взятки на сумму 5 млн сомов.",
     "economy", False),
    # strikes, rackets and hackers are no armed attacks
    ("en", "Workers at the rocket fuel plant went on strike over unpaid wages.", "security", False),
    ("ru", "Хакерская атака была направлена на сайт ракетно-космической корпорации.", "security", False),
    # a project of anything financed
    ("en", "USAID funded a project to train election observers in Kyrgyzstan.", "economy", False),
    ("ru", "ЕС финансирует проект по поддержке независимых журналистов.", "economy", False),
    # fees with "on", a person's criminal case
    ("en", "Kazakhstan raised the cap on electricity charges for households.", "water_energy", True),
    ("en", "The criminal case of opposition leader Tekebayev concerned the constitution referendum of 2016.",
     "constitution", True),
    # a march banned with a number after it is no date
    ("en", "City hall banned the march, 2,000 people had registered for it.", "democracy", True),
    # a city closed under quarantine, a reserve closed to tourists
    ("ru", "Въезд на территорию Бишкека запрещен из-за карантина.", "migration", False),
    # drugs found in a truck, a TV channel
    ("ru", "На таможенном посту в кабине фуры обнаружили 50 кг героина.", "economy", False),
    ("ru", "Фильм о вреде наркотиков покажут на телеканале «Ала-Тоо».", "organised_crime", False),
    ("en", "Anti-drug films will be shown on the state TV channel to fight drug addiction.", "organised_crime", False),
    # goods detained, a company's limits, vaccine shots at a border, fire exits
    ("en", "Chinese customs announced the detention of goods at the Torugart crossing.", "judiciary", False),
    ("ru", "Компания усилила позиции и расширила границы бизнеса.", "borders", False),
    ("en", "Travellers crossing the border must show proof of two vaccine shots.", "borders", False),
    ("ru", "Пожарные проверили эвакуационные выходы в торговом центре.", "humanitarian", False),
    ("en", "A batch of medicines that was not registered was confiscated; the party that imported it was fined.",
     "democracy", False),
    # and a second review, after heldout11 and heldout12
    ("ru", "Полиция разогнала протестующих в центре Бишкека с применением слезоточивого газа.", "water_energy", False),
    ("ru", "Журналисты пожаловались на цензуру, а в Алматы взорвался баллон с газом.", "water_energy", False),
    ("ru", "Кандидат встретился с учениками школы, сообщил его предвыборный штаб.", "security", False),
    ("ru", "Проповедники распространяли запрещённое учение среди военнослужащих.", "security", False),
    ("ru", "Кредиторы компании потребовали вернуть 5 млн долларов долга.", "economy", False),
    ("en", "The new laboratory will test drugs and vaccines against COVID-19.", "organised_crime", False),
    ("en", "Inspectors confiscated expired drugs from pharmacies in Osh.", "organised_crime", False),
    ("ru", "Производство по делу активиста, обвиняемого в хранении наркотиков, приостановлено.",
     "organised_crime", False),
    ("ru", "Сильный ветер сорвал крыши с домов и повредил линии уличного освещения.", "democracy", False),
    ("en", "Think tanks in Almaty discussed the delimitation of the border.", "security", False),
    ("en", "Kazakhstan estimates the cost of cutting greenhouse gas emissions.", "water_energy", False),
    ("en", "Kazakhstan, a member of the SCO, hosted a forum on the integration of people with disabilities.",
     "regional_integration", False),
    ("en", "The Defence Ministry's recruitment agency called up 5,000 citizens for military service.",
     "migration", False),
    ("ru", "Власти запретили массовые собрания из-за ковида.", "democracy", False),
    # fifth round: an offence list after a charge word keeps its commas
    ("en", "The court found the former mayor guilty of fraud, abuse of office and illegal possession of weapons.",
     "security", False),
    ("en", "The deputy, once accused of fraud, warned of the threat of terrorism.", "security", True),
    ("ru", "Их признали виновными в мошенничестве, вымогательстве и незаконном хранении оружия.", "security", False),
    # the extremism charge's object and an election commission's name are no constitution
    ("en", "The group planned to overthrow the constitutional order by force.", "constitution", False),
    ("ru", "Группа готовила свержение конституционного строя.", "constitution", False),
    ("en", "The Central Commission for Elections and Referendums announced the results.", "constitution", False),
    ("ru", "Центральная комиссия по выборам и референдумам утвердила итоги.", "constitution", False),
    ("ru", "Статья предусматривает наказание за преступления против основ конституционного строя.",
     "constitution", False),
    # security in the sense of safety or finance
    ("en", "The company plans to issue securities worth 50 million dollars.", "security", False),
    ("en", "He will serve his term in a high-security colony.", "security", False),
    ("en", "The inspectorate of veterinary and phytosanitary security checked the cargo.", "security", False),
    ("en", "Because of health security precautions the meeting was held online.", "security", False),
    ("en", "The ministers discussed regional security and the fight against terrorism.", "security", True),
    ("ru", "Жителей призвали соблюдать правила безопасности во время паводка.", "security", False),
    ("ru", "Органы безопасности задержали подозреваемого.", "security", False),
    # speech punished and a journalist sentenced
    ("en", "A woman was jailed for insulting the president in social media posts.", "democracy", True),
    ("en", "Two reporters were sentenced on libel charges.", "democracy", True),
    ("en", "A man was sentenced for the murder of a journalist.", "democracy", False),
    ("ru", "Блогера оштрафовали за оскорбление президента.", "democracy", True),
    ("ru", "Журналист осужден на пять лет.", "democracy", True),
    ("ru", "Суд приговорил убийцу журналиста.", "democracy", False),
    ("en", "The parliament voted to abolish the death penalty.", "democracy", True),
    ("ru", "Президент подписал закон об отмене смертной казни.", "democracy", True),
    ("en", "The authorities restricted access to information and ordered an internet shutdown.", "democracy", True),
    ("en", "Lawyers said the defendants were denied a fair trial.", "democracy", True),
    # a Russian body's field before its head is named in passing, as in English
    ("ru", "Транспортная прокуратура возбудила дело.", "economy", False),
    ("ru", "Экономический суд рассмотрел спор.", "economy", False),
    ("ru", "Налоги выросли на десять процентов.", "economy", True),
    # integration beside an association; a common economic space
    ("ru", "Эксперты обсудили интеграцию в рамках ЕАЭС.", "regional_integration", True),
    ("ru", "Мигранты проходят курсы интеграции.", "regional_integration", False),
    ("en", "The leaders agreed to build a common economic space.", "regional_integration", True),
    # financing terrorism and inflating turnout are no economy; transport corridors are
    ("en", "The suspects raised money to finance terrorism.", "economy", False),
    ("ru", "Его обвиняют в финансировании терроризма.", "economy", False),
    ("en", "Observers reported ballot stuffing and inflation of turnout.", "economy", False),
    ("en", "The countries will develop new transport corridors.", "economy", True),
    ("ru", "Стороны обсудили развитие транспортных коридоров.", "economy", True),
    # a place close to a border; a crossing built
    ("en", "The plant lies close to the border with Russia.", "borders", False),
    ("en", "Kazakhstan closed the border with Kyrgyzstan.", "borders", True),
    ("en", "The two countries will build a new checkpoint.", "borders", True),
    ("ru", "Стороны построят новый пункт пропуска.", "borders", True),
    # assets recovered, funds misappropriated
    ("en", "The state recovered illegally obtained assets worth 2 billion dollars.", "corruption", True),
    ("ru", "Власти сообщили о возврате незаконно выведенных активов.", "corruption", True),
    ("en", "Officials misappropriated funds meant for hospitals.", "corruption", True),
    # discontent with the authorities
    ("en", "Growing public discontent forced the cabinet to resign.", "stability", True),
    ("ru", "Общественное недовольство вынудило правительство уйти в отставку.", "stability", True),
    # trials, previous convictions and apprehensions
    ("ru", "В Бишкеке начался суд над бывшими чиновниками.", "judiciary", True),
    ("ru", "Задержанный ранее был судим за кражу.", "judiciary", True),
    ("en", "Twenty people went on trial in Bukhara.", "judiciary", True),
    ("en", "The agency reported the apprehension of 70 suspects.", "judiciary", True),
    # gas brought to homes; relief after a disaster
    ("ru", "Власти завершили газификацию сёл.", "water_energy", True),
    ("en", "The gasification of villages will continue.", "water_energy", True),
    ("en", "UN agencies continue their relief efforts after the earthquake.", "humanitarian", True),
    # a holiday's name; speakers holding a briefing; an epidemic stabilising
    ("en", "The president pardoned 300 prisoners on Constitution Day.", "constitution", False),
    ("ru", "Президент помиловал заключенных накануне Дня Конституции.", "constitution", False),
    ("en", "The two presidents held a joint press conference for reporters.", "democracy", False),
    ("ru", "Дополнительная иммунизация детей продлится до стабилизации обстановки.", "stability", False),
    ("en", "Extra immunization will continue until the situation stabilizes.", "stability", False),
    # jailing and questioning; armed resistance; pressure on activists
    ("en", "Three reporters were jailed for ten days.", "judiciary", True),
    ("en", "Police summoned six journalists for questioning.", "judiciary", True),
    ("en", "The suspects offered armed resistance and were killed.", "security", True),
    ("ru", "При задержании они оказали вооруженное сопротивление.", "security", True),
    ("en", "The authorities stepped up pressure on civic activists.", "democracy", True),
    ("ru", "Власти усиливают давление на гражданских активистов.", "democracy", True),
    # shooting at a state border is security as well as borders; a road accident there is neither
    ("en", "Two soldiers died in a shootout on the disputed frontier.", "security", True),
    ("en", "Clashes broke out on the border between the two republics.", "security", True),
    ("ru", "На границе двух республик вновь произошла стрельба.", "security", True),
    ("ru", "На границе произошло столкновение двух автомобилей.", "security", False),
    # censorship of the internet; the police blocking criminals' sites, and restrictions read on social networks
    ("en", "The authorities blocked YouTube and Facebook for a week.", "democracy", True),
    ("ru", "Власти заблокировали доступ к соцсетям и мессенджерам.", "democracy", True),
    ("en", "Police blocked 300 websites used by drug dealers.", "democracy", False),
    ("en", "He said reports on social networks that the restrictions had been lifted were untrue.", "democracy", False),
    ("ru", "Полиция заблокировала сайты наркоторговцев.", "democracy", False),
    # the price of staples reported; a price hike that set off protests is the protests'
    ("en", "Prices for bread and flour rose by a third in state stores.", "economy", True),
    ("ru", "Хлеб и мясо в магазинах столицы подорожали вдвое.", "economy", True),
    ("en", "Crowds protested against a sudden rise in fuel prices.", "economy", False),
    ("ru", "Жители вышли на митинг против роста цен на топливо.", "economy", False),
    ("en", "Internet access has been restricted in the region for a week.", "democracy", True),
    # general words the lists lacked, in both languages where the word exists
    ("en", "The army launched a military operation in the mountain town.", "security", True),
    ("en", "The tribunal ordered the company to pay damages.", "judiciary", True),
    ("en", "The death sentences were replaced by life imprisonment.", "judiciary", True),
    ("en", "Nepotism is widespread in the civil service.", "corruption", True),
    ("en", "The agreement provides for the restitution of illicitly acquired assets.", "corruption", True),
    ("en", "Workers at the copper mine went on strike.", "stability", True),
    ("ru", "Рабочие нефтяной компании продолжают забастовку.", "stability", True),
    ("ru", "С начала месяца провакцинированы более десяти тысяч человек.", "pandemic", True),
    ("en", "The programme aims at import substitution.", "economy", True),
    ("ru", "Главная цель этих проектов — импортозамещение.", "economy", True),
    ("en", "Farmers are switching to water-saving technologies.", "water_energy", True),
    ("ru", "Фермеры переходят на водосберегающие технологии.", "water_energy", True),
    # a court's acts after a charge are the case itself
    ("en", "A former minister was found guilty of corruption and sentenced to ten years in prison.", "judiciary", True),
    # a railway built is transport infrastructure; one reopened is named in passing
    ("en", "Kazakhstan and China plan to build a new cross-border railway.", "economy", True),
    ("ru", "Стороны обсудили строительство железной дороги между двумя странами.", "economy", True),
    ("en", "The authorities reopened rail links at the border.", "economy", False),
    # people sent to the cotton fields against their will; a harvest alone is no forced labour
    ("en", "Public sector workers were forced to pick cotton.", "democracy", True),
    ("ru", "Бюджетников принудительно отправляют на сбор хлопка.", "democracy", True),
    ("en", "The country's cotton harvest rose by ten percent.", "democracy", False),
    # drugs by weight are a trafficker's; medicines by weight are not drugs
    ("en", "Border guards found 2 kilograms of heroin in the car.", "organised_crime", True),
    ("ru", "С килограммом героина задержан местный житель.", "organised_crime", True),
    ("en", "The hospital received 50 kilograms of drugs and medicines for patients.", "organised_crime", False),
    ("ru", "Около пятидесяти жителей вышли на пикет у здания акимата.", "stability", True),
    ("en", "The United States vacated its air base near the capital.", "security", True),
    ("ru", "Туркменистан готовится к строительству газопровода через Афганистан.", "economy", True),
    ("ru", "Суд вынес приговор в отношении одиннадцати журналистов.", "democracy", True),
    ("en", "The court read out its verdict against eleven journalists.", "democracy", True),
    # customs borders, amnesty laws, refused rallies, activists behind bars, attacks on journalists,
    # enterprises opened, brawls with locals
    ("en", "Kyrgyzstan will soon open its customs borders with its neighbours.", "borders", True),
    ("ru", "Министры обсудили вопросы таможенной границы.", "borders", True),
    ("en", "The president signed a law on amnesty for the holiday.", "judiciary", True),
    ("en", "The city refused permission for the opposition rally.", "democracy", True),
    ("ru", "Акимат отказал в проведении митинга на площади.", "democracy", True),
    ("en", "Dozens of activists are now behind bars.", "democracy", True),
    ("ru", "Десятки активистов оказались за решеткой.", "democracy", True),
    ("en", "Five men were found guilty of attacks on independent journalists.", "democracy", True),
    ("ru", "Полиция расследует нападение на журналистов в Алматы.", "democracy", True),
    ("en", "The president opened two new factories in the region.", "economy", True),
    ("ru", "Президент открыл в городе ряд предприятий.", "economy", True),
    ("ru", "Работы на руднике приостановили после драки местных жителей с рабочими.", "stability", True),
    # words in another sense: a story recounted, a prison regime, a market's size, a place's location
    ("en", "Her colleague recounted how the volunteers worked at the hospital.", "elections", False),
    ("en", "The opposition demanded a recount of votes in three districts.", "elections", True),
    ("en", "She was moved to a general-security penal colony.", "security", False),
    ("en", "Russia is the largest single market for Afghan heroin.", "regional_integration", False),
    ("en", "The country is strategically located on the border of conflict-wracked Afghanistan.", "borders", False),
    ("ru", "Город расположен на границе с Афганистаном, где продолжается конфликт.", "borders", False),
    # nature itself: fires, wild animals, where they live, a sea or lake saved from drying up
    ("en", "Firefighters fought a wildfire in the mountains for three days.", "environment", True),
    ("ru", "В области потушили крупный лесной пожар.", "environment", True),
    ("en", "Rangers detained two poachers in the reserve.", "environment", True),
    ("ru", "Сайгак был включен в Красную книгу республики.", "environment", True),
    ("ru", "Животные вернулись в естественную среду обитания.", "environment", True),
    ("en", "The state allocated funds for the project to preserve the northern part of the sea.", "environment", True),
    ("ru", "Правительство обсудило сохранение северной части моря.", "environment", True),
    ("en", "Police restored order in the lakeside town after the clashes.", "environment", False),
    # citizens brought home from abroad; migrant workers coming home and deportees are not
    ("en", "The government continues to return citizens from the war zone by charter.", "humanitarian", True),
    ("ru", "МИД организовал вывоз граждан из зоны конфликта.", "humanitarian", True),
    ("en", "Thousands of citizens working abroad returned as migrants lost jobs.", "humanitarian", False),
    ("ru", "Возвращение граждан-мигрантов домой бьет по денежным переводам.", "humanitarian", False),
    # a cue's phrase may hold a whole name, a word inside a name is no cue
    ("en", "The talks touched on social guarantees for Uzbek citizens working in Russia.", "migration", True),
    # the verb of the seizure of power; pre-trial proceedings; an investor's arbitration
    ("en", "Three lawmakers were convicted of trying to seize power by force.", "stability", True),
    ("en", "The prosecutors started pre-trial proceedings against the officials.", "judiciary", True),
    ("en", "The mining company filed for international arbitration against the government.", "economy", True),
    # Russian words the lists lacked: electiveness, an official position used, crime bosses, no water,
    # a ruling upheld
    ("ru", "Президент предложил ввести выборность акимов районов.", "elections", True),
    ("ru", "Чиновник, пользуясь служебным положением, выделил себе участок.", "corruption", True),
    ("ru", "В Душанбе находятся преступные авторитеты из Хорога.", "organised_crime", True),
    ("ru", "Милиция объявила о борьбе с криминалом.", "organised_crime", True),
    ("ru", "Жители нескольких домов второй месяц живут без воды.", "water_energy", True),
    ("ru", "Городской суд оставил в силе решение районного суда.", "judiciary", True),
    # a legislature's vote on a bill or a resolution is no election; a vote alone is
    ("en", "Thirty deputies voted for the draft law in the first reading.", "elections", False),
    ("en", "The deputies held a vote and adopted a resolution of no confidence.", "elections", False),
    ("ru", "За принятие законопроекта проголосовали 90 депутатов.", "elections", False),
    ("en", "Residents of the capital voted in large numbers on Sunday.", "elections", True),
    ("ru", "Жители столицы активно голосовали в воскресенье.", "elections", True),
    # a crop gathered, output measured in tonnes
    ("en", "The ministry set the plan for this year's wheat harvest.", "economy", True),
    ("ru", "Фермеры опасаются за урожай риса.", "economy", True),
    ("en", "The smelter plans to raise aluminium production to 300,000 tonnes.", "economy", True),
    ("ru", "Комбинат планирует довести производство алюминия до 300 тысяч тонн.", "economy", True),
    ("ru", "Стороны увеличат объем железнодорожных перевозок до 60 млн тонн в год.", "economy", True),
    ("en", "The agency received 20 tons of humanitarian cargo from the European Union.", "economy", False),
    # a metro line built, a deal valued at a sum
    ("en", "A Turkish company signed a contract to build a new metro line in the capital.", "economy", True),
    ("ru", "В столице продолжается строительство метро.", "economy", True),
    ("en", "The parties signed a supply agreement valued at $2 billion.", "economy", True),
    # the head of a place's name is the place ("restoring the Aral Sea")
    ("ru", "Правительство обсудило восстановление Аральского моря.", "environment", True),
    ("en", "The project aims to restore the Aral Sea.", "environment", True),
    # supply failing: no gas, no power; criminal legislation and its penalties; a case opened
    ("ru", "Часть города осталась без газа и света.", "water_energy", True),
    ("ru", "Жители села протестовали против нехватки газа.", "water_energy", True),
    ("en", "Several districts were left without electricity for two days.", "water_energy", True),
    ("ru", "Министерство намерено внести поправки в уголовное законодательство.", "judiciary", True),
    ("en", "The ministry proposed tougher penalties for members of criminal groups.", "judiciary", True),
    ("ru", "В прошлом году по фактам вымогательства возбуждено 70 дел.", "judiciary", True),
    # a list that 'по' governs in a body's name is the name ("комитет по ... обороне, безопасности и миграции")
    ("ru", "Решение принято на заседании комитета по международным делам, обороне, безопасности и миграции.",
     "security", False),
    ("ru", "Решение принято на заседании комитета по международным делам, обороне, безопасности и миграции.",
     "migration", False),
    ("ru", "Комитет по вопросам безопасности провел заседание.", "security", False),
    # words in another sense: held to account, a norm that did not justify itself, a selective approach,
    # terrorists' gangs, a village's water pipe
    ("en", "The deputies want the former president to be held to account for the deal.", "democracy", False),
    ("ru", "По словам спикера, эта норма себя не оправдала.", "judiciary", False),
    ("ru", "Избирательный подход властей к изданиям вызывает вопросы.", "elections", False),
    ("ru", "Террористические банды разгромлены.", "organised_crime", False),
    ("en", "The residents argued over the construction of a water pipeline to the village.", "economy", False),
    # residents blocking a road
    ("en", "Villagers blocked the highway to the mine on Monday.", "stability", True),
    ("ru", "Жители двух сел перекрыли трассу Бишкек — Каракол.", "stability", True),
    ("en", "Police blocked the road through the town for the parade.", "stability", False),
    # exercises of troops, illegal armed groups, militants
    ("en", "During the exercise, the rapid deployment forces will practice combat operations.", "security", True),
    ("ru", "Продолжается подготовка к командно-штабному учению с участием воинских контингентов.", "security", True),
    ("ru", "Летом границу пытались перейти боевики.", "security", True),
    ("en", "The students passed the final exercise at the military academy.", "security", False),
    # a riot at a prison is the prison's; lighting and lorries are no censorship
    ("en", "A riot at a high-security prison in the north left a dozen dead.", "stability", False),
    ("ru", "Для экономии электричества ограничивается наружное освещение.", "democracy", False),
    ("ru", "В соцсетях появилось видео: поток фур полностью заблокирован.", "democracy", False),
    # power cut off is no censorship of the internet
    ("ru", "После работы будут отключать электроэнергию, сообщает интернет-издание.", "democracy", False),
    ("en", "Electricity will be cut off in the evenings, the news site reported.", "democracy", False),
    # a special operation of the security forces; a command-staff exercise; military cooperation
    ("ru", "В ходе спецоперации силовиков в районе погибли трое местных жителей.", "security", True),
    ("ru", "Антикоррупционная служба провела спецоперацию в мэрии.", "security", False),
    ("ru", "Командно-штабное учение стартует в понедельник на полигоне под Ошем.", "security", True),
    ("en", "The command-staff exercise begins on Monday at a training ground near Osh.", "security", True),
    ("ru", "Министры подписали план сотрудничества в военной области на три года.", "security", True),
    ("en", "The ministers signed a plan of military cooperation for three years.", "security", True),
    ("ru", "Жители жаловались, что по городу стреляла артиллерия.", "security", True),
    # a suspicion, a charge and custody without "charged" or "arrested"
    ("ru", "Бывший аким задержан по подозрению в растрате бюджетных средств.", "judiciary", True),
    ("ru", "Бывшему акиму вменяется превышение должностных полномочий.", "judiciary", True),
    ("ru", "Ему вменили в обязанность проверку всех отчётов.", "judiciary", False),
    ("ru", "Задержанного водворили в изолятор временного содержания.", "judiciary", True),
    ("ru", "Задержанные из-за погоды рейсы вылетели утром.", "judiciary", False),
    ("ru", "Чиновник должен предстать перед судом за свои действия.", "judiciary", True),
    # a journalist as the audience of a statement is no journalist detained
    ("ru", "Глава таможни сообщил сегодня журналистам, что задержаны двое курьеров.", "democracy", False),
    ("ru", "Полиция задержала журналиста независимого издания.", "democracy", True),
    # freedom of religion and of dress; exit bans; a rally without a permit
    ("en", "The new law bans the hijab in schools and offices.", "democracy", True),
    ("ru", "Новый закон запрещает ношение хиджаба в школах.", "democracy", True),
    ("en", "Students were prevented from leaving the country at the airport.", "democracy", True),
    ("en", "The activist was fined for organising an unsanctioned rally.", "democracy", True),
    # a legal disclaimer in brackets is what the law makes a publisher print
    ("en", "The delegation met the Taliban (a terrorist organisation banned in Russia) in Kabul.", "security", False),
    ("ru", "Делегация встретилась с представителями «Талибана» (террористическая организация, запрещена в РФ).",
     "security", False),
    ("en", "The delegation discussed the fight against terrorist groups in Afghanistan.", "security", True),
    # an outlawed armed gang is a band of militants, not a criminal group
    ("en", "The troops practised destroying outlawed armed gangs in the mountains.", "organised_crime", False),
    ("en", "The troops practised destroying outlawed armed gangs in the mountains.", "security", True),
    # the weather of a place; the safety of goods; a shopping centre; signatures gathered
    ("en", "The province grows little cotton because of its unfavourable climate.", "environment", False),
    ("ru", "Груз не прошёл проверку на соответствие нормам безопасности.", "security", False),
    ("ru", "Блогер снял видео о торговом комплексе в центре города.", "economy", False),
    ("en", "Activists gathered 150,000 signatures, demanding a tougher law on domestic violence.", "stability", False),
    ("ru", "Активисты собрали 150 тысяч подписей, требуя ужесточить закон.", "stability", False),
    ("en", "Contaminated carcasses were destroyed and vets are vaccinating livestock against anthrax.",
     "environment", False),
    # citizens brought home; speech punished on a suspicion; a border post; felling trees
    ("ru", "Свыше 150 граждан Таджикистана возвращены на родину специальным рейсом.", "humanitarian", True),
    ("ru", "Блогер подозревается в распространении заведомо ложной информации.", "democracy", True),
    ("ru", "На границе началось строительство нового пограничного поста.", "borders", True),
    ("ru", "Жители жалуются на вырубку деревьев в парке.", "environment", True),
    # a legislature's vote named in the sentence after its bill
    ("en", "The parliament passed the bill on NGOs. Sixty-six members voted for it, five against.", "elections", False),
    ("ru", "Депутаты рассмотрели законопроект о СМИ. За него проголосовали 69 депутатов.", "elections", False),
    ("en", "The council met on Monday. Residents voted for a new mayor.", "elections", True),
    # money appropriated; a title conferred is no embezzlement
    ("ru", "Заведующая детским садом присвоила 150 млн сумов из бюджета учреждения.", "corruption", True),
    ("ru", "Ему присвоено звание народного артиста.", "corruption", False),
    # an attack on a blogger; the disappeared; seasonal workers abroad; seats from party lists
    ("en", "A group of men attacked the blogger outside his home.", "democracy", True),
    ("ru", "Неизвестные напали на блогера у его дома.", "democracy", True),
    ("ru", "Родственники добиваются правды о насильственно исчезнувших в тюрьмах.", "democracy", True),
    ("ru", "Сезонные рабочие из Кыргызстана собирают урожай в Великобритании.", "migration", True),
    ("en", "Seasonal workers from Kyrgyzstan pick fruit on British farms.", "migration", True),
    ("en", "The new parliament would be elected exclusively through party lists.", "elections", True),
    # prices or traffic stabilising are no political stabilisation
    ("ru", "Чтобы стабилизировать ситуацию с очередью грузовиков, ввели лимит.", "stability", False),
    ("en", "The bank moved to stabilise the situation on the currency market.", "stability", False),
    # passenger services resumed are transport at work; a flight bringing citizens home is relief
    ("en", "Somon Air resumed flights between Dushanbe and Tashkent on Friday.", "economy", True),
    ("ru", "Авиакомпания возобновила рейсы из Душанбе в Ташкент.", "economy", True),
    ("en", "Charter flights were launched to bring stranded citizens home.", "economy", False),
    # "судя по" is "judging by", no convict; a deputy's title for economic affairs is no economy
    ("ru", "Судя по всему, решение примут в понедельник.", "judiciary", False),
    ("ru", "Заместитель хокима по экономическим вопросам провёл приём граждан.", "economy", False),
    # the chairmanship of an association is activity within it
    ("en", "Kyrgyzstan assumed the chairmanship of the Shanghai Cooperation Organization.", "regional_integration",
     True),
    # a border word whose exclusion ("bordering") shares its lemma still counts; the participle does not
    ("en", "Trucks were held at the Kazakh-Kyrgyz border and at the checkpoint near the village.", "borders", True),
    ("en", "The province, bordering China, grows cotton.", "borders", False),
    # the trade body's membership; a currency's rate
    ("en", "The country completed bilateral talks on its accession to the World Trade Organization.", "economy", True),
    ("ru", "Страна завершила переговоры о вступлении во Всемирную торговую организацию.", "economy", True),
    ("en", "The central bank widened the exchange rate corridor.", "economy", True),
    ("ru", "Нацбанк расширил коридор колебания обменного курса тенге.", "economy", True),
    # money laundering by the code's name; what breeds corruption
    ("en", "He is charged with legalization of criminal proceeds.", "corruption", True),
    ("ru", "Ему вменяют легализацию преступных доходов.", "corruption", True),
    ("ru", "Задача — снизить коррупциогенность процедур отбора судей.", "corruption", True),
    # persecution for politics, authoritarian rule, the rights of citizens
    ("ru", "Задержанные называют дело политическим преследованием.", "democracy", True),
    ("en", "Activists described the vote as evidence of authoritarian tendencies.", "democracy", True),
    ("en", "Lawyers say the bill violates the constitutional rights of citizens.", "democracy", True),
    ("ru", "Юристы считают, что закон нарушает права граждан.", "democracy", True),
    # a permit refused, a medium liquidated, a journalist sentenced by the court (not the killer of one)
    ("en", "Activists applied to hold a rally but were refused.", "democracy", True),
    ("ru", "Активисты подали заявку на проведение митинга, но им было отказано.", "democracy", True),
    ("ru", "Суд рассмотрел иск прокуратуры о ликвидации издания.", "democracy", True),
    ("ru", "Суд приговорил журналиста к пяти годам лишения свободы.", "democracy", True),
    ("ru", "Суд приговорил убийцу журналиста к десяти годам.", "democracy", False),
    # a crowd dispersed, a coalition collapsed, a brawl of crowds
    ("en", "Police dispersed the demonstration near the stadium.", "stability", True),
    ("ru", "Полиция разогнала собравшихся у стадиона.", "stability", True),
    ("en", "The government resigned after the ruling coalition collapsed.", "stability", True),
    ("ru", "Правительство ушло в отставку в связи с распадом коалиции.", "stability", True),
    ("ru", "В селе произошла массовая драка между жителями и рабочими.", "stability", True),
    # a flood abating is no political stabilisation
    ("en", "In the region the flood situation is stabilizing.", "stability", False),
    ("ru", "Ситуация с паводком в области стабилизируется.", "stability", False),
    # the people voting in a referendum; a legislature calling one
    ("ru", "Большинство принявших участие в голосовании на референдуме поддержали поправки.", "elections", True),
    ("en", "Parliament voted to hold a referendum in January.", "elections", False),
    ("ru", "Депутаты проголосовали за проведение референдума.", "elections", False),
    # citizens brought home, counted; a returning traveller's positive test; money or mercy
    ("ru", "Вывозными рейсами на родину были возвращены 642 гражданина.", "humanitarian", True),
    ("en", "Two citizens returning from Germany tested positive for the virus.", "humanitarian", False),
    ("en", "A commission was set up to repatriate funds stolen by officials.", "humanitarian", False),
    ("ru", "Комиссия займётся репатриацией активов.", "humanitarian", False),
    ("en", "The sentence was commuted from the humanitarian point of view.", "humanitarian", False),
    # leaving to work abroad; arms given to an army, by an association; terrorism online
    ("ru", "Тысячи выпускников уезжают работать в Южную Корею.", "migration", True),
    ("en", "The CSTO will equip the Tajik army with new weapons.", "regional_integration", True),
    ("ru", "Россия окажет Таджикистану военно-техническую помощь.", "security", True),
    ("ru", "Участники обсудили борьбу с кибертерроризмом.", "security", True),
    # a trading house's name; electricity sold under a contract
    ("ru", "Задержания прошли около торгового дома в центре.", "economy", False),
    ("ru", "Компании продлили контракт на поставки электроэнергии.", "economy", True),
    # a preposition ends a title's chain: the schemes are corruption, the representatives' title is not
    ("ru", "Фиксируются факты вовлечённости представителей судебной системы в коррупционные схемы.", "corruption",
     True),
    ("ru", "Министр экономики и коммерции встретился с делегацией.", "economy", False),
    # an official held by the anti-corruption service; power abused
    ("ru", "Вечером бывшего акима задержали сотрудники антикоррупционной службы.", "corruption", True),
    ("en", "The former mayor was detained by the anti-corruption service on Monday.", "corruption", True),
    ("ru", "Ему предъявлено обвинение в злоупотреблении должностными полномочиями.", "corruption", True),
    ("en", "He is charged with abuse of authority.", "corruption", True),
    # a court deciding a case; a ruling party is no ruling; an investigation opened
    ("en", "In April the district court ruled in favour of the ministry.", "judiciary", True),
    ("ru", "Суд удовлетворил иск министерства.", "judiciary", True),
    ("en", "The court building stands next to the office of the ruling party.", "judiciary", False),
    ("en", "The customs officer is under investigation.", "judiciary", True),
    # a coalition left; jobs lacking
    ("en", "The cabinet resigned after the largest party quit the ruling coalition.", "stability", True),
    ("ru", "Фракция вышла из коалиции парламентского большинства.", "stability", True),
    ("en", "Unemployment in the region rose to nine percent.", "economy", True),
    ("ru", "Безработица в регионе выросла.", "economy", True),
    # the region's own associations and format
    ("en", "Tajikistan took over the chairmanship of the International Fund for Saving the Aral Sea.",
     "regional_integration", True),
    ("ru", "В Душанбе состоится консультативная встреча глав государств Центральной Азии.", "regional_integration",
     True),
    # a believer sentenced, religious dress banned; a mortar at a border; water shared out
    ("ru", "Суд приговорил пастора церкви к трём годам по обвинению в экстремизме.", "democracy", True),
    ("en", "A court sentenced the pastor to three years on extremism charges.", "democracy", True),
    ("ru", "Закон запрещает ношение никабов в общественных местах.", "democracy", True),
    ("ru", "Пограничники установили миномёт у границы.", "security", True),
    ("en", "The conflict over the water distribution point continued.", "water_energy", True),
    # a common noun that can head a body's name heads one only with a capital
    ("ru", "Эксперты считают, что страна становится источником и центром развития терроризма.", "security", True),
    ("ru", "Директор Центра исследований безопасности выступил на форуме.", "security", False),
    # the underworld by another name; border matters; political freedom, foreign agents, an illegal rally
    ("en", "He was a powerful figure in the crime world.", "organised_crime", True),
    ("en", "The treaty marks the final settlement of border matters.", "borders", True),
    ("en", "There is still little political freedom in the country.", "democracy", True),
    ("ru", "Парламент отклонил законопроект о некоммерческих организациях и иностранных агентах.", "democracy", True),
    ("en", "He was accused of organising an illegal rally in the town.", "stability", True),
    # a society split
    ("en", "The decision was taken to prevent a split in society.", "stability", True),
    ("ru", "Решение принято с целью не допустить раскола в обществе.", "stability", True),
    # an oil field's contract, the state's bonds, a payment system; a commodity bought, sold or boycotted
    ("en", "The arbitration concerned costs under the production sharing agreement.", "economy", True),
    ("ru", "Банк прекратил выпуск карт международной платёжной системы.", "economy", True),
    ("ru", "Газпром возобновил закупки газа в Туркменистане.", "economy", True),
    ("en", "The coalition lifted its boycott of the country's cotton.", "economy", True),
    ("en", "Police fired tear gas at the crowd.", "economy", False),
    # a railway project; dust blown off a dried sea; rockets fired; armament; the police's covert searches
    ("en", "The countries signed an agreement on the feasibility study for the railway project.", "economy", True),
    ("ru", "На западную часть страны пришла соляная буря.", "environment", True),
    ("ru", "Пять реактивных снарядов упали на территорию страны.", "security", True),
    ("ru", "Беспилотники ударили по нефтяному терминалу.", "security", True),
    ("ru", "Таджикистан сформировал перечень необходимых вооружений.", "security", True),
    ("ru", "В ходе оперативно-розыскных мероприятий задержаны трое.", "judiciary", True),
    # the prosecutor is no prosecution; a border dispute is the border's, not an armed incident
    ("en", "The committee charged a former prosecutor-general, now an opposition lawmaker, with abuse of office.",
     "democracy", False),
    ("en", "The accords resolve a long-running border dispute between the two countries.", "security", False),
    # gangs' wars, a war declared on something, intelligence sources
    ("en", "A mob war in the capital prompted a reaction from the police.", "security", False),
    ("ru", "Хиджабам в стране объявили войну.", "security", False),
    ("en", "The outlet is regularly briefed by its security sources.", "security", False),
    # tax evasion is a charge; a prosecutor's protest is an appeal; watering seedlings is gardening
    ("en", "The 34-year-old pleaded guilty to tax evasion.", "economy", False),
    ("ru", "Генпрокуратура подала протест на оправдательный приговор.", "stability", False),
    ("ru", "Хокима обвинили в том, что он не контролировал полив саженцев.", "water_energy", False),
    # the police reformed or disciplined; prisons; prosecution in the imperfective
    ("en", "The minister said decisive measures were needed to reform the police.", "judiciary", True),
    ("ru", "К дисциплинарной ответственности привлечены 20 сотрудников милиции.", "judiciary", True),
    ("en", "Activists say the practice continues in the country's prison system.", "judiciary", True),
    ("ru", "Трое из них ранее привлекались к уголовной ответственности.", "judiciary", True),
    # a struggle for power, a rally against; residents keeping a road blocked; a road blocked in a locality
    ("en", "The vote came amid an apparent power struggle between the two men.", "stability", True),
    ("en", "Hundreds rallied against the renaming of the capital.", "stability", True),
    ("ru", "Местные жители несколько часов держали перекрытой автодорогу.", "stability", True),
    ("ru", "В местности Торт-Кочо была перекрыта дорога.", "stability", False),
    # dissent suppressed; an activist handed a sentence; camps for political re-education
    ("en", "Critics say the president persistently suppressed dissent.", "democracy", True),
    ("en", "A political activist was handed a heavy sentence in a closed trial.", "democracy", True),
    ("ru", "Родственники содержатся в лагерях политического перевоспитания.", "democracy", True),
    # a border crossed illegally
    ("en", "She crossed the China-Kazakhstan border illegally in April.", "borders", True),
    ("ru", "Пятеро иностранцев незаконно пересекли государственную границу.", "borders", True),
    # citizens stranded abroad; ethnic Kazakhs repatriated; earning abroad; fuel running short
    ("en", "More stranded citizens arrived at the airport, hoping to fly home.", "humanitarian", True),
    ("ru", "Министерство утвердило квоты на приём кандасов на 2026 год.", "humanitarian", True),
    ("ru", "Казахстанцы, оставшиеся нелегально на заработках, начали возвращаться.", "migration", True),
    ("ru", "Министру объявили выговор за дефицит топлива в стране.", "water_energy", True),
    # a budget planned (its misuse is no plan); a trade fair; depositors; a memorandum on supplies
    ("en", "Deputies made a number of proposals to the city budget for 2019.", "economy", True),
    ("ru", "Возбуждено дело по факту нецелевого расходования бюджетных средств.", "economy", False),
    ("ru", "В Душанбе открылась выставка-ярмарка узбекских товаров.", "economy", True),
    ("ru", "Стороны подписали меморандум о поставках электроэнергии.", "economy", True),
    # a legislature voting; recruiting is no campaigning; the world's political climate
    ("en", "Some 86 deputies voted for the agreement and 14 abstained.", "elections", False),
    ("ru", "Имам задержан за агитацию молодёжи в Сирию.", "elections", False),
    ("en", "The movement has adjusted to the geopolitical climate worldwide.", "environment", False),
    # regional associations; joining one; help asked of one
    ("en", "The presidents will discuss deepening cooperation in regional associations.", "regional_integration", True),
    ("en", "Uzbekistan will also join the Cooperation Council of Turkic-Speaking States.", "regional_integration",
     True),
    ("ru", "Президент обратился к главам государств ОДКБ с просьбой оказать содействие.", "regional_integration",
     True),
    # fuel running short; water disputed; lines and plants of power
    ("en", "The ministry moved to avoid any shortage of diesel fuel during the harvest.", "water_energy", True),
    ("ru", "Решение принято во избежание дефицита дизельного топлива.", "water_energy", True),
    ("en", "The president threatened war over water disputes.", "water_energy", True),
    ("ru", "Китай предоставил кредит на строительство линии электропередачи.", "water_energy", True),
    ("ru", "Франция решает проблемы энергетической безопасности.", "water_energy", True),
    # a named court is still a court; a case taken to one; "to judge" by something is no court
    ("en", "The Osh City Court ordered the closure of the television channel.", "judiciary", True),
    ("en", "The farmers went to court to get their land back.", "judiciary", True),
    ("ru", "Ошский городской суд постановил закрыть телеканал.", "judiciary", True),
    ("ru", "Районный суд ограничил работу порта на месяц.", "judiciary", True),
    ("ru", "Жители обратились в суд, чтобы вернуть землю.", "judiciary", True),
    ("en", "To judge by the results, the ministry ordered too little seed.", "judiciary", False),
    # people displaced, relief handed out; a suspect fleeing, food for votes
    ("en", "Thousands of villagers fled across the river after the clashes.", "humanitarian", True),
    ("ru", "Тысячи жителей бежали в соседнюю страну после столкновений.", "humanitarian", True),
    ("en", "The suspect fled the scene in a grey car.", "humanitarian", False),
    ("en", "Volunteers handed out food and blankets at the heating points.", "humanitarian", True),
    ("ru", "Волонтеры раздают еду и теплые вещи в пунктах обогрева.", "humanitarian", True),
    ("en", "Candidates handed out food parcels to voters before the election.", "humanitarian", False),
    ("ru", "Кандидат раздавал продукты избирателям накануне выборов.", "humanitarian", False),
    # staples short, land sold: the economy
    ("en", "Long queues for flour formed outside state shops in the regions.", "economy", True),
    ("ru", "В государственных магазинах очереди за мукой, сахар в дефиците.", "economy", True),
    ("ru", "Спасатели в первую очередь доставили продукты в отрезанные села.", "economy", False),
    ("en", "Hundreds protested against the sale of farmland to foreign companies.", "economy", True),
    ("ru", "Сотни людей выступили против продажи земли иностранцам.", "economy", True),
    # customs posts at a border; drugs seized at one are no border matter
    ("en", "Customs posts on the border between the two countries will be removed on Thursday.", "borders", True),
    ("ru", "С четверга с границы двух стран снимут таможенные посты.", "borders", True),
    ("ru", "На таможенном посту на границе изъяли 20 кг героина.", "borders", False),
    # wild animals dying, a forest burning: the environment; fishermen or a gunfight are not
    ("en", "The number of dead seals found on the coast rose to 300.", "environment", True),
    ("ru", "Число погибших тюленей на побережье выросло до 300.", "environment", True),
    ("ru", "Двое рыбаков погибли во время шторма.", "environment", False),
    ("en", "A fire broke out in the forest of the nature reserve on Friday.", "environment", True),
    ("ru", "На территории заповедника загорелся лесной массив.", "environment", True),
    ("en", "Troops opened fire near the forest, the ministry said.", "environment", False),
    # violence between ethnic groups is unrest; journalists kept out are the press's freedom
    ("en", "The dispute between the two villages erupted into ethnic violence on Sunday.", "stability", True),
    ("ru", "В селе произошли межэтнические столкновения.", "stability", True),
    ("en", "Journalists were not allowed into the courtroom for the hearing.", "democracy", True),
    ("ru", "Журналистов не пустили в зал суда.", "democracy", True),
    # the region's own leaders meeting; a meeting of Central Asia with an outside power is a dialogue
    ("en", "The heads of state of Central Asia gathered for a consultative meeting in Astana.",
     "regional_integration", True),
    ("ru", "Главы государств Центральной Азии провели консультативную встречу.", "regional_integration", True),
    ("en", "The European Union and Central Asian countries held their first summit in Samarkand.",
     "regional_integration", False),
    # peace processes; a person on a wanted list; exit visas and bans on leaving; a debtor's travel ban
    ("en", "Uzbekistan offered to host peace talks between Kabul and the Taliban.", "security", True),
    ("ru", "Министры обсудили политическое урегулирование афганской проблемы.", "security", True),
    ("en", "Interpol removed the opposition leader from its wanted list.", "judiciary", True),
    ("ru", "Бывший мэр объявлен в международный розыск.", "judiciary", True),
    ("en", "Uzbekistan will abolish exit visas from January.", "democracy", True),
    ("en", "The authorities bar citizens from travelling abroad without a new passport.", "democracy", True),
    ("ru", "Власти запрещают гражданам выезд за рубеж без разрешения.", "democracy", True),
    ("ru", "Должникам запретили выезд за рубеж до погашения долга.", "democracy", False),
    # a named outlet closed; the ministry of the press is no outlet
    ("en", "The Supreme Court upheld the liquidation of Kloop Media.", "democracy", True),
    ("ru", "Суд постановил закрыть газету «Новый век».", "democracy", True),
    # force against a politician's supporters; a stake in a project; commodities sold abroad; budgets spent
    ("en", "Police stormed the house and fought with his supporters for two days.", "stability", True),
    ("ru", "Произошли столкновения силовиков с его сторонниками.", "stability", True),
    ("en", "Uzbekistan seeks to become a shareholder in the hydropower project.", "economy", True),
    ("ru", "Узбекистан хочет стать акционером проекта.", "economy", True),
    ("ru", "Обсуждались поставки российского газа в Китай через эти страны.", "economy", True),
    ("ru", "Он поручил определить меры по поставкам сжиженного газа.", "economy", False),
    ("ru", "Расходы республиканского бюджета на образование выросли на 5%.", "economy", True),
    # people moved out of danger
    ("en", "Residents are being relocated to a safe area as the water rises.", "humanitarian", True),
    ("ru", "Жителей затопленных сел перевезли в безопасное место.", "humanitarian", True),
    # children brought home from camps abroad; an opponent abducted home is no rescue
    ("ru", "Около ста детей будут возвращены из Ирака на родину.", "humanitarian", True),
    ("ru", "Оппозиционер был похищен в Москве и насильно вывезен на родину.", "humanitarian", False),
    ("en", "The government repatriated 98 citizens from camps in Syria.", "humanitarian", True),
    # aid to the victims of a disaster; shots at a border; protesters detained; a case closed; contracts won
    ("ru", "Пострадавшим от оползня семьям выделят по 100 тысяч сомов помощи.", "humanitarian", True),
    ("en", "The government will pay compensation to families affected by the flood.", "humanitarian", True),
    ("ru", "Ночью у границы неизвестные произвели выстрелы из ружья.", "security", True),
    ("ru", "Дела о пытках закрываются по всей стране.", "judiciary", True),
    ("en", "Prosecutors dropped the charges against the mayor.", "judiciary", True),
    ("ru", "Компания выиграла тендер на модернизацию станции.", "economy", True),
    ("en", "The firm won the contract to rebuild the airport.", "economy", True),
    ("ru", "Он подписал контракт на военную службу.", "economy", False),
    ("ru", "Банк обанкротился, а его активы проданы.", "economy", True),
    # a surrender to the police; a named police body inquiring; a cordon broken; speech punished by likes
    ("ru", "Бывший президент сдался силовикам после двух дней переговоров.", "judiciary", True),
    ("en", "The former president surrendered to the security forces on Thursday.", "judiciary", True),
    ("ru", "УВД Кадамжайского района проводит проверку по факту конфликта.", "judiciary", True),
    ("ru", "Сторонники, ранее прорвавшие милицейский кордон, двинулись к селу.", "stability", True),
    ("en", "Hundreds of supporters broke through the police cordon.", "stability", True),
    ("ru", "За лайки в соцсети жителя района осудили на 10 лет.", "democracy", True),
    ("en", "A teacher was fined for likes under videos of the opposition leader.", "democracy", True),
    # deals worth a sum; "worth noting" is no deal; a mine's or a supply's stability is no politics
    ("ru", "Заключены соглашения на общую сумму в 23 млрд долларов.", "economy", True),
    ("en", "The sides signed agreements worth $23 billion.", "economy", True),
    ("en", "It is worth noting that the agreement was signed in 2019.", "economy", False),
    ("en", "Sensors monitor the stability of the mine and the glaciers.", "stability", False),
    ("ru", "Итоги показали стабильность поставок газа в Китай.", "stability", False),
    ("en", "The strike began when security workers refused to report to the gates.", "security", False),
    # crimes recorded; patrol police; confessions; fraud rings; smuggling at scale; homes rebuilt; a terrorist cell
    ("ru", "В 2022 году в столице выявлено 4332 преступления в сфере информационных технологий.", "judiciary", True),
    ("en", "Police said 2,281 cybercrimes were detected last year.", "judiciary", True),
    ("en", "Patrol police began work in the capital on Monday.", "judiciary", True),
    ("ru", "Многие из задержанных уже дают признательные показания.", "judiciary", True),
    ("ru", "Полиция пресекла деятельность группы, занимавшейся интернет-мошенничеством.", "organised_crime", True),
    ("en", "Police broke up a ring of scammers posing as bank staff.", "organised_crime", True),
    ("en", "Observers reported fraud in the elections in several regions.", "organised_crime", False),
    ("ru", "Пограничники изъяли свыше 500 тысяч пачек контрабандных сигарет.", "organised_crime", True),
    ("en", "Customs officers stopped the smuggling of 20 tonnes of cigarettes.", "organised_crime", True),
    ("en", "The government completed 332 new houses for families whose homes were destroyed in the clashes.",
     "humanitarian", True),
    ("ru", "Семьям, чьи дома были разрушены, построили новое жильё.", "humanitarian", True),
    ("ru", "Задержаны 30 сторонников подпольной террористической ячейки.", "democracy", False),
    ("ru", "Президент предложил взять на вооружение пессимистический сценарий.", "security", False),
    ("ru", "В ходе операции на родину вернули 607 граждан, включая женщин и детей.", "humanitarian", True),
    ("ru", "Операция, вернувшая 607 граждан из Сирии, завершена.", "humanitarian", True),
    ("ru", "Граждане, вернувшиеся из Германии, помещены в больницу.", "humanitarian", False),
    # representatives of a group are its members; a spokesman of a body is still the body's title
    ("ru", "Власти обсудили законопроект с представителями гражданского общества.", "democracy", True),
    ("ru", "Представитель Совета безопасности провел брифинг.", "security", False),
    ("ru", "Министр встретился с Верховным представителем ЕС по иностранным делам и политике безопасности.",
     "security", False),
    # the police detaining in the infinitive; a penal colony by its Uzbek name; homes lost in a flood;
    # money allocated from a budget, not stolen from it
    ("ru", "Милиция начала задерживать бородатых мужчин на улицах.", "judiciary", True),
    ("ru", "Заключенные колонии исполнения наказаний №6 пожаловались на пытки.", "judiciary", True),
    ("en", "Hundreds of families lost their homes in the flood.", "humanitarian", True),
    ("ru", "Сотни семей остались без жилья после наводнения.", "humanitarian", True),
    ("en", "More than $460 million were allocated from the state budget for the plant in 2023.", "economy", True),
    ("en", "Officials stole money allocated from the state budget for schools.", "economy", False),
    # words of a theme that one language had and the other lacked: the English and the Russian lists
    # reviewed against each other
    ("en", "An explosive device went off near the embassy gate.", "security", True),
    ("en", "The sides called for a peaceful settlement of the conflict.", "security", True),
    ("en", "Many young people leave for Russia in search of work.", "migration", True),
    ("en", "Deputies discussed the bill on countering the laundering of criminal proceeds.", "corruption", True),
    ("en", "He was taken into custody on suspicion of fraud.", "judiciary", True),
    ("en", "A lawyer commented on the new rules for taxis.", "judiciary", False),
    ("en", "Rights groups said the verdict sent a chilling message.", "democracy", True),
    ("en", "Critics accused the authorities of censorship.", "democracy", True),
    ("en", "Inflationary pressure eased in the second quarter.", "economy", True),
    ("en", "Several districts of the city were left without water for three days.", "water_energy", True),
    ("en", "The candidate thanked his supporters.", "elections", False),
    ("ru", "Турция заняла четвертое место во внешнеторговом обороте Узбекистана.", "economy", True),
    ("ru", "Городские электросети не выдерживают нагрузки.", "water_energy", True),
    ("ru", "Маловодье угрожает урожаю хлопка.", "water_energy", True),
    ("ru", "Суд приговорил его к пожизненному заключению.", "judiciary", True),
    ("ru", "Эпидситуация в стране стабилизировалась.", "pandemic", True),
    ("ru", "Парламент одобрил переход к выборам по партийным спискам.", "elections", True),
    ("ru", "Его избрали председателем совета директоров банка.", "elections", False),
    ("ru", "Злоумышленники похитили у пенсионерки телефон.", "corruption", False),
    ("ru", "Правозащитники потребовали гарантировать свободу объединений.", "democracy", True),
    # everyday news words of a theme that neither list had, reviewed for each language
    ("en", "The central bank raised its base rate to 16 percent.", "economy", True),
    ("en", "The heating season began in the capital on Monday.", "water_energy", True),
    ("en", "A new substation will supply power to three villages.", "water_energy", True),
    ("en", "Doctors warned of a new omicron wave.", "pandemic", True),
    ("en", "The two countries agreed on a land swap to settle the dispute.", "borders", True),
    ("en", "Police detained a thief-in-law in Bishkek.", "organised_crime", True),
    ("ru", "Китай может облегчить выплаты по внешнему долгу страны.", "economy", True),
    ("ru", "Нацбанк повысил базовую ставку до 16 процентов.", "economy", True),
    ("ru", "Верховный суд отклонил апелляцию компании.", "judiciary", True),
    ("ru", "Жителям пообещали, что отопительный сезон начнётся вовремя.", "water_energy", True),
    ("ru", "Задержан лидер ОПС, занимавшегося крышеванием рынков.", "organised_crime", True),
    ("ru", "Свидетель опоздал на работу.", "judiciary", False),
    # a Russian noun before a body's head is what the sentence reports, not the body's name (its
    # modifiers are adjectives): the bankruptcy of a company, corruption in a ministry
    ("ru", "Суд признал банкротство компании.", "economy", True),
    ("ru", "Правительство обсудило коррупцию министерства.", "corruption", True),
    ("ru", "Налоговая служба провела проверку.", "economy", False),
    # combinations that report a theme without its words, proposed by a reviewer for English news
    ("en", "Thirty-five tents were allocated to the affected population as temporary residence.", "humanitarian", True),
    ("en", "The company delivered flour and medicines under a contract with the ministry.", "humanitarian", False),
    ("en", "The deputy mayor was caught red-handed receiving money from a businessman.", "corruption", True),
    ("en", "A suicide bomber blew himself up near the checkpoint.", "security", True),
    ("en", "The ministry opened a suicide prevention hotline.", "security", False),
    ("en", "Deminers cleared landmines near the village.", "security", True),
    ("en", "Officials will have to declare their income and assets from next year.", "corruption", True),
    # membership of an association named before it, and its council of leaders meeting
    ("en", "Ankara wants Turkmenistan to become a full member of the Organization of Turkic States.",
     "regional_integration", True),
    ("en", "Uzbekistan was granted observer status in the EAEU.", "regional_integration", True),
    ("ru", "Эрдоган отметил, что полноценное членство Туркменистана в Организации тюркских государств станет "
           "источником силы.", "regional_integration", True),
    ("ru", "Совет глав государств СНГ пройдет 9 октября в Туркменбаши.", "regional_integration", True),
    ("en", "The CIS Council of Heads of State will meet in Turkmenbashi in October.", "regional_integration", True),
    ("en", "Kazakhstan, a member of the SCO, hosted a forum on investment.", "regional_integration", False),
    ("ru", "Члены делегации посетили Ош.", "regional_integration", False),
    # violence against women as a matter of rights; an office demanding money (not fraudsters)
    ("en", "Activists say more needs to be done to combat domestic violence.", "democracy", True),
    ("ru", "Президент заявил о необходимости криминализации бытового насилия.", "democracy", True),
    ("ru", "Сотрудник милиции требовал у нее деньги за освобождение сына.", "corruption", True),
    ("en", "A police officer demanded money from her to release her son.", "corruption", True),
    ("en", "Fraudsters posing as police officers demanded money from pensioners.", "corruption", False),
    ("en", "The government will pay compensation to residents who lost their property during the conflict.",
     "humanitarian", True),
    ("ru", "Правительство выплатит компенсацию жителям, потерявшим имущество во время конфликта.",
     "humanitarian", True),
    ("en", "The insurer paid compensation to the owner whose car was damaged in the accident.", "humanitarian", False),
    ("en", "Dozens of children were returned from the camps in Syria to their homeland.", "humanitarian", True),
    ("en", "Children returned from the summer camp on Sunday.", "humanitarian", False),
    ("en", "The neighbouring country donated 100,000 doses of vaccine.", "humanitarian", True),
    ("en", "The company sold 100,000 doses of vaccine under a contract.", "humanitarian", False),
    ("ru", "Десятки детей возвращены на родину из лагерей в Сирии.", "humanitarian", True),
    ("en", "Some 40,000 citizens of the republic remain on the neighbour's entry blacklist.", "migration", True),
    ("en", "The bank was added to the sanctions blacklist.", "migration", False),
    ("ru", "Около 80 тысяч граждан республики находятся в черном списке на въезд.", "migration", True),
    ("ru", "Банк внесен в черный список санкций.", "migration", False),
    ("en", "Hundreds of thousands travel abroad every year for seasonal labour.", "migration", True),
    ("en", "Thousands of men fled abroad after the mobilisation was announced.", "migration", True),
    ("en", "Police dismantled a smuggling network that moved heroin across the border.", "organised_crime", True),
    ("en", "He posted about the smuggling on a social network.", "organised_crime", False),
    ("en", "The minister said fuel prices would stay frozen until spring.", "water_energy", True),
    ("ru", "Министр заявил, что цены на бензин останутся замороженными до весны.", "water_energy", True),
    ("en", "The dispute began over the diversion of water from the river.", "water_energy", True),
    ("en", "Ankara is ready to help carry gas from the Caspian to Europe.", "water_energy", True),
    ("en", "Police used tear gas on the crowd.", "water_energy", False),
    ("en", "The country restructured its debt to the Chinese bank.", "economy", True),
    ("ru", "Страна договорилась о реструктуризации долга перед китайским банком.", "economy", True),
    ("en", "The new plant will create 1,500 jobs.", "economy", True),
    ("en", "Volunteers planted 10,000 saxaul trees on the dried seabed.", "environment", True),
    ("en", "Farmers planted apple orchards in the valley.", "environment", False),
    ("en", "Local newspapers were warned by officials to stop reporting on the shortages.", "democracy", True),
    ("en", "A young man was jailed for refusing military service on grounds of his faith.", "democracy", True),
    ("en", "Police detained some forty people at the rally outside the embassy.", "stability", True),
    ("ru", "Полиция задержала около сорока участников марша в центре города.", "stability", True),
    ("en", "Hundreds of villagers gathered outside the mine's gates.", "stability", True),
    ("en", "Hundreds of villagers gathered for the funeral of the elder.", "stability", False),
    ("en", "The cabinet was dismissed after parliament passed a no-confidence vote.", "stability", True),
    ("en", "The president proposed moving to a unicameral parliament.", "constitution", True),
    ("en", "Members of the bicameral parliament met the delegation.", "constitution", False),
    ("en", "The council's members discussed issues of ensuring the security of the member states.", "security", True),
    ("ru", "Участники обсудили вопросы обеспечения безопасности государств-членов.", "security", True),
    ("ru", "Участники обсудили вопросы обеспечения безопасности дорожного движения.", "security", False),
    ("en", "The sides agreed on the remaining disputed sections of the border.", "borders", True),
    ("en", "Special forces stormed the house where the suspects were hiding.", "judiciary", True),
    ("en", "Prosecutors opened an investigation into the death of the inmate.", "judiciary", True),
    ("en", "The state is seeking the return of assets taken abroad by the former family.", "corruption", True),
    ("ru", "В своём выступлении президент отметил, что подавляющее большинство граждан поддерживает реформу.",
     "stability", False),
    ("ru", "Злоумышленник проник на территорию склада и похитил кабель.", "security", False),
    ("en", "Government bodies must deliver public services to citizens online.", "humanitarian", False),
    ("en", "The bicameral parliament adopted the budget law.", "constitution", False),
    ("ru", "Фонд собрал 500 тысяч сомов для жителей пострадавшего села.", "stability", False),
    ("ru", "Суд восстановил в должности уволенного сотрудника органов правопорядка.", "stability", False),
    ("ru", "Депутат выступает против задержки зарплат учителям.", "democracy", False),
    ("en", "Police opened an investigation into the killing of the journalist.", "judiciary", True),
    ("ru", "Как сообщили СМИ, врачи запретили употреблять воду из колодцев.", "democracy", False),
    ("ru", "Власти запретили журналистам употреблять слово «коронавирус».", "democracy", True),
    ("ru", "Парламент станет однопалатным после реформы.", "constitution", True),
    ("ru", "Сенат — верхняя палата двухпалатного парламента — одобрил закон.", "constitution", False),
])
def test_rules_stay_within_their_class(annotator, language: str, text: str, key: str, found: bool) -> None:
    (doc,) = _themes(annotator, language, text)
    assert (key in _keys(doc)) is found, doc[["text", "key", "rule"]]


@pytest.mark.parametrize(("field", "kept", "said"), [("offences", "corruption", "organised_crime"),
                                                      ("weak_together", "borders", "migration")])
def test_a_user_theme_keeps_the_default_flag_unless_it_says(tmp_path, field: str, kept: str, said: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(f"version: 1\nthemes:\n  - {{key: {kept}, name: Mine, triggers: [graft, bribery]}}\n"
                    f"  - {{key: {said}, name: Said, triggers: [gang], {field}: false}}\n", encoding="utf-8")
    themes = {theme.key: theme for theme in load_taxonomy(path, extend=True)}
    assert themes[kept].triggers == ("graft", "bribery") and getattr(themes[kept], field) is True
    assert getattr(themes[said], field) is False
    assert getattr({theme.key: theme for theme in load_taxonomy(path)}[kept], field) is None  # replaced: unsaid


def test_crossings_opened_house_arrest_exporters_and_sectors_in_passing(annotator) -> None:
    opened, house, exporter, jailed, guard, polluters = _themes(
        annotator, "en",
        "Uzbekistan and Tajikistan opened ten new border crossings on March 1.",
        "The official was placed under house arrest.",
        "The project could make the country an electricity exporter.",
        "The court sentenced the opposition leader to 14 years in prison.",
        "He works as a security guard at a shopping centre.",
        "Industrial facilities are the main polluters of the city's air.")
    assert "borders" in _keys(opened), opened[["text", "key", "rule"]]
    assert "judiciary" in _keys(house), house[["text", "key", "rule"]]
    assert "economy" in _keys(exporter), exporter[["text", "key", "rule"]]
    assert "democracy" in _keys(jailed), jailed[["text", "key", "rule"]]
    assert "security" not in _keys(guard), guard[["text", "key", "rule"]]
    assert "economy" not in _keys(polluters) and "environment" in _keys(polluters), polluters[["text", "key", "rule"]]
    limits, house, exports, furniture = _themes(
        annotator, "ru",
        "В Туркмении вводятся ограничения на пересечение границ республики.",
        "Глава департамента взят под домашний арест.",
        "Около 70% электроэнергии будет экспортироваться в страны Центральной Азии.",
        "В Ташкенте вырублено огромное количество деревьев на нужды мебельной промышленности.")
    assert "borders" in _keys(limits), limits[["text", "key", "rule"]]
    assert "judiciary" in _keys(house), house[["text", "key", "rule"]]
    assert "economy" in _keys(exports), exports[["text", "key", "rule"]]
    assert "economy" not in _keys(furniture), furniture[["text", "key", "rule"]]


@pytest.mark.parametrize(("language", "text", "key"), [
    ("ru", "Оппозиция осудила решение правительства повысить тарифы.", "democracy"),  # "condemned"
    ("en", "The court sentenced two men for the murder of a journalist.", "democracy"),  # a victim, not the sentenced
    ("en", "The president opened a new school in a border district.", "borders"),
    ("en", "Police restricted access to the square near the border post.", "borders"),
    ("en", "Border guards opened fire on the smugglers' boat.", "borders"),
])
def test_cue_words_in_another_role_are_no_mention(annotator, language: str, text: str, key: str) -> None:
    (doc,) = _themes(annotator, language, text)
    assert key not in _keys(doc), doc[["text", "key", "rule"]]


def test_an_arrest_is_law_enforcement_at_work_and_a_delay_is_not(annotator) -> None:
    """The judiciary theme covers law-enforcement bodies at work: an arrest or a detention is
    judiciary with or without a charge named; the other senses of the words are not."""
    arrested, detained, heart, spread = _themes(
        annotator, "en",
        "Police arrested 57 participants of the rally in Almaty.",
        "Security services have detained 15 members of the group.",
        "The former minister died of cardiac arrest.",
        "The measures helped arrest the spread of the disease.")
    assert "judiciary" in _keys(arrested) and "judiciary" in _keys(detained), detained[["text", "key", "rule"]]
    assert "judiciary" not in _keys(heart) and "judiciary" not in _keys(spread), spread[["text", "key", "rule"]]
    held, arrest, flight, wages = _themes(
        annotator, "ru",
        "Полиция задержала 57 участников акций протеста.",
        "Бывший мэр арестован на два месяца.",
        "Рейс задержали на три часа из-за погоды.",
        "Компания задержала выплату зарплаты рабочим.")
    assert "judiciary" in _keys(held) and "judiciary" in _keys(arrest), arrest[["text", "key", "rule"]]
    assert "judiciary" not in _keys(flight) and "judiciary" not in _keys(wages), flight[["text", "key", "rule"]]


def test_an_offence_modifying_a_charge_is_the_courts_word(annotator) -> None:
    """A list of offences before the charge's head, opened by "on", names charges, not topics;
    without the opener the same head may be a fee."""
    charged, fees, about = _themes(
        annotator, "en",
        "The editor was sentenced to 10 years in prison on bribery, extortion, and extremism charges.",
        "Households complained that electricity charges rose again.",
        "Police said the group spread extremism among students.")
    assert "security" not in _keys(charged), charged[["text", "key", "rule"]]
    assert "corruption" in _keys(charged)  # an offence theme keeps its charges
    assert "water_energy" in _keys(fees), fees[["text", "key", "rule"]]
    assert "security" in _keys(about)


def test_a_month_a_rally_held_and_securities_are_no_cue_words(annotator) -> None:
    """A cue's word that is a date ("since March"), the opposition holding a rally, and a
    financial security are not the theme; the marches banned and the activists held are."""
    month, rally, fraud = _themes(
        annotator, "en",
        "The quarantine restrictions were being gradually lifted since March of this year.",
        "Opposition activists held a rally in the capital.",
        "The Justice Department accused him of conspiring in securities fraud.")
    assert "democracy" not in _keys(month) and "democracy" not in _keys(rally), rally[["text", "key", "rule"]]
    assert "security" not in _keys(fraud), fraud[["text", "key", "rule"]]
    banned, held = _themes(annotator, "en", "The city authorities restricted marches in the centre.",
                           "Police held several activists overnight.")
    assert "democracy" in _keys(banned) and "democracy" in _keys(held), banned[["text", "key", "rule"]]


def test_freight_at_a_border_and_a_project_financed_are_the_economy(annotator) -> None:
    """Economy without its words: trucks queued at a border are trade and transport, a
    project's financing is investment; a country described as an economy, and one truck
    searched at a customs post, are not."""
    trucks, financed, largest, searched = _themes(
        annotator, "en",
        "Hundreds of trucks are stuck at the checkpoint on the Kazakh-Kyrgyz border.",
        "The bank will provide funding for the construction of the dam.",
        "Kazakhstan is the largest economy of Central Asia.",
        "Officers stopped a truck at the customs post and found heroin.")
    assert "economy" in _keys(trucks) and "economy" in _keys(financed), trucks[["text", "key", "rule"]]
    assert "economy" not in _keys(largest) and "economy" not in _keys(searched), searched[["text", "key", "rule"]]
    trucks, financed, searched = _themes(
        annotator, "ru",
        "Около полутора тысяч фур застряли на казахстанско-китайской границе.",
        "Всемирный банк выделит средства на финансирование строительства ГЭС.",
        "Грузовик остановили на таможенном посту, в кузове нашли героин.")
    assert "economy" in _keys(trucks) and "economy" in _keys(financed), trucks[["text", "key", "rule"]]
    assert "economy" not in _keys(searched), searched[["text", "key", "rule"]]


def test_forced_labour_and_the_independent_press_are_democracy(annotator) -> None:
    (labour,) = _themes(annotator, "en",
                        "The government forces tens of thousands into forced labour in the cotton harvest.")
    labour_ru, press = _themes(annotator, "ru",
                               "Власти отрицают использование принудительного труда на хлопковых полях.",
                               "Суд высветил масштаб проблем, с которыми сталкивается независимая пресса.")
    for doc in (labour, labour_ru, press):
        assert "democracy" in _keys(doc), doc[["text", "key", "rule"]]


def test_a_court_named_by_its_field_and_a_prison_riot_are_in_passing(annotator) -> None:
    """A field before a court's head names the court ("the constitutional court", "a military
    court"), as before any body's head; inmates rioting in a prison are no political unrest."""
    court, ruling, riot, unrest = _themes(
        annotator, "en",
        "The agreement was approved by the parliament and the constitutional court.",
        "The court ruled that the amendments to the Constitution were lawful.",
        "This is the second prison riot in Tajikistan in the last six months.",
        "Riots broke out in the capital after the vote.")
    assert "constitution" not in _keys(court), court[["text", "key", "rule"]]
    assert "constitution" in _keys(ruling)
    assert "stability" not in _keys(riot) and "stability" in _keys(unrest), riot[["text", "key", "rule"]]
    (riot_ru,) = _themes(annotator, "ru", "В исправительной колонии вспыхнули беспорядки в колонии строгого режима.")
    assert "stability" not in _keys(riot_ru), riot_ru[["text", "key", "rule"]]


def test_an_associations_observers_and_programmes_and_a_combat_operation(annotator) -> None:
    """An association's observer mission or interstate programme is activity within it; a
    military or combat operation is security in Russian as in English."""
    observers, programme = _themes(
        annotator, "en",
        "The SCO observer mission monitored the parliamentary election in Turkmenistan.",
        "The CSTO is carrying out an interstate programme to strengthen the Tajik-Afghan border.")
    assert "regional_integration" in _keys(observers), observers[["text", "key", "rule"]]
    assert "regional_integration" in _keys(programme), programme[["text", "key", "rule"]]
    programme_ru, combat, troops = _themes(
        annotator, "ru",
        "ОДКБ выполняет межгосударственную программу по укреплению таджикско-афганской границы.",
        "В результате боевой операции были определены маршруты движения контрабандистов.",
        "Из Бадахшана выведены военнослужащие, участвовавшие в войсковой спецоперации.")
    assert "regional_integration" in _keys(programme_ru), programme_ru[["text", "key", "rule"]]
    assert "security" in _keys(combat) and "security" in _keys(troops), troops[["text", "key", "rule"]]


def test_deals_media_laws_prison_terms_and_border_shots(annotator) -> None:
    """Vocabulary and cues of the themes' own definitions: a deal named by its worth or a
    commodity delivered under it is trade; a media law is media freedom; a prison term is a
    court's sentence; an anti-government rally is unrest; shots at a border are a border
    incident; a ban on the opposition is democracy; a drone attack is security."""
    worth, gas, media, term, rally, shots, banned, drones = _themes(
        annotator, "en",
        "The two countries signed agreements worth $8bn.",
        "Turkmenistan signed a deal to boost its annual delivery of natural gas to China.",
        "The president withdrew the draft mass media law after meeting journalists.",
        "The offence was previously punishable by a maximum three-year prison term.",
        "Thousands joined an anti-government rally in the capital.",
        "Warning shots were fired on the border with Tajikistan.",
        "Opposition parties remain banned.",
        "The terminal was attacked by unmanned boats and drones.")
    assert "economy" in _keys(worth) and "economy" in _keys(gas), gas[["text", "key", "rule"]]
    assert "democracy" in _keys(media) and "democracy" in _keys(banned), banned[["text", "key", "rule"]]
    assert "judiciary" in _keys(term) and "stability" in _keys(rally), term[["text", "key", "rule"]]
    assert "borders" in _keys(shots) and "security" in _keys(drones), shots[["text", "key", "rule"]]
    worth, gas, media, term, shots, banned, drones, entry = _themes(
        annotator, "ru",
        "Стороны подписали соглашения на сумму более 17 миллиардов долларов.",
        "Стороны договорились об увеличении поставок природного газа в Китай.",
        "Прокуратура напомнила редактору о требованиях закона о СМИ.",
        "Суд приговорил его к трем годам лишения свободы.",
        "На кыргызско-таджикском участке границы снова зафиксированы выстрелы.",
        "Оппозиционные партии в стране запрещены.",
        "Объекты терминала были атакованы беспилотниками.",
        "С 2015 года граждане не смогут въехать на территорию России по внутреннему паспорту.")
    assert "economy" in _keys(worth) and "economy" in _keys(gas), gas[["text", "key", "rule"]]
    assert "democracy" in _keys(media) and "democracy" in _keys(banned), banned[["text", "key", "rule"]]
    assert "judiciary" in _keys(term) and "borders" in _keys(shots), shots[["text", "key", "rule"]]
    assert "security" in _keys(drones) and "migration" in _keys(entry), entry[["text", "key", "rule"]]
    water, plea, city = _themes(annotator, "en",
                                "Under the agreement Kazakhstan will receive 11 billion cubic meters of water.",
                                "He was released after making a deal to pay back $24.5 million.",
                                "He was serving a 10-year prison sentence for kidnapping a few months ago.")
    assert "economy" not in _keys(water) and "economy" not in _keys(plea), plea[["text", "key", "rule"]]
    assert "judiciary" not in _keys(city), city[["text", "key", "rule"]]
    (quarantine,) = _themes(annotator, "ru", "Авиапассажирам запретили въезжать в город без справки.")
    assert "migration" not in _keys(quarantine), quarantine[["text", "key", "rule"]]


def test_protesters_detained_parties_refused_and_outbreaks(annotator) -> None:
    """Parties refused registration are democracy (protesters detained are not, by themselves:
    the coders of the samples did not code them so); an outbreak of an
    infectious disease is an epidemic; remittances are money flows (the economy) as well as
    migration; a border's controls tightened are the border; seals migrating are no migrants."""
    detained, refused, anthrax, remittances, controls, seals = _themes(
        annotator, "en",
        "Police then detained dozens of protesters who tried to march through the streets.",
        "Two parties were refused registration.",
        "Four people in the district were diagnosed with anthrax.",
        "Remittances from Russia fell by 65 percent.",
        "Kazakhstan tightened controls on its border with Kyrgyzstan.",
        "The deaths coincided with the migration of seals to the north for breeding.")
    assert "democracy" not in _keys(detained) and "judiciary" in _keys(detained), detained[["text", "key", "rule"]]
    assert "democracy" in _keys(refused), refused[["text", "key", "rule"]]
    assert "pandemic" in _keys(anthrax), anthrax[["text", "key", "rule"]]
    assert {"economy", "migration"} <= _keys(remittances), remittances[["text", "key", "rule"]]
    assert "borders" in _keys(controls) and "migration" not in _keys(seals), seals[["text", "key", "rule"]]
    detained, refused, anthrax, remittances, controls = _themes(
        annotator, "ru",
        "Полиция задержала десятки протестующих.",
        "Двум партиям отказали в регистрации.",
        "В районе у четырех человек выявили сибирскую язву.",
        "Объем денежных переводов из России снизился на 65%.",
        "Казахстан усилил контроль на границе с Кыргызстаном.")
    assert "democracy" not in _keys(detained) and "democracy" in _keys(refused), refused[["text", "key", "rule"]]
    assert "pandemic" in _keys(anthrax), anthrax[["text", "key", "rule"]]
    assert {"economy", "migration"} <= _keys(remittances), remittances[["text", "key", "rule"]]
    assert "borders" in _keys(controls), controls[["text", "key", "rule"]]


def test_a_cues_veto_words_must_be_a_list(tmp_path) -> None:
    from analysis.annotate.themes import TaxonomyError

    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nthemes:\n  - {key: fraud, name: Fraud, triggers: [fraud],\n"
                    "     cues: [{name: scam, all: [[scam*], [bank*]], none: river bank}]}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml: .*cues\[0\]: 'none' must be a list of non-empty words"):
        load_taxonomy(path)


def test_a_journalist_held_and_a_detention_in_a_truck_still_count(annotator) -> None:
    held, trucks = _themes(annotator, "en", "Police held a journalist for ten hours without explanation.",
                           "Hundreds of trucks are stuck at the checkpoint on the Kazakh-Kyrgyz border.")
    assert "democracy" in _keys(held), held[["text", "key", "rule"]]
    assert "economy" in _keys(trucks), trucks[["text", "key", "rule"]]


def test_heldout11_classes_in_both_languages(annotator) -> None:
    """Classes read in heldout11: an epidemic stabilising and gatherings banned under a
    quarantine are no unrest or democracy; economic crimes, a war-torn neighbour and a newsletter
    are no economy, security or election; a drug laboratory is organised crime; armour moved to
    a border is security; observer status and an air base of an association are activity
    within it."""
    epidemic, quarantine, crimes, torn, lab, armour, status = _themes(
        annotator, "en",
        "The measures stay until the end of the incubation period, allowing time for the situation to stabilize.",
        "Gatherings of more than three people are banned in the red zones under the quarantine.",
        "Officers of the department for combating economic crimes detained the official.",
        "Tajikistan borders war-torn Afghanistan.",
        "Police dismantled a drug laboratory producing mephedrone.",
        "Uzbekistan moved armoured vehicles to an undescribed section of the border.",
        "Uzbekistan may acquire observer status in the EAEU next year.")
    assert "stability" not in _keys(epidemic) and "democracy" not in _keys(quarantine), epidemic[["text", "key"]]
    assert "economy" not in _keys(crimes) and "security" not in _keys(torn), crimes[["text", "key", "rule"]]
    assert "organised_crime" in _keys(lab) and "security" in _keys(armour), lab[["text", "key", "rule"]]
    assert "regional_integration" in _keys(status), status[["text", "key", "rule"]]
    bulletin, lab, armour, base = _themes(
        annotator, "ru",
        "Наш еженедельный бюллетень.",
        "В области ликвидирована лаборатория по производству синтетических наркотиков.",
        "Узбекистан выставил бронетранспортеры на неописанном участке госграницы.",
        "Кыргызстан готов рассмотреть предложение о расширении авиабазы ОДКБ «Кант».")
    assert "elections" not in _keys(bulletin), bulletin[["text", "key", "rule"]]
    assert "organised_crime" in _keys(lab) and "security" in _keys(armour), armour[["text", "key", "rule"]]
    assert "regional_integration" in _keys(base) and "security" in _keys(base), base[["text", "key", "rule"]]


def test_heldout12_classes_in_both_languages(annotator) -> None:
    """Classes read in heldout12: imported infections, humanitarian affairs, plant quarantine and
    a prosecutor's protest are no economy, aid, epidemic or unrest; a terrorist attack averted, a
    human-rights defender sentenced, troops' exercises, drugs seized, money allocated and the
    price of gas are their themes."""
    polio, affairs, plants, appeal, gas = _themes(
        annotator, "en",
        "This is the first outbreak from imported poliovirus in the region since 2002.",
        "The presidents discussed cooperation in trade and the economy, humanitarian affairs and culture.",
        "The parties signed an agreement on cooperation in the sphere of plant quarantine.",
        "The prosecutor filed a protest with the court and asked for a non-custodial sentence.",
        "The price of liquefied gas rose to 120 tenge, and residents took to the streets.")
    assert "economy" not in _keys(polio) and "humanitarian" not in _keys(affairs), polio[["text", "key", "rule"]]
    assert "pandemic" not in _keys(plants) and "stability" not in _keys(appeal), appeal[["text", "key", "rule"]]
    assert "water_energy" in _keys(gas), gas[["text", "key", "rule"]]
    attack, defender, exercises, seized, gas, allocated, appeal = _themes(
        annotator, "ru",
        "В порту предотвращен теракт, задержаны двое граждан.",
        "Правозащитница Мамадшоева приговорена к 21 году заключения.",
        "Учения стартовали, в маневрах задействованы воинские контингенты четырех стран.",
        "В 2021 году в Таджикистане изъято 4 тонны наркотических средств.",
        "Он сообщил, что цена на газ будет снижена до 50 тенге за литр.",
        "Казахстан выделит Кыргызстану сто миллионов долларов в качестве технической помощи.",
        "Прокурор внес протест на решение суда.")
    assert "security" in _keys(attack) and "democracy" in _keys(defender), defender[["text", "key", "rule"]]
    assert "security" in _keys(exercises) and "organised_crime" in _keys(seized), seized[["text", "key", "rule"]]
    assert "water_energy" in _keys(gas) and "economy" in _keys(allocated), allocated[["text", "key", "rule"]]
    assert "stability" not in _keys(appeal), appeal[["text", "key", "rule"]]


def test_condemning_a_sentence_is_no_sentence(annotator) -> None:
    """"осуждение" (condemnation) is no "осужден" (sentenced): only the human-rights defenders'
    own word marks democracy, no cue of a sentence."""
    (doc,) = _themes(annotator, "ru", "Правозащитники выразили осуждение приговора оппозиционеру.")
    assert set(doc.loc[doc["key"] == "democracy", "rule"]) <= {"trigger"}, doc[["text", "key", "rule"]]


def test_words_in_another_sense_beside_disasters_sanctions_and_militants(annotator) -> None:
    """A shore receding, the UN's "human security", the EU's "Common High Priority (CHP)" goods, an
    Islamist gang and a publication quoted are not economy, security, energy, organised crime or
    the media; the same words in their own sense still are."""
    shore, human, chp, islamist, criminal, told, newspaper = _themes(
        annotator, "en",
        "Officials declared an emergency over the recession of the shoreline of the Caspian Sea.",
        "The UN Human Security Unit launched a trust fund for the Aral Sea region.",
        "The EU tracks re-exports of Common High Priority (CHP) items to Russia.",
        "Islamist gangs are operating in Afghanistan, the minister said.",
        "Criminal gangs smuggled heroin across the border, police said.",
        "The border was in effect shut down for such goods, he told the publication.",
        "The authorities shut down the independent newspaper after its report.")
    assert "economy" not in _keys(shore) and "security" not in _keys(human), human[["text", "key", "rule"]]
    assert "water_energy" not in _keys(chp), chp[["text", "key", "rule"]]
    assert "organised_crime" not in _keys(islamist) and "organised_crime" in _keys(criminal)
    assert "democracy" not in _keys(told) and "democracy" in _keys(newspaper), told[["text", "key", "rule"]]
    told_ru, newspaper_ru, meetings, rally, relief = _themes(
        annotator, "ru",
        "Поставщикам фактически закрыли границу, — рассказал изданию глава ассоциации.",
        "Власти закрыли независимую газету после ее публикации.",
        "В государственных органах запрещено проведение собраний, они проводятся по видеоконференцсвязи.",
        "Власти запретили митинг оппозиции в центре города.",
        "Правительству поручено выделить 1 млн долларов на оказание экстренной помощи пострадавшей стране.")
    assert "democracy" not in _keys(told_ru) and "democracy" in _keys(newspaper_ru), told_ru[["text", "key", "rule"]]
    assert "democracy" not in _keys(meetings) and "democracy" in _keys(rally), meetings[["text", "key", "rule"]]
    assert "economy" not in _keys(relief), relief[["text", "key", "rule"]]


def test_a_council_vote_a_bank_s_securities_a_voltage_and_a_prisoner_s_hunger_strike(annotator) -> None:
    """A council voting an official out is no election, a bank's securities and a camera's are no
    security, energy security is the energy theme's, a power line's voltage is no tension at a
    border, a dam kept safe is no security, and one detainee's hunger strike named alone is no unrest;
    the same words in their own sense still are."""
    council, voters, securities, camera, energy, forces, hunger, miners = _themes(
        annotator, "en",
        "The deputies of Osh city voted for the resignation of the mayor.",
        "Voters went to the polls to vote for a new mayor.",
        "The bank publishes a yield curve of government and its own securities.",
        "She provided security-camera footage of the detention.",
        "Leaders discussed climate change and energy security.",
        "Security forces clashed with militants near the border.",
        "His brother said the blogger has declared a hunger strike since his arrest.",
        "Hundreds of miners went on hunger strike and rallied on the central square.")
    assert "elections" not in _keys(council) and "elections" in _keys(voters), council[["text", "key", "rule"]]
    assert "security" not in _keys(securities) | _keys(camera) | _keys(energy), (securities, camera, energy)
    assert "water_energy" in _keys(energy) and "security" in _keys(forces)
    assert "stability" not in _keys(hunger) and "stability" in _keys(miners), hunger[["text", "key", "rule"]]
    council_ru, voters_ru, dam, army, line, clash = _themes(
        annotator, "ru",
        "Накануне Ошский горкенеш единогласно проголосовал за отставку мэра.",
        "Избиратели проголосовали за нового президента.",
        "В рамках реабилитации ГЭС власти повысят безопасность плотины.",
        "Власти усилили безопасность на границе.",
        "Документ предусматривает строительство линии электропередачи напряжением 220 киловольт до границы.",
        "На границе сохраняется напряженность после перестрелки.")
    assert "elections" not in _keys(council_ru) and "elections" in _keys(voters_ru), council_ru[["text", "key"]]
    assert "security" not in _keys(dam) and "security" in _keys(army), dam[["text", "key", "rule"]]
    assert "borders" not in _keys(line) and "borders" in _keys(clash), line[["text", "key", "rule"]]


def test_an_oil_pipeline_humanitarian_ties_and_an_appearance_in_court(annotator) -> None:
    """An oil pipeline is oil's (no gas or power supplied), "humanitarian collaboration" is the
    post-Soviet culture-and-education sense, and «явка в суд» is a person appearing, not turnout;
    a gas pipeline, relief and turnout at an election still are their themes."""
    oil, gas, ties, aid = _themes(
        annotator, "en",
        "CPC is a large international oil pipeline system built to deliver oil from western Kazakhstan.",
        "The gas pipeline to China will carry 30 billion cubic metres a year.",
        "The partnership reflects mutual dedication to trade, cultural exchange, and humanitarian collaboration.",
        "The UN delivered humanitarian aid to flood victims.")
    assert "water_energy" not in _keys(oil) and "water_energy" in _keys(gas), oil[["text", "key", "rule"]]
    assert "humanitarian" not in _keys(ties) and "humanitarian" in _keys(aid), ties[["text", "key", "rule"]]
    court, turnout = _themes(
        annotator, "ru",
        "Адвокаты попросили коллегию обеспечить явку в суд их подзащитных.",
        "Явка на выборах составила 45 процентов.")
    assert "elections" not in _keys(court) and "elections" in _keys(turnout), court[["text", "key", "rule"]]


def test_energy_security_a_pardon_a_bribe_extorted_and_rivers_shared(annotator) -> None:
    """Energy security is the energy theme's in Russian as in English, pardoned prisoners sent home
    are no repatriation, a bribe extorted is corruption and not a racket, and rivers shared across a
    border are no border matter; citizens brought home from a war zone, a gang's racket and a
    shooting at a border still are their themes."""
    energy, pardoned, brought, bribe, racket, rivers, shooting = _themes(
        annotator, "ru",
        "Об этом на сессии по энергетической безопасности сообщил министр энергетики.",
        "Ведомствам даны поручения по возвращению помилованных граждан к семье и близким.",
        "Из Сирии на родину возвращены 50 граждан.",
        "Милиционер вымогал деньги за спецпропуск. Факт зарегистрировали по статье «Вымогательство взятки».",
        "Банда занималась вымогательством у предпринимателей, вымогая деньги за защиту.",
        "На пяти трансграничных реках повысился уровень воды.",
        "На границе произошла перестрелка пограничников.")
    assert "security" not in _keys(energy) and "water_energy" in _keys(energy), energy[["text", "key", "rule"]]
    assert "humanitarian" not in _keys(pardoned) and "humanitarian" in _keys(brought), pardoned[["text", "key"]]
    assert "organised_crime" not in _keys(bribe) and "corruption" in _keys(bribe), bribe[["text", "key", "rule"]]
    assert "organised_crime" in _keys(racket)
    assert "borders" not in _keys(rivers) and "borders" in _keys(shooting), rivers[["text", "key", "rule"]]
    bribe_en, racket_en, rivers_en = _themes(
        annotator, "en",
        "The officer was detained for extorting bribes from drivers.",
        "The gang ran an extortion racket, extorting money from traders.",
        "Water levels rose on five cross-border rivers.")
    assert "organised_crime" not in _keys(bribe_en) and "corruption" in _keys(bribe_en), bribe_en[["text", "key"]]
    assert "organised_crime" in _keys(racket_en) and "borders" not in _keys(rivers_en), rivers_en[["text", "key"]]


def test_arms_stolen_are_no_corruption(annotator) -> None:
    """«хищение оружия» is the theft of weapons, not an office's money taken; «хищение бюджетных
    средств» still is corruption."""
    arms, budget = _themes(
        annotator, "ru",
        "Расследуются факты грабежей, краж, хищения оружия и применения насилия.",
        "Чиновнику предъявлено обвинение в хищении бюджетных средств.")
    assert "corruption" not in _keys(arms) and "corruption" in _keys(budget), arms[["text", "key", "rule"]]


def test_a_close_ally_coal_miners_a_condemnation_and_the_weather(annotator) -> None:
    """A country that borders another and is its close ally closes no border, coal miners are
    mining and not energy supply, a president who «осудил попытку атаки» condemned it (no court
    convicted anyone), and operations resumed once the weather «нормализовалась» is no unrest;
    a border closed, coal for power plants, a court's sentence and a town calm after riots still are."""
    ally, closed, miners, coal = _themes(
        annotator, "en",
        "The former Soviet republic, which borders China, is a close ally of Russia.",
        "Kazakhstan closed its border with Kyrgyzstan.",
        "More than 600 coal miners refused to climb to the surface.",
        "Coal supplies to power plants ran short.")
    assert "borders" not in _keys(ally) and "borders" in _keys(closed), ally[["text", "key", "rule"]]
    assert "water_energy" not in _keys(miners) and "water_energy" in _keys(coal), miners[["text", "key", "rule"]]
    condemned, convicted, weather, riots = _themes(
        annotator, "ru",
        "Глава Узбекистана осудил попытку атаки на резиденцию президента.",
        "Суд осудил бывшего мэра на пять лет.",
        "Консорциум приостановил перевалку нефти до нормализации погодных условий и обстановки на терминале.",
        "Власти заявили о нормализации обстановки в городе после беспорядков.")
    assert "judiciary" not in _keys(condemned) and "judiciary" in _keys(convicted), condemned[["text", "key"]]
    assert "stability" not in _keys(weather) and "stability" in _keys(riots), weather[["text", "key", "rule"]]


def test_a_digital_ecosystem_a_business_climate_and_a_frontier_stabilised(annotator) -> None:
    """A digital "ecosystem" and a «бизнес-климат» are no environment, and a situation stabilised on
    a country's frontiers («на внешних рубежах») is no domestic stability; a river's ecosystem,
    climate change and a country calm after protests still are."""
    digital, river = _themes(
        annotator, "en",
        "To increase transit traffic, a unified digital ecosystem has been created.",
        "The dam threatens the river's fragile ecosystem.")
    assert "environment" not in _keys(digital) and "environment" in _keys(river), digital[["text", "key", "rule"]]
    business, change, digital_ru, frontier, country = _themes(
        annotator, "ru",
        "Реформы направлены на улучшение бизнес-климата страны.",
        "Изменение климата угрожает ледникам.",
        "Создана единая цифровая экосистема для грузоперевозок.",
        "Минобороны не удается стабилизировать ситуацию на внешних рубежах.",
        "Власти заявили о стабилизации ситуации в стране после протестов.")
    assert "environment" not in _keys(business) | _keys(digital_ru) and "environment" in _keys(change)
    assert "stability" not in _keys(frontier) and "stability" in _keys(country), frontier[["text", "key", "rule"]]
