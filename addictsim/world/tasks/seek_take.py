"""The seeking-taking chained schedule, with punishment (Olmstead, Lafond, Everitt & Dickinson
2001; Pelloux, Everitt & Dickinson 2007; Vanderschuren & Everitt 2004; Chen et al. 2013).

Each session offers ``cycles`` seek-take cycles, ``iti`` apart; each cycle is two episodes:

1. **seek**: the seeking lever is available. A press completes the seeking link: with
   probability ``punishment`` it ends in a footshock (``shock``) and the cycle ends without
   access; otherwise the taking lever is inserted (the task's cue ``"taking lever"``) and
   the cycle goes on (``Episode.continues``). A withheld seek leaves the cycle empty.
   ``aversive_cue`` (a cue paired with shock in an earlier phase) is on during seeking.
2. **take**, ``take_after`` later: if access was earned, a press on the taking lever
   delivers ``dose`` of the reinforcer ``delay`` after the phase's ``cue``.

Seeking is measured as the share of cycles in which the subject pressed the seeking lever
(``action == 1`` on ``trial_type == "seek"`` episodes); the shocked links as the seeks that
delivered shock. One uniform draw decides both the shock and the access (``apparatus``).
"""

from __future__ import annotations

from ...pharmacology.reinforcers import Reinforcer
from ..schedule import DAY_S, Builder, bins

SOURCE = ("Olmstead et al. 2001 (seeking-taking chain); Pelloux, Everitt & Dickinson 2007 "
          "(punished seeking); Vanderschuren & Everitt 2004 (aversive CS); Chen et al. 2013")

#: the cue the taking lever's insertion presents
ACCESS_CUE = "taking lever"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    b.task_cue(ACCESS_CUE)
    seek_op = b.operandum("seeking lever")
    take_op = b.operandum("taking lever")
    shock = b.amounts(Reinforcer.SHOCK, p.shock) if p.punishment > 0 else None
    # a seek delivers shock and sends the cycle to branch 1 (no access) together, with
    # probability `punishment` (the same draw); branch 0 inserts the taking lever
    seek = [dict(operandum=seek_op, amounts=shock, prob=p.punishment if shock is not None
                 else 1.0, branch_p=p.punishment)]
    take = [dict(operandum=take_op, cues=p.cues,
                 amounts=b.amounts(p.reinforcer, p.dose), alt_operandum=-1)]
    during_seek = {b.cue(p.aversive_cue): 0} if p.aversive_cue else None
    branch_cues = ([ACCESS_CUE], [])
    period = p.take_after + p.iti
    t = start_s
    for d in range(p.days):
        for s in range(p.sessions_per_day):
            s0 = start_s + d * DAY_S + s * (DAY_S / p.sessions_per_day)
            for k in range(p.cycles):
                t = s0 + k * period
                b.add(t_s=t, phase=phase, context=ctx, trial_type="seek", session_start=(k == 0),
                      cs=during_seek, slots=seek, slot_bin=1, sets_branch=True,
                      branch_cues=branch_cues)
                t = t + p.take_after
                b.add(t_s=t, phase=phase, context=ctx, trial_type="take", slots=take,
                      slot_bin=1 + max(1, bins(p.delay)), uses_branch=True,
                      branch_cues=branch_cues)
    return t
