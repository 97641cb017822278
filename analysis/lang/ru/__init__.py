"""Russian: spaCy's tokenizer and sentences, pymorphy3 lemmas, slovnet's news NER, and the
Russian rules and finders (`rules`)."""

from analysis.lang.registry import LanguageDefaults

DEFAULTS = LanguageDefaults(
    code="ru",
    name="Russian",
    builder="analysis.lang.ru.pipeline:russian_annotator",
    packages=("natasha", "slovnet", "navec", "pymorphy3", "pymorphy3-dicts-ru"),
    finders="analysis.lang.ru.rules:FINDERS",
    # a short or unsure text mostly in Cyrillic letters (the region's Cyrillic alphabets included)
    script=r"[а-яёіїўұқңғүөһәӊ]",
    name_key="analysis.lang.ru.morphology:key_form",
    surname_gender="analysis.lang.ru.morphology:surname_gender",
    patronymic="analysis.lang.ru.morphology:patronymic_gender",
    trigger_forms="analysis.lang.ru.morphology:phrase_forms",
    theme_term="analysis.lang.ru.morphology:lemma",
)
