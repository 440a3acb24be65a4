"""Behavioural-economic demand: fixed-ratio sessions of one dose, each at one price.

The price of a delivery is the number of responses it costs, a fixed ratio (FR). The
sessions are those of ``self_administration`` (response windows, the time-out, the cue,
the inactive lever), at one dose throughout, with the prices of ``prices`` in the order
given (an increasing series), ``sessions_per_price`` sessions at each,
``sessions_per_day`` sessions a day: the between-session procedure of Christensen et al.
2008 (Psychopharmacology 198:221), who measured rats' cocaine and food consumption over a
range of fixed ratios and fitted the exponential demand equation of Hursh & Silberberg
2008 (Psychol Rev 115:186). The lever is the same throughout, so what the subject learns
at one price carries to the next. ``analysis.demand`` turns the deliveries earned in each
session into the demand curve and its parameters (Q0, alpha, Pmax).

Each response window offers one response, so a session of ``session`` seconds can buy at
most about ``session / ((price + timeout_windows) * response_window)`` deliveries; a short
``response_window`` keeps that ceiling above what the subject chooses to buy.
"""

from __future__ import annotations

from ..schedule import DAY_S, Builder
from .self_administration import compile_session, operant_setup

SOURCE = ("Christensen et al. 2008 (between-session demand over fixed ratios); "
          "Hursh & Silberberg 2008 (exponential demand)")


def trial_type(price: int) -> str:
    """The ``trial_type`` of the episodes of a session at ``price``."""
    return f"FR{price}"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    setups = {x: operant_setup(p, b, p.dose, ratio=x) for x in p.prices}
    t = start_s
    for k, price in enumerate(p.session_prices):
        day, s = divmod(k, p.sessions_per_day)
        s0 = start_s + day * DAY_S + s * (DAY_S / p.sessions_per_day)
        t = compile_session(p, b, phase=phase, s0=s0, trial_type=trial_type(price),
                            **setups[price])
    return t
