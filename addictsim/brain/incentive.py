r"""Incentive salience: cue-triggered wanting recomputed from the subject's state.

A cue's learned value (the critic's ``V_c``, ``brain.dopamine``) is not what it pulls
with. Its *incentive* value, the wanting it triggers, is computed on the spot from
that learned value and the state the subject is in now, with no relearning
(Berridge & Robinson 1998; Zhang, Berridge, Tindell, Smith & Aldridge 2009):

    W_c = incentive_attribution * kappa_c * (V_c + shift_c)

* ``kappa_c`` is the incentive gain of the outcomes cue ``c`` predicts, mixed by its
  outcome-identity expectations ``w_id`` (so the gain acts on the relevant cue
  only). For an appetitive kind ``k``

      kappa_k = (1 - withdrawal / 2) * (1 + intoxication_gain * x + sensitization_gain * S)
                * (1 + incubation_gain * P_k * f_k(t_k)) * clamp_k  [* drive_k for drugs]

  - ``withdrawal`` (0-1, ``brain.receptors``): the hypodopaminergic crash after
    the drug lowers the pull of cues (craving is low in the first days after a
    cocaine binge and returns later: Gawin & Kleber 1986);
  - ``x``, the drugs' current dopamine occupancy: intoxication raises the wanting
    of reward cues (Zhang et al. 2009: amphetamine; Wyvell & Berridge 2000);
  - ``S`` (0-1), incentive sensitisation: it grows with each drug dose taken after
    a drug-free interval, weighted by the dose's dopamine surge and by
    ``1 - exp(-drug-free time / sensitization_interval_h)``, so intermittent
    exposure sensitises and continuous exposure hardly does (Robinson & Becker
    1986; Robinson & Berridge 1993), and fades over a year (Paulson & Robinson
    1995). It amplifies wanting for reward cues in general, natural ones included
    (Tindell et al. 2005; Wyvell & Berridge 2001), and leaves liking alone;
  - incubation of craving: ``P_k`` is an exposure substrate (each delivery of
    ``k`` moves it towards the size of its dopamine surge by ``incubation_rate``:
    more and bigger surges, more substrate; Conrad et al. 2008's accumulation of
    calcium-permeable AMPA receptors after extended access), expressed through a
    time course in abstinence ``f_k(t) = norm_k (exp(-t/decay_k) -
    exp(-t/rise_k))`` of the time ``t_k`` since ``k`` was last delivered
    (``pharmacology.reinforcers``: zero while in use, peak 1 near two months for
    cocaine, sooner and smaller for sucrose; Grimm et al. 2001; Lu et al. 2004).
    Only the cues' gain incubates: a drug prime, which acts without a cue, does
    not (Lu et al. 2004);
  - ``clamp_k``, a scenario's experimental setting of the gain (default 1;
    REFERENCES.md ``incentive_salience_kappa``: "changing kappa from 1 to k");
  - for a drug, times the homeostatic drive left, ``clip(1 - u_k / h*, 0, 1)``
    with ``u_k`` its brain level in ``ed50`` units and ``h*`` the setpoint
    (``brain.receptors``): a drug's cues lose their pull as its level reaches the
    setpoint, the drug's satiety (incentive times drive: Toates 1986; Zhang et
    al. 2009 model satiety as kappa below 1; Tsibulsky & Norman 1999). A drug
    raises the wanting of *other* rewards' cues while it is in the body.

  Aversive kinds have gain 1. Without any identity expectation the cue takes
  the general (dopaminergic) factor.
* ``shift_c`` recomputes the worth of outcomes whose value depends on a
  physiological need (``need_value > 0`` in ``pharmacology.reinforcers``): the
  cue's predictions times the difference between what the outcome is worth in
  the current state and the incentive value it was learned at (Dayan & Berridge
  2014: model-based Pavlovian evaluation). A cue paired with intensely salty
  water is repulsive; in sodium appetite, never experienced before, it is
  attractive on its first re-encounter, before the salt is tasted again
  (Robinson & Berridge 2013).

Wanting drives Pavlovian approach, conditioned reinforcement (amphetamine potentiates
responding for a conditioned reinforcer: Taylor & Robbins 1984), the value the
goal-directed system gives to cues a response produces, Pavlovian-instrumental transfer
(Wyvell & Berridge 2000) and craving. Liking — the hedonic value of an outcome when it
arrives — is not touched by ``kappa``. The comparison variants (``td``,
``redish2004``) have gain 1 and no recomputation.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from ..pharmacology.reinforcers import Kind, ReinforcerTable, natural_value
from .params import BrainParams


def elapse(params: BrainParams, since: Float[Array, "K"], sens: Float[Array, ""], gap_s):
    """Time since each kind's last delivery, and sensitisation, after ``gap_s`` seconds."""
    return since + gap_s, sens * jnp.exp(-gap_s / (86400.0 * params.sensitization_tau_d))


