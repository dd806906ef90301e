"""Validation of an import file item by item, each problem with its line."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from followup.importing.schema import (
    ChairmanshipIn,
    ImportFile,
    MeetingIn,
    OutcomeIn,
    StateIn,
    SurveyIn,
    WorkingGroupIn,
)
from followup.importing.yaml_lines import LocatedDocument, Path, Problem, dotted

SECTIONS: dict[str, type[BaseModel]] = {
    "states": StateIn,
    "chairmanships": ChairmanshipIn,
    "meetings": MeetingIn,
    "working_groups": WorkingGroupIn,
    "surveys": SurveyIn,
    "outcomes": OutcomeIn,
}


def validate_items(doc: LocatedDocument) -> tuple[ImportFile | None, list[Problem]]:
    """Validate item by item, so one bad item does not hide the problems of the others.

    Returns the file with its valid items (None when its frame is unusable) and the problems.
    """
    data = doc.data
    try:
        frame = ImportFile.model_validate(
            {k: v for k, v in data.items() if k not in SECTIONS} if isinstance(data, dict) else data
        )
    except ValidationError as error:
        return None, schema_problems(error, doc)
    problems: list[Problem] = []
    sections: dict[str, list[Any]] = {}
    for name, model in SECTIONS.items():
        items = data.get(name) or []
        if not isinstance(items, list):
            problems.append(Problem(doc.line_of((name,)), name, "expected a list"))
            continue
        valid = []
        for index, item in enumerate(items):
            try:
                valid.append(model.model_validate(item))
            except ValidationError as error:
                problems += schema_problems(error, doc, (name, index))
        sections[name] = valid
    return frame.model_copy(update=sections), problems


def skipped_codes(doc: LocatedDocument, problems: list[Problem]) -> set[str]:
    """Codes of items that failed validation: references to them are not reported again."""
    if not problems or not isinstance(doc.data, dict):
        return set()
    return {
        str(item["code"])
        for name in SECTIONS
        for item in (doc.data.get(name) or [])
        if isinstance(item, dict) and "code" in item
    }


def schema_problems(
    error: ValidationError, doc: LocatedDocument, prefix: Path = ()
) -> list[Problem]:
    problems = []
    for item in error.errors():
        path = (*prefix, *(p for p in item["loc"] if isinstance(p, str | int)))
        # a union or a validator adds its own name to the location: keep the file's keys only
        while path and path not in doc.lines and path[:-1] in doc.lines and len(path) > 1:
            path = path[:-1]
        message = item["msg"].removeprefix("Value error, ")
        problems.append(Problem(doc.line_of(path), dotted(path), message))
    return problems
