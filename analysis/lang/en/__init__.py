"""English: spaCy's English pipeline (en_core_web_sm)."""
