r"""One virtual subject: the circuits composed in the order of the causal chain.

``perceive`` (before acting) and ``learn`` (after the task has answered) are
pure functions of separate parameter and state pytrees, written for one
subject; the engine ``vmap``\ s them over a cohort and ``lax.scan``\ s them over
episodes.

Reading ``learn`` reads the chain as far as this slice builds it::

    drug exposure -> cue learning -> dopamine prediction -> craving

1. exposure: the outcome vector becomes primary reward ``r`` and, for drugs,
   the pharmacological dopamine term ``D`` (``pharmacology.reinforcers``);
2. dopamine prediction: TD errors over the serial compound (``brain.dopamine``);
3. cue learning: CSC weights per context, with generalisation across contexts;
   outcome-identity expectations per cue (Rescorla & Wagner 1972);
4. instrumental learning: cached action values per context and operandum,
   reinforced by the outcome and by conditioned reinforcers the response
   produced (the cue's learned value; Panlilio et al. 2007's test);
5. craving: cue-triggered wanting read from the value of drug-predicting cues.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..pharmacology.reinforcers import (Kind, ReinforcerTable, hedonic_per_kind,
                                        surge_per_kind)
from . import dopamine, receptors
from .params import N_BINS, BrainParams, Model
from .receptors import Body

NEG = -1e9


class BrainState(eqx.Module):
    """What a subject has learned so far, and its body."""

    w: Float[Array, "X C N"]        # CSC cue weights per context
    q: Float[Array, "X O"]          # cached action values per context and operandum
    w_id: Float[Array, "C K"]       # cue -> outcome identity (amount / default amount)
    m_op: Float[Array, "O K"]       # operandum -> expected delivered amounts (action-outcome)
    rho: Float[Array, ""]           # average reward rate, reward units per second
    body: Body                      # drug levels, receptors, withdrawal, allostasis


class Observation(eqx.Module):
    """What the subject sees when it has to act."""

    context: Int[Array, ""]
    slot_operandum: Int[Array, "S"]    # operandum behind each action slot; -1 = unavailable


class Episode(eqx.Module):
    """What happened in the episode, as the task reports it."""

    cue_onset: Int[Array, "C"]         # onset bin of each cue, -1 = absent
    response_cue: Bool[Array, "C"]     # cues produced by the subject's response
    amounts: Float[Array, "K"]         # outcome vector
    outcome_bin: Int[Array, ""]        # bin of delivery, -1 = none
    expected_bin: Int[Array, ""]       # bin an outcome was due (delivered or omitted), -1 = none
    operandum: Int[Array, ""]          # operandum responded on, -1 = none
    completed: Bool[Array, ""]         # the response completed the ratio (its outcome is known)
    gap_s: Float[Array, ""]            # seconds since the previous episode


def init(params: BrainParams, *, n_contexts: int, n_cues: int, n_operanda: int,
         n_kinds: int) -> BrainState:
    dt = params.alpha.dtype
    return BrainState(w=jnp.zeros((n_contexts, n_cues, N_BINS), dt),
                      q=jnp.zeros((n_contexts, n_operanda), dt),
                      w_id=jnp.zeros((n_cues, n_kinds), dt),
                      m_op=jnp.zeros((n_operanda, n_kinds), dt),
                      rho=jnp.zeros((), dt),
                      body=receptors.init_body(params, n_kinds))


def elapse(params: BrainParams, table: ReinforcerTable, state: BrainState, gap_s) -> BrainState:
    """Let ``gap_s`` seconds of real time pass (kinetics, receptors, withdrawal, allostasis)."""
    return eqx.tree_at(lambda s: s.body, state, receptors.elapse(params, table, state.body, gap_s))


def perceive(params: BrainParams, table: ReinforcerTable, state: BrainState,
             obs: Observation, model: Model = Model.DEFAULT) -> Float[Array, "S"]:
    """Action values of each slot.

    Slot 0 withholds: the value of other activities, ``other_value`` scaled by the receptor
    gain. A response's value is its cached value minus the effort cost plus, in the default
    model, the drive reduction its expected outcome would bring now
    (``receptors.drive_reduction``), recomputed from the current drug level and setpoint.
    The comparison variants (``td``, ``redish2004``) use the cached values alone.
    """
    op = obs.slot_operandum
    q_ctx = state.q[obs.context]
    onehot = op[:, None] == jnp.arange(q_ctx.shape[0])[None, :]
    q = jnp.sum(jnp.where(onehot, q_ctx[None, :], 0.0), axis=1) - params.response_cost
    other = params.other_value
    if model is Model.DEFAULT:
        expected = jnp.sum(jnp.where(onehot[:, :, None], state.m_op[None, :, :], 0.0), axis=1)
        q = q + receptors.drive_reduction(params, table, state.body, expected)
        other = other * state.body.d2
    vals = jnp.where(op >= 0, q, NEG)
    return vals.at[0].set(other)

def softmax_policy(action_values: Float[Array, "S"], beta, u: Float[Array, ""]) -> Int[Array, ""]:
    """Sample a slot from ``softmax(beta * values)`` by inverting the CDF at uniform ``u``."""
    logits = beta * action_values
    logits = jnp.where(action_values <= NEG / 2, -jnp.inf, logits)
    p = jax.nn.softmax(logits)
    cdf = jnp.cumsum(p)
    a = jnp.sum(cdf < u * cdf[-1])
    return jnp.minimum(a, action_values.shape[0] - 1).astype(jnp.int32)


def _gen(n: int, ctx, g):
    """Context generalisation weights: 1 in the current context, ``g`` elsewhere."""
    return jnp.where(jnp.arange(n) == ctx, 1.0, g)


def learn(params: BrainParams, table: ReinforcerTable, model: Model, state: BrainState,
          obs: Observation, episode: Episode) -> tuple[BrainState, dict[str, Array]]:
    """Learn from one episode; return the new state and the episode's record.

    ``state.body`` is the body at the episode's start (after ``elapse``).
    """
    dt = state.w.dtype
    ctx = obs.context
    onset = episode.cue_onset
    w_ctx = state.w[ctx]
    t = jnp.arange(N_BINS)
    body = state.body
    amounts = episode.amounts

    # 1. exposure: primary reward and the drug's pharmacological dopamine, downstream of
    #    receptor availability g (tolerance, anhedonia), outcome-specific satiety and the
    #    allostatic hedonic set point (brain.receptors)
    #    (the comparison variants are the published rules alone: the body is simulated and
    #    recorded, but only the default model's values feel it)
    adaptive = model is Model.DEFAULT
    g = body.d2 if adaptive else jnp.ones_like(body.d2)
    sat = receptors.satiety(params, table, body) * adaptive
    is_drug = table.kind == Kind.DRUG
    is_nat = table.kind == Kind.NATURAL
    aversive = table.kind == Kind.AVERSIVE
    hed = hedonic_per_kind(table, amounts)
    shift = receptors.hedonic_set_point(params, body) * adaptive
    appetitive = jnp.any((amounts > 0) & ~aversive)
    r_out = jnp.sum(jnp.where(aversive, hed, g * hed * (1.0 - sat))) - shift * appetitive
    vta = 1.0 - params.withdrawal_depth * jnp.sum(body.deficit)   # release capacity
    surge = surge_per_kind(table, amounts, params.drug_sensitivity)
    nat_surge = jnp.sum(jnp.where(is_nat, surge * (1.0 - sat), 0.0)) * jnp.maximum(vta, 0.0)
    drug_surge = jnp.sum(jnp.where(is_drug, surge, 0.0))
    d_out = params.da_to_reward * g * drug_surge
    at_out = (t == episode.outcome_bin).astype(dt)
    r = at_out * r_out
    d = at_out * d_out

    # 2. dopamine prediction
    x = dopamine.elements(onset)
    v = dopamine.values(w_ctx, x)
    rho_eff = state.rho + params.rho_allostatic * body.load * adaptive
    cost = dopamine.time_cost(rho_eff, params.avg_reward_weight)
    delta = dopamine.prediction_errors(v, r, d, params.gamma, cost, model)

    # 3. cue learning (per context, generalising across contexts)
    n_ctx = state.w.shape[0]
    gen = _gen(n_ctx, ctx, params.context_generalization).astype(dt)
    dw = dopamine.weight_update(delta, x)
    w = state.w + params.alpha * gen[:, None, None] * dw[None]

    present = onset >= 0
    target = amounts / table.default_amount
    pred = jnp.sum(jnp.where(present[:, None], state.w_id, 0.0), axis=0)
    w_id = state.w_id + params.alpha_id * present[:, None] * (target - pred)[None, :]

    # 4. instrumental learning: outcome + conditioned reinforcement, by the same rule;
    #    and the action -> outcome model (what a completed response delivers)
    op = episode.operandum
    responded = op >= 0
    disc_out = jnp.where(episode.outcome_bin >= 0,
                         params.gamma ** jnp.maximum(episode.outcome_bin, 0).astype(dt), 0.0)
    cue_v0 = w_ctx[:, 0]
    cr = jnp.sum(jnp.where(episode.response_cue & present,
                           params.gamma ** jnp.maximum(onset, 0).astype(dt) * cue_v0, 0.0))
    op_hot = jnp.arange(state.q.shape[1]) == op
    q_old = jnp.sum(jnp.where(op_hot, state.q[ctx], 0.0))
    base_q = disc_out * r_out + cr - q_old
    d_q = disc_out * d_out
    if model is Model.TD:
        delta_q = base_q
    elif model is Model.DEFAULT:
        delta_q = base_q + d_q
    else:
        delta_q = jnp.where(d_q > 0, jnp.maximum(base_q + d_q, d_q), base_q)
    upd = (params.alpha_q * delta_q * responded) * gen
    q = state.q + upd[:, None] * op_hot[None, :]
    known = (responded & episode.completed)
    m_op = state.m_op + (params.alpha_id * known) * op_hot[:, None] * (amounts[None, :] - state.m_op)

    # average reward rate over real time (opportunity cost; Niv et al. 2007)
    reinforcement = r_out + (0.0 if model is Model.TD else d_out)
    gap = jnp.maximum(episode.gap_s, N_BINS * dopamine.BIN_S)
    k = 1.0 - jnp.exp(-gap / (params.avg_reward_tau_h * 3600.0))
    rho = state.rho + k * (reinforcement / gap - state.rho)

    # 5. craving: cue-triggered wanting from drug-predicting cues
    drug_pred = jnp.sum(jnp.where(is_drug[None, :], jnp.maximum(state.w_id, 0.0), 0.0), axis=1)
    all_pred = jnp.sum(jnp.abs(state.w_id), axis=1)
    drug_share = jnp.where(all_pred > 1e-6, drug_pred / jnp.maximum(all_pred, 1e-6), 0.0)
    any_cue = jnp.any(present)
    cue_value = jnp.where(any_cue, jnp.max(jnp.where(present, cue_v0, NEG)), 0.0)
    wanting = jnp.max(jnp.where(present, jnp.maximum(cue_v0, 0.0) * drug_share, 0.0))
    craving = 10.0 * wanting / (wanting + params.craving_half)

    first = jnp.min(jnp.where(present, onset, N_BINS))
    da_cue = jnp.where(any_cue, dopamine.at_bin(delta, first), 0.0)
    out_bin = jnp.where(episode.outcome_bin >= 0, episode.outcome_bin, episode.expected_bin)
    has_out = out_bin >= 0
    da_outcome = jnp.where(has_out, dopamine.at_bin(delta, out_bin), 0.0)

    # extracellular dopamine (microdialysis): tonic from drug levels, minus withdrawal,
    # plus the natural reward consumed in the episode
    ventral, dorsal = receptors.tonic_dopamine(params, table, body)
    drug_amount = jnp.sum(jnp.where(is_drug, amounts, 0.0))
    natural_amount = jnp.sum(jnp.where(is_nat, amounts, 0.0))
    record = {
        "da_cue": da_cue,
        "da_outcome": da_outcome,
        "da_phasic": delta,
        "da_extracellular_pct": 100.0 * (ventral + nat_surge),
        "da_dorsal_pct": 100.0 * (dorsal + nat_surge),
        "cue_value": cue_value,
        "craving": craving,
        "average_reward": rho_eff,
        "dose": drug_amount,
        "drug_taken": drug_amount > 0,
        "natural_taken": natural_amount > 0,
        "cue_shown": any_cue,
        "has_outcome_time": has_out,
        "drug_level": jnp.sum(jnp.where(is_drug, body.level, 0.0)),
        "receptor_availability": body.d2,
        "withdrawal": receptors.withdrawal(params, table, body),
        "mood": receptors.mood(params, table, body),
        "hedonic_setpoint": receptors.hedonic_set_point(params, body),
        "reward_threshold": receptors.reward_threshold(params, body),
        "drug_setpoint": receptors.setpoint(params, body),
    }
    body = receptors.deliver(body, amounts)
    return BrainState(w=w, q=q, w_id=w_id, m_op=m_op, rho=rho, body=body), record
