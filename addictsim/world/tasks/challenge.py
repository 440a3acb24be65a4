"""A PET-style stimulant challenge: a baseline scan, one non-contingent dose, a
challenge scan ``scan_after`` later.

The drug-induced dopamine release is read as the change in accumbens dopamine
(``da_extracellular_pct``) and D2 availability (``receptor_availability``) from
the baseline scan to the challenge scan, as [11C]raclopride displacement measures
it. Volkow et al. 1997 (Nature 386:830) found the methylphenidate-induced release
blunted in cocaine-dependent subjects; Martinez et al. 2007 (Am J Psychiatry
164:622) the amphetamine-induced release. No lever and no cue: the dose is
delivered at the first bin of its episode, whatever the subject does.
"""

from __future__ import annotations

from ..schedule import Builder

SOURCE = "Volkow et al. 1997; Martinez et al. 2007 (blunted stimulant-induced dopamine release)"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    t_dose = start_s + p.baseline
    b.add(t_s=start_s, phase=phase, context=ctx, trial_type="baseline scan", session_start=True)
    b.add(t_s=t_dose, phase=phase, context=ctx, trial_type="dose",
          us_amounts=b.amounts(p.reinforcer, p.dose), us_prob=1.0, us_bin=1)
    t = t_dose + p.scan_after
    b.add(t_s=t, phase=phase, context=ctx, trial_type="challenge scan")
    return t
