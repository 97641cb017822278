"""Stage 2, annotation: documents become `mentions` (actors and themes, with offsets) and
`sentences`, per language, cached per document, on any engine."""
