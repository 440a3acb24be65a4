"""Discrete-trial choice between a drug and a natural reward (Lenoir, Serre, Cantin & Ahmed
2007, PLoS ONE 2:e698; Cantin et al. 2010).

Each session is ``2 * sampling + choices`` trials, ``iti`` apart (one episode each): first
``sampling`` trials with the drug lever alone (slot 1), then ``sampling`` with the
alternative's lever alone (slot 2), then ``choices`` trials with both levers, of which one
press is the choice: slot 1 delivers ``dose`` of ``reinforcer`` (with ``cue``), slot 2
``alternative_amount`` of ``alternative`` (with ``alternative_cue``), each ``delay`` after its
cue. The levers are mutually exclusive: a trial ends with its first press. A sampling trial
is taken (its lever stays until pressed: ``forced``); on a choice trial the subject may
withhold (an omission). ``trial_type`` is ``"sample drug"``, ``"sample alternative"`` or
``"choice"``; on choice trials ``action`` 1 chose the drug and 2 the alternative. In daily
records, drug choices per session are ``seek - sampling`` and alternative choices
``alternative - sampling`` (``choice_counts``).
"""

from __future__ import annotations

from ..schedule import DAY_S, Builder, bins

SOURCE = "Lenoir, Serre, Cantin & Ahmed 2007 (discrete-trial choice, cocaine vs saccharin)"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    drug = dict(operandum=b.operandum(f"{p.reinforcer.value} lever"), cues=p.cues,
                amounts=b.amounts(p.reinforcer, p.dose))
    alt_cues = [p.alternative_cue] if p.alternative_cue else None
    alt = dict(operandum=b.operandum(f"{p.alternative.value} lever"), cues=alt_cues,
               amounts=b.amounts(p.alternative, p.alternative_amount))
    absent = dict(operandum=-1)
    trials = ([("sample drug", [drug, absent], True)] * p.sampling
              + [("sample alternative", [absent, alt], True)] * p.sampling
              + [("choice", [drug, alt], False)] * p.choices)
    slot_bin = 1 + max(1, bins(p.delay))
    t = start_s
    for d in range(p.days):
        for k, (label, slots, forced) in enumerate(trials):
            t = start_s + d * DAY_S + k * p.iti
            b.add(t_s=t, phase=phase, context=ctx, trial_type=label, session_start=(k == 0),
                  slots=slots, slot_bin=slot_bin, forced=forced)
    return t


def choice_counts(ds, sampling: int):
    """Per subject and day of a choice phase (daily records): (drug choices, alternative
    choices), slot-1 and slot-2 presses less the sampling trials (each taken once)."""
    return ds.seek.values - sampling, ds.alternative.values - sampling
