"""YAML as the package reads its data files (lexicons, theme files, report sets, language
files), which may come from anyone: safe, small, without aliases, and without repeated keys.

* A key given twice in one mapping is an error, not "the last one wins" (PyYAML's default),
  so a repeated field in a lexicon entry or a second top-level `actors:` is reported with its
  line instead of silently dropping data.
* Anchors and aliases (`&name`, `*name`) are refused: a few hundred bytes of nested aliases
  expand to a billion entries (the "billion laughs"), and no data file needs them.
* A text over `max_bytes` (default 20 MB) is refused before it is parsed, with its size and
  the limit: parsing and checking a lexicon costs time and memory in proportion to its size.

Every refusal is a `yaml.YAMLError` with a `problem` and a `problem_mark` (line), so callers
report it the way they report a syntax error: one line naming the file and line. `short`
gives a bounded repr of a value for such messages: a message never formats a whole value.
"""

from __future__ import annotations

import reprlib

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

DEFAULT_MAX_BYTES = 20_000_000

# libyaml's parser when it is installed (several times faster on a large lexicon); the
# constructor, which checks keys, is Python either way.
_Parser = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 80, 80, 5, 5, 2


def short(value: object) -> str:
    """A repr of `value` cut to about 80 characters, for error messages."""
    return _SHORT.repr(value)


class YamlTooLarge(yaml.YAMLError):
    """A YAML text over the size limit; refused before it is parsed."""

    def __init__(self, size: int, max_bytes: int):
        self.problem = (f"{size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:g} MB for a YAML data file "
                        "(analysis.yamlfile.DEFAULT_MAX_BYTES); split the file")
        self.problem_mark = None
        super().__init__(self.problem)


def _refuse_shared(root: yaml.Node | None) -> None:
    """Raise at the first node reached twice: the composer gives an alias the very node its
    anchor names, so a shared node is an alias (checked on the composed graph, which an alias
    bomb keeps small, so the check is linear in the file). The line named is the key the
    alias is the value of, or the start of the list it is an item of (libyaml's composer does
    not keep the alias's own position)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Mark]] = [(root, root.start_mark)] if root is not None else []
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            raise ComposerError(
                None, None,
                "anchors and aliases (&name, *name) are not accepted in a data file; write the value out "
                f"(the value defined at line {node.start_mark.line + 1} is used again)",
                where,
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend(((value, key.start_mark), (key, key.start_mark)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, node.start_mark) for item in reversed(node.value))


class UniqueKeyLoader(_Parser):
    """A safe loader that refuses duplicate keys in a mapping, and anchors and aliases."""

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        _refuse_shared(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, yaml.Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<:` merges are YAML's own override
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:  # an unhashable key: let SafeLoader report it
                continue
            if first is not key_node.start_mark:
                raise ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"key {short(key)} appears twice (first at line {first.line + 1}); "
                    "the earlier value would be lost", key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def safe_load_unique(text: str, max_bytes: int | None = None) -> object:
    """`yaml.safe_load`, except that a repeated key, an anchor or alias, or a text over
    `max_bytes` (default `DEFAULT_MAX_BYTES`, read at each call) raises `yaml.YAMLError` (with
    its line where there is one)."""
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    size = len(text.encode("utf-8", errors="surrogatepass")) if len(text) * 4 > max_bytes else len(text)
    if size > max_bytes:
        raise YamlTooLarge(size, max_bytes)
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
