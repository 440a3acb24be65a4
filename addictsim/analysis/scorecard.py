"""The reference-phenomena scorecard: ``addictsim validate``.

One row per (REFERENCES.md id, model variant), each with its checks (name,
simulated value, acceptance band, passed), a status (pass / fail / xfail /
not_implemented), the cohort size and seed, and the source. Rows for entries
not built yet say ``not_implemented``, so the scorecard always shows the
whole of REFERENCES.md. The exit code is 0 only when every default-model
row passes or is a declared xfail.
"""

from __future__ import annotations

import enum
import importlib
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from .references import BY_ID, REFERENCES

#: implemented entries: REFERENCES id -> module under ``analysis.experiments``
EXPERIMENTS = {
    "td_da_shift_omission": "td_da_shift_omission",
    "redish_noncompensable_drug": "redish_noncompensable_drug",
    "blocking_with_drug": "blocking_with_drug",
    "escalation_long_access": "escalation_long_access",
    "hedonic_allostasis_icss": "hedonic_allostasis_icss",
    "homeostatic_rl_keramati": "homeostatic_rl_keramati",
    "d2_monkey_longitudinal": "d2_monkey_longitudinal",
    "da_surge_drug_vs_natural": "da_surge_drug_vs_natural",
    "withdrawal_hypodopaminergic": "withdrawal_hypodopaminergic",
    "dezfouli_avg_reward": "dezfouli_avg_reward",
    "devaluation_habit": "devaluation_habit",
    "ventral_to_dorsal_shift": "ventral_to_dorsal_shift",
    "model_based_deficit_two_step": "model_based_deficit_two_step",
    "sign_goal_tracking": "sign_goal_tracking",
    "incentive_salience_kappa": "incentive_salience_kappa",
    "incubation_of_craving": "incubation_of_craving",
    "delay_discounting": "delay_discounting",
    "punishment_resistance": "punishment_resistance",
    "prefrontal_inhibitory_control": "prefrontal_inhibitory_control",
    "renewal_spontaneous_recovery_latent_cause": "renewal_spontaneous_recovery_latent_cause",
    "reinstatement_triggers": "reinstatement_triggers",
    "retrieval_extinction_xue": "retrieval_extinction_xue",
    "relapse_base_rates": "relapse_base_rates",
}


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    XFAIL = "xfail"
    NOT_IMPLEMENTED = "not_implemented"


@dataclass(frozen=True)
class Check:
    """One acceptance check: ``low <= simulated <= high`` (a missing bound is open).

    ``xfail`` names why the model cannot reach this check (a declared, explained failure;
    the band is kept as REFERENCES.md gives it). A row whose only failing checks are
    declared ``xfail`` has status ``xfail``.
    """

    name: str
    simulated: float
    low: float | None = None
    high: float | None = None
    xfail: str = ""

    @property
    def passed(self) -> bool:
        v = self.simulated
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return False
        return (self.low is None or v >= self.low) and (self.high is None or v <= self.high)

    def to_json(self) -> dict[str, Any]:
        # a value that is not a finite number (a ratio over 0) is written as null: JSON has
        # no Infinity or NaN
        f = lambda x: None if x is None or not math.isfinite(float(x)) else float(x)  # noqa: E731
        out = {"name": self.name, "simulated": f(self.simulated), "low": f(self.low),
               "high": f(self.high), "passed": bool(self.passed)}
        if self.xfail:
            out["xfail"] = self.xfail
        return out


@dataclass(frozen=True)
class Expectation:
    """What a model variant is expected to do on an entry, and why."""

    outcome: Status = Status.PASS      # PASS, or FAIL for a comparison model meant to fail
    note: str = ""


@dataclass
class Row:
    id: str
    model: str
    species: str
    status: Status
    checks: list[Check] = field(default_factory=list)
    subjects: int = 0
    seed: int | None = None
    source: str = ""
    note: str = ""
    quick: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "model": self.model, "species": self.species,
                "status": str(self.status), "checks": [c.to_json() for c in self.checks],
                "subjects": int(self.subjects), "seed": self.seed, "source": self.source,
                "note": self.note, "quick": self.quick}


