"""Russian: spaCy's tokenizer and sentences, pymorphy3 lemmas, slovnet's news NER."""
