"""The names of the person and of their circle, looked up by case-file id. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable

from kinwise.casefile import schema as cf


class Names:
    """Names of the person and the circle, by id."""

    def __init__(self, casefile: cf.CaseFile) -> None:
        self.person_id = casefile.person.id
        self._names = {casefile.person.id: casefile.person.name}
        self._kinds = {casefile.person.id: "person"}
        for member in casefile.circle:
            self._names[member.id] = member.name
            self._kinds[member.id] = member.kind

    def __call__(self, ref: str | None) -> str:
        if ref is None:
            return ""
        return self._names.get(ref, ref)

    def kind(self, ref: str | None) -> str | None:
        return self._kinds.get(ref) if ref is not None else None

    def many(self, refs: Iterable[str]) -> list[str]:
        return [self(r) for r in refs]
