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

import contextvars
import difflib
import enum
import importlib.resources
import tomllib
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

import numpy as np
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictBool,
                      StrictInt, ValidationError, field_validator, model_validator)

from ._params import Species
from .brain.params import BIN_S, N_BINS, BrainParams, Model
from .pharmacology.reinforcers import DIMENSIONS_BY_NAME, REINFORCERS, Kind, Reinforcer
from .units import (Dimension, UnitError, body_weight_kg, canonical_unit, format_seconds,
                    parse_dose, parse_quantity)
from .world import notation
from .world.cues import CueSpec, check_cue_map
from .world.apparatus import PR_STEPS

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


def _durations(*fields: str):
    """A validator reading ``fields`` as positive durations with units (``"20 s"``)."""
    def read(cls, v: Any) -> float:
        return _time(v)
    return field_validator(*fields, mode="before")(classmethod(read))


def _cue_delay():
    """A validator reading ``delay`` (cue to reinforcer) as a duration that fits in an
    episode's window (``_check_delay``)."""
    def read(cls, v: Any) -> float:
        s = _time(v)
        _check_delay(s)
        return s
    return field_validator("delay", mode="before")(classmethod(read))


def _drug_or_reward(what: str):
    """A validator refusing an aversive ``reinforcer`` (``_check_appetitive``: ``what`` says
    for what) and converting ``dose`` to the reinforcer's canonical unit."""
    def read(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _check_appetitive(data, what)
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.COCAINE),))
    return model_validator(mode="before")(classmethod(read))


class Task(enum.StrEnum):
    PAVLOVIAN = "pavlovian"
    SELF_ADMINISTRATION = "self_administration"
    CONDITIONED_REINFORCEMENT = "conditioned_reinforcement"
    ABSTINENCE = "abstinence"
    MICRODIALYSIS = "microdialysis"
    CHALLENGE = "challenge"
    DOSE_RESPONSE = "dose_response"
    DEMAND = "demand"
    REWARD_THRESHOLD = "reward_threshold"
    DELAY_DISCOUNTING = "delay_discounting"
    PROGRESSIVE_RATIO = "progressive_ratio"
    DEVALUATION = "devaluation"
    TWO_STEP = "two_step"
    PIT = "pit"
    CONDITIONED_APPROACH = "conditioned_approach"
    SEEK_TAKE = "seek_take"
    SIGNALLED_UNAVAILABILITY = "signalled_unavailability"
    CHOICE = "choice"
    GO_NOGO = "go_nogo"
    PLACE_PREFERENCE = "place_preference"
    DAILY_LIFE = "daily_life"


# ---------------------------------------------------------------- reinforcers and doses

#: the species whose body weight converts doses per subject while a scenario is validated
#: (set by ``Scenario``; a phase model validated on its own uses the rat)
_SPECIES: contextvars.ContextVar[str] = contextvars.ContextVar("addictsim_species",
                                                               default="rat")


def _known_reinforcer(v: Any) -> Reinforcer | None:
    if isinstance(v, Reinforcer):
        return v
    if isinstance(v, str):
        try:
            return Reinforcer(v.strip().lower())
        except ValueError:
            return None
    return None


def _reinforcer(v: Any) -> Reinforcer:
    r = _known_reinforcer(v)
    if r is None:
        known = [x.value for x in Reinforcer]
        raise ValueError(f"unknown reinforcer {v!r}{_suggest(str(v).lower(), known)}; "
                         f"known reinforcers: {', '.join(known)}")
    return r


#: a reinforcer's name; unknown names are one-line errors with "did you mean" and the list
ReinforcerName = Annotated[Reinforcer, BeforeValidator(_reinforcer)]


def _species_weight() -> float:
    return body_weight_kg(_SPECIES.get())


def dose_value(value: Any, reinforcer: Reinforcer, *, field: str,
               allow_zero: bool = False) -> tuple[float, Dimension]:
    """One delivery of ``reinforcer`` as a scenario writes it, in the reinforcer's canonical
    unit: units checked against the reinforcer, doses per subject converted with the
    species' body weight (``units.DOSE_CONSTANTS``), and the modelled range enforced.
    Raises ``ValueError`` with one line naming ``field``."""
    spec = REINFORCERS[reinforcer]
    try:
        return parse_dose(value, spec.dimensions, substance=reinforcer.value,
                          body_weight_kg=_species_weight(), dose_range=spec.dose_range,
                          range_unit=spec.unit, field=field, allow_zero=allow_zero)
    except UnitError as e:
        raise ValueError(str(e)) from None


def _convert_doses(data: Any, fields: tuple[tuple[str, str, Reinforcer | None], ...]) -> Any:
    """In a phase's raw settings, replace each dose ``key`` by its value in the canonical
    unit of the reinforcer named by ``which`` (default ``default``). An unknown reinforcer
    is left for the field's own validator to report."""
    if not isinstance(data, dict):
        return data
    for key, which, default in fields:
        if data.get(key) is None:
            continue
        name = data.get(which, default)
        if name is None:
            raise ValueError(f"{key} given without {which}")
        r = _known_reinforcer(name)
        if r is not None:
            data = {**data, key: dose_value(data[key], r, field=key)[0]}
    return data


def _dose_list(data: Any, key: str, which: str, default: Reinforcer, *, allow_zero: bool,
               what: str) -> tuple[Any, str | None]:
    """A list of doses (strictly increasing as given) converted in place; also the unit
    their canonical values are in (None when the reinforcer is unknown)."""
    if not isinstance(data, dict) or key not in data:
        return data, None
    r = _known_reinforcer(data.get(which, default))
    values = data[key]
    if isinstance(values, (str, int, float, dict)) or not isinstance(values, list):
        example = '["0.25 mg/kg", "0.5 mg/kg"]' if what == "doses" else "[0.5, 1, 2]"
        raise ValueError(f"{key}: expected a list of {what} such as {example}, got {values!r}")
    if not values:
        raise ValueError(f"{key}: the list is empty; give at least one {what[:-1]}")
    if r is None:
        return data, None
    spec = REINFORCERS[r]
    out, dims = [], []
    for i, v in enumerate(values):
        x, dim = dose_value(v, r, field=f"{key}[{i}]", allow_zero=allow_zero)
        out.append(x)
        dims.append(dim)
    if len(set(dims)) > 1:
        raise ValueError(f"{key}: {values!r} mixes units of different kinds "
                         f"({', '.join(sorted({canonical_unit(d) for d in dims}))}); "
                         "write every entry in one kind of unit")
    for i in range(1, len(out)):
        if not out[i] > out[i - 1]:
            raise ValueError(f"{key}: must be strictly increasing as given; {key}[{i}] = "
                             f"{values[i]!r} is not above {key}[{i - 1}] = {values[i - 1]!r}")
    unit = spec.unit if dims[0] is spec.dimensions[0] else canonical_unit(dims[0])
    return {**data, key: out}, unit


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


class Correlation(_Strict):
    """A correlation between two parameters' draws across the cohort (on their normal
    scores: a Gaussian copula)."""

    between: tuple[str, str]
    r: float = Field(gt=-1.0, lt=1.0)


