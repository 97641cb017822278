"""English: spaCy's trained English pipeline (en_core_web_sm by default), the lexicon's entity
ruler, Title-Case headlines read in sentence case, and the English finders (`rules`)."""

from analysis.lang.registry import LanguageDefaults

DEFAULTS = LanguageDefaults(
    code="en",
    name="English",
    builder="analysis.lang.en.pipeline:english_annotator",
    finders="analysis.lang.en.rules:FINDERS",
    fingerprint="analysis.lang.en.pipeline:pipeline_fingerprint",
)
