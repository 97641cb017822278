"""Corpus-level actor identity, after annotation and before anything is counted: the keys
that name one actor become one key (`link.link_actors`, `link.apply_links`), the user's
decisions (`merges.read_merges`) are applied in the same step, and what is left to judge is
listed (`review.review_actors`)."""
