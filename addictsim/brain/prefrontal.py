r"""Prefrontal inhibitory control: the veto on punished habits, and its erosion by drugs.

**The veto.** A habitual response is valued by the cached value ``q``, which learns about a
punishment only by being punished, and slowly when D2 receptors are scarce (see below). The
prefrontal cortex knows what the goal-directed model predicts (``m_op``: this response is
followed by footshock half the time) and brings that prediction to bear on the habit's share
of control: the value of a response falls by

    pfc_control * w_habit * harm + ((1 - w_habit) + pfc_control * w_habit) * threat,

``harm`` being the expected punishment of the response (its expected aversive outcomes at
their learned, negative incentive value) and ``threat`` the punishment predicted by the cues
present (a shock-paired stimulus; ``w_id``), which suppresses every response (conditioned
suppression: Estes & Skinner 1941) in the goal-directed share and, through the veto, in the
habitual one (Dayan, Niv, Seymour & Daw 2006 on Pavlovian inhibition of action). A subject
whose behaviour is goal-directed (``w_habit`` near 0) already values the punishment and
needs no veto; a habit with a strong veto still stops; a habit without one goes on
(Vanderschuren & Everitt 2004; Pelloux, Everitt & Dickinson 2007; Chen et al. 2013:
prelimbic stimulation prevents compulsive cocaine seeking and inhibition induces it).
The veto concerns predicted punishment only: a devalued outcome lowers the goal-directed
value but harms no one, so habits stay insensitive to devaluation (``brain.control``).

**Consequences known, not felt.** The costs of drug use that arrive days later (a
hangover, a lost shift, a quarrel, debt, ill health) are too late to teach the cached values,
which learn from what follows a response within the episode. A person knows of them all the
same, and when a task declares them (``consequence``: the costs a response brings, in
amounts of aversive kinds, ``consequence_delay`` days later) they enter the value of the
response as the punishment does: the goal-directed share values them, and the veto brings them
to bear on the habit's share, at their hedonic cost discounted by the delay
(``brain.discounting``: the micro-agents' hyperbolic factor at the subject's rate, raised by
the allostatic load). This is the choice between a smaller, sooner reward and the larger,
later cost that Ainslie (1975) and Bickel & Marsch (2001) made the core of addiction: steep
discounting (high load) and weak control (high insult) leave the later cost little weight,
so the risk of using falls as both recover in abstinence (Kirshenbaum, Olsen & Bickel 2009
relate the slowing hazard of the relapse curve to the same processes). Whether a person
weighs such costs at all is the scenario's: after a detox, the decision to stop is the
appraisal of what use costs (Prochaska & DiClemente 1983); before it, a task may declare none.

**Erosion.** Control is ``pfc_baseline * (1 - pfc_max_loss * I / (I + pfc_insult_half_h))``
times the phase's experimental gain (``prefrontal`` in a scenario: optogenetic or
chemogenetic stimulation above 1, inhibition below), clipped to [0, 1]. The insult ``I``
accumulates hours of occupancy of each drug's own target, ``L / (L + occupancy_ed50)`` (the
dopamine effect's ``ed50`` unless the target saturates sooner: nicotine's), times the
drug's prefrontal toxicity (``pharmacology.reinforcers``: stimulants, alcohol and nicotine
1, opioids and cannabis 0; Smith et al. 2014), and recovers in abstinence with time constant
``pfc_recovery_tau_d`` (Connolly et al. 2012). ``pfc_insult_half_h`` varies between subjects:
the vulnerable lose control sooner (Chen et al. 2013: prelimbic hypoexcitability is largest
in the compulsive rats).

**Punishment learning and D2.** In an episode that delivers an aversive outcome, the cached
values learn negative prediction errors at ``alpha_q * (D2 / D2_baseline) **
d2_nogo_exponent`` (``brain.subject.learn``): punishment teaches through the D2-expressing
indirect pathway (Hikida et al. 2010: blocking it impairs aversive, not reward, learning;
Frank, Seeberger & O'Reilly 2004; Klein et al. 2007: lower D2, less learning from errors), so
the D2 loss of chronic use (``brain.receptors``) leaves a drug habit slow to learn that it is
now punished, while learning from reward, and from its omission, is spared. The ratio is to the subject's
own drug-naive availability: constitutive differences in D2 act elsewhere (``brain.receptors``,
``brain.incentive``), and a drug-naive subject learns from punishment at the full rate.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from ..pharmacology.reinforcers import Kind, ReinforcerTable
from . import discounting
from .params import BrainParams


def level_integral(table: ReinforcerTable, level, depot, gap_s) -> Float[Array, "K"]:
    """Integral of each kind's level over the next ``gap_s`` seconds (the one-compartment
    model with first-order absorption: ``receptors.elapse``), in amount-seconds."""
    ka, kel = table.ka, table.kel
    f_el = (1.0 - jnp.exp(-kel * gap_s)) / kel
    f_ab = (1.0 - jnp.exp(-ka * gap_s)) / ka
    return level * f_el + depot * ka / (ka - kel) * (f_el - f_ab)


def accrue(params: BrainParams, table: ReinforcerTable, insult, level, depot, gap_s):
    """The insult after ``gap_s`` seconds from drug ``level`` and ``depot`` at its start:
    hours of target occupancy at the gap's mean level, times each drug's toxicity, added to
    the insult decayed over the gap."""
    area = level_integral(table, level, depot, gap_s)
    mean = area / jnp.maximum(gap_s, 1e-9)
    occ_h = gap_s * mean / (mean + table.occupancy_ed50) / 3600.0
    dose_h = jnp.sum(jnp.where(table.kind == Kind.DRUG, table.pfc_toxicity * occ_h, 0.0))
    decay = jnp.exp(-gap_s / (86400.0 * params.pfc_recovery_tau_d))
    return insult * decay + dose_h


def control(params: BrainParams, insult, gain=None) -> Array:
    """Prefrontal inhibitory control (0-1) at ``insult``, times the experimental ``gain``
    (None: 1)."""
    x = (jnp.maximum(insult, 0.0) / params.pfc_insult_half_h) ** params.pfc_insult_sharpness
    frac = x / (1.0 + x)
    c = params.pfc_baseline * (1.0 - params.pfc_max_loss * frac)
    if gain is not None:
        c = c * gain
    return jnp.clip(c, 0.0, 1.0)


def harm(table: ReinforcerTable, expected: Float[Array, "S K"], worth: Float[Array, "K"]):
    """Per slot, the expected punishment of its response (>= 0): its expected aversive
    outcomes, in default amounts, at their learned (negative) incentive value."""
    aversive = table.kind == Kind.AVERSIVE
    units = jnp.where(aversive[None, :], expected / table.default_amount[None, :], 0.0)
    return jnp.sum(units * jnp.maximum(-worth, 0.0)[None, :], axis=1)


def threat(table: ReinforcerTable, w_id, present, worth: Float[Array, "K"]):
    """The punishment the present cues predict (>= 0)."""
    aversive = table.kind == Kind.AVERSIVE
    pred = jnp.sum(jnp.where(present[:, None], jnp.maximum(w_id, 0.0), 0.0), axis=0)
    return jnp.sum(jnp.where(aversive, pred * jnp.maximum(-worth, 0.0), 0.0))


def nogo_rate(params: BrainParams, d2) -> Array:
    """Share of the learning rate the cached values keep for negative prediction errors: D2
    availability relative to the subject's own drug-naive level, to the power
    ``d2_nogo_exponent`` (1 before any drug)."""
    rel = jnp.clip(d2 / params.d2_baseline, 0.0, 1.0)
    return rel ** params.d2_nogo_exponent


def later_harm(params: BrainParams, table: ReinforcerTable, load,
               consequence: Float[Array, "S K"], delay: Float[Array, "S"]) -> Float[Array, "S"]:
    """Per slot, the cost the subject knows its response brings ``delay`` days later (>= 0):
    the hedonic cost of the aversive amounts in ``consequence``, discounted at the subject's
    rate under allostatic load ``load`` (``brain.discounting``)."""
    aversive = table.kind == Kind.AVERSIVE
    cost = jnp.sum(jnp.where(aversive[None, :], consequence * table.value[None, :], 0.0), axis=1)
    return cost * discounting.delay_factor(params, load, delay)
