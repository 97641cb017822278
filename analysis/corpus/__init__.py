"""Stage 1, reading: a corpus (folder of .txt, .jsonl, .csv) becomes the `documents` table,
with every file or row not read, or read with a caveat, listed as a problem."""