class Cohort(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    subjects: StrictInt = Field(default=100, gt=0, le=10_000_000)
    #: correlated individual differences, e.g. [{between = ["d2_baseline", "habit_half"],
    #: r = 0.3}]; each parameter must vary in the cohort
    correlations: list[Correlation] = Field(default_factory=list)

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
            if key == "correlations":
                out[key] = _correlations(value, specs)
                continue
            if key not in specs:
                raise ValueError(f"unknown key '{key}'"
                                 f"{_suggest(key, ['subjects', 'correlations', *specs])}; "
                                 f"allowed: subjects, correlations or a brain parameter "
                                 f"({', '.join(specs)})")
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

    def correlation_matrix(self, varying: set[str]) -> tuple[list[str], np.ndarray]:
        """The correlated parameters (in order of first mention) and their correlation
        matrix; raises ``ValueError`` when one of them does not vary (not in ``varying``) or
        the matrix is not positive definite."""
        names: list[str] = []
        for c in self.correlations:
            for n in c.between:
                if n not in varying:
                    raise ValueError(f"correlations: '{n}' does not vary in this cohort; give "
                                     f"it a distribution in [cohort] (e.g. {n} = {{dist = "
                                     f"\"lognormal\", mean = ..., sd = 0.3}})")
                if n not in names:
                    names.append(n)
        r = np.eye(len(names))
        for c in self.correlations:
            i, j = names.index(c.between[0]), names.index(c.between[1])
            r[i, j] = r[j, i] = c.r
        if names:
            try:
                np.linalg.cholesky(r)
            except np.linalg.LinAlgError:
                raise ValueError("correlations: these correlations cannot hold together (the "
                                 "matrix is not positive definite); weaken some of them") from None
        return names, r


def _correlations(value: Any, specs) -> list[Correlation]:
    """``[cohort] correlations`` read and checked: known, distinct parameters, each pair
    once, r strictly between -1 and 1."""
    example = '[{between = ["d2_baseline", "habit_half"], r = 0.3}]'
    if not isinstance(value, list):
        raise ValueError(f"correlations: expected a list of tables such as {example}, "
                         f"got {value!r}")
    out, seen = [], set()
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise ValueError(f"correlations[{i}]: expected a table such as {example[1:-1]}, "
                             f"got {item!r}")
        pair = item.get("between")
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(n, str) for n in pair)):
            raise ValueError(f"correlations[{i}].between: expected two parameter names, "
                             f"got {pair!r}")
        for n in pair:
            if n not in specs:
                raise ValueError(f"correlations[{i}].between: unknown brain parameter "
                                 f"'{n}'{_suggest(n, specs)}")
        if pair[0] == pair[1]:
            raise ValueError(f"correlations[{i}].between: a parameter with itself ({pair[0]})")
        key = frozenset(pair)
        if key in seen:
            raise ValueError(f"correlations[{i}]: {pair[0]} and {pair[1]} are correlated twice")
        seen.add(key)
        try:
            out.append(Correlation.model_validate(item))
        except ValidationError as e:
            raise ValueError(f"correlations[{i}]: {_first_error(e, Correlation)}") from None
    return out


class Region(enum.StrEnum):
    """Striatal regions a phase can inactivate (``brain.control``)."""

    DLS = "dls"      # dorsolateral striatum: habit
    DMS = "dms"      # dorsomedial striatum: goal-directed action
    VS = "vs"        # ventral striatum: Pavlovian critic


