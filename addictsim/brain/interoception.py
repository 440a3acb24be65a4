r"""Interoception: states of the body as internal cues.

The insula reads the body and the brain uses what it reads as it uses the cues around it
(Naqvi & Bechara 2010; Naqvi, Rudrauf, Damasio & Bechara 2007: smokers with insula damage
quit easily and lose the urge to smoke). Two body states are read here, the drug on board
and stress (withdrawal acts on the gain of drug cues instead, ``brain.incentive``, and,
where a cue map names it, as a learned cue: below; mood is not routed through the
insula). The interoceptive state enters memory retrieval (``brain.memory``) as the drug
state :math:`f`, the evidence for the memories formed while the drug was on board, through
the insula's gain :math:`g_{ins}` (``insula_gain``; a lesion sets it to 0):

.. math::
    f = g_{ins}\,\bigl(f_{drug} + (1 - f_{drug})\, d_s\, S\bigr)

* :math:`f_{drug}` (0-1), the drugs' summed receptor occupancy (``brain.subject``);
* :math:`S` (0-1), stress. Each footshock of intensity :math:`I` (mA) moves it
  ``stress_rate`` times a threshold of the intensity of the way to 1,

  .. math:: S \leftarrow S + (1 - S)\, r_s\, \sigma\bigl((I - I_{50}) / w\bigr),

  (``stress_threshold_ma`` :math:`I_{50}`, ``stress_slope_ma`` :math:`w`: 0.25 mA does not
  reinstate cocaine seeking, 0.5 and 0.75 mA do; Buffalari & See 2009), and it falls with
  time constant ``stress_tau_min`` after the shocks end. A stressor of a person's days (a
  cue map's cue with ``stress``: a row at work) takes it its own share of the way to 1 at
  the start of each episode it is present in, with no outcome to learn from (Sinha,
  Catapano & O'Malley 1999; Sinha 2001: stress and the risk of relapse);
* :math:`d_s` (``stress_dopamine``): how much like the drug a full stress state feels.
  Footshock raises accumbens dopamine and reinstates heroin seeking as a heroin prime does
  (Shaham & Stewart 1995); the model gives it that one route, the drug-like body state.

**Craving from internal cues.** The body state is a cue in its own right (Sinha, Catapano &
O'Malley 1999: stress imagery induces cocaine craving as drug-cue imagery does; Jaffe et
al. 1989: a priming dose raises the urge for more). Having retrieved its memories, it
triggers the wanting of the drug they expect in the situation, with no cue shown:

.. math::
    W_{int} = f \sum_{k\,\mathrm{drug}} e_k\, \kappa_k\, v_k

with :math:`e_k` the largest expectation of drug ``k`` (default amounts) the retrieved
memories hold for any cue or response here, :math:`\kappa_k` its incentive gain now
(``brain.incentive``, without the cues' incubation: Lu et al. 2004), :math:`v_k` its worth
per default amount. Craving is read from the larger of the cue-triggered and the internal
wanting; an episode in which the body state alone makes craving ``PROBE`` (1 of 10) or more
counts as a craving probe, as a cue shown does (``craving_probe``). An insula lesion
(``insula_gain`` 0) leaves no internal craving (Naqvi et al. 2007: the urge to smoke
gone). Withdrawal does not enter this drug-like state: it lowers the gain of drug cues
(the crash after a binge: Gawin & Kleber 1986), and precipitated withdrawal does not
reinstate heroin seeking (Shaham & Stewart 1995).

**Withdrawal as a learned cue** (only where a cue map names it: ``world.cues``, state
``withdrawal``). The withdrawal the insula reads, :math:`g_{ins} W`, is a cue the brain shows
itself while it reaches the level the person feels, ``felt`` (0-1, a property of the cue
map): a binary cue like the cues around the person, present from the episode's start,
learned and retrieved as they are (its value, the outcomes it predicts, its evidence for
the memories it was shown in, the attention it captures). What it comes to predict is what
followed it: a person who drank on waking to ease the shakes learns that the shakes
predict a drink (Wikler 1948, 1973: conditioned withdrawal; Baker, Piper, McCarthy, Majeskie
& Fiore 2004: the interoceptive cues of withdrawal set off the drug motive they were paired
with). It adds no wanting of its own, nor a drive: the relief a dose brings is already in
the homeostatic term (``receptors.drive_reduction``). A rat that took heroin in 3-h
sessions, rarely in withdrawal, has not paired it with the drug, and the task protocols do
not show it: precipitated withdrawal does not reinstate heroin seeking (Shaham & Stewart
1995).

Consequences, not set separately: stress retrieves the memory formed while taking the
drug, so it brings back drug seeking but not food seeking (a food memory was not formed in
a drug state: Ahmed & Koob 1997); it brings back what that memory holds in the context the
subject is in; its evidence multiplies with a drug cue's in retrieval. That does not make
stress and a cue together do more than the sum of each, as Buffalari & See (2009) found:
once stress has retrieved the drug memory the cue adds little (the reinstatement_triggers
row declares that check xfail). Without a drug memory there is nothing
for it to retrieve. The comparison variants (``td``, ``redish2004``) keep one memory, so
the drug state changes nothing in them.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from ..pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer
from .params import BrainParams

SHOCK = REINFORCER_INDEX[Reinforcer.SHOCK]
#: craving (0-10) from the body state alone at which an episode counts as a craving probe
PROBE = 1.0


def elapse(params: BrainParams, stress: Float[Array, ""], gap_s) -> Float[Array, ""]:
    """Stress after ``gap_s`` seconds without a shock."""
    return stress * jnp.exp(-gap_s / (60.0 * params.stress_tau_min))


def shock_push(params: BrainParams, amounts: Float[Array, "K"]) -> Float[Array, ""]:
    """The share of the way to full stress a delivery takes: 0 without a shock."""
    current = amounts[SHOCK]
    step = jnp.where(current > 0,
                     1.0 / (1.0 + jnp.exp(-(current - params.stress_threshold_ma)
                                          / params.stress_slope_ma)), 0.0)
    return params.stress_rate * step


def deliver(params: BrainParams, stress: Float[Array, ""],
            amounts: Float[Array, "K"]) -> Float[Array, ""]:
    """Stress after a delivery of ``amounts``."""
    return stress + (1.0 - stress) * shock_push(params, amounts)


def stressed(stress: Float[Array, ""], share) -> Float[Array, ""]:
    """Stress after a stressor of daily life that takes it ``share`` (0-1) of the way to
    full: no threshold, the share is the stressor's (a cue map's ``stress``)."""
    return stress + (1.0 - stress) * share


def drug_like(params: BrainParams, f_drug: Float[Array, ""],
              stress: Float[Array, ""]) -> Float[Array, ""]:
    """The interoceptive drug state, 0-1, the insula passes to retrieval: the drug state,
    raised towards 1 by stress as far as stress feels like the drug. Exactly ``f_drug``
    without stress at the default gain."""
    f = params.insula_gain * (f_drug + (1.0 - f_drug) * params.stress_dopamine * stress)
    return jnp.clip(f, 0.0, 1.0)


def withdrawal_cue(params: BrainParams, withdrawal: Float[Array, ""], felt) -> Array:
    """Whether the withdrawal the insula reads (``insula_gain`` times ``withdrawal``, 0-1)
    reaches ``felt`` (> 0), the level the person feels: the cue is shown."""
    return params.insula_gain * withdrawal >= felt


def internal_wanting(drug_state: Float[Array, ""], expected: Float[Array, "K"],
                     kappa: Float[Array, "K"], worth: Float[Array, "K"],
                     is_drug: Array) -> Float[Array, ""]:
    """Drug wanting triggered by the body state with no cue (reward units, >= 0): the
    interoceptive state ``drug_state`` times the drugs the retrieved memories expect here
    (``expected``, default amounts), at their incentive gain ``kappa`` and worth ``worth``."""
    v = jnp.where(is_drug, jnp.maximum(expected, 0.0) * kappa * jnp.maximum(worth, 0.0), 0.0)
    return drug_state * jnp.sum(v)
