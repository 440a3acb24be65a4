"""Pavlovian conditioning written in the notation researchers use.

``"20 x A+ @ ctx1"``, compound ``"AB+"``, non-reinforced ``"A-"``, partial
``"A+ p=0.5"``, the reinforcer named (``"A+ cocaine 0.75 mg/kg"``), probes
(``"A- test"``), blocks separated by ``"rest 2 d"``. Trials of one block are
intermixed (a fixed shuffle from the scenario seed, shared by the cohort).
The CS starts at bin 0 of the episode and the outcome (or its omission) falls
``delay`` later (Schultz, Dayan & Montague 1997; Rescorla & Wagner 1972).
"""

from __future__ import annotations

from ...units import format_seconds
from ..notation import Rest
from ..schedule import DAY_S, Builder, bins

SOURCE = "Pavlov 1927; Rescorla & Wagner 1972; Schultz, Dayan & Montague 1997"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    from ...pharmacology.reinforcers import Reinforcer
    from ...scenario import MAX_DELAY_S, parse_trials

    t = start_s
    n_in_day = 0
    day_start = start_s
    first = True
    for item in parse_trials(scenario, p):
        if isinstance(item, Rest):
            t += item.seconds
            day_start, n_in_day = t, 0
            continue
        trials = [spec for spec in item for _ in range(spec.count)]
        order = rng.permutation(len(trials)) if p.shuffle else range(len(trials))
        for k in order:
            spec = trials[k]
            if not first:
                t += p.iti
            if n_in_day >= p.trials_per_day:
                day_start = (int(t // DAY_S) + 1) * DAY_S
                t, n_in_day = day_start, 0
            first = False
            delay = p.delay if spec.delay_s is None else spec.delay_s
            if not (0 < delay <= MAX_DELAY_S):
                raise ValueError(f"phase '{p.name}' trial '{spec.label}': delay "
                                 f"{format_seconds(delay)} outside (0, {MAX_DELAY_S:g} s]")
            us_bin = max(1, bins(delay))
            ctx = b.context(spec.context or p.context)
            cs = {b.cue(c): 0 for c in spec.cues}
            amounts = (b.amounts(Reinforcer(spec.reinforcer), spec.amount)
                       if spec.reinforced else None)
            b.add(t_s=t, phase=phase, context=ctx, trial_type=spec.label, session_start=True,
                  cs=cs, us_amounts=amounts, us_prob=spec.probability if spec.reinforced else 0.0,
                  us_bin=us_bin)
            n_in_day += 1
    return t