class _PhaseBase(_Strict):
    name: str = Field(min_length=1)
    context: str | None = None
    rest_before: float = "0 s"  # type: ignore[assignment]
    #: regions lesioned or inactivated during this phase (Yin et al. 2004; Corbit et al. 2012)
    inactivate: list[Region] = Field(default_factory=list)
    #: sodium appetite throughout the phase (furosemide and a sodium-free diet, or DOCA:
    #: Robinson & Berridge 2013): salt is worth its need value
    sodium_depletion: StrictBool = False
    #: experimental clamp of the incentive gain of named outcomes' cues (brain.incentive;
    #: REFERENCES.md incentive_salience_kappa), e.g. {sucrose = 2.0}
    kappa: dict[ReinforcerName, float] = Field(default_factory=dict)
    #: experimental gain on prefrontal control during this phase (brain.prefrontal):
    #: above 1 stimulates (optogenetic prelimbic stimulation, Chen et al. 2013), below 1
    #: inhibits, 0 silences
    prefrontal: float = 1.0
    #: an NMDA-receptor blocker on board through this phase (the share of receptors
    #: blocked, 0-1): a memory labile after a retrieval does not restabilise and loses
    #: what is labile (brain.memory; Milton et al. 2013; Das et al. 2019)
    nmda_blocker: float = 0.0

    @field_validator("prefrontal", mode="before")
    @classmethod
    def _pfc_gain(cls, v: Any) -> float:
        return _number_in(v, 0.0, 10.0, "prefrontal is a gain on prefrontal control, from 0 "
                          "(silenced) to 10 (1 = untouched)")

    @field_validator("nmda_blocker", mode="before")
    @classmethod
    def _nmda(cls, v: Any) -> float:
        return _number_in(v, 0.0, 1.0, "nmda_blocker is the share of NMDA receptors blocked, "
                          "from 0 (none) to 1 (all)")

    @field_validator("kappa")
    @classmethod
    def _kappa(cls, v: dict) -> dict:
        for name, k in v.items():
            if not (isinstance(k, (int, float)) and 0.0 <= k <= 100.0) or isinstance(k, bool):
                raise ValueError(f"kappa for '{name}' must be a number between 0 and 100, "
                                 f"got {k!r}")
        return v

    @field_validator("inactivate", mode="before")
    @classmethod
    def _regions(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("rest_before", mode="before")
    @classmethod
    def _rest(cls, v: Any) -> float:
        return _time(v, zero=True)


def _number_in(v: Any, low: float, high: float, what: str) -> float:
    """``v`` as a float if it is a number within ``[low, high]``; else a ValueError that says
    ``what`` the setting is and the value given."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not low <= v <= high:
        raise ValueError(f"{what}, got {v!r}")
    return float(v)


def _cue_list(v: Any) -> list[str]:
    """``"light"``, ``"tone&light"``, ``["tone", "light"]`` or ``"none"`` -> list of cue names."""
    if v is None:
        return []
    if isinstance(v, str):
        return [] if v.strip().lower() == "none" else [x.strip() for x in v.split("&")]
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return list(v)
    raise ValueError(f"cue must be a cue name, 'a&b', a list of names or 'none', got {v!r}")


class _SessionSettings(_PhaseBase):
    """Operant sessions: response windows, the lever, the ratio (no number of days)."""

    @property
    def cues(self) -> list[str]:
        return _cue_list(getattr(self, "cue", None))

    sessions_per_day: StrictInt = Field(default=1, gt=0, le=24)
    session: float = "1 h"  # type: ignore[assignment]
    response_window: float = "20 s"  # type: ignore[assignment]
    lever: str = "active"
    inactive_lever: StrictBool = True
    ratio: StrictInt = Field(default=1, gt=0, le=10_000)

    _dur = _durations("session", "response_window")

    # for the phases that declare a time-out and a cue-to-outcome delay
    @field_validator("timeout", mode="before", check_fields=False)
    @classmethod
    def _to(cls, v: Any) -> float:
        return _time(v, zero=True)

    @field_validator("delay", mode="before", check_fields=False)
    @classmethod
    def _delay(cls, v: Any) -> float:
        s = _time(v)
        _check_delay(s)
        return s

    @model_validator(mode="after")
    def _fits(self):
        if self.response_window > self.session:
            raise ValueError(f"response_window ({self.response_window:g} s) exceeds the session "
                             f"({self.session:g} s)")
        if self.sessions_per_day * self.session > 86400:
            raise ValueError(f"{self.sessions_per_day} sessions of {self.session / 3600:g} h "
                             "do not fit in a day")
        return self


class _Days(_PhaseBase):
    days: StrictInt = Field(gt=0, le=100_000)


class _Sessions(_SessionSettings, _Days):
    """Sessions on ``days`` days (``days`` is listed before the session settings)."""


class PavlovianPhase(_PhaseBase):
    """Trials in conditioning notation: ``"20 x A+ @ ctx1"``, ``"AB+"``, ``"A-"``,
    ``"A+ p=0.5"``, ``"A+ cocaine 0.75 mg/kg"``, ``"A- test"``, ``"rest 2 d"``."""

    task: Literal[Task.PAVLOVIAN]
    trials: list[str] = Field(min_length=1)
    reinforcer: ReinforcerName = Reinforcer.FOOD
    iti: float = "60 s"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]
    trials_per_day: StrictInt = Field(default=100, gt=0)
    shuffle: StrictBool = True

    _dur = _durations("iti", "delay")

    @field_validator("delay")
    @classmethod
    def _delay(cls, v: float) -> float:
        _check_delay(v)
        return v


def _check_delay(v: float) -> None:
    if not (BIN_S <= v <= MAX_DELAY_S):
        raise ValueError(f"delay must be between {BIN_S:g} s and {MAX_DELAY_S:g} s "
                         f"(the within-episode window has {N_BINS} bins of {BIN_S:g} s), got {v:g} s")


class _Primed(_PhaseBase):
    """A drug prime before each session: a non-contingent dose ``prime_before`` the session
    starts (priming-induced reinstatement: de Wit & Stewart 1981; Lu et al. 2004)."""

    prime: float | None = None
    prime_reinforcer: ReinforcerName | None = None
    prime_before: float = "1 min"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _prime_dose(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("prime") is None:
            return data
        if data.get("prime_reinforcer") is not None:
            try:
                r = _reinforcer(data["prime_reinforcer"])
            except ValueError as e:
                raise ValueError(f"prime_reinforcer: {e}") from None
        else:
            r = _known_reinforcer(data.get("reinforcer", Reinforcer.COCAINE))
            if r is None:
                return data
        return {**data, "prime_reinforcer": r,
                "prime": dose_value(data["prime"], r, field="prime")[0]}

    @field_validator("prime_before", mode="before")
    @classmethod
    def _lead(cls, v: Any) -> float:
        s = _time(v)
        if s > 3600.0:
            raise ValueError(f"prime_before must be at most 1 h, got {format_seconds(s)}")
        return s

    @model_validator(mode="after")
    def _primed_fit(self):
        n, session = getattr(self, "sessions_per_day", 1), getattr(self, "session", 0.0)
        if self.prime is not None and n * (session + self.prime_before) > 86400:
            raise ValueError(f"{n} primed sessions of {format_seconds(session)}, each "
                             f"{format_seconds(self.prime_before)} after its prime, do not fit "
                             "in a day")
        return self


#: mean interval between the shocks of intermittent footshock stress (Shaham & Stewart 1995:
#: 0.5 s on, a mean 40 s off)
STRESS_SHOCK_EVERY_S = 40.0


class _Stressed(_PhaseBase):
    """Footshock stress before each session: intermittent shocks of ``stress`` (mA), one
    every ``STRESS_SHOCK_EVERY_S`` for ``stress_for``, in ``stress_context`` (default the
    phase's context); the session starts when the stress ends (stress-induced
    reinstatement: Shaham & Stewart 1995; Shalev et al. 2000: in the drug context or a
    novel one; Buffalari & See 2009: 0.25, 0.5 and 0.75 mA)."""

    stress: float | None = None
    stress_for: float = "10 min"  # type: ignore[assignment]
    stress_context: str | None = None

    @field_validator("stress", mode="before")
    @classmethod
    def _stress_intensity(cls, v: Any) -> Any:
        return None if v is None else dose_value(v, Reinforcer.SHOCK, field="stress")[0]

    @field_validator("stress_for", mode="before")
    @classmethod
    def _stress_length(cls, v: Any) -> float:
        s = _time(v)
        if not STRESS_SHOCK_EVERY_S <= s <= 3600.0:
            raise ValueError(f"stress_for must be between {STRESS_SHOCK_EVERY_S:g} s and 1 h, "
                             f"got {format_seconds(s)}")
        return s

    @model_validator(mode="after")
    def _stressed_fit(self):
        n, session = getattr(self, "sessions_per_day", 1), getattr(self, "session", 0.0)
        lead = getattr(self, "prime_before", 0.0) if getattr(self, "prime", None) else 0.0
        if self.stress is not None and n * (session + lead + self.stress_for) > 86400:
            raise ValueError(f"{n} sessions of {format_seconds(session)}, each after "
                             f"{format_seconds(self.stress_for)} of stress, do not fit in a day")
        return self


class _Retrieved(_PhaseBase):
    """A memory retrieval before each session: ``retrieval_trials`` non-contingent
    presentations of the cue ``retrieval`` (one every ``response_window``) in the phase's
    context, with nothing after them, ``retrieval_gap`` before the session starts
    (retrieval-extinction: Monfils et al. 2009; Xue et al. 2012). A cue that predicted an
    outcome makes a prediction error that starts to destabilise the memory retrieved
    (brain.memory)."""

    retrieval: str | None = None
    retrieval_trials: StrictInt = Field(default=1, gt=0, le=100)
    retrieval_gap: float = "10 min"  # type: ignore[assignment]

    @field_validator("retrieval", mode="before")
    @classmethod
    def _retrieval_cue(cls, v: Any) -> Any:
        # "none" lets an arm take away the phase's retrieval
        return None if isinstance(v, str) and v.strip().lower() == "none" else v

    @field_validator("retrieval_gap", mode="before")
    @classmethod
    def _gap(cls, v: Any) -> float:
        try:
            s = _time(v)
        except ValueError as e:
            raise ValueError(f"retrieval_gap (the time from the retrieval to the session): "
                             f"{e}") from None
        if s > 86400.0:
            raise ValueError(f"retrieval_gap must be at most 1 d, got {format_seconds(s)}")
        return s

    @model_validator(mode="after")
    def _retrieved_fit(self):
        # the retrieval comes first: everything before the session (its trials and gap,
        # then stress and a prime where the phase has them) must fit in the day with it
        if self.retrieval is None:
            return self
        n, session = getattr(self, "sessions_per_day", 1), getattr(self, "session", 0.0)
        lead = ((self.retrieval_trials - 1) * getattr(self, "response_window", 0.0)
                + self.retrieval_gap)
        if getattr(self, "stress", None) is not None:
            lead += self.stress_for
        if getattr(self, "prime", None) is not None:
            lead += self.prime_before
        if n * (session + lead) > 86400:
            raise ValueError(f"{n} sessions of {format_seconds(session)}, each "
                             f"{format_seconds(lead)} after a retrieval (its trials and gap, "
                             "and any stress and prime), do not fit in a day")
        return self


class SelfAdministrationPhase(_Sessions, _Primed, _Stressed, _Retrieved):
    """Fixed-ratio self-administration: press -> cue + reinforcer, then a time-out."""

    task: Literal[Task.SELF_ADMINISTRATION]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    timeout: float = "20 s"  # type: ignore[assignment]
    cue: str | list[str] | None = None
    extinction: StrictBool = False
    punishment: float = "0 mA"  # type: ignore[assignment]
    alternative: ReinforcerName | None = None
    alternative_amount: float | None = None

    @field_validator("punishment", mode="before")
    @classmethod
    def _shock(cls, v: Any) -> float:
        return dose_value(v, Reinforcer.SHOCK, field="", allow_zero=True)[0]
    delay: float = "1.5 s"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.COCAINE),
                                     ("alternative_amount", "alternative", None)))

    @model_validator(mode="after")
    def _alt(self):
        if self.alternative is not None and self.inactive_lever and "inactive_lever" in (
                self.model_fields_set):
            raise ValueError("an alternative lever replaces the inactive lever; drop "
                             "inactive_lever or alternative")
        return self


class DevaluationMethod(enum.StrEnum):
    ILLNESS = "illness"      # outcome paired with lithium chloride (conditioned taste aversion)
    SATIETY = "satiety"      # free access to the outcome just before the test


class DevaluationPhase(_Sessions):
    """Outcome devaluation, then a test in extinction on the trained lever."""

    task: Literal[Task.DEVALUATION]
    reinforcer: ReinforcerName
    method: DevaluationMethod = DevaluationMethod.ILLNESS
    devalue: StrictBool = True
    pairings: StrictInt = Field(default=3, gt=0, le=100)
    amount: float | None = None
    illness_dose: float = 127.0          # mg/kg of lithium chloride (0.15 M, 20 ml/kg)
    cue: str | list[str] | None = None
    timeout: float = "20 s"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]
    session: float = "10 min"  # type: ignore[assignment]
    days: StrictInt = Field(default=1, gt=0, le=100)

    @model_validator(mode="before")
    @classmethod
    def _doses(cls, data: Any) -> Any:
        data = _convert_doses(data, (("amount", "reinforcer", None),))
        if isinstance(data, dict) and "illness_dose" in data:
            data = dict(data)
            data["illness_dose"] = dose_value(data["illness_dose"], Reinforcer.LITHIUM_CHLORIDE,
                                              field="illness_dose")[0]
        return data


class TwoStepPhase(_PhaseBase):
    """Daw et al. 2011's two-step task: a first choice leads to one of two second-step
    states (common or rare transition), where a second choice wins with a drifting
    probability."""

    task: Literal[Task.TWO_STEP]
    trials: StrictInt = Field(default=200, gt=0, le=100_000)
    trials_per_day: StrictInt | None = Field(default=None, gt=0)
    reinforcer: ReinforcerName = Reinforcer.MONEY
    amount: float | None = None
    common: float = Field(default=0.7, ge=0.0, le=1.0)
    drift_sd: float = Field(default=0.025, ge=0.0, le=1.0)
    bounds: tuple[float, float] = (0.25, 0.75)
    step_gap: float = "4 s"  # type: ignore[assignment]
    iti: float = "6 s"  # type: ignore[assignment]
    delay: float = "0.5 s"  # type: ignore[assignment]

    @field_validator("common", mode="before")
    @classmethod
    def _prob(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not 0.0 <= v <= 1.0:
            raise ValueError(f"common is a transition probability and must be within [0, 1], "
                             f"got {v}")
        return v

    @field_validator("bounds", mode="before")
    @classmethod
    def _bounds(cls, v: Any) -> Any:
        if (isinstance(v, (list, tuple)) and len(v) == 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            lo, hi = v
            if not 0.0 <= lo <= hi <= 1.0:
                raise ValueError(f"bounds must be [low, high] with 0 <= low <= high <= 1 "
                                 f"(reward probabilities), got {list(v)}"
                                 + ("; the bounds are reversed" if lo > hi else ""))
        return v

    _dur = _durations("step_gap", "iti")

    @field_validator("delay", mode="before")
    @classmethod
    def _delay(cls, v: Any) -> float:
        s = _time(v)
        _check_delay(s)
        return s

    @model_validator(mode="before")
    @classmethod
    def _amount(cls, data: Any) -> Any:
        return _convert_doses(data, (("amount", "reinforcer", Reinforcer.MONEY),))

    @model_validator(mode="after")
    def _fits(self):
        if self.step_gap < N_BINS * BIN_S:
            raise ValueError(f"step_gap must be at least the episode window "
                             f"({N_BINS * BIN_S:g} s), got {self.step_gap:g} s")
        if self.trials_per_day is not None and self.trials_per_day * (
                self.step_gap + self.iti) > 86400:
            raise ValueError(f"{self.trials_per_day} trials of {self.step_gap + self.iti:g} s "
                             "do not fit in a day")
        return self


class PitPhase(_PhaseBase):
    """Pavlovian-instrumental transfer test: trained levers in extinction, with Pavlovian
    cues presented now and then, response-independently."""

    task: Literal[Task.PIT]
    cues: list[str] = Field(min_length=1)
    levers: list[str] = Field(min_length=1, max_length=2)
    presentations: StrictInt = Field(default=4, gt=0, le=1000)
    cue_duration: float = "2 min"  # type: ignore[assignment]
    baseline: float = "2 min"  # type: ignore[assignment]
    response_window: float = "20 s"  # type: ignore[assignment]

    _dur = _durations("cue_duration", "baseline", "response_window")

    @model_validator(mode="after")
    def _fits(self):
        for name in ("cue_duration", "baseline"):
            if getattr(self, name) < self.response_window:
                raise ValueError(f"{name} ({getattr(self, name):g} s) is shorter than one "
                                 f"response window ({self.response_window:g} s)")
        per_day = self.presentations * len(self.cues) * (self.cue_duration + self.baseline)
        if per_day > 86400:
            raise ValueError(f"{self.presentations} presentations of {len(self.cues)} cue(s) "
                             "do not fit in a day")
        return self


class ConditionedApproachPhase(_Days):
    """Pavlovian conditioned approach (autoshaping): a lever cue comes on for ``cue_duration``
    and food drops into the food cup as it ends, whatever the subject does; the subject may
    approach the lever (sign-tracking) or the food cup (goal-tracking)."""

    task: Literal[Task.CONDITIONED_APPROACH]
    days: StrictInt = Field(default=5, gt=0, le=100_000)
    trials: StrictInt = Field(default=25, gt=0, le=1000)
    cue: str = Field(default="lever", min_length=1)
    reinforcer: ReinforcerName = Reinforcer.FOOD
    amount: float | None = None
    cue_duration: float = "8 s"  # type: ignore[assignment]
    response_window: float = "2 s"  # type: ignore[assignment]
    iti: tuple[float, float] = ("30 s", "150 s")  # type: ignore[assignment]

    _dur = _durations("cue_duration")

    @field_validator("response_window", mode="before")
    @classmethod
    def _window(cls, v: Any) -> float:
        s = _time(v)
        if s > MAX_DELAY_S:
            raise ValueError(f"response_window must be at most {MAX_DELAY_S:g} s (the food "
                             f"arrives at the end of the last window, within one episode), got "
                             f"{s:g} s")
        return s

    @field_validator("iti", mode="before")
    @classmethod
    def _iti(cls, v: Any) -> Any:
        if not (isinstance(v, (list, tuple)) and len(v) == 2):
            raise ValueError(f"iti is [shortest, longest] inter-trial interval (drawn uniformly "
                             f"between them), e.g. [\"30 s\", \"150 s\"]; got {v!r}")
        lo, hi = (_time(x) for x in v)
        if lo > hi:
            raise ValueError(f"iti [{lo:g} s, {hi:g} s] is reversed: give [shortest, longest]")
        return (lo, hi)

    @model_validator(mode="before")
    @classmethod
    def _amount(cls, data: Any) -> Any:
        return _convert_doses(data, (("amount", "reinforcer", Reinforcer.FOOD),))

    @model_validator(mode="after")
    def _fits(self):
        if self.cue_duration < self.response_window:
            raise ValueError(f"cue_duration ({self.cue_duration:g} s) is shorter than one "
                             f"response window ({self.response_window:g} s)")
        if self.trials * (self.cue_duration + self.iti[1]) > 86400:
            raise ValueError(f"{self.trials} trials of {self.cue_duration:g} s with inter-trial "
                             f"intervals up to {self.iti[1]:g} s do not fit in a day")
        return self


class ConditionedReinforcementPhase(_Sessions, _Primed, _Stressed):
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


class MicrodialysisPhase(_PhaseBase):
    """Non-contingent doses with dialysate samples around them (Di Chiara & Imperato 1988;
    chronic regimens: Rossetti et al. 1992)."""

    task: Literal[Task.MICRODIALYSIS]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    #: a dose of 0 is a vehicle (saline) injection, the control of an injection regimen
    dose: float | None = None
    doses_per_day: StrictInt = Field(default=1, gt=0, le=96)
    dose_interval: float = "6 h"  # type: ignore[assignment]
    days: StrictInt = Field(default=1, gt=0, le=100_000)
    sample_interval: float = "10 min"  # type: ignore[assignment]
    baseline: float = "30 min"  # type: ignore[assignment]
    duration: float = "3 h"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("dose") is not None:
            r = _known_reinforcer(data.get("reinforcer", Reinforcer.COCAINE))
            if r is not None:
                data = {**data, "dose": dose_value(data["dose"], r, field="dose",
                                                   allow_zero=True)[0]}
        return data

    _dur = _durations("dose_interval", "sample_interval", "duration")

    @field_validator("baseline", mode="before")
    @classmethod
    def _base(cls, v: Any) -> float:
        return _time(v, zero=True)

    @model_validator(mode="after")
    def _fits(self):
        if self.sample_interval > self.duration:
            raise ValueError(f"sample_interval ({format_seconds(self.sample_interval)}) is "
                             f"longer than duration ({format_seconds(self.duration)}): no "
                             "sample would follow the dose")
        day = (self.baseline + (self.doses_per_day - 1) * self.dose_interval + self.duration)
        if day >= 86400:
            raise ValueError(
                f"a day of {self.doses_per_day} dose(s) {format_seconds(self.dose_interval)} "
                f"apart, with baseline {format_seconds(self.baseline)} and duration "
                f"{format_seconds(self.duration)} after the last dose, lasts "
                f"{format_seconds(day)}; it must end within the day (< 24 h)")
        return self


class ChallengePhase(_PhaseBase):
    """A PET-style stimulant challenge: baseline scan, one dose, challenge scan
    (Volkow et al. 1997; Martinez et al. 2007)."""

    task: Literal[Task.CHALLENGE]
    reinforcer: ReinforcerName = Reinforcer.AMPHETAMINE
    dose: float | None = None
    baseline: float = "30 min"  # type: ignore[assignment]
    scan_after: float = "30 min"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.AMPHETAMINE),))

    _dur = _durations("baseline", "scan_after")

    @model_validator(mode="after")
    def _fits(self):
        if self.baseline + self.scan_after >= 86400:
            raise ValueError(f"baseline ({format_seconds(self.baseline)}) plus scan_after "
                             f"({format_seconds(self.scan_after)}) must be under 24 h")
        return self


class DoseResponsePhase(_SessionSettings):
    """Self-administration sessions, each at one dose of an increasing series
    (Ahmed & Koob 1999)."""

    task: Literal[Task.DOSE_RESPONSE]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    doses: list[float] = Field(min_length=1)
    sessions_per_dose: StrictInt = Field(default=1, gt=0, le=10_000)
    timeout: float = "20 s"  # type: ignore[assignment]
    cue: str | list[str] | None = None
    delay: float = "1.5 s"  # type: ignore[assignment]

    _dose_unit: str = PrivateAttr(default="")

    @model_validator(mode="wrap")
    @classmethod
    def _doses(cls, data: Any, handler):
        if isinstance(data, dict) and "days" in data:
            raise ValueError("unknown key 'days': a dose-response phase runs sessions_per_dose "
                             "sessions of each dose, sessions_per_day a day; set "
                             "sessions_per_dose (and sessions_per_day) instead")
        data, unit = _dose_list(data, "doses", "reinforcer", Reinforcer.COCAINE,
                                allow_zero=True, what="doses")
        p = handler(data)
        p._dose_unit = unit or REINFORCERS[p.reinforcer].unit
        return p

    @property
    def dose_unit(self) -> str:
        """The unit of ``doses`` (the reinforcer's canonical unit)."""
        return self._dose_unit or REINFORCERS[self.reinforcer].unit

    @property
    def n_sessions(self) -> int:
        return len(self.doses) * self.sessions_per_dose

    @property
    def days(self) -> int:
        return -(-self.n_sessions // self.sessions_per_day)


#: the highest price (responses per delivery) a demand phase accepts, as for ``ratio``
MAX_PRICE = 10_000


def _price_list(values: Any, key: str = "prices") -> list[int]:
    """``prices`` (or a progressive-ratio ``ratios``) as a scenario writes them: a non-empty
    list of whole numbers of responses per delivery, 1 to :data:`MAX_PRICE`, strictly
    increasing. One-line ``ValueError`` naming ``key``."""
    if not isinstance(values, list):
        raise ValueError(f"{key}: expected a list of fixed ratios (responses per delivery) "
                         f"such as [1, 3, 10, 32, 100], got {values!r}")
    if not values:
        raise ValueError(f"{key}: the list is empty; give at least one ratio, e.g. "
                         "[1, 3, 10, 32, 100]")
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"{key}[{i}] = {v!r}: a ratio is a whole number of responses per "
                             "delivery, e.g. 10")
        if not 1 <= v <= MAX_PRICE:
            raise ValueError(f"{key}[{i}] = {v!r}: a ratio must be between 1 and {MAX_PRICE} "
                             "responses per delivery")
    for i in range(1, len(values)):
        if not values[i] > values[i - 1]:
            raise ValueError(f"{key}: must be strictly increasing as given; {key}[{i}] = "
                             f"{values[i]!r} is not above {key}[{i - 1}] = {values[i - 1]!r}")
    return list(values)


def _check_appetitive(data: dict, what: str) -> None:
    """Refuse an aversive ``reinforcer`` (default cocaine) for a task that measures how hard
    a reward is worked for."""
    r = _known_reinforcer(data.get("reinforcer", Reinforcer.COCAINE))
    if r is not None and REINFORCERS[r].kind == Kind.AVERSIVE:
        raise ValueError(f"reinforcer: {what} for a drug or a natural reward, got {r.value!r}")


class DemandPhase(_SessionSettings):
    """Behavioural-economic demand: self-administration sessions of one fixed dose, each at
    one price (a fixed ratio, responses per delivery) of an increasing series, the
    between-session procedure of Christensen et al. 2008 analysed with the exponential demand
    equation of Hursh & Silberberg 2008 (``analysis.demand``)."""

    task: Literal[Task.DEMAND]
    #: not a setting here: each session's ratio is its price (``prices``)
    ratio: ClassVar[None] = None
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    prices: list[int] = Field(min_length=1)
    sessions_per_price: StrictInt = Field(default=1, gt=0, le=10_000)
    timeout: float = "20 s"  # type: ignore[assignment]
    cue: str | list[str] | None = None
    delay: float = "1.5 s"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "days" in data:
            raise ValueError("unknown key 'days': a demand phase runs sessions_per_price "
                             "sessions at each price, sessions_per_day a day; set "
                             "sessions_per_price (and sessions_per_day) instead")
        if "ratio" in data:
            raise ValueError("unknown key 'ratio': in a demand phase each session's ratio is "
                             "its price; list them in prices")
        _check_appetitive(data, "demand is measured")
        if "prices" in data:
            data = {**data, "prices": _price_list(data["prices"])}
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.COCAINE),))

    @property
    def n_sessions(self) -> int:
        return len(self.prices) * self.sessions_per_price

    @property
    def session_prices(self) -> list[int]:
        """The price of each session, in the order they run."""
        return [x for x in self.prices for _ in range(self.sessions_per_price)]

    @property
    def days(self) -> int:
        return -(-self.n_sessions // self.sessions_per_day)


class ProgressiveRatioPhase(_SessionSettings):
    """Self-administration on a progressive ratio: each delivery in a session raises the
    ratio of the next to the series' next step (Richardson & Roberts 1996); the breakpoint
    is the last ratio completed."""

    task: Literal[Task.PROGRESSIVE_RATIO]
    #: not a setting here: the ratio follows ``ratios``
    ratio: ClassVar[None] = None
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    #: the series (default: Richardson & Roberts 1996, 1, 2, 4, 6, 9, 12, 15, 20, ...)
    ratios: list[int] | None = None
    days: StrictInt = Field(default=1, gt=0, le=100_000)
    session: float = "3 h"  # type: ignore[assignment]
    response_window: float = "1 s"  # type: ignore[assignment]
    timeout: float = "20 s"  # type: ignore[assignment]
    cue: str | list[str] | None = None
    delay: float = "1.5 s"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "ratio" in data:
            raise ValueError("unknown key 'ratio': a progressive-ratio phase's ratio follows "
                             "its series; give the series as ratios (default: Richardson & "
                             "Roberts 1996)")
        _check_appetitive(data, "a progressive ratio is run")
        if data.get("ratios") is not None:
            ratios = _price_list(data["ratios"], key="ratios")
            if len(ratios) > PR_STEPS:
                raise ValueError(f"ratios: at most {PR_STEPS} steps, got {len(ratios)}")
            data = {**data, "ratios": ratios}
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.COCAINE),))

    @property
    def series(self) -> list[int]:
        """The ratios in the order they are asked for."""
        return list(self.ratios) if self.ratios is not None else richardson_roberts()


