r"""Who is in control: goal-directed and habitual values, their arbitration, attention.

Two controllers value each operandum (Daw, Niv & Dayan 2005):

* **Goal-directed** (dorsomedial striatum and prefrontal cortex): the value of
  an action is computed when it is needed, from a learned model of what the
  action delivers (``m_op``, the action -> outcome model, per context) and what each
  outcome is worth *now* (``inc``, incentive values learned by consuming the
  outcome: Balleine & Dickinson 1998). Pairing an outcome with illness, or
  eating it to satiety, changes ``inc`` and so the action's value at once,
  without the action being performed again (Adams 1982).
* **Habitual** (dorsolateral striatum): the cached, model-free value ``q``,
  learned by the prediction error of the outcome the action produced; it
  changes only by performing the action (insensitive to devaluation).

**Arbitration by uncertainty** (Daw, Niv & Dayan 2005): the cached value's
uncertainty falls as experience with the action accumulates, while the
goal-directed computation keeps a fixed uncertainty (the cost of computing
it). Experience is counted in ``habit`` (per context and operandum): each
response whose outcome becomes known adds one observation, plus
``habit_drug_gain`` times the drug's pharmacological dopamine in the dorsal
striatum — drug-evoked dopamine in the dorsal striatum strengthens
stimulus-response learning, so drug seeking becomes habitual after less
training than food seeking (Nelson & Killcross 2006; Everitt & Robbins 2005;
Dickinson, Wood & Smith 2002). The cached value's variance is
``sigma^2 / n``; the habit share of control is the soft choice of the more
certain controller,

    habit_weight = n^k / (n^k + n_half^k),

``n_half = habit_half / depth`` being the experience at which both are equally
uncertain and ``k = habit_sharpness`` how sharply control changes hands
(Adams 1982: sensitive to devaluation after about 100 reinforcers, not after
500). ``depth`` is how many steps ahead the goal-directed system must look: 1
for an action that leads to an outcome, 2 for the first step of a sequential
task (the two-step task), whose evaluation accumulates the noise of each step
(Daw, Niv & Dayan 2005), so the habit shares control sooner there. The action value is ``w q + (1 - w) v_goal``; with ``w = 1`` it is the
model-free value alone.

**Homeostatic relief** (Keramati & Gutkin 2014; ``receptors.drive_reduction``) is
computed on the spot from the drug level and the setpoint and enters both
branches: the habit branch takes it whole (habits are energised by drive as it
is: Hull 1943), while the goal-directed branch credits it in proportion to the
drug's learned incentive value over its unsated worth (``credited_share``), so
relief from a drug never consumed yet, or one paired with illness, earns no
goal-directed credit.

**Lesions and inactivations** (Yin, Knowlton & Balleine 2004, 2005; Corbit,
Nie & Janak 2012), per episode from the schedule, as ``intact`` gains
``(dls, dms, vs)`` (1 intact, 0 inactivated): without the DLS control is
goal-directed (``w = 0``) and no habit accrues; without the DMS control is
habitual (``w = 1``) and the action -> outcome model does not learn; without
the ventral striatum the Pavlovian critic does not learn, so cues acquire no
value and the dorsal striatum receives no cue signal from it (Belin & Everitt
2008: ventral-to-dorsal serial connectivity).

**Attention** (Field & Cox 2008; Mackintosh 1975's relative predictiveness):
``attentional_bias`` (0-1) is the share of attention drug-predicting cues
capture among the cues of the current context, ``S_drug / (S_all +
attention_floor)``, with ``S`` the cues' learned values (the dot-probe asks
where attention goes when a drug cue and a neutral one appear together).
When a drug cue is present at the moment of choice, the values of the
alternatives (withholding, and actions that do not lead to the drug) shrink
by ``attention_narrowing * attentional_bias``: attention narrows onto the
drug.

**Pavlovian-instrumental transfer** (Corbit & Balleine 2005): a cue present at
choice that predicts outcome ``k`` adds ``pit_gain`` times its prediction of
``k``, at ``k``'s current incentive gain (``brain.incentive``; Wyvell & Berridge
2000), to the value of actions that deliver ``k`` (outcome-specific transfer).

**Sign- and goal-tracking** (Flagel et al. 2009, 2011; Robinson & Flagel 2009;
Lesaint et al. 2014): when a cue predicts food, some rats approach and
engage the cue itself (sign-trackers), others go to where the food will
arrive (goal-trackers). Both kinds of approach are Pavlovian responses: they
do not change what is delivered and are not learned from their
consequences, so their values are computed here, not cached per response.
Approaching cue ``c`` is worth its incentive value ``max(W_c, 0)``
(``brain.incentive``: ``incentive_attribution`` times the cue's
dopamine-learned value, at the current state's gain), the cue made attractive
(incentive salience: the cue becomes a "motivational magnet"). Going to the goal is worth what the
present cues predict, outcome by outcome (``w_id``, learned without
dopamine's teaching signal), times each outcome's current incentive value:
the goal-directed expectation. ``incentive_attribution`` below 1 also slows
the critic's learning (``brain.subject.learn``), so in a low-attribution
subject (a goal-tracker) the cue acquires little dopamine response and the
outcome stays surprising, as Flagel et al. 2011 measured; blocking the critic
(dopamine antagonist or ventral-striatal inactivation during training)
prevents sign-tracking but spares goal-tracking.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from ..pharmacology.reinforcers import Kind, ReinforcerTable, natural_value
from .params import BrainParams

#: order of the ``intact`` gains
REGIONS = ("dls", "dms", "vs")

#: ``approach`` codes of an action slot: not an approach response / go to the goal
#: (where outcomes arrive); a code ``c >= 0`` approaches cue ``c``
NOT_APPROACH = -1
APPROACH_GOAL = -2


def habit_weight(params: BrainParams, experience, depth=1.0) -> Array:
    """Habit share of control for accumulated ``experience`` (any shape), before lesions,
    for a goal-directed evaluation ``depth`` steps deep (its uncertainty grows with depth)."""
    x = jnp.maximum(experience, 0.0) * depth / params.habit_half
    xk = x ** params.habit_sharpness
    return xk / (1.0 + xk)


def gated_habit_weight(w, intact: Float[Array, "3"]):
    """Habit share after inactivations: no DLS -> 0; no DMS (and DLS intact) -> 1."""
    dls, dms = intact[0], intact[1]
    w_dls = w * dls
    return w_dls + (1.0 - dms) * (1.0 - w_dls) * dls


def goal_values(table: ReinforcerTable, m_op: Float[Array, "O K"], inc: Float[Array, "K"],
                m_cue: Float[Array, "O C"], cue_values: Float[Array, "C"]) -> Float[Array, "O"]:
    """Goal-directed value of each operandum: expected outcomes times their current worth,
    plus the current value of the cues the response produces (a cue is a sub-goal:
    conditioned reinforcement, Mackintosh 1974)."""
    outcomes = jnp.sum(m_op / table.default_amount[None, :] * inc[None, :], axis=1)
    return outcomes + jnp.sum(m_cue * cue_values[None, :], axis=1)


def cue_salience(w_ctx0: Float[Array, "C"], w_id: Float[Array, "C K"],
                 table: ReinforcerTable) -> tuple[Array, Array]:
    """Per cue: learned salience ``|v|`` and the share of it that predicts a drug."""
    is_drug = table.kind == Kind.DRUG
    drug_pred = jnp.sum(jnp.where(is_drug[None, :], jnp.maximum(w_id, 0.0), 0.0), axis=1)
    all_pred = jnp.sum(jnp.abs(w_id), axis=1)
    share = jnp.where(all_pred > 1e-6, drug_pred / jnp.maximum(all_pred, 1e-6), 0.0)
    return jnp.abs(w_ctx0), share


def attentional_bias(params: BrainParams, w_ctx0, w_id, table: ReinforcerTable, mask) -> Array:
    """Share of attention captured by drug cues among the cues in ``mask`` (0-1)."""
    sal, share = cue_salience(w_ctx0, w_id, table)
    sal = jnp.where(mask, sal, 0.0)
    return jnp.sum(sal * share) / (jnp.sum(sal) + params.attention_floor)


def transfer(params: BrainParams, table: ReinforcerTable, m_op: Float[Array, "O K"],
             w_id: Float[Array, "C K"], present, kappa=None) -> Float[Array, "O"]:
    """Outcome-specific PIT: the present cues' outcome predictions, times each outcome's
    incentive gain ``kappa`` (``brain.incentive``; None: 1), times what each action delivers
    (in default amounts)."""
    pred = jnp.sum(jnp.where(present[:, None], jnp.maximum(w_id, 0.0), 0.0), axis=0)
    if kappa is not None:
        pred = pred * kappa
    units = m_op / table.default_amount[None, :]
    units = jnp.where((table.kind == Kind.AVERSIVE)[None, :], 0.0, units)
    return params.pit_gain * jnp.sum(units * pred[None, :], axis=1)


def incentive_targets(table: ReinforcerTable, amounts, g, sat, need=None):
    """What one default amount of each delivered kind was worth in this episode.

    Appetitive kinds: their hedonic value per default amount under the current receptor
    gain and satiety, minus the malaise delivered in the same episode (illness after
    eating conditions an aversion to the food itself: Garcia & Koelling 1966). Aversive
    kinds: their hedonic value per default amount.
    """
    malaise = jnp.sum(jnp.where(table.malaise > 0, table.value * amounts, 0.0))
    units = amounts / table.default_amount
    aversive = table.kind == Kind.AVERSIVE
    appetitive = unit_worth(table, g, need) * (1.0 - sat) - malaise
    return jnp.where(aversive, -table.value * table.default_amount, appetitive), units > 0


def unit_worth(table: ReinforcerTable, g, need=None) -> Float[Array, "K"]:
    """Hedonic worth of one default amount of each appetitive kind, unsated, at gain ``g``
    and physiological ``need`` (None: none)."""
    drug = table.kind == Kind.DRUG
    per_drug = table.value * table.default_amount / (table.default_amount + table.ed50)
    return jnp.where(drug, per_drug, natural_value(table, need) * table.default_amount) * g


def credited_share(table: ReinforcerTable, inc: Float[Array, "K"], g,
                   expected: Float[Array, "S K"]) -> Float[Array, "S"]:
    """Per slot, the share of its expected drug's homeostatic relief the goal-directed system
    credits: the drug's learned incentive value over its unsated worth, in [0, 1]. A drug
    never consumed yet (incentive learning: Balleine & Dickinson 1998), or one paired with
    illness, gets little or none."""
    drug = table.kind == Kind.DRUG
    share = jnp.clip(inc / jnp.maximum(unit_worth(table, g), 1e-6), 0.0, 1.0)
    units = jnp.where(drug[None, :], expected / table.default_amount[None, :], 0.0)
    total = jnp.sum(units, axis=1)
    return jnp.where(total > 0, jnp.sum(units * share[None, :], axis=1)
                     / jnp.maximum(total, 1e-9), 0.0)


def approach_values(wanting: Float[Array, "C"], w_id: Float[Array, "C K"],
                    inc: Float[Array, "K"], present, approach) -> Float[Array, "S"]:
    """Value of each Pavlovian approach slot (0 where the slot is not an approach response):
    a cue's incentive value ``wanting`` (``brain.incentive``: the attributed, state-dependent
    salience; sign-tracking) or the present cues' predicted outcomes at their current worth
    ``inc`` (goal-tracking)."""
    n_cues = wanting.shape[0]
    hot = approach[:, None] == jnp.arange(n_cues)[None, :]
    sign = jnp.sum(jnp.where(hot, jnp.maximum(wanting, 0.0)[None, :], 0.0), axis=1)
    pred = jnp.sum(jnp.where(present[:, None], jnp.maximum(w_id, 0.0), 0.0), axis=0)
    goal = jnp.sum(pred * inc)
    return jnp.where(approach == APPROACH_GOAL, goal, jnp.where(approach >= 0, sign, 0.0))
