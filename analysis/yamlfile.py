"""YAML as the package reads its data files: safe, and a key given twice in one mapping is an
error, not "the last one wins" (PyYAML's default), so a repeated field in a lexicon entry or
a second top-level `actors:` is reported with its line instead of silently dropping data."""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError


class UniqueKeyLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses duplicate keys in a mapping."""

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
                    f"key {key!r} appears twice (first at line {first.line + 1}); "
                    "the earlier value would be lost", key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def safe_load_unique(text: str) -> object:
    """`yaml.safe_load`, except that a repeated key raises `yaml.YAMLError` with its line."""
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