def status_of(checks: list[Check], expectation: Expectation) -> Status:
    failing = [c for c in checks if not c.passed]
    if not failing:
        return Status.PASS
    if expectation.outcome is Status.XFAIL or all(c.xfail for c in failing):
        return Status.XFAIL
    return Status.FAIL


def run_entry(ref_id: str, *, quick: bool = False,
              models: list[str] | None = None) -> list[Row]:
    """Run one implemented entry for each of its model variants."""
    mod = importlib.import_module(f"{__package__}.experiments.{EXPERIMENTS[ref_id]}")
    rows = []
    for model, expectation in mod.MODELS.items():
        if models is not None and model not in models:
            continue
        res = mod.run(model, quick=quick)
        note = expectation.note
        # the declared reasons of the failing checks, each once with the checks it covers
        reasons: dict[str, list[str]] = {}
        for c in res.checks:
            if c.xfail and not c.passed:
                reasons.setdefault(c.xfail, []).append(c.name)
        xf = [f"{', '.join(names)}: {why}" for why, names in reasons.items()]
        if xf:
            note = (note.rstrip(".") + ". " if note else "") + "xfail " + "; ".join(xf) + "."
        if quick:
            note = (note.rstrip(".") + ". " if note else "") + (
                f"quick: {res.subjects} subjects (smaller cohort).")
        rows.append(Row(id=ref_id, model=model, species=mod.SPECIES,
                        status=status_of(res.checks, expectation), checks=res.checks,
                        subjects=res.subjects, seed=res.seed, source=mod.SOURCE, note=note,
                        quick=quick))
    return rows


@dataclass
class Result:
    """What an experiment returns for one model variant."""

    checks: list[Check]
    subjects: int
    seed: int


def run_scorecard(*, quick: bool = False, only: list[str] | None = None,
              progress: Callable[[str], None] | None = None) -> list[Row]:
    """Every REFERENCES.md entry (or those in ``only``), in REFERENCES order."""
    rows: list[Row] = []
    for ref in REFERENCES:
        if only and ref.id not in only:
            continue
        if ref.id in EXPERIMENTS:
            if progress:
                progress(ref.id)
            rows.extend(run_entry(ref.id, quick=quick))
        else:
            later = f"issue #{ref.issue}" if ref.issue else "a later issue"
            rows.append(Row(id=ref.id, model="default", species="", status=Status.NOT_IMPLEMENTED,
                            source=ref.source, note=f"not built yet ({later})", quick=quick))
    return rows


def exit_code(rows: list[Row]) -> int:
    ok = all(r.status in (Status.PASS, Status.XFAIL) for r in rows
             if r.model == "default" and r.status is not Status.NOT_IMPLEMENTED)
    return 0 if ok else 1


def unknown_ids(ids: list[str]) -> list[str]:
    return [i for i in ids if i not in BY_ID]


JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "addictsim scorecard",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "model", "species", "status", "checks", "subjects", "seed", "source"],
        "properties": {
            "id": {"type": "string", "enum": [r.id for r in REFERENCES]},
            "model": {"type": "string"},
            "species": {"type": "string"},
            "status": {"enum": [s.value for s in Status]},
            "checks": {"type": "array", "items": {
                "type": "object",
                "required": ["name", "simulated", "low", "high", "passed"],
                "properties": {"name": {"type": "string"},
                               "simulated": {"type": ["number", "null"]},
                               "low": {"type": ["number", "null"]},
                               "high": {"type": ["number", "null"]},
                               "passed": {"type": "boolean"},
                               "xfail": {"type": "string"}},
                "additionalProperties": False}},
            "subjects": {"type": "integer", "minimum": 0},
            "seed": {"type": ["integer", "null"]},
            "source": {"type": "string"},
            "note": {"type": "string"},
            "quick": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
}


def as_json(rows: list[Row]) -> list[dict[str, Any]]:
    return [r.to_json() for r in rows]


__all__ = ["Check", "Expectation", "Result", "Row", "Status", "as_json", "asdict", "exit_code",
           "run_entry", "run_scorecard"]