def richardson_roberts(n: int = PR_STEPS) -> list[int]:
    """The first ``n`` ratios of Richardson & Roberts 1996 (J Neurosci Methods 66:1):
    ``round(5 exp(0.2 j) - 5)`` for j = 1, 2, ...: 1, 2, 4, 6, 9, 12, 15, 20, 25, 32, ..."""
    import math

    return [int(round(5.0 * math.exp(0.2 * j) - 5.0)) for j in range(1, n + 1)]


class RewardThresholdPhase(_PhaseBase):
    """The ICSS reward-threshold analogue: discrete trials of a natural reward at
    descending magnitudes (Markou & Koob 1992; Ahmed et al. 2002)."""

    task: Literal[Task.REWARD_THRESHOLD]
    reinforcer: ReinforcerName = Reinforcer.SUCROSE
    magnitudes: list[float] = Field(min_length=1)
    trials_per_magnitude: StrictInt = Field(default=30, gt=0, le=10_000)
    iti: float = "20 s"  # type: ignore[assignment]
    days: StrictInt = Field(default=1, gt=0, le=100_000)

    @model_validator(mode="wrap")
    @classmethod
    def _mags(cls, data: Any, handler):
        if isinstance(data, dict):
            r = _known_reinforcer(data.get("reinforcer", Reinforcer.SUCROSE))
            if r is not None and REINFORCERS[r].kind != Kind.NATURAL:
                natural = [x.value for x, sp in REINFORCERS.items() if sp.kind == Kind.NATURAL]
                raise ValueError(f"reinforcer: the reward threshold is measured with a natural "
                                 f"reinforcer ({', '.join(natural)}), got {r.value!r}")
        data, _ = _dose_list(data, "magnitudes", "reinforcer", Reinforcer.SUCROSE,
                             allow_zero=False, what="magnitudes")
        return handler(data)

    _dur = _durations("iti")

    @model_validator(mode="after")
    def _fits(self):
        n = len(self.magnitudes) * self.trials_per_magnitude
        if n * self.iti >= 86400:
            raise ValueError(f"{n} trials {format_seconds(self.iti)} apart ("
                             f"{len(self.magnitudes)} magnitudes x "
                             f"{self.trials_per_magnitude}) do not fit in a day")
        return self


