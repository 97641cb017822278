"""Everything particular to one language, one package per language (`en/`, `ru/`), as in
spaCy's `spacy/lang/`: word lists, dateline patterns, lexicon translations and the builder of
the language's annotation path. `registry` finds them; shared stages ask it, never a code."""
