"""Parameter declarations: every parameter declares itself once.

A parameter's default per species, unit, allowed range, one-line meaning and
source paper live in the metadata of its field on the module that uses it
(``param(...)`` below). Scenario overrides, cohort distributions, the docs'
parameter table and (later) fitting transforms all read that declaration.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any

import equinox as eqx


class Species(enum.StrEnum):
    """Default parameter sets. Monkey studies use ``human``, the primate set."""

    RAT = "rat"
    HUMAN = "human"


@dataclass(frozen=True)
class ParamSpec:
    """One declared parameter."""

    name: str
    defaults: dict[Species, float]
    unit: str
    low: float
    high: float
    meaning: str
    source: str
    spread: float = 0.0     # between-subject sd of log(value) in the default cohort (lognormal)
    human_spread: float | None = None   # the human cohort's, where it differs (None: the same)

    def spread_for(self, species: Species | str) -> float:
        """The default cohort's spread of this parameter for ``species``."""
        if Species(species) is Species.HUMAN and self.human_spread is not None:
            return self.human_spread
        return self.spread

    def check(self, value: float) -> None:
        """Raise ``ValueError`` naming the parameter when ``value`` is out of range."""
        if not (self.low <= value <= self.high):
            raise ValueError(
                f"parameter '{self.name}' = {value} is outside its allowed range "
                f"[{self.low}, {self.high}] ({self.unit}; {self.meaning})"
            )


def param(*, rat: float, human: float, unit: str, low: float, high: float, meaning: str,
          source: str, spread: float = 0.0, human_spread: float | None = None) -> Any:
    """Declare a float parameter field of an ``equinox.Module``.

    ``spread`` > 0 makes the default cohort heterogeneous: each subject draws
    ``default * exp(spread * z)`` (median = the default), clipped to the range, unless the
    scenario's ``[cohort]`` sets the parameter. ``human_spread`` gives the human cohort its
    own spread where the evidence for one differs.
    """
    spec = ParamSpec(name="", defaults={Species.RAT: rat, Species.HUMAN: human}, unit=unit,
                     low=low, high=high, meaning=meaning, source=source, spread=spread,
                     human_spread=human_spread)
    for sp, v in spec.defaults.items():
        if not (low <= v <= high):
            raise AssertionError(f"default {v} for {sp} outside [{low}, {high}] ({meaning})")
    return eqx.field(metadata={"spec": spec})


def specs_of(cls: type) -> dict[str, ParamSpec]:
    """The declared parameters of a module class, in declaration order."""
    out: dict[str, ParamSpec] = {}
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("spec")
        if spec is not None:
            out[f.name] = dataclasses.replace(spec, name=f.name)
    return out


def defaults_of(cls: type, species: Species | str) -> dict[str, float]:
    """Default values of every declared parameter of ``cls`` for ``species``."""
    sp = Species(species)
    return {name: s.defaults[sp] for name, s in specs_of(cls).items()}
