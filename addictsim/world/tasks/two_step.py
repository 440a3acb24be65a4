"""The two-step task (Daw, Gershman, Seymour, Dayan & Dolan 2011, Neuron 69:1204).

Each trial is two episodes ``step_gap`` apart:

1. first step: a forced choice between ``step-1 left`` and ``step-1 right``. Left
   leads to second-step state B with probability ``common`` (else to state C), right
   leads to C with probability ``common`` (else B). The state's stimulus (cue
   ``"state B"`` or ``"state C"``) comes on right after the choice. The trial goes on,
   so the critic does not close it here (``Episode.continues``).
2. second step: the state's stimulus is on from the start, and a forced choice
   between that state's two options (``B left``/``B right`` or ``C left``/``C right``)
   wins ``amount`` of ``reinforcer`` (default one point of money) ``delay`` after the
   choice, with the option's current probability.

The four win probabilities start at random within ``bounds`` and drift by a Gaussian
step of sd ``drift_sd`` after every trial, reflected at the bounds (Daw et al. 2011;
0.025 and [0.25, 0.75] as in the public replication github.com/ugo-nama-kun/daw_twostep,
REFERENCES.md entry 19). The walks are drawn once per phase from the scenario's seed and
shared by the cohort. Trials are ``step_gap + iti`` apart, ``trials_per_day`` a day.

Read-outs: ``action`` (1 = left, 2 = right) at each step, ``branch`` (0 = B, 1 = C) on
first-step episodes, ``natural_taken`` on second-step episodes; the true win
probabilities are returned by :func:`win_probabilities`.
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import REINFORCERS
from ..schedule import DAY_S, Builder, bins

SOURCE = ("Daw, Gershman, Seymour, Dayan & Dolan 2011, Neuron 69:1204; drift as in "
          "github.com/ugo-nama-kun/daw_twostep")

STATES = ("state B", "state C")
OPTIONS = (("B left", "B right"), ("C left", "C right"))


def win_probabilities(p, rng) -> np.ndarray:
    """``(trials, 2 states, 2 options)`` win probabilities: a reflected Gaussian walk."""
    lo, hi = p.bounds
    x = np.empty((p.trials, 2, 2))
    x[0] = rng.uniform(lo, hi, size=(2, 2))
    for t in range(1, p.trials):
        y = x[t - 1] + rng.normal(0.0, p.drift_sd, size=(2, 2))
        y = np.where(y > hi, 2 * hi - y, y)
        y = np.where(y < lo, 2 * lo - y, y)
        x[t] = np.clip(y, lo, hi)
    return x


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    for name in STATES:
        b.task_cue(name)
    step1 = [b.operandum("step-1 left"), b.operandum("step-1 right")]
    ops = [[b.operandum(n) for n in pair] for pair in OPTIONS]
    amount = REINFORCERS[p.reinforcer].default_amount if p.amount is None else p.amount
    win = b.amounts(p.reinforcer, amount)
    probs = win_probabilities(p, rng)
    per_day = p.trials_per_day or p.trials
    period = p.step_gap + p.iti
    branch_cues = ([STATES[0]], [STATES[1]])
    t = start_s
    for i in range(p.trials):
        day, k = divmod(i, per_day)
        t = start_s + day * DAY_S + k * period
        # left -> B (branch 0) commonly, right -> C (branch 1) commonly
        first = [dict(operandum=step1[0], branch_p=1.0 - p.common),
                 dict(operandum=step1[1], branch_p=p.common)]
        b.add(t_s=t, phase=phase, context=ctx, trial_type="two-step: step 1",
              session_start=(k == 0), slots=first, sets_branch=True,
              branch_cues=branch_cues, forced=True)
        second = [dict(operandum=ops[0][j], amounts=win, prob=probs[i, 0, j],
                       alt_operandum=ops[1][j], alt_prob=probs[i, 1, j]) for j in range(2)]
        t = t + p.step_gap
        b.add(t_s=t, phase=phase, context=ctx, trial_type="two-step: step 2", slots=second,
              slot_bin=bins(p.delay), uses_branch=True, branch_cues=branch_cues, forced=True)
    return t
