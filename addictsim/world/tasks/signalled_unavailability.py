"""Signalled unavailability: drug seeking while the drug is signalled as unavailable
(Deroche-Gamonet, Belin & Piazza 2004, Science 305:1014; the persistence criterion).

Each session alternates ``drug_periods`` periods of availability (``available`` long, as in
``self_administration``: a completed ratio on the active lever presents the cue and
delivers ``dose`` ``delay`` later, then a time-out) with no-drug periods (``unavailable``
long) between them, one episode per ``response_window``. During a no-drug period a signal
is on and presses deliver nothing and present no cue. The signal sets the occasion: it is
the task's own context ``"no-drug signal"`` (``NO_DRUG_CONTEXT``), in which the subject's
cached values and its action-outcome model are learned apart from the drug periods' box,
generalising from it by ``context_generalization`` (Bouton 2004). Presses on the active
lever in no-drug periods are counted in ``seek_no_drug``: persistence. Episodes are labelled
``"drug period"`` and ``"no-drug period"``.
"""

from __future__ import annotations

import math

from ..schedule import DAY_S, Builder, bins

SOURCE = "Deroche-Gamonet, Belin & Piazza 2004 (persistence during signalled no-drug periods)"

#: the context the no-drug signal sets
NO_DRUG_CONTEXT = "no-drug signal"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    box = b.context(p.context)
    signal = b.task_context(NO_DRUG_CONTEXT)
    lever = b.operandum(p.lever)
    drug = [dict(operandum=lever, cues=p.cues, amounts=b.amounts(p.reinforcer, p.dose),
                 ratio=p.ratio)]
    none = [dict(operandum=lever, ratio=p.ratio)]
    if p.inactive_lever:
        drug.append(dict(operandum=b.operandum("inactive")))
        none.append(dict(operandum=b.operandum("inactive")))
    timeout_ep = math.ceil(p.timeout / p.response_window - 1e-9) if p.timeout > 0 else 0
    slot_bin = 1 + max(1, bins(p.delay))
    n_on = max(1, int(round(p.available / p.response_window)))
    n_off = max(1, int(round(p.unavailable / p.response_window)))
    t = start_s
    for d in range(p.days):
        t0 = start_s + d * DAY_S
        first = True
        for k in range(p.drug_periods):
            periods = [(n_on, box, drug, False)]
            if k < p.drug_periods - 1:
                periods.append((n_off, signal, none, True))
            for n, ctx, slots, off in periods:
                for _ in range(n):
                    b.add(t_s=t0, phase=phase, context=ctx,
                          trial_type="no-drug period" if off else "drug period",
                          session_start=first, slots=slots, slot_bin=slot_bin,
                          timeout_ep=0 if off else timeout_ep, no_drug=off)
                    first = False
                    t = t0
                    t0 += p.response_window
    return t
