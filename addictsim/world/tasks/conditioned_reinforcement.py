"""Conditioned reinforcement test: a new lever whose only consequence is a
previously conditioned cue, with an inactive lever as the control
(Panlilio, Thorndike & Schindler 2007, Pharmacol Biochem Behav 86:774)."""

from __future__ import annotations

from ..schedule import Builder, bins
from .self_administration import compile_sessions

SOURCE = "Panlilio, Thorndike & Schindler 2007; Mackintosh 1974 (conditioned reinforcement)"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    slots = [dict(operandum=b.operandum(p.lever), cues=p.cues, ratio=p.ratio)]
    if p.inactive_lever:
        slots.append(dict(operandum=b.operandum("inactive")))
    # the cue predicted its reinforcer one bin after onset plus the training delay
    # (1.5 s, the self-administration default); omission errors are read there
    return compile_sessions(p, b, phase=phase, start_s=start_s, slots=slots,
                            trial_type="CR " + "&".join(p.cues), slot_bin=1 + bins(1.5))
