"""Writing a synthetic population as case files, one per person."""

from __future__ import annotations

from pathlib import Path

import yaml

from kinwise.casefile.load import casefile_to_data
from kinwise.casefile.schema import CaseFile
from kinwise.synth.generate import SynthSpec, synth_population

# The C emitter when PyYAML has it (same output as yaml.safe_dump, several times faster).
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def casefile_yaml(casefile: CaseFile) -> str:
    """The case file as YAML, as ``kinwise export`` writes it (empty optional fields left out)."""
    text: str = yaml.dump(
        casefile_to_data(casefile),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return text


def population_write(*, spec: SynthSpec, out: Path) -> list[Path]:
    """Write ``<person-id>.yaml`` for every person of ``spec`` into ``out`` (created if missing)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for casefile in synth_population(spec):
        path = out / f"{casefile.person.id}.yaml"
        path.write_text(casefile_yaml(casefile), encoding="utf-8")
        written.append(path)
    return written