class DelayDiscountingPhase(_PhaseBase):
    """Described choices between an amount now and a larger amount later, titrated to an
    indifference point at each delay (adjusting amount: Richards et al. 1997; Madden et al.
    1997; Du, Green & Myerson 2002). A human procedure: the options are described, not
    experienced."""

    task: Literal[Task.DELAY_DISCOUNTING]
    reinforcer: ReinforcerName = Reinforcer.MONEY
    #: the later (larger) amount; the sooner one is offered now at an adjusting fraction of it
    amount: float | None = None
    delays: list[float]
    trials_per_delay: StrictInt = Field(default=6, gt=0, le=20)
    iti: float = "10 s"  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if _SPECIES.get() != "human":
            raise ValueError("delay_discounting describes its options (hypothetical choices, "
                             "a human procedure); set species = \"human\" in [scenario]")
        data = _convert_doses(data, (("amount", "reinforcer", Reinforcer.MONEY),))
        if "delays" not in data:
            return data
        values = data["delays"]
        if not isinstance(values, list):
            raise ValueError(f"delays: expected a list of durations such as "
                             f"[\"1 week\", \"1 month\", \"1 year\"], got {values!r}")
        if not values:
            raise ValueError("delays: the list is empty, so the task has no choices; give at "
                             "least one delay, e.g. [\"1 week\", \"1 month\", \"1 year\"]")
        out = []
        for i, v in enumerate(values):
            try:
                out.append(parse_quantity(v, Dimension.TIME, field=f"delays[{i}]") / 86400.0)
            except UnitError as e:
                raise ValueError(str(e)) from None
        for i in range(1, len(out)):
            if not out[i] > out[i - 1]:
                raise ValueError(f"delays: must be strictly increasing as given; delays[{i}] "
                                 f"= {values[i]!r} is not above delays[{i - 1}] = "
                                 f"{values[i - 1]!r}")
        return {**data, "delays": out}

    _dur = _durations("iti")

    @model_validator(mode="after")
    def _fits(self):
        n = len(self.delays) * self.trials_per_delay
        if n * self.iti >= 86400:
            raise ValueError(f"{n} choices {format_seconds(self.iti)} apart do not fit in a day")
        return self

    @property
    def later_amount(self) -> float:
        """The later amount in the reinforcer's canonical unit (default: 10 standard units)."""
        spec = REINFORCERS[self.reinforcer]
        return 10.0 * spec.default_amount if self.amount is None else self.amount


