"""The reward-threshold procedure: an analogue of intracranial self-stimulation (ICSS).

In the discrete-trial ICSS procedure the current delivered to the lateral
hypothalamus is varied in series, and the threshold is the lowest intensity that
still sustains responding; it rises (the reward system's set point moves) during
withdrawal and with escalated drug intake (Markou & Koob 1992, Physiol Behav
51:111; Ahmed, Kenny, Koob & Markou 2002, Nat Neurosci 5:625). Here a natural
reinforcer (``reinforcer``, default sucrose) of magnitude *m* stands for the
current: each trial is one episode offering one response, which delivers *m*;
each magnitude has its own operandum (``"threshold 0.5"``), so the subject learns
each one's value. Each day runs ``trials_per_magnitude`` trials of every
magnitude, ``iti`` apart, in a descending series (method of limits: all trials of
the largest magnitude, then the next). There is no inactive lever.
:func:`threshold_from_responses` reads the threshold off the response rate per
magnitude.
"""

from __future__ import annotations

import numpy as np

from ..schedule import DAY_S, Builder, bins

SOURCE = "Markou & Koob 1992; Ahmed et al. 2002 (reward thresholds, ICSS)"

#: response -> reinforcer delay (s), as in self-administration
DELAY_S = 1.5


def label(m: float) -> str:
    return f"threshold {m:g}"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    slot_bin = 1 + max(1, bins(DELAY_S))
    series = sorted(p.magnitudes, reverse=True)
    slots = {m: [dict(operandum=b.operandum(label(m)), amounts=b.amounts(p.reinforcer, m),
                      ratio=1)] for m in series}
    t = start_s
    for d in range(p.days):
        i = 0
        for m in series:
            for _ in range(p.trials_per_magnitude):
                t = start_s + d * DAY_S + i * p.iti
                b.add(t_s=t, phase=phase, context=ctx, trial_type=label(m),
                      session_start=(i == 0), slots=slots[m], slot_bin=slot_bin)
                i += 1
    return t


def threshold_from_responses(magnitudes, response_rate) -> np.ndarray | float:
    """The lowest magnitude at which ``response_rate`` reaches 0.5, interpolated linearly
    between the bracketing magnitudes; NaN where it never does.

    ``magnitudes`` has shape ``(n,)`` (any order); ``response_rate`` has shape ``(..., n)``
    (e.g. subjects x magnitudes), the fraction of trials with a response at each
    magnitude. Returns a float for one curve, else an array of shape ``(...)``.
    """
    m = np.asarray(magnitudes, dtype=float)
    r = np.asarray(response_rate, dtype=float)
    if m.ndim != 1 or r.shape[-1:] != m.shape:
        raise ValueError(f"response_rate's last axis must match magnitudes: "
                         f"{r.shape} vs {m.shape}")
    order = np.argsort(m)
    m, r = m[order], r[..., order]
    flat = r.reshape(-1, m.size)
    out = np.full(flat.shape[0], np.nan)
    for j, row in enumerate(flat):
        above = np.flatnonzero(row >= 0.5)
        if above.size == 0:
            continue
        i = int(above[0])
        if i == 0 or not np.isfinite(row[i - 1]):
            out[j] = m[i]
        else:
            r0, r1 = row[i - 1], row[i]
            out[j] = m[i - 1] + (0.5 - r0) * (m[i] - m[i - 1]) / (r1 - r0)
    if r.ndim == 1:
        return float(out[0])
    return out.reshape(r.shape[:-1])
