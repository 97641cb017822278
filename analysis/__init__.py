"""Actor and theme co-occurrence in news coverage, with the evidence behind every number.

Data flows one way: a corpus folder or file -> `documents` (one row a document) ->
`mentions` (one row an actor or theme mention) -> counts, co-occurrence tables, evidence.
"""

__version__ = "0.1.0"