class SeekTakePhase(_Days):
    """The seeking-taking chained schedule (Olmstead et al. 2001; Pelloux, Everitt & Dickinson
    2007): a press on the seeking lever inserts the taking lever, whose press delivers the
    reinforcer; with ``punishment`` > 0 that share of seeking links ends in a footshock
    instead of access; ``aversive_cue`` presents a shock-paired cue during seeking
    (Vanderschuren & Everitt 2004)."""

    task: Literal[Task.SEEK_TAKE]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    cue: str | list[str] | None = None
    #: seek-take cycles offered per session, ``iti`` apart
    cycles: StrictInt = Field(default=10, gt=0, le=10_000)
    iti: float = "5 min"  # type: ignore[assignment]
    sessions_per_day: StrictInt = Field(default=1, gt=0, le=24)
    #: probability that a completed seeking link ends in footshock instead of access
    punishment: float = 0.0
    shock: float = "0.5 mA"  # type: ignore[assignment]
    aversive_cue: str | None = None
    #: from the seeking press to the taking lever's insertion; cue to reinforcer
    take_after: float = "2 s"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]

    _dur = _durations("iti", "take_after")
    _delay = _cue_delay()
    _inputs = _drug_or_reward("a seek-take chain is run")

    @field_validator("punishment", mode="before")
    @classmethod
    def _prob(cls, v: Any) -> float:
        return _number_in(v, 0.0, 1.0, "punishment is the probability that a seeking link "
                          "ends in footshock, a number from 0 to 1")

    @field_validator("shock", mode="before")
    @classmethod
    def _shock(cls, v: Any) -> float:
        return dose_value(v, Reinforcer.SHOCK, field="")[0]

    @model_validator(mode="after")
    def _fits(self):
        cycle = self.take_after + self.iti
        if self.sessions_per_day * self.cycles * cycle > 86400:
            raise ValueError(f"{self.sessions_per_day} sessions of {self.cycles} cycles "
                             f"{format_seconds(cycle)} apart do not fit in a day")
        return self

    @property
    def cues(self) -> list[str]:
        """The cues presented with each reinforcer (not the aversive cue)."""
        return _cue_list(self.cue)


class SignalledUnavailabilityPhase(_Days):
    """Self-administration sessions in which periods of drug availability alternate with
    periods signalled as drug-free, in which presses deliver nothing (Deroche-Gamonet, Belin
    & Piazza 2004: three 40-min drug periods separated by two 15-min no-drug periods)."""

    task: Literal[Task.SIGNALLED_UNAVAILABILITY]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    cue: str | list[str] | None = None
    #: drug periods per session, with a no-drug period between each two
    drug_periods: StrictInt = Field(default=3, ge=2, le=100)
    available: float = "40 min"  # type: ignore[assignment]
    unavailable: float = "15 min"  # type: ignore[assignment]
    response_window: float = "20 s"  # type: ignore[assignment]
    ratio: StrictInt = Field(default=1, gt=0, le=10_000)
    timeout: float = "20 s"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]
    lever: str = "active"
    inactive_lever: StrictBool = True

    _dur = _durations("available", "unavailable", "response_window")
    _delay = _cue_delay()
    _inputs = _drug_or_reward("availability is signalled")

    @field_validator("timeout", mode="before")
    @classmethod
    def _to(cls, v: Any) -> float:
        return _time(v, zero=True)

    @model_validator(mode="after")
    def _fits(self):
        if self.response_window > min(self.available, self.unavailable):
            raise ValueError(f"response_window ({format_seconds(self.response_window)}) exceeds "
                             "a period")
        if self.session > 86400:
            raise ValueError(f"a session of {self.drug_periods} drug periods does not fit in a "
                             "day")
        return self

    @property
    def session(self) -> float:
        """Session length: the drug periods and the no-drug periods between them."""
        return self.drug_periods * self.available + (self.drug_periods - 1) * self.unavailable

    @property
    def cues(self) -> list[str]:
        return _cue_list(self.cue)


class ChoicePhase(_Days):
    """Discrete-trial choice between a drug and a natural reward (Lenoir, Serre, Cantin &
    Ahmed 2007): sampling trials of each option alone, then choice trials between the two,
    ``iti`` apart."""

    task: Literal[Task.CHOICE]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    alternative: ReinforcerName = Reinforcer.SACCHARIN
    alternative_amount: float | None = None
    cue: str | list[str] | None = None
    alternative_cue: str | None = None
    #: sampling trials of each option per session (the drug's first), then choice trials
    sampling: StrictInt = Field(default=2, ge=0, le=100)
    choices: StrictInt = Field(default=12, gt=0, le=1000)
    iti: float = "10 min"  # type: ignore[assignment]
    delay: float = "1.5 s"  # type: ignore[assignment]

    _dur = _durations("iti")
    _delay = _cue_delay()


    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if data.get("alternative", "saccharin") is None or \
                    str(data.get("alternative", "")).strip().lower() == "none":
                raise ValueError("alternative: a choice needs two options; name the natural "
                                 "reward offered against the drug (default saccharin)")
            _check_appetitive(data, "a choice is offered")
            alt = _known_reinforcer(data.get("alternative", Reinforcer.SACCHARIN))
            if alt is not None and REINFORCERS[alt].kind == Kind.AVERSIVE:
                raise ValueError(f"alternative: a choice is offered between two rewards, got "
                                 f"{alt.value!r}")
            if alt is not None and alt == _known_reinforcer(data.get("reinforcer", "cocaine")):
                raise ValueError(f"alternative: a choice needs two different options, got "
                                 f"{alt.value!r} for both")
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.COCAINE),
                                     ("alternative_amount", "alternative", Reinforcer.SACCHARIN)))

    @model_validator(mode="after")
    def _fits(self):
        if (2 * self.sampling + self.choices) * self.iti > 86400:
            raise ValueError(f"{2 * self.sampling + self.choices} trials "
                             f"{format_seconds(self.iti)} apart do not fit in a day")
        return self

    @property
    def cues(self) -> list[str]:
        """The cues presented with the drug (the alternative's: ``alternative_cue``)."""
        return _cue_list(self.cue)


