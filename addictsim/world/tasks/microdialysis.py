"""In-vivo microdialysis: non-contingent doses with dialysate samples around them.

Each day, samples are taken every ``sample_interval`` from ``baseline`` before the
first dose to ``duration`` after the last one; ``doses_per_day`` doses of
``reinforcer`` are given ``dose_interval`` apart, whatever the subject does (no
lever, no cue). A dose is one episode with the amount delivered at the first bin;
a sample is an episode with nothing delivered, at which the recorded accumbens
dopamine (``da_extracellular_pct``) is read. The brain integrates the drug's
kinetics over the real time between episodes, so the samples trace the rise and
fall of dopamine after each dose (Di Chiara & Imperato 1988, PNAS 85:5274), and a
regimen over days (e.g. ethanol every 6 h for 6 days, then withdrawal: Rossetti et
al. 1992, Eur J Pharmacol 221:227) shows tolerance and withdrawal.
"""

from __future__ import annotations

import math

from ...brain.params import BIN_S, N_BINS
from ..schedule import DAY_S, Builder

SOURCE = ("Di Chiara & Imperato 1988 (microdialysis); Rossetti et al. 1992 "
          "(chronic regimens, withdrawal)")

#: a sample closer than one episode's window to a dose is left out (the dose episode
#: records that moment)
MIN_GAP_S = N_BINS * BIN_S


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    amounts = b.amounts(p.reinforcer, p.dose)
    si = p.sample_interval
    t = start_s
    for d in range(p.days):
        first = start_s + d * DAY_S + p.baseline
        doses = [first + j * p.dose_interval for j in range(p.doses_per_day)]
        end = doses[-1] + p.duration
        rows = [(td, "dose") for td in doses]
        k0 = -math.floor(p.baseline / si + 1e-9)
        k1 = math.floor((end - first) / si + 1e-9)
        for k in range(k0, k1 + 1):
            ts = first + k * si
            if any(abs(ts - td) < MIN_GAP_S for td in doses):
                continue
            rows.append((ts, "baseline" if ts < first else "sample"))
        rows.sort()
        for i, (ts, label) in enumerate(rows):
            dose = label == "dose"
            b.add(t_s=ts, phase=phase, context=ctx, trial_type=label, session_start=(i == 0),
                  us_amounts=amounts if dose else None, us_prob=1.0 if dose else 0.0,
                  us_bin=1 if dose else -1)
            t = ts
    return t
