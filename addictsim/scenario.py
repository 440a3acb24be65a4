"""Scenario files: TOML -> a validated, immutable ``Scenario``.

The contract (DESIGN.md): ``schema_version = 1`` at the top; tables
``[scenario]`` (name, description, species, seed, model variant, and the
declared ``contexts`` and ``cues``), ``[cohort]`` (subjects, parameter
overrides as ``name = value`` or ``name = {dist = "normal", ...}``),
``[[phase]]`` (name, task and its settings, context, cues) and ``[[arm]]``
(between-subject groups that override phase settings). Unknown keys are
errors with a "did you mean" suggestion; quantities carry units and are
checked at load time. Every problem is reported as one line naming the file,
the field, the value and what is allowed (``ScenarioError``).
"""

from __future__ import annotations

import difflib
import enum
import importlib.resources
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, StrictBool, StrictInt,
                      ValidationError, field_validator, model_validator)

from ._params import Species
from .brain.params import BIN_S, N_BINS, BrainParams, Model
from .pharmacology.reinforcers import DIMENSIONS_BY_NAME, REINFORCERS, Reinforcer
from .units import Dimension, UnitError, parse_quantity, parse_quantity_any
from .world import notation

SCHEMA_VERSION = 1
MAX_DELAY_S = (N_BINS - 2) * BIN_S


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is one line naming file, field and value."""


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _time(v: Any, *, zero: bool = False) -> float:
    return parse_quantity(v, Dimension.TIME, allow_zero=zero)


class Task(enum.StrEnum):
    PAVLOVIAN = "pavlovian"
    SELF_ADMINISTRATION = "self_administration"
    CONDITIONED_REINFORCEMENT = "conditioned_reinforcement"
    ABSTINENCE = "abstinence"


class ScenarioMeta(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    species: Species = Species.RAT
    seed: StrictInt = 0
    model: Model = Model.DEFAULT
    contexts: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)

    @field_validator("contexts", "cues")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = {x for x in v if v.count(x) > 1}
        if dup:
            raise ValueError(f"names must be unique, repeated: {sorted(dup)}")
        bad = [x for x in v if not x or any(ch in x for ch in " +-@&=")]
        if bad:
            raise ValueError(f"names must be non-empty with no spaces or + - @ & =: {bad}")
        return v


class Distribution(_Strict):
    dist: Literal["normal", "lognormal", "uniform"]
    mean: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _check(self) -> "Distribution":
        if self.dist in ("normal", "lognormal"):
            if self.mean is None or self.sd is None:
                raise ValueError(f"a {self.dist} distribution needs mean and sd")
            if self.sd < 0:
                raise ValueError(f"sd must be >= 0, got {self.sd}")
            if self.dist == "lognormal" and self.mean <= 0:
                raise ValueError(f"a lognormal distribution needs mean > 0 (the median), got {self.mean}")
        if self.dist == "uniform" and (self.low is None or self.high is None):
            raise ValueError("a uniform distribution needs low and high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class Cohort(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    subjects: StrictInt = Field(default=100, gt=0, le=10_000_000)

    @model_validator(mode="before")
    @classmethod
    def _params(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        specs = BrainParams.specs()
        out = dict(data)
        for key, value in data.items():
            if key == "subjects":
                continue
            if key not in specs:
                raise ValueError(f"unknown key '{key}'{_suggest(key, ['subjects', *specs])}; "
                                 f"allowed: subjects or a brain parameter ({', '.join(specs)})")
            if isinstance(value, dict):
                try:
                    out[key] = Distribution.model_validate(value)
                except ValidationError as e:
                    raise ValueError(f"{key}: {_first_error(e, Distribution)}") from None
                for bound in ("low", "high"):
                    b = getattr(out[key], bound)
                    if b is not None:
                        specs[key].check(b)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                specs[key].check(float(value))
                out[key] = float(value)
            else:
                raise ValueError(f"'{key}' must be a number or a distribution table, got {value!r}")
        return out

    def overrides(self) -> dict[str, float | Distribution]:
        return dict(self.model_extra or {})


class _PhaseBase(_Strict):
    name: str = Field(min_length=1)
    context: str | None = None
    rest_before: float = "0 s"  # type: ignore[assignment]

    @field_validator("rest_before", mode="before")
    @classmethod
    def _rest(cls, v: Any) -> float:
        return _time(v, zero=True)


def _cue_list(v: Any) -> list[str]:
    """``"light"``, ``"tone&light"``, ``["tone", "light"]`` or ``"none"`` -> list of cue names."""
    if v is None:
        return []
    if isinstance(v, str):
        return [] if v.strip().lower() == "none" else [x.strip() for x in v.split("&")]
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return list(v)
    raise ValueError(f"cue must be a cue name, 'a&b', a list of names or 'none', got {v!r}")


class _Sessions(_PhaseBase):
    @property
    def cues(self) -> list[str]:
        return _cue_list(getattr(self, "cue", None))

    days: StrictInt = Field(gt=0, le=100_000)
    sessions_per_day: StrictInt = Field(default=1, gt=0, le=24)
    session: float = "1 h"  # type: ignore[assignment]
    response_window: float = "20 s"  # type: ignore[assignment]
    lever: str = "active"
    inactive_lever: StrictBool = True
    ratio: StrictInt = Field(default=1, gt=0, le=10_000)

    @field_validator("session", "response_window", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> float:
        return _time(v)

    @model_validator(mode="after")
    def _fits(self):
        if self.response_window > self.session:
            raise ValueError(f"response_window ({self.response_window:g} s) exceeds the session "
                             f"({self.session:g} s)")
        if self.sessions_per_day * self.session > 86400:
            raise ValueError(f"{self.sessions_per_day} sessions of {self.session / 3600:g} h "
                             "do not fit in a day")
        return self


class PavlovianPhase(_PhaseBase):
    """Trials in conditioning notation: ``"20 x A+ @ ctx1"``, ``"AB+"``, ``"A-"``,
    ``"A+ p=0.5"``, ``"A+ cocaine 0.75 mg/kg"``, ``"A- test"``, ``"rest 2 d"``."""

    task: Literal[Task.PAVLOVIAN]
    trials: list[str] = Field(min_length=1)
    reinforcer: Reinforcer = Reinforcer.FOOD
    iti: float = "60 s"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]
    trials_per_day: StrictInt = Field(default=100, gt=0)
    shuffle: StrictBool = True

    @field_validator("iti", "delay", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> float:
        return _time(v)

    @field_validator("delay")
    @classmethod
    def _delay(cls, v: float) -> float:
        _check_delay(v)
        return v


def _check_delay(v: float) -> None:
    if not (BIN_S <= v <= MAX_DELAY_S):
        raise ValueError(f"delay must be between {BIN_S:g} s and {MAX_DELAY_S:g} s "
                         f"(the within-episode window has {N_BINS} bins of {BIN_S:g} s), got {v:g} s")


class SelfAdministrationPhase(_Sessions):
    """Fixed-ratio self-administration: press -> cue + reinforcer, then a time-out."""

    task: Literal[Task.SELF_ADMINISTRATION]
    reinforcer: Reinforcer = Reinforcer.COCAINE
    dose: float | None = None
    timeout: float = "20 s"  # type: ignore[assignment]
    cue: str | list[str] | None = None
    extinction: StrictBool = False
    punishment: float = "0 mA"  # type: ignore[assignment]
    alternative: Reinforcer | None = None
    alternative_amount: float | None = None

    @field_validator("punishment", mode="before")
    @classmethod
    def _shock(cls, v: Any) -> float:
        return parse_quantity(v, Dimension.CURRENT, allow_zero=True)
    delay: float = "1.5 s"  # type: ignore[assignment]

    @field_validator("timeout", mode="before")
    @classmethod
    def _to(cls, v: Any) -> float:
        return _time(v, zero=True)

    @field_validator("delay", mode="before")
    @classmethod
    def _delay(cls, v: Any) -> float:
        s = _time(v)
        _check_delay(s)
        return s

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key, which, default in (("dose", "reinforcer", Reinforcer.COCAINE.value),
                                    ("alternative_amount", "alternative", None)):
            if data.get(key) is None:
                continue
            name = data.get(which, default)
            if name is None:
                raise ValueError(f"{key} given without {which}")
            dims = DIMENSIONS_BY_NAME.get(str(name).lower())
            if dims is not None:
                try:
                    data = {**data, key: parse_quantity_any(data[key], dims)[0]}
                except UnitError as e:
                    raise ValueError(f"{key}: {e}") from None
        return data

    @model_validator(mode="after")
    def _alt(self):
        if self.alternative is not None and self.inactive_lever and "inactive_lever" in (
                self.model_fields_set):
            raise ValueError("an alternative lever replaces the inactive lever; drop "
                             "inactive_lever or alternative")
        return self


class ConditionedReinforcementPhase(_Sessions):
    """A new lever whose only consequence is a previously conditioned cue (Panlilio 2007's test)."""

    task: Literal[Task.CONDITIONED_REINFORCEMENT]
    cue: str | list[str]
    lever: str = "new"

    @field_validator("cue")
    @classmethod
    def _some(cls, v):
        if not _cue_list(v):
            raise ValueError("the conditioned-reinforcement test needs a cue")
        return v


class AbstinencePhase(_PhaseBase):
    """Home-cage days with nothing to respond to and no drug cues."""

    task: Literal[Task.ABSTINENCE]
    days: StrictInt = Field(gt=0, le=100_000)
    episodes_per_day: StrictInt = Field(default=1, gt=0, le=1000)


Phase = Annotated[Union[PavlovianPhase, SelfAdministrationPhase, ConditionedReinforcementPhase,
                        AbstinencePhase], Field(discriminator="task")]


class Arm(_Strict):
    """A between-subject group: a share of the cohort whose phases differ."""

    name: str = Field(min_length=1)
    subjects: StrictInt | None = Field(default=None, gt=0)
    phases: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Scenario(_Strict):
    """A validated scenario. ``load_scenario`` makes one; fields are read-only."""

    schema_version: Literal[1]
    scenario: ScenarioMeta
    cohort: Cohort = Field(default_factory=Cohort)
    phase: list[Phase] = Field(min_length=1)
    arm: list[Arm] = Field(default_factory=list)

    _source_text: str = PrivateAttr(default="")
    _source_path: str = PrivateAttr(default="<text>")
    _raw_phases: list = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler):
        sc = handler(data)
        if isinstance(data, dict) and isinstance(data.get("phase"), list):
            sc._raw_phases = [dict(p) if isinstance(p, dict) else {} for p in data["phase"]]
        else:
            sc._raw_phases = [p.model_dump(exclude_unset=True) for p in sc.phase]
        for a in sc.arm:
            sc.phases_for(a.name)
        return sc

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def source_text(self) -> str:
        return self._source_text

    @property
    def source_path(self) -> str:
        return self._source_path

    @property
    def contexts(self) -> list[str]:
        return self.scenario.contexts or ["default"]

    @property
    def cues(self) -> list[str]:
        return list(self.scenario.cues)

    @model_validator(mode="after")
    def _cross(self) -> "Scenario":
        names = [p.name for p in self.phase]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"phase names must be unique, repeated: {sorted(dup)}")
        for i, p in enumerate(self.phase):
            _check_phase_refs(self, p, f"phase[{i}] '{p.name}'")
        arm_names = [a.name for a in self.arm]
        if len(set(arm_names)) != len(arm_names):
            raise ValueError(f"arm names must be unique: {arm_names}")
        for a in self.arm:
            for pname in a.phases:
                if pname not in names:
                    raise ValueError(f"arm '{a.name}' overrides phase '{pname}', which does not "
                                     f"exist{_suggest(pname, names)}; phases: {names}")
        given = [a.subjects for a in self.arm if a.subjects is not None]
        if given and len(given) != len(self.arm):
            raise ValueError("give 'subjects' for every arm or for none")
        return self

    def phases_for(self, arm: str | None) -> list[Any]:
        """The phases as arm ``arm`` runs them (overrides applied and re-validated)."""
        if arm is None:
            return list(self.phase)
        a = next(x for x in self.arm if x.name == arm)
        out = []
        for i, p in enumerate(self.phase):
            ov = a.phases.get(p.name)
            if not ov:
                out.append(p)
                continue
            if "name" in ov or "task" in ov:
                raise ValueError(f"arm '{arm}' may not change a phase's name or task")
            raw = {**self._raw_phases[i], **ov}
            raw["task"] = p.task
            try:
                q = type(p).model_validate(raw)
            except ValidationError as e:
                raise ValueError(f"arm '{arm}' phase '{p.name}': "
                                 f"{_first_error(e, type(p))}") from None
            _check_phase_refs(self, q, f"arm '{arm}' phase '{p.name}'")
            out.append(q)
        return out

    def arm_sizes(self, subjects: int) -> list[tuple[str | None, int]]:
        """Split ``subjects`` between arms (equal shares unless each arm gives its size)."""
        if not self.arm:
            return [(None, subjects)]
        k = len(self.arm)
        if all(a.subjects is not None for a in self.arm):
            sizes = [int(a.subjects) for a in self.arm]
            if subjects != sum(sizes):        # e.g. --subjects: keep the arms' proportions
                total = sum(sizes)
                exact = [subjects * s / total for s in sizes]
                sizes = [int(x) for x in exact]
                for i in sorted(range(k), key=lambda i: exact[i] - sizes[i], reverse=True):
                    if sum(sizes) == subjects:
                        break
                    sizes[i] += 1
            return [(a.name, n) for a, n in zip(self.arm, sizes)]
        base = [subjects // k + (1 if i < subjects % k else 0) for i in range(k)]
        return [(a.name, n) for a, n in zip(self.arm, base)]

    def total_subjects(self) -> int:
        if self.arm and all(a.subjects is not None for a in self.arm):
            return sum(int(a.subjects) for a in self.arm)
        return self.cohort.subjects


def _check_phase_refs(sc: Scenario, p: Any, where: str) -> None:
    contexts = sc.contexts
    if p.context is not None and p.context not in contexts:
        raise ValueError(f"{where}: context '{p.context}' is used but not declared"
                         f"{_suggest(p.context, contexts)}; declare it in [scenario] contexts = "
                         f"{contexts if sc.scenario.contexts else '[...]'}")
    try:
        cues = _cue_list(getattr(p, "cue", None))
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None
    for cue in cues:
        if cue not in sc.cues:
            raise ValueError(f"{where}: cue '{cue}' is used but not declared"
                             f"{_suggest(cue, sc.cues)}; declare it in [scenario] cues = "
                             f"{sc.cues or '[...]'}")
    if isinstance(p, PavlovianPhase):
        try:
            blocks = parse_trials(sc, p)
        except notation.NotationError as e:
            raise ValueError(f"{where}: {e}") from None
        for block in blocks:
            for spec in (block if isinstance(block, list) else []):
                if spec.delay_s is not None:
                    try:
                        _check_delay(spec.delay_s)
                    except ValueError as e:
                        raise ValueError(f"{where}: trial '{spec.label}': {e}") from None


def parse_trials(sc: Scenario, p: PavlovianPhase):
    return notation.parse_entries(
        p.trials, cues=sc.cues, contexts=sc.contexts,
        reinforcers=DIMENSIONS_BY_NAME, default_reinforcer=p.reinforcer.value)


# ---------------------------------------------------------------- loading

_TYPE_PARTS = {"str", "int", "float", "bool", "list[str]", "none", "dict", "list"}


def _fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif (part in {t.value for t in Task} or str(part) in _TYPE_PARTS
              or str(part).startswith(("function-", "lax-", "strict-", "constrained-"))):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _first_error(e: ValidationError, model: type | None = None) -> str:
    err = e.errors(include_url=False)[0]
    loc = _fmt_loc(tuple(err["loc"]))
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    typ = err["type"]
    value = err.get("input")
    if typ == "extra_forbidden":
        key = loc.rsplit(".", 1)[-1]
        parent = loc.rsplit(".", 1)[0] if "." in loc else ""
        allowed = list(model.model_fields) if model is not None else _allowed_keys(e, err)
        msg = f"unknown key '{key}'{_suggest(key, allowed)}" + (
            f"; allowed: {', '.join(allowed)}" if allowed else "")
        loc = parent
    elif typ == "union_tag_invalid":
        ctx = err.get("ctx", {})
        tag = ctx.get("tag", value)
        msg = (f"unknown task '{tag}'{_suggest(tag, [t.value for t in Task])}; "
               f"allowed: {', '.join(t.value for t in Task)}")
    elif typ == "union_tag_not_found":
        msg = f"missing 'task'; allowed: {', '.join(t.value for t in Task)}"
    elif typ == "missing":
        msg = "required field is missing"
    elif typ == "enum":
        msg = f"{value!r} is not allowed; expected {err.get('ctx', {}).get('expected', '')}"
        close = _suggest(value, _enum_values(loc))
        msg += close
    elif typ == "literal_error" and loc == "schema_version":
        msg = f"unsupported schema_version {value!r}; this addictsim reads schema_version = {SCHEMA_VERSION}"
    elif value is not None and typ not in ("value_error", "assertion_error") and not isinstance(value, dict):
        msg = f"{msg} (got {value!r})"
    return f"{loc}: {msg}" if loc else msg


def _enum_values(loc: str) -> list[str]:
    last = loc.rsplit(".", 1)[-1]
    table = {"species": Species, "model": Model, "reinforcer": Reinforcer, "task": Task}
    return [m.value for m in table.get(last, [])]


_FIELDS_BY_SECTION = {
    "": ["schema_version", "scenario", "cohort", "phase", "arm"],
    "scenario": list(ScenarioMeta.model_fields),
    "arm": list(Arm.model_fields),
}


def _allowed_keys(e: ValidationError, err: dict) -> list[str]:
    loc = [p for p in err["loc"] if not isinstance(p, int)]
    if len(loc) <= 1:
        return _FIELDS_BY_SECTION[""]
    section = loc[0]
    if section == "phase" and len(loc) >= 2:
        model = {t.value: m for t, m in [(Task.PAVLOVIAN, PavlovianPhase),
                                         (Task.SELF_ADMINISTRATION, SelfAdministrationPhase),
                                         (Task.CONDITIONED_REINFORCEMENT, ConditionedReinforcementPhase),
                                         (Task.ABSTINENCE, AbstinencePhase)]}.get(str(loc[1]))
        if model is not None:
            return list(model.model_fields)
    if section == "scenario" and len(loc) >= 2 and loc[1] == "name":
        return _FIELDS_BY_SECTION["scenario"]
    return _FIELDS_BY_SECTION.get(str(section), [])


def shipped_scenarios() -> dict[str, Path]:
    """Names and paths of the scenarios shipped with the package."""
    root = importlib.resources.files("addictsim") / "scenarios"
    out: dict[str, Path] = {}
    for sub in (root, root / "reference"):
        p = Path(str(sub))
        if p.is_dir():
            for f in sorted(p.glob("*.toml")):
                if f.stem != "TEMPLATE":
                    key = f.stem if sub is root else f"reference/{f.stem}"
                    out[key] = f
    return out


def load_scenario(source: str | Path | Scenario) -> Scenario:
    """Load and validate a scenario from a path, a shipped scenario's name, or TOML text."""
    if isinstance(source, Scenario):
        return source
    text: str
    where: str
    shipped = shipped_scenarios()
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and (source.endswith(".toml") or "/" in source
                                         or source in shipped)):
        s = str(source)
        path = shipped[s] if s in shipped else Path(s)
        where = str(path)
        if not path.exists():
            hint = _suggest(Path(s).stem, list(shipped))
            raise ScenarioError(f"{s}: no such file or shipped scenario{hint}; "
                                f"shipped: {', '.join(shipped)}")
        if path.is_dir():
            raise ScenarioError(f"{s}: is a directory, expected a .toml scenario file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ScenarioError(f"{s}: cannot read: {e}") from None
    elif isinstance(source, str) and "\n" not in source and "=" not in source:
        hint = _suggest(source, list(shipped))
        raise ScenarioError(f"{source}: no such file or shipped scenario{hint}; "
                            f"shipped: {', '.join(shipped)}")
    elif isinstance(source, str):
        text, where = source, "<text>"
    else:
        raise ScenarioError(f"cannot load a scenario from {type(source).__name__}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{where}: malformed TOML: {e}") from None
    if "schema_version" not in data:
        raise ScenarioError(f"{where}: schema_version: missing; put 'schema_version = "
                            f"{SCHEMA_VERSION}' at the top of the file")
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(f"{where}: {_first_error(e)}") from None
    sc._source_text = text
    sc._source_path = where
    return sc
