"""YAML with line numbers: every error of an import names the line it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file."""

    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}: {self.where}: {self.message}"
            if self.where
            else (f"line {self.line}: {self.message}")
        )


@dataclass
class LocatedDocument:
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the deepest part of ``path`` the file has (1 for the whole file)."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def dotted(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _DatesAsText(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad date gets our message and its line."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_located(text: str) -> tuple[LocatedDocument | None, list[Problem]]:
    """Parse ``text``; return the data with a line map, or the syntax problems."""
    try:
        node = yaml.compose(text, Loader=_DatesAsText)
        data = yaml.load(text, Loader=_DatesAsText)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(line, "", f"not valid YAML: {error.problem or error}")]
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        return None, [Problem(line, "", f"not valid YAML: {error.reason}")]
    except yaml.YAMLError as error:
        return None, [Problem(1, "", f"not valid YAML: {error}")]
    except RecursionError:
        return None, [Problem(1, "", "not valid here: the YAML nests far too deep")]
    lines: dict[Path, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems)
    return LocatedDocument(data, lines), problems


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(line, dotted(path), f"key {key!r} appears twice"))
            seen.add(key)
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, problems)