def deliver(params: BrainParams, table: ReinforcerTable, since, exposure, sens,
            amounts: Float[Array, "K"], surge: Float[Array, "K"]):
    """Update the incubation substrate and sensitisation with a delivery of ``amounts``
    (``surge``: its dopamine surge per kind, fraction above baseline); reset the time since
    the delivered kinds' last delivery."""
    got = amounts > 0
    exposure = exposure + params.incubation_rate * got * (surge - exposure)
    drug = got & (table.kind == Kind.DRUG)
    weight = 1.0 - jnp.exp(-since / (3600.0 * params.sensitization_interval_h))
    push = params.sensitization_rate * jnp.sum(jnp.where(drug, surge * weight, 0.0))
    sens = sens + (1.0 - sens) * (1.0 - jnp.exp(-push))
    return jnp.where(got, 0.0, since), exposure, sens


def incubation(params: BrainParams, table: ReinforcerTable, since, exposure) -> Float[Array, "K"]:
    """Incubated rise of each kind's incentive gain, ``incubation_gain * P_k * f_k(t_k)``."""
    f = table.incubation_norm * (jnp.exp(-since / table.incubation_decay_s)
                                 - jnp.exp(-since / table.incubation_rise_s))
    return params.incubation_gain * exposure * jnp.maximum(f, 0.0)


def gains(params: BrainParams, table: ReinforcerTable, occupancy, sens, incubated,
          withdrawal=0.0, clamp=None, drive=None) -> tuple[Float[Array, "K"], Float[Array, ""]]:
    """The incentive gain of each kind's cues, and the general (dopaminergic) factor.
    ``drive`` (per kind, 0-1; None: 1) is the homeostatic drive left for each drug."""
    general = ((1.0 - 0.5 * withdrawal)
               * (1.0 + params.intoxication_gain * occupancy + params.sensitization_gain * sens))
    k = general * (1.0 + incubated)
    if drive is not None:
        k = k * jnp.where(table.kind == Kind.DRUG, drive, 1.0)
    if clamp is not None:
        k = k * clamp
    return jnp.where(table.kind == Kind.AVERSIVE, 1.0, k), general


def drive_left(table: ReinforcerTable, level: Float[Array, "K"], setpoint) -> Float[Array, "K"]:
    """Per drug, the share of the homeostatic drive left at its brain level:
    ``clip(1 - (level / ed50) / h*, 0, 1)`` (1 when the drug is gone, 0 at the setpoint)."""
    return jnp.clip(1.0 - level / table.ed50 / setpoint, 0.0, 1.0)


def worth_shift(table: ReinforcerTable, inc: Float[Array, "K"], g, need) -> Float[Array, "K"]:
    """How much more one default amount of each need-dependent kind is worth now than the
    incentive value it was learned at (0 for kinds without a need value)."""
    now = natural_value(table, need) * table.default_amount * g
    return jnp.where(table.need_value > 0, now - inc, 0.0)


def cue_wanting(params: BrainParams, cue_v0: Float[Array, "C"], w_id: Float[Array, "C K"],
                kappa: Float[Array, "K"], general, shift: Float[Array, "K"]) -> Float[Array, "C"]:
    """Each cue's incentive value now (reward units; negative for a repulsive cue)."""
    pred = jnp.maximum(w_id, 0.0)
    kappa_c = cue_gain(w_id, kappa, general)
    v = cue_v0 + jnp.sum(pred * shift[None, :], axis=1)
    return params.incentive_attribution * kappa_c * v


def cue_gain(w_id: Float[Array, "C K"], kappa: Float[Array, "K"], general) -> Float[Array, "C"]:
    """Each cue's incentive gain: the gains of the kinds it predicts, mixed by its identity
    expectations (``general`` for a cue that predicts nothing)."""
    pred = jnp.maximum(w_id, 0.0)
    total = jnp.sum(pred, axis=1)
    mixed = jnp.sum(pred * kappa[None, :], axis=1) / jnp.maximum(total, 1e-9)
    return jnp.where(total > 1e-6, mixed, general)
