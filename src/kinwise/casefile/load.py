"""Reading and writing case files (YAML or JSON), with every error reported by path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kinwise.casefile.checks import check_references
from kinwise.casefile.errors import format_validation_error, sort_errors
from kinwise.casefile.limits import (
    check_structure,
    check_text_size,
    decode_text,
    read_limited,
    unreadable,
)
from kinwise.casefile.schema import CaseFile, YamlDate
from kinwise.casefile.versions import as_version_one, declared_version
from kinwise.errors import ErrorCode, FieldError, KinwiseError

# libyaml's parser when PyYAML was built with it (several times faster), else pure Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe YAML that keeps dates as written (validated by the schema) and rejects duplicate keys."""


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> YamlDate:
    # An unquoted date is a YAML date, not a string: a date field reads its text, a text
    # or id field rejects it. Kept as written, so that an impossible date is reported.
    return YamlDate(str(loader.construct_scalar(node)))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str) and key in seen:
            raise DuplicateKeyError(
                "while reading a mapping",
                node.start_mark,
                f"duplicate key '{key}'",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (as YAML's are refused)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonDuplicateKey(key)
        out[key] = value
    return out


class _JsonDuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_text(text: str, *, name: str = "<input>") -> Any:
    """Parse YAML or JSON text (JSON is YAML's subset, but is read strictly as JSON when it
    looks like it), after checking it against the resource limits (casefile.limits)."""
    check_text_size(text, name=name)
    stripped = text.lstrip()
    try:
        if stripped.startswith("{") or stripped.startswith("["):
            check_structure(text, name=name, json_like=True)
            try:
                return json.loads(text, object_pairs_hook=_json_pairs)
            except _JsonDuplicateKey as exc:
                raise unreadable(name, f"duplicate key '{exc.key}'") from None
            except json.JSONDecodeError:
                pass
        check_structure(text, name=name, json_like=False)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML or JSON"
        raise KinwiseError(
            ErrorCode.UNREADABLE_FILE,
            f"{name}: cannot be read: {problem}" + (f" at {where}" if where else ""),
            [FieldError("", f"{problem}" + (f" at {where}" if where else ""))],
        ) from None


def validate_data(data: Any) -> tuple[CaseFile | None, list[FieldError]]:
    """Validate parsed data: every structural and cross-record error, sorted by place in the file."""
    if not isinstance(data, dict):
        return None, [
            FieldError(
                "", "a case file must be a mapping with the fields 'kinwise', 'person' and 'plan'"
            )
        ]
    errors: list[FieldError] = []
    model: CaseFile | None = None
    if declared_version(data) == 1:
        data, gated = as_version_one(data)
        errors.extend(gated)
    try:
        model = CaseFile.model_validate(data)
    except ValidationError as exc:
        errors.extend(format_validation_error(exc, data))
    errors.extend(check_references(data))
    errors = sort_errors(errors)
    return (model if not errors else None), errors


def load_casefile(path: Path) -> CaseFile:
    """Read, parse and validate one file; raise KinwiseError listing every error. The file
    is checked against the resource limits before it is parsed (casefile.limits)."""
    text = decode_text(read_limited(path), name=str(path))
    return parse_casefile(text, name=str(path))


def parse_casefile(text: str, *, name: str = "<input>") -> CaseFile:
    data = parse_text(text, name=name)
    model, errors = validate_data(data)
    if model is None:
        raise KinwiseError(ErrorCode.INVALID_CASEFILE, f"{name}: {len(errors)} error(s)", errors)
    return model


def dump_casefile(casefile: CaseFile, *, fmt: str = "yaml") -> str:
    """Serialise a case file; optional fields that are empty are left out, so exports stay readable."""
    data = casefile_to_data(casefile)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def casefile_to_data(casefile: CaseFile) -> dict[str, Any]:
    data = casefile.model_dump(mode="json", exclude_none=True)
    return _prune(data)


# An explicit empty list of required areas means "none", unlike an absent one.
_KEEP_EMPTY = frozenset({"required_areas"})


def _prune(value: Any) -> Any:
    """Drop empty optional lists and mappings, innermost first."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if k in _KEEP_EMPTY or v not in ([], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
