"""A person's days on a human time scale, with the cues of their cue map (issue #9).

Each day runs from ``wake`` for ``waking`` hours, one episode every ``step`` (an hour by
default). In an episode the person is somewhere (the first place of the cue map present,
else home: the phase's ``context``) with the cues the map puts there (``world.cues``). The
drug is at hand by chance: ``available`` alone, and each cue present brings it with its own
chance (``1 - (1 - available) * prod(1 - cue.available)``). When it is at hand, the seeking
response (action 1) is a use: ``dose`` of the drug and ``price`` points lost
(``money_loss``), and ``consequences`` points the person knows it costs later, felt
``consequence_delay`` after it (``brain.prefrontal``: valued, not delivered); the
alternative (action 2) is the natural reward, at hand with chance
``alternative_available``; action 0 is doing neither. A cue with ``stress`` is a
stressor: in each episode it is present the person's stress goes that share of the way to
full (several at once: ``1 - prod(1 - stress)``). A withdrawal cue of the map (``state =
"withdrawal"``) is shown by the brain itself, in any episode of any phase in which the
person feels withdrawal (``brain.interoception``; :func:`body_cue`). What the person meets
is drawn once per phase from the scenario's seed and shared by the cohort (subjects are
versions of one person, differing in their brains and choices).

Lapses follow from the schedule (``world.schedule.abstinence_began``): after a period of
use, a phase without the drug at hand (a detox: ``abstinence``) begins abstinence, and a use
in a later day of daily life is a lapse. Sources: Marlatt & Gordon 1985 (high-risk
situations); Shiffman et al. 1996 and Shiffman 2009 (ecological momentary assessment: first
lapses come with places, people, mood and availability).
"""

from __future__ import annotations

import math

import numpy as np

from ...pharmacology.reinforcers import Reinforcer
from ..cues import CueKind, exposures, window_slots
from ..schedule import DAY_S, Builder

SOURCE = ("Marlatt & Gordon 1985; Shiffman, Paty, Gnys, Kassel & Hickcox 1996; "
          "Shiffman 2009")
#: bins from the response to its outcome (as a self-administered dose one bin after its cue)
OUTCOME_BIN = 2


def first_day(start_s: float) -> int:
    """The first whole day at or after ``start_s`` (a phase's days start at midnight)."""
    return int(math.ceil(start_s / DAY_S - 1e-9))


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    cues = scenario.cue_map
    n = p.episodes_per_day
    wake_h, step_h = p.wake / 3600.0, p.step / 3600.0
    days = first_day(start_s) + np.arange(p.days)
    present = exposures(cues, days, wake_h=wake_h, step_h=step_h, n=n, rng=rng,
                        without=frozenset(p.without))
    _count_chances(p, cues, days, wake_h, step_h, n, b)
    places = [name for name, c in cues.items() if c.kind == CueKind.PLACE]
    others = [name for name, c in cues.items() if c.scheduled and c.kind != CueKind.PLACE]
    place_ctx = {name: b.task_context(name) for name in places}
    cue_idx = {name: b.task_cue(name) for name in others}
    home = b.context(p.context)

    # the chance the drug is at hand in each episode, and the draws; the stressors present
    # (each takes stress its share of the way to full)
    not_at_hand = np.full((days.size, n), 1.0 - p.available)
    calm = np.ones((days.size, n))
    for name, on in present.items():
        not_at_hand *= np.where(on, 1.0 - cues[name].available, 1.0)
        calm *= np.where(on, 1.0 - cues[name].stress, 1.0)
    drug_at_hand = rng.random((days.size, n)) < 1.0 - not_at_hand
    alt_at_hand = rng.random((days.size, n)) < p.alternative_available

    use = b.amounts(p.reinforcer, p.dose)
    if p.price > 0:
        use = use + b.amounts(Reinforcer.MONEY_LOSS, p.price)
    later = {}
    if p.consequences > 0:
        later = dict(consequence=b.amounts(Reinforcer.MONEY_LOSS, p.consequences),
                     consequence_delay=p.consequence_delay / DAY_S)
    use_op = b.operandum(f"use {p.reinforcer.value}")
    alt = None
    if p.alternative is not None:
        alt = (b.operandum(p.alternative.value), b.amounts(p.alternative, p.alternative_amount))
    t = start_s
    for i, day in enumerate(days):
        for k in range(n):
            t = day * DAY_S + p.wake + k * p.step
            ctx = next((place_ctx[name] for name in places if present[name][i, k]), home)
            slots = [dict(operandum=use_op, amounts=use, **later) if drug_at_hand[i, k]
                     else dict(operandum=-1)]
            if alt is not None and alt_at_hand[i, k]:
                slots.append(dict(operandum=alt[0], amounts=alt[1]))
            b.add(t_s=t, phase=phase, context=ctx,
                  trial_type="drug at hand" if drug_at_hand[i, k] else "no drug",
                  session_start=(k == 0),
                  cs={cue_idx[name]: 0 for name in others if present[name][i, k]},
                  slots=slots, slot_bin=OUTCOME_BIN, stressor=1.0 - calm[i, k])
    return t


def body_cue(scenario, p, b: Builder) -> tuple[int, float]:
    """The cue index of the scenario's withdrawal cue in phase ``p`` (-1: no such cue, or
    ``p`` takes it away with ``without``) and the withdrawal at which it is felt. The body
    goes wherever the person goes, so every phase shows it, a detox included."""
    for name, c in (getattr(scenario, "cue_map", None) or {}).items():
        if c.state == "withdrawal":
            return (-1 if name in (getattr(p, "without", None) or []) else b.task_cue(name),
                    float(c.felt))
    return -1, 0.0


def _count_chances(p, cues, days, wake_h, step_h, n, b: Builder) -> None:
    """Count, per cue, the days of this phase on which its schedule lets it occur (for
    :func:`check_fires`)."""
    seen = b.notes.setdefault("cue_map_chances", {})
    for name, c in cues.items():
        if not c.scheduled or name in p.without:
            continue
        ok = window_slots(c, wake_h, step_h, n).size > 0
        seen[name] = seen.get(name, 0) + (sum(c.can_occur(int(d)) for d in days) if ok else 0)


def check_fires(scenario, b: Builder) -> None:
    """Refuse a cue-map cue whose schedule never lets it occur in the scenario's days of
    daily life (its weekdays, days of the month and hours never meet them)."""
    from ...scenario import ScenarioError

    seen = b.notes.get("cue_map_chances", {})
    for name, c in scenario.cue_map.items():
        if c.scheduled and name in seen and seen[name] == 0:
            when = (f"weekdays {c.weekdays}, days of the month {c.monthly or 'any'}, hours "
                    f"{c.hours[0]:g}-{c.hours[1]:g}")
            raise ScenarioError(
                f"{scenario.source_path}: cue_map.{name}: its schedule ({when}) never fires "
                "within the scenario's days of daily life (day 0 is a Monday; months have 30 "
                "days; the waking day runs from each phase's wake for its waking hours); "
                "widen it or lengthen the daily_life phases")
