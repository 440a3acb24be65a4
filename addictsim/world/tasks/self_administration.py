"""Fixed-ratio self-administration (e.g. Ahmed & Koob 1998, Science 282:298).

Each episode is one response opportunity of ``response_window`` seconds. On
the active lever, completing the ratio presents the paired cue (a light or
tone) at the next bin and the unit dose's effect ``delay`` after the cue;
the task then ignores presses for ``timeout``. An inactive lever counts
undirected responding; or ``alternative`` puts a second reinforcer (e.g. food)
on that lever, for choice between the drug and a natural reward.
``punishment`` delivers a footshock with each reinforcer on the active lever
(punished seeking). ``extinction = true`` keeps the cue and withholds the
reinforcer (cue-maintained seeking tests). ``prime`` gives a non-contingent
drug dose ``prime_before`` each session (priming-induced reinstatement; de Wit
& Stewart 1981). ``retrieval`` presents a cue non-contingently ``retrieval_gap``
before each session (retrieval-extinction; Monfils et al. 2009, Xue et al. 2012).
"""

from __future__ import annotations

import math

from ..schedule import DAY_S, Builder, bins

SOURCE = "Ahmed & Koob 1998; Panlilio et al. 2007; Caggiula et al. 2001 (cue with each infusion)"


def before_session(p, b: Builder, *, phase: int, s0: float, window: float) -> float:
    """What a phase has before each session, in order, from ``s0``: a retrieval and its gap,
    footshock stress for ``stress_for``, then a drug prime ``prime_before`` the session;
    returns the session's start (``s0`` when the phase has none of them). ``window``: the
    spacing of retrieval trials."""
    ctx = b.context(p.context)
    if getattr(p, "retrieval", None) is not None:
        cue = b.cue(p.retrieval)
        for i in range(p.retrieval_trials):
            b.add(t_s=s0 + i * window, phase=phase, context=ctx,
                  trial_type="retrieval", session_start=(i == 0), cs={cue: 0},
                  us_bin=max(1, bins(getattr(p, "delay", 1.5))))
        s0 += (p.retrieval_trials - 1) * window + p.retrieval_gap
    if getattr(p, "stress", None) is not None:
        from ...pharmacology.reinforcers import Reinforcer
        from ...scenario import STRESS_SHOCK_EVERY_S

        where = b.context(p.stress_context or p.context)
        shock = b.amounts(Reinforcer.SHOCK, p.stress)
        for i in range(max(1, int(round(p.stress_for / STRESS_SHOCK_EVERY_S)))):
            b.add(t_s=s0 + i * STRESS_SHOCK_EVERY_S, phase=phase, context=where,
                  trial_type="stress", session_start=(i == 0), us_amounts=shock, us_prob=1.0,
                  us_bin=1)
        s0 += p.stress_for
    if getattr(p, "prime", None) is not None:
        b.add(t_s=s0, phase=phase, context=ctx, trial_type="prime", session_start=True,
              us_amounts=b.amounts(p.prime_reinforcer, p.prime), us_prob=1.0, us_bin=1)
        s0 += p.prime_before
    return s0


def compile_session(p, b: Builder, *, phase: int, s0: float, slots: list[dict],
                    trial_type: str, slot_bin: int = -1, timeout_ep: int = 0) -> float:
    """One session of ``p.session`` starting at ``s0``: one episode per response window
    (after what the phase has before it: ``before_session``)."""
    n_ep = max(1, int(round(p.session / p.response_window)))
    ctx = b.context(p.context)
    s0 = before_session(p, b, phase=phase, s0=s0, window=p.response_window)
    t = s0
    for e in range(n_ep):
        t = s0 + e * p.response_window
        b.add(t_s=t, phase=phase, context=ctx, trial_type=trial_type,
              session_start=(e == 0), slots=slots, slot_bin=slot_bin, timeout_ep=timeout_ep)
    return t


def compile_sessions(p, b: Builder, *, phase: int, start_s: float, slots: list[dict],
                     trial_type: str, slot_bin: int = -1, timeout_ep: int = 0) -> float:
    t = start_s
    for d in range(p.days):
        for s in range(p.sessions_per_day):
            s0 = start_s + d * DAY_S + s * (DAY_S / p.sessions_per_day)
            t = compile_session(p, b, phase=phase, s0=s0, slots=slots, trial_type=trial_type,
                                slot_bin=slot_bin, timeout_ep=timeout_ep)
    return t


def operant_setup(p, b: Builder, dose: float | None, *, ratio: int | None = None) -> dict:
    """The slots, outcome bin and time-out of a self-administration phase delivering
    ``dose`` of ``p.reinforcer`` on a fixed ratio of ``ratio`` (default ``p.ratio``)
    responses (keyword arguments for :func:`compile_session`, without ``trial_type``).
    Settings a phase does not have take their defaults (no extinction, no punishment, no
    alternative)."""
    from ...pharmacology.reinforcers import Reinforcer

    extinction = getattr(p, "extinction", False)
    punishment = getattr(p, "punishment", 0.0)
    alternative = getattr(p, "alternative", None)
    amounts = None if extinction else b.amounts(p.reinforcer, dose)
    if punishment > 0:
        shock = b.amounts(Reinforcer.SHOCK, punishment)
        amounts = shock if amounts is None else amounts + shock
    slots = [dict(operandum=b.operandum(p.lever), cues=p.cues, amounts=amounts,
                  ratio=p.ratio if ratio is None else ratio)]
    if alternative is not None:
        alt = None if extinction else b.amounts(alternative, getattr(p, "alternative_amount",
                                                                     None))
        slots.append(dict(operandum=b.operandum(f"{alternative.value} lever"), amounts=alt))
    elif p.inactive_lever:
        slots.append(dict(operandum=b.operandum("inactive")))
    timeout_ep = math.ceil(p.timeout / p.response_window - 1e-9) if p.timeout > 0 else 0
    return dict(slots=slots, slot_bin=1 + max(1, bins(p.delay)), timeout_ep=timeout_ep)


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    label = f"FR{p.ratio}" + (" extinction" if p.extinction else "")
    return compile_sessions(p, b, phase=phase, start_s=start_s, trial_type=label,
                            **operant_setup(p, b, p.dose))