class GoNoGoPhase(_Days):
    """A go/no-go task for people (Kaufman, Ross, Stein & Garavan 2003; Smith et al. 2014):
    each session is ``trials`` trials ``iti`` apart, a share ``nogo_share`` of them no-go
    trials in random order. Pressing the ``button`` on a go trial wins ``amount`` of
    ``reinforcer`` (points of money by default), ``delay`` after the stimulus; pressing on a
    no-go trial (a commission error) loses ``penalty`` points."""

    task: Literal[Task.GO_NOGO]
    #: sessions, one a day (a go/no-go task is usually one session)
    days: StrictInt = Field(default=1, gt=0, le=100_000)
    reinforcer: ReinforcerName = Reinforcer.MONEY
    amount: float | None = None
    #: points lost for each commission error (0: none, only the missed chance)
    penalty: float = 1.0
    trials: StrictInt = Field(default=400, ge=2, le=20_000)
    nogo_share: float = 0.25
    iti: float = "1.5 s"  # type: ignore[assignment]
    delay: float = "0.5 s"  # type: ignore[assignment]
    button: str = "button"
    #: how far learning about one stimulus carries to the other, as a share of the
    #: generalisation between places (0: the two are never confused)
    stimulus_similarity: float = 0.0

    _dur = _durations("iti")
    _delay = _cue_delay()

    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _check_appetitive({"reinforcer": data.get("reinforcer", Reinforcer.MONEY)},
                              "correct go responses are rewarded")
        return _convert_doses(data, (("amount", "reinforcer", Reinforcer.MONEY),))

    @field_validator("penalty", mode="before")
    @classmethod
    def _penalty(cls, v: Any) -> float:
        return dose_value(v, Reinforcer.MONEY_LOSS, field="penalty", allow_zero=True)[0]

    @field_validator("stimulus_similarity", mode="before")
    @classmethod
    def _similarity(cls, v: Any) -> float:
        return _number_in(v, 0.0, 1.0, "stimulus_similarity is a share, from 0 (the go and "
                          "no-go stimuli are never confused) to 1 (as alike as two places)")

    @field_validator("nogo_share", mode="before")
    @classmethod
    def _share(cls, v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 < v < 1.0:
            raise ValueError(f"nogo_share is the share of no-go trials, a number between 0 and "
                             f"1 (both excluded: a go/no-go task needs both kinds), got {v!r}")
        return float(v)

    @model_validator(mode="after")
    def _fits(self):
        if self.trials * self.iti > 86400:
            raise ValueError(f"{self.trials} trials {format_seconds(self.iti)} apart do not "
                             "fit in a day")
        return self

    @property
    def nogo_trials(self) -> int:
        """No-go trials per session (at least one, and at least one go trial)."""
        return min(self.trials - 1, max(1, round(self.trials * self.nogo_share)))

    @property
    def cues(self) -> list[str]:
        return []


class PlacePreferencePhase(_Primed, _Stressed):
    """Conditioned place preference (Tzschentke 1998; Mueller & Stewart 2000): ``pairings``
    drug pairings, one a day, each confining the subject to the ``paired`` compartment with
    ``dose`` of ``reinforcer`` on board (0: the vehicle, a control group), alternating with
    as many vehicle pairings in the ``unpaired`` one; then ``tests`` daily drug-free tests
    of ``test`` in which the subject may go into either compartment or stay in the centre,
    once per ``response_window``.
    ``pairings = 0`` gives tests alone (a pretest, or extinction by repeated testing);
    ``prime`` and ``stress`` come before each test (reinstatement of an extinguished
    preference: Mueller & Stewart 2000; Wang, Luo, Zhang & Han 2000)."""

    task: Literal[Task.PLACE_PREFERENCE]
    reinforcer: ReinforcerName = Reinforcer.COCAINE
    dose: float | None = None
    paired: str = Field(min_length=1)
    unpaired: str = Field(min_length=1)
    pairings: StrictInt = Field(default=4, ge=0, le=1000)
    tests: StrictInt = Field(default=1, ge=0, le=1000)
    test: float = "15 min"  # type: ignore[assignment]
    #: one choice of place per window: a bout in a compartment lasts about a minute
    response_window: float = "60 s"  # type: ignore[assignment]

    _dur = _durations("test", "response_window")

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        # a dose of 0 is the vehicle in both compartments (the control group)
        if not isinstance(data, dict) or data.get("dose") is None:
            return data
        r = _known_reinforcer(data.get("reinforcer", Reinforcer.COCAINE))
        if r is None:
            return data
        return {**data, "dose": dose_value(data["dose"], r, field="dose", allow_zero=True)[0]}

    @model_validator(mode="after")
    def _design(self):
        if self.paired == self.unpaired:
            raise ValueError(f"paired and unpaired must be two different compartments (cues), "
                             f"both are '{self.paired}'")
        if self.pairings == 0 and self.tests == 0:
            raise ValueError("pairings = 0 and tests = 0 leave the phase empty: give pairings, "
                             "tests or both")
        if self.pairings > 0 and self.dose is None:
            raise ValueError(f"{self.pairings} pairings need the dose the subject is given "
                             f"before each, e.g. dose = \"10 mg/kg\"")
        if self.response_window > self.test:
            raise ValueError(f"response_window ({format_seconds(self.response_window)}) exceeds "
                             f"the test ({format_seconds(self.test)})")
        lead = ((self.stress_for if self.stress is not None else 0.0)
                + (self.prime_before if self.prime is not None else 0.0))
        if self.test + lead > 86400:
            raise ValueError(f"a test of {format_seconds(self.test)} (after any stress and "
                             "prime) does not fit in a day")
        return self

    @property
    def cues(self) -> list[str]:
        return [self.paired, self.unpaired]


class DailyLifePhase(_PhaseBase):
    """A person's days (``world.tasks.daily_life``): from ``wake`` for ``waking`` hours, one
    episode every ``step``, at home (``context``) or at a place of the scenario's cue map,
    with the cues the map puts there. In an episode the drug (``reinforcer``, ``dose`` a
    use, ``price`` points of money lost with each) is at hand by chance (``available``
    alone, more with cues that bring it) and the ``alternative`` natural reward is at hand
    with chance ``alternative_available``; the person uses, takes the alternative or does
    neither. ``consequences`` are the points (``money_loss``) a use costs later, as the person
    knows (health, work, family, debt), felt ``consequence_delay`` later
    (``brain.prefrontal``). ``without`` lists cue-map cues the person no longer meets in this phase
    (drive a different way, change friends); ``context`` a new home moves them."""

    task: Literal[Task.DAILY_LIFE]
    days: StrictInt = Field(default=7, ge=1, le=3650)
    reinforcer: ReinforcerName = Reinforcer.ALCOHOL
    dose: float | None = None
    available: float = 0.0
    price: float = 0.0
    consequences: float = 0.0
    consequence_delay: float = "7 d"  # type: ignore[assignment]
    alternative: ReinforcerName | None = Reinforcer.SOCIAL
    alternative_amount: float | None = None
    alternative_available: float = 0.5
    wake: float = "7 h"  # type: ignore[assignment]
    waking: float = "16 h"  # type: ignore[assignment]
    step: float = "1 h"  # type: ignore[assignment]
    without: list[str] = Field(default_factory=list)

    @field_validator("available", "alternative_available", mode="before")
    @classmethod
    def _chance(cls, v: Any, info) -> float:
        return _number_in(v, 0.0, 1.0, f"{info.field_name} is a probability from 0 to 1")

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, v: Any) -> float:
        return _number_in(v, 0.0, 1000.0, "price is the points (money_loss) a use costs, "
                                         "from 0 to 1000")

    @field_validator("consequences", mode="before")
    @classmethod
    def _consequences(cls, v: Any) -> float:
        return _number_in(v, 0.0, 1000.0, "consequences are the points (money_loss) a use "
                                         "costs later, as the person knows, from 0 to 1000")

    @field_validator("wake", mode="before")
    @classmethod
    def _wake(cls, v: Any) -> float:
        s = _time(v, zero=True)
        if s >= 86400.0:
            raise ValueError(f"wake is the time of day the day starts, below 24 h; got "
                             f"{format_seconds(s)}")
        return s

    _dur = _durations("waking", "step", "consequence_delay")

    @model_validator(mode="before")
    @classmethod
    def _dose(cls, data: Any) -> Any:
        return _convert_doses(data, (("dose", "reinforcer", Reinforcer.ALCOHOL),
                                     ("alternative_amount", "alternative", Reinforcer.SOCIAL)))

    @model_validator(mode="after")
    def _day(self):
        if REINFORCERS[self.reinforcer].kind != Kind.DRUG:
            drugs = [r.value for r, s in REINFORCERS.items() if s.kind == Kind.DRUG]
            raise ValueError(f"reinforcer '{self.reinforcer.value}' is not a drug; the drug "
                             f"of a person's days is one of {', '.join(drugs)}")
        if self.alternative is not None and REINFORCERS[self.alternative].kind != Kind.NATURAL:
            nat = [r.value for r, s in REINFORCERS.items() if s.kind == Kind.NATURAL]
            raise ValueError(f"alternative '{self.alternative.value}' is not a natural reward; "
                             f"use one of {', '.join(nat)}")
        if self.waking > 86400.0:
            raise ValueError(f"waking must be at most 24 h, got {format_seconds(self.waking)}")
        if self.step > self.waking:
            raise ValueError(f"step ({format_seconds(self.step)}) exceeds the waking day "
                             f"({format_seconds(self.waking)})")
        if self.step < 60.0:
            raise ValueError(f"step must be at least 1 min (a person's episodes), got "
                             f"{format_seconds(self.step)}")
        return self

    @property
    def episodes_per_day(self) -> int:
        return max(1, int(self.waking // self.step + 1e-9))


Phase = Annotated[Union[PavlovianPhase, SelfAdministrationPhase, ConditionedReinforcementPhase,
                        AbstinencePhase, MicrodialysisPhase, ChallengePhase, DoseResponsePhase,
                        DemandPhase, RewardThresholdPhase, DelayDiscountingPhase,
                        ProgressiveRatioPhase, DevaluationPhase, TwoStepPhase, PitPhase, ConditionedApproachPhase,
                        SeekTakePhase, SignalledUnavailabilityPhase, ChoicePhase, GoNoGoPhase,
                        PlacePreferencePhase, DailyLifePhase],
                  Field(discriminator="task")]

#: the phase model of each task (its keys and defaults are the task's settings)
PHASE_MODELS: dict[Task, type[_PhaseBase]] = {
    Task.PAVLOVIAN: PavlovianPhase,
    Task.SELF_ADMINISTRATION: SelfAdministrationPhase,
    Task.CONDITIONED_REINFORCEMENT: ConditionedReinforcementPhase,
    Task.ABSTINENCE: AbstinencePhase,
    Task.MICRODIALYSIS: MicrodialysisPhase,
    Task.CHALLENGE: ChallengePhase,
    Task.DOSE_RESPONSE: DoseResponsePhase,
    Task.DEMAND: DemandPhase,
    Task.REWARD_THRESHOLD: RewardThresholdPhase,
    Task.DELAY_DISCOUNTING: DelayDiscountingPhase,
    Task.PROGRESSIVE_RATIO: ProgressiveRatioPhase,
    Task.DEVALUATION: DevaluationPhase,
    Task.TWO_STEP: TwoStepPhase,
    Task.PIT: PitPhase,
    Task.CONDITIONED_APPROACH: ConditionedApproachPhase,
    Task.SEEK_TAKE: SeekTakePhase,
    Task.SIGNALLED_UNAVAILABILITY: SignalledUnavailabilityPhase,
    Task.CHOICE: ChoicePhase,
    Task.GO_NOGO: GoNoGoPhase,
    Task.PLACE_PREFERENCE: PlacePreferencePhase,
    Task.DAILY_LIFE: DailyLifePhase,
}


class RelapseRule(_Strict):
    """Relapse, a return to regular use: use on ``use_days`` days within ``within`` (a
    whole number of days); the ``relapse`` record and ``analysis.relapse`` apply it."""

    use_days: StrictInt = Field(default=3, ge=1, le=3650)
    within: float = "7 d"  # type: ignore[assignment]

    @field_validator("within", mode="before")
    @classmethod
    def _within(cls, v: Any) -> float:
        s = _time(v)
        days = s / 86400.0
        if abs(days - round(days)) > 1e-9 or round(days) < 1:
            raise ValueError(f"within is a whole number of days (e.g. \"7 d\"), got "
                             f"{format_seconds(s)}")
        return s

    @model_validator(mode="after")
    def _can_be_met(self):
        if self.use_days > self.within_days:
            raise ValueError(f"use on {self.use_days} days within {self.within_days} can never "
                             f"be met: use_days must be at most the days in 'within'")
        return self

    @property
    def within_days(self) -> int:
        return int(round(self.within / 86400.0))


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
    #: one person's cues and when they meet them (world.cues; the daily_life task)
    cue_map: dict[str, CueSpec] = Field(default_factory=dict)
    #: what counts as a relapse (a return to regular use) after abstinence began
    relapse: RelapseRule = Field(default_factory=RelapseRule)

    @field_validator("cue_map")
    @classmethod
    def _cue_map(cls, v: dict[str, CueSpec]) -> dict[str, CueSpec]:
        return check_cue_map(v)

    _source_text: str = PrivateAttr(default="")
    _source_path: str = PrivateAttr(default="<text>")
    _raw_phases: list = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler):
        meta = data.get("scenario") if isinstance(data, dict) else None
        species = meta.get("species", "rat") if isinstance(meta, dict) else "rat"
        token = _SPECIES.set(str(species).lower() if str(species).lower() in
                             {s.value for s in Species} else "rat")
        try:
            sc = handler(data)
        finally:
            _SPECIES.reset(token)
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
        if self.cue_map and not any(isinstance(p, DailyLifePhase) for p in self.phase):
            raise ValueError("a [cue_map] is played by daily_life phases, and the scenario has "
                             "none: add a phase with task = \"daily_life\" or remove the map")
        arm_names = [a.name for a in self.arm]
        if len(set(arm_names)) != len(arm_names):
            raise ValueError(f"arm names must be unique: {arm_names}")
        for a in self.arm:
            for pname in a.phases:
                if pname not in names:
                    raise ValueError(f"arm '{a.name}' overrides phase '{pname}', which does not "
                                     f"exist{_suggest(pname, names)}; phases: {names}")
        self._check_devaluations(list(self.phase), "")
        try:
            self.cohort.correlation_matrix(self.varying_parameters())
        except ValueError as e:
            raise ValueError(f"cohort: {e}") from None
        given = [a.subjects for a in self.arm if a.subjects is not None]
        if given and len(given) != len(self.arm):
            raise ValueError("give 'subjects' for every arm or for none")
        return self

    def varying_parameters(self) -> set[str]:
        """The brain parameters that differ between subjects in this cohort: those given a
        distribution, and those left at a default with a declared spread for the species."""
        specs = BrainParams.specs()
        ov = self.cohort.overrides()
        sp = self.scenario.species
        return {n for n, s in specs.items()
                if isinstance(ov.get(n), Distribution) or (n not in ov and s.spread_for(sp) > 0)}

    def _check_devaluations(self, phases: list[Any], where: str) -> None:
        delivered: set[Reinforcer] = set()
        for i, p in enumerate(phases):
            if isinstance(p, DevaluationPhase) and p.reinforcer not in delivered:
                got = sorted(r.value for r in delivered) or ["nothing yet"]
                raise ValueError(
                    f"{where}phase[{i}] '{p.name}': devaluation of '{p.reinforcer.value}', "
                    f"which no earlier phase delivers (delivered so far: {', '.join(got)}); "
                    "train the lever with that reinforcer first")
            for attr in ("reinforcer", "alternative"):
                r = getattr(p, attr, None)
                if r is not None and not getattr(p, "extinction", False):
                    delivered.add(r)

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
            token = _SPECIES.set(self.scenario.species.value)
            try:
                q = type(p).model_validate(raw)
            except ValidationError as e:
                raise ValueError(f"arm '{arm}' phase '{p.name}': "
                                 f"{_first_error(e, type(p))}") from None
            finally:
                _SPECIES.reset(token)
            _check_phase_refs(self, q, f"arm '{arm}' phase '{p.name}'")
            out.append(q)
        self._check_devaluations(out, f"arm '{arm}': ")
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
    for field in ("context", "stress_context"):
        name = getattr(p, field, None)
        if name is not None and name not in contexts:
            raise ValueError(f"{where}: {field} '{name}' is used but not declared"
                             f"{_suggest(name, contexts)}; declare it in [scenario] contexts = "
                             f"{contexts if sc.scenario.contexts else '[...]'}")
    try:
        cues = _cue_list(getattr(p, "cue", None))
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None
    cues = cues + list(getattr(p, "cues", None) or []) if isinstance(p, PitPhase) else cues
    if getattr(p, "retrieval", None):
        cues = cues + [p.retrieval]
    if isinstance(p, SeekTakePhase) and p.aversive_cue:
        cues = cues + [p.aversive_cue]
    if isinstance(p, ChoicePhase) and p.alternative_cue:
        cues = cues + [p.alternative_cue]
    if isinstance(p, PlacePreferencePhase):
        cues = cues + p.cues
    if isinstance(p, DailyLifePhase):
        for name in p.without:
            if name not in sc.cue_map:
                raise ValueError(f"{where}: without names '{name}', which is not in the "
                                 f"[cue_map]{_suggest(name, list(sc.cue_map))}; cues: "
                                 f"{list(sc.cue_map) or 'none'}")
            if not sc.cue_map[name].shown:
                raise ValueError(f"{where}: without names '{name}', the "
                                 f"{sc.cue_map[name].state} body state, which no change of "
                                 "surroundings takes away (a withdrawal cue can be: it is "
                                 "then not shown)")
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
        reinforcers=DIMENSIONS_BY_NAME, default_reinforcer=p.reinforcer.value,
        body_weight_kg=body_weight_kg(sc.scenario.species),
        dose_ranges={r.value: spec.dose_range for r, spec in REINFORCERS.items()})


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
    table = {"species": Species, "model": Model, "reinforcer": Reinforcer,
             "alternative": Reinforcer, "task": Task}
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
        model = {t.value: m for t, m in PHASE_MODELS.items()}.get(str(loc[1]))
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
