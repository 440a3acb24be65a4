"""Cue maps: one person's cues of the kinds clinicians ask about, and when the person meets
them (the ``[cue_map]`` table of a scenario; the ``daily_life`` task plays them).

The questions of relapse prevention — where are they, who are they with, what are they
feeling, what time is it, what body state appears (Marlatt & Gordon 1985; Witkiewitz &
Marlatt 2004) — become cues of seven kinds:

* ``place`` (a bar, a friend's flat): a place is where the person is, so it is the
  episode's context (at most one place at a time: the first in the map's order wins);
* ``person``, ``object``, ``smell``, ``mood``, ``time``: discrete cues present with the
  place, any number at once (a mood here is a scheduled state, e.g. evenings alone);
* ``body``: a body state the brain makes itself, not a schedule (``state``: ``drug`` on
  board, ``stress``, ``withdrawal``). ``brain.interoception`` passes the drug on board and
  stress to retrieval and craving; withdrawal becomes a cue the brain shows itself while
  the withdrawal it feels reaches ``felt`` (0-1, default 0.1: a fall of tonic dopamine of
  5% of baseline), learned like the cues around the person (Wikler 1948; Baker et al.
  2004). A map has at most one withdrawal cue.

Each scheduled cue has an exposure pattern: on which days it can occur (``weekdays``,
``monthly`` days such as paydays), the chance it occurs on such a day (``daily``), the hours
in which it starts (``hours``), how long it lasts (``lasts``) and the cues that come with it
(``with``: an old friend at the bar). ``available`` is the chance that the drug is at hand
while the cue is present. ``stress`` (0-1) makes a cue a stressor: each episode it is
present takes the person's stress that share of the way to full stress
(``brain.interoception``), which the insula reads as it reads stress from a footshock
(Sinha, Catapano & O'Malley 1999: stress imagery induces craving; Marlatt & Gordon 1985:
negative emotional states and interpersonal conflict precede many relapses). Exposure
histories (which cues came with use) are not given: the scenario's own period of use
makes them.

The calendar: day 0 of a scenario is a Monday, and months have 30 days (payday
``monthly = [1]`` comes every 30 days).
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from ..units import Dimension, parse_quantity

#: days in a month of the cue maps' calendar
MONTH_DAYS = 30
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: the body states the brain passes on as internal cues (brain.interoception)
BODY_STATES = ("drug", "stress", "withdrawal")
#: the withdrawal a withdrawal body cue is felt at, unless the map says (``felt``)
FELT = 0.1
#: keys of an exposure pattern (a body cue has none)
SCHEDULE_KEYS = ("daily", "weekdays", "monthly", "hours", "lasts", "with", "available",
                 "stress")


class CueKind(enum.StrEnum):
    PLACE = "place"
    PERSON = "person"
    OBJECT = "object"
    SMELL = "smell"
    MOOD = "mood"
    TIME = "time"
    BODY = "body"


def _probability(v: Any, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
        raise ValueError(f"{what} is a probability from 0 to 1, got {v!r}")
    return float(v)


class CueSpec(BaseModel):
    """One cue of a person's cue map."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: CueKind
    #: chance the cue occurs on a day it can occur
    daily: float = 1.0
    #: the days of the week on which it can occur
    weekdays: list[str] = Field(default_factory=lambda: list(WEEKDAYS))
    #: days of the month (1-30) on which alone it can occur, e.g. paydays; empty: any day
    monthly: list[StrictInt] = Field(default_factory=list)
    #: the hours of the day (start, end; end excluded) in which it starts
    hours: tuple[float, float] = (0.0, 24.0)
    #: how long it lasts once it starts
    lasts: float = 3600.0
    #: cues present whenever this one is (an old friend at the bar)
    with_: list[str] = Field(default_factory=list, alias="with")
    #: chance the drug is at hand while the cue is present
    available: float = 0.0
    #: the share of the way to full stress the cue takes the person in each episode it
    #: is present (a stressor: a row at work, a debt collector's call)
    stress: float = 0.0
    #: a body cue's state (``drug``, ``stress`` or ``withdrawal``)
    state: str | None = None
    #: a withdrawal cue's threshold: the withdrawal (0-1) at which the person feels it
    felt: float | None = None

    @field_validator("daily", "available", "stress", mode="before")
    @classmethod
    def _p(cls, v: Any, info) -> float:
        return _probability(v, info.field_name)

    @field_validator("weekdays", mode="before")
    @classmethod
    def _weekdays(cls, v: Any) -> list[str]:
        if not isinstance(v, list) or not v:
            raise ValueError(f"weekdays is a non-empty list of {', '.join(WEEKDAYS)}; got {v!r}")
        days = [str(d).lower()[:3] for d in v]
        bad = [d for d, raw in zip(days, v) if d not in WEEKDAYS or len(str(raw)) < 3]
        if bad:
            raise ValueError(f"weekdays: unknown day(s) {bad}; use {', '.join(WEEKDAYS)}")
        return days

    @field_validator("monthly")
    @classmethod
    def _monthly(cls, v: list[int]) -> list[int]:
        bad = [d for d in v if not 1 <= d <= MONTH_DAYS]
        if bad:
            raise ValueError(f"monthly: days of the month run from 1 to {MONTH_DAYS} (months of "
                             f"{MONTH_DAYS} days), got {bad}")
        return v

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, v: Any) -> tuple[float, float]:
        ok = (isinstance(v, (list, tuple)) and len(v) == 2
              and all(isinstance(h, (int, float)) and not isinstance(h, bool) for h in v))
        if not ok or not 0 <= v[0] < v[1] <= 24:
            raise ValueError(f"hours is [start, end] in hours of the day, 0 <= start < end <= "
                             f"24, e.g. [18, 23]; got {v!r}")
        return float(v[0]), float(v[1])

    @field_validator("lasts", mode="before")
    @classmethod
    def _lasts(cls, v: Any) -> float:
        s = parse_quantity(v, Dimension.TIME)
        if s > 86400.0:
            raise ValueError(f"lasts must be at most 24 h, got {v!r}")
        return s

    @model_validator(mode="before")
    @classmethod
    def _body(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if data.get("kind") == CueKind.BODY.value:
            given = [k for k in SCHEDULE_KEYS if k in data]
            if given:
                raise ValueError(f"a body cue comes from the brain's own state, not from a "
                                 f"schedule: remove {', '.join(given)}")
            if data.get("state") not in BODY_STATES:
                raise ValueError(f"a body cue needs state = one of {', '.join(BODY_STATES)}; "
                                 f"got {data.get('state')!r}")
            if "felt" in data:
                f = data["felt"]
                if data["state"] != "withdrawal":
                    raise ValueError("felt belongs to withdrawal cues only (state = "
                                     "\"withdrawal\")")
                if (isinstance(f, bool) or not isinstance(f, (int, float))
                        or not 0.0 < float(f) <= 1.0):
                    raise ValueError(f"felt is the withdrawal (0-1) at which the person "
                                     f"feels it, 0 < felt <= 1; got {f!r}")
            elif data["state"] == "withdrawal":
                data = {**data, "felt": FELT}
        elif "state" in data or "felt" in data:
            raise ValueError("state and felt belong to body cues only (kind = \"body\")")
        return data

    @model_validator(mode="after")
    def _fires(self) -> "CueSpec":
        if self.kind != CueKind.BODY and self.daily == 0.0:
            raise ValueError("daily = 0: the cue never occurs; remove it, or give the chance "
                             "it occurs on a day (0 < daily <= 1)")
        return self

    @property
    def scheduled(self) -> bool:
        return self.kind != CueKind.BODY

    @property
    def shown(self) -> bool:
        """A cue the person meets in their days: scheduled, or the withdrawal the brain
        shows itself (it can be taken away: ``without``)."""
        return self.scheduled or self.state == "withdrawal"

    def can_occur(self, day: int) -> bool:
        """Whether the cue can occur on absolute day ``day`` (weekday and day of month)."""
        if WEEKDAYS[day % 7] not in self.weekdays:
            return False
        return not self.monthly or (day % MONTH_DAYS) + 1 in self.monthly


def check_cue_map(cues: dict[str, CueSpec]) -> dict[str, CueSpec]:
    """The cross-references of a cue map: names, ``with`` naming other scheduled cues, at
    most one withdrawal cue."""
    felt = [name for name, c in cues.items() if c.state == "withdrawal"]
    if len(felt) > 1:
        raise ValueError(f"cues {felt}: a cue map has at most one withdrawal cue")
    for name, c in cues.items():
        if not name or any(ch in name for ch in " +-@&="):
            raise ValueError(f"cue '{name}': names must be non-empty with no spaces or + - @ & =")
        for other in c.with_:
            if other == name:
                raise ValueError(f"cue '{name}': 'with' names the cue itself")
            if other not in cues:
                import difflib

                close = difflib.get_close_matches(other, list(cues), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ValueError(f"cue '{name}': 'with' names '{other}', which is not in the "
                                 f"cue map{hint}; cues: {list(cues)}")
            if not cues[other].scheduled:
                raise ValueError(f"cue '{name}': 'with' names the body cue '{other}', which "
                                 "comes from the brain's own state")
    return cues


def window_slots(c: CueSpec, wake_h: float, step_h: float, n: int) -> np.ndarray:
    """Indices of the day's ``n`` episodes (every ``step_h`` hours from ``wake_h``) in which
    ``c`` can start (its ``hours``)."""
    hours = (wake_h + step_h * np.arange(n)) % 24.0
    return np.flatnonzero((hours >= c.hours[0] - 1e-9) & (hours < c.hours[1] - 1e-9))


def exposures(cues: dict[str, CueSpec], days: np.ndarray, *, wake_h: float, step_h: float,
              n: int, rng: np.random.Generator, without: frozenset[str] = frozenset()
              ) -> dict[str, np.ndarray]:
    """Which scheduled cues are present in each episode: ``{name: (len(days), n) bool}`` for
    the absolute ``days`` given, ``n`` episodes a day every ``step_h`` hours from
    ``wake_h``. A cue occurs on a day it can occur with chance ``daily``, starts at a random
    episode within its ``hours`` and lasts ``lasts``; the cues it comes ``with`` are present
    whenever it is. Cues in ``without`` never occur (the environment changed), nor bring
the cues that come with them (no bar, no old friend met there). Draws are
    made for every cue, removed or not, so that removing one leaves the others' draws as
    they were (an ablation changes only what it removes)."""
    out: dict[str, np.ndarray] = {}
    for name, c in cues.items():
        if not c.scheduled:
            continue
        present = np.zeros((days.size, n), bool)
        slots = window_slots(c, wake_h, step_h, n)
        span = max(1, math.ceil(c.lasts / (step_h * 3600.0) - 1e-9))
        fire = rng.random(days.size) < c.daily
        start = rng.integers(0, max(slots.size, 1), size=days.size)
        for i, day in enumerate(days):
            if fire[i] and slots.size and c.can_occur(int(day)):
                s = slots[start[i]]
                present[i, s:s + span] = True
        out[name] = present & (name not in without)
    for _ in range(len(out)):                    # co-occurrence, through chains of 'with'
        changed = False
        for name, c in cues.items():
            for other in c.with_:
                if other in without:
                    continue
                grown = out[other] | out[name]
                if not np.array_equal(grown, out[other]):
                    out[other] = grown
                    changed = True
        if not changed:
            break
    return out
