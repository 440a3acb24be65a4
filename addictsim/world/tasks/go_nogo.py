"""Go/no-go: withholding a prepotent response (Kaufman, Ross, Stein & Garavan 2003; the
response-inhibition measure of Smith, Mattick, Jamadar & Iredale 2014's meta-analysis).

Each session is ``trials`` trials ``iti`` apart, one episode each, in an order drawn once
for the scenario (the same for every subject): ``nogo_trials`` no-go trials among go trials.
On a go trial the go stimulus is shown and pressing the ``button`` wins ``amount`` of
``reinforcer`` ``delay`` later; on a no-go trial the no-go stimulus is shown and a press
(a commission error) loses ``penalty`` points (``money_loss``). The stimulus is a cue
present from the trial's start (``"go stimulus"``, ``"no-go stimulus"``).

The two controllers see the trial differently. A speeded press is set going by the trial's
onset, before the stimulus is identified (the go process of the race model: Logan & Cowan
1984), so the habit keys it to the task: the cached value and the habit count of the press
live in the phase's context (the row's ``habit_context``), where go wins and no-go losses
mix and the value stays positive, and the habit's share of control grows with go presses.
The goal-directed system, and with it the prefrontal veto (``brain.prefrontal``), sees
which stimulus is on: each stimulus sets a context of its own (``GO_CONTEXT``,
``NOGO_CONTEXT``), in which the action-outcome model learns what pressing brings, and
learning carries between the two only by ``stimulus_similarity`` times
``context_generalization`` (the row's ``gen_scale``). On a no-go trial the veto must hold
the prepotent press back. Presses on no-go trials are counted in ``commission``; trials
are labelled ``"go"`` and ``"no-go"``.
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import Reinforcer
from ..schedule import DAY_S, Builder, bins

SOURCE = "Kaufman, Ross, Stein & Garavan 2003 (go/no-go in cocaine users); Smith et al. 2014"

#: the contexts the stimuli set for the goal-directed system
NOGO_CONTEXT = "no-go stimulus"
GO_CONTEXT = "go stimulus"
GO_CUE, NOGO_CUE = "go stimulus", "no-go stimulus"


def order(p, rng) -> np.ndarray:
    """The session's trials, True for no-go, in the scenario's random order."""
    kinds = np.zeros(p.trials, bool)
    kinds[:p.nogo_trials] = True
    return rng.permutation(kinds)


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    task_ctx = b.context(p.context)
    go_ctx, nogo_ctx = b.task_context(GO_CONTEXT), b.task_context(NOGO_CONTEXT)
    go_cue, nogo_cue = b.task_cue(GO_CUE), b.task_cue(NOGO_CUE)
    button = b.operandum(p.button)
    go = [dict(operandum=button, amounts=b.amounts(p.reinforcer, p.amount))]
    nogo = [dict(operandum=button, amounts=(b.amounts(Reinforcer.MONEY_LOSS, p.penalty)
                                            if p.penalty > 0 else None))]
    slot_bin = 1 + max(1, bins(p.delay))
    trials = order(p, rng)
    t = start_s
    for d in range(p.days):
        for k, is_nogo in enumerate(trials):
            t = start_s + d * DAY_S + k * p.iti
            b.add(t_s=t, phase=phase, context=nogo_ctx if is_nogo else go_ctx,
                  trial_type="no-go" if is_nogo else "go", session_start=(k == 0),
                  cs={nogo_cue if is_nogo else go_cue: 0}, slots=nogo if is_nogo else go,
                  slot_bin=slot_bin, nogo=bool(is_nogo), habit_context=task_ctx,
                  gen_scale={go_ctx if is_nogo else nogo_ctx: p.stimulus_similarity})
    return t

