"""Go/no-go: withholding a prepotent response (Kaufman, Ross, Stein & Garavan 2003; the
response-inhibition measure of Smith, Mattick, Jamadar & Iredale 2014's meta-analysis).

Each session is ``trials`` trials ``iti`` apart, one episode each, in an order drawn once
for the scenario (the same for every subject): ``nogo_trials`` no-go trials among go trials.
On a go trial the go stimulus is shown and pressing the ``button`` wins ``amount`` of
``reinforcer`` ``delay`` later; on a no-go trial the no-go stimulus is shown and a press
(a commission error) loses ``penalty`` points (``money_loss``). The stimulus is a cue
present from the trial's start (``"go stimulus"``, ``"no-go stimulus"``) and it sets the
occasion: no-go trials are held in the task's own context ``"no-go stimulus"``
(``NOGO_CONTEXT``), in which cached values and the action-outcome model are learned apart
from the go trials' context and generalise from it by ``context_generalization`` (Bouton
2004). Frequent go trials thus build a prepotent, increasingly habitual press that
generalises to no-go trials, where the goal-directed model and the prefrontal veto
(``brain.prefrontal``) must hold it back. Presses on no-go trials are counted in
``commission``; trials are labelled ``"go"`` and ``"no-go"``.
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import Reinforcer
from ..schedule import DAY_S, Builder, bins

SOURCE = "Kaufman, Ross, Stein & Garavan 2003 (go/no-go in cocaine users); Smith et al. 2014"

#: the context the no-go stimulus sets
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


def rates(ds, p) -> tuple[np.ndarray, np.ndarray]:
    """Per subject and day of a go/no-go phase (daily records): (commission rate, hit rate),
    presses on no-go trials over no-go trials and presses on go trials over go trials."""
    n_nogo = p.nogo_trials
    n_go = p.trials - n_nogo
    commission = ds.commission.values
    return commission / n_nogo, (ds.seek.values - commission) / n_go
