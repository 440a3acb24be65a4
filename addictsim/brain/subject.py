r"""One virtual subject: the circuits composed in the order of the causal chain.

``perceive`` (before acting) and ``learn`` (after the task has answered) are
pure functions of separate parameter and state pytrees, written for one
subject; the engine ``vmap``\ s them over a cohort and ``lax.scan``\ s them over
episodes.

Reading ``learn`` reads the chain as far as this slice builds it::

    drug exposure -> cue learning -> dopamine prediction -> craving
      -> narrowed attention -> habit circuitry

1. exposure: the outcome vector becomes primary reward ``r`` and, for drugs,
   the pharmacological dopamine term ``D`` (``pharmacology.reinforcers``);
2. dopamine prediction: TD errors over the serial compound (``brain.dopamine``);
3. cue learning: CSC weights per context, with generalisation across contexts;
   outcome-identity expectations per cue (Rescorla & Wagner 1972);
4. instrumental learning: cached action values per context and operandum,
   reinforced by the outcome and by conditioned reinforcers the response
   produced (the cue's learned value; Panlilio et al. 2007's test), and by later
   outcomes through eligibility traces (punishment learned more slowly as D2
   availability falls: ``brain.prefrontal``); the action -> outcome and action -> cue
   models of the goal-directed system, per context;
5. control: incentive values learned on consumption, habit experience
   (``brain.control``);
6. craving: cue-triggered wanting of drug-predicting cues, their learned value
   recomputed at the current state's incentive gain (``brain.incentive``), kept
   apart from liking; the dorsal cue signal, the habit share and the attentional
   bias.

``perceive`` arbitrates between the goal-directed and habit values
(``brain.control``) and adds the homeostatic relief, transfer, the prefrontal veto on
predicted punishment (``brain.prefrontal``) and narrowing.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..pharmacology.reinforcers import (Kind, ReinforcerTable, hedonic_per_kind,
                                        surge_per_kind)
from . import (control, discounting, dopamine, incentive, interoception, memory,
               prefrontal, receptors)
from .params import N_BINS, BrainParams, Model
from .receptors import Body

NEG = -1e9


class BrainState(eqx.Module):
    """What a subject has learned so far, and its body."""

    # the learned associations are held per memory (leading axis M: ``brain.memory``)
    w: Float[Array, "M X C N"]      # CSC cue weights per context
    q: Float[Array, "M X O"]        # cached action values per context and operandum
    w_id: Float[Array, "M C K"]     # cue -> outcome identity (amount / default amount)
    m_op: Float[Array, "M X O K"]   # per context, operandum -> expected delivered amounts
    #                                 (the action-outcome model)
    m_cue: Float[Array, "X O C"]    # per context, operandum -> cues its response produces
    inc: Float[Array, "K"]          # incentive value of one default amount of each outcome
    habit: Float[Array, "X O"]      # habit experience per context and operandum
    trace: Float[Array, "X O"]      # eligibility of recent responses for later outcomes
    rho: Float[Array, ""]           # average reward rate, reward units per second
    body: Body                      # drug levels, receptors, withdrawal, allostasis
    mem: memory.Memory              # which memories are open and what each was used for


class Observation(eqx.Module):
    """What the subject sees when it has to act."""

    context: Int[Array, ""]
    slot_operandum: Int[Array, "S"]    # operandum behind each action slot; -1 = unavailable
    cues: Bool[Array, "C"] | None = None     # cues present at choice (None: none)
    intact: Float[Array, "3"] | None = None  # (dls, dms, vs) 1 intact, 0 inactivated (None: all 1)
    forced: Bool[Array, ""] | None = None    # withholding is not an option (None: it is)
    depth: Float[Array, ""] | None = None    # steps the goal-directed plan looks ahead (None: 1)
    approach: Int[Array, "S"] | None = None  # Pavlovian approach target per slot (None: none;
    #                                          see control.APPROACH_GOAL / NOT_APPROACH)
    need: Float[Array, "K"] | None = None    # physiological need per kind, 0-1 (None: none)
    kappa: Float[Array, "K"] | None = None   # experimental clamp of the incentive gain
    #                                          per kind (None: 1; brain.incentive)
    offer: Float[Array, "S K"] | None = None  # described (hypothetical) outcome of each
    #                                          slot (None: no slot describes one)
    offer_delay: Float[Array, "S"] | None = None  # its delay in days (brain.discounting)
    consequence: Float[Array, "S K"] | None = None  # known delayed costs of each slot's
    #                                          response (None: none; see perceive)
    consequence_delay: Float[Array, "S"] | None = None  # when they are felt (days)
    pfc_gain: Float[Array, ""] | None = None  # experimental gain on prefrontal control
    #                                          (None: 1; brain.prefrontal)
    habit_context: Int[Array, ""] | None = None  # the context the cached values and habit
    #                                          are keyed to (None: ``context``; the task,
    #                                          for a speeded trial: ``tasks.go_nogo``)
    gen_scale: Float[Array, "X"] | None = None  # per context, a factor on the
    #                                          generalisation of learning to it (None: 1)
    nmda_block: Float[Array, ""] | None = None  # share of NMDA receptors blocked by a drug
    #                                          given (None: 0; brain.memory reconsolidation)


def _present(obs: Observation, n_cues: int, dtype) -> tuple[Array, Array]:
    """The observation's cues present at choice and its region gains, with their defaults."""
    cues = jnp.zeros((n_cues,), bool) if obs.cues is None else obs.cues
    intact = jnp.ones((3,), dtype) if obs.intact is None else obs.intact
    return cues, intact


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
    continues: Bool[Array, ""] | None = None   # the trial goes on in the next episode
    earned: Float[Array, "K"] | None = None    # the part of ``amounts`` the subject's own
    #                                            response earned (None: not reported)


def init(params: BrainParams, *, n_contexts: int, n_cues: int, n_operanda: int,
         n_kinds: int) -> BrainState:
    dt = params.alpha.dtype
    m = memory.SLOTS
    return BrainState(w=jnp.zeros((m, n_contexts, n_cues, N_BINS), dt),
                      q=jnp.zeros((m, n_contexts, n_operanda), dt),
                      w_id=jnp.zeros((m, n_cues, n_kinds), dt),
                      m_op=jnp.zeros((m, n_contexts, n_operanda, n_kinds), dt),
                      m_cue=jnp.zeros((n_contexts, n_operanda, n_cues), dt),
                      inc=jnp.zeros((n_kinds,), dt),
                      habit=jnp.zeros((n_contexts, n_operanda), dt),
                      trace=jnp.zeros((n_contexts, n_operanda), dt),
                      rho=jnp.zeros((), dt),
                      body=receptors.init_body(params, n_kinds),
                      mem=memory.init(n_contexts, n_cues, n_kinds, dt))


def elapse(params: BrainParams, table: ReinforcerTable, state: BrainState, gap_s) -> BrainState:
    """Let ``gap_s`` seconds of real time pass (kinetics, receptors, withdrawal, allostasis,
    the incentive state)."""
    body = receptors.elapse(params, table, state.body, gap_s)
    since, sens = incentive.elapse(params, body.since, body.sensitization, gap_s)
    insult = prefrontal.accrue(params, table, state.body.pfc_insult, state.body.level,
                               state.body.depot, gap_s)
    body = eqx.tree_at(lambda b: (b.since, b.sensitization, b.pfc_insult, b.stress), body,
                       (since, sens, insult,
                        interoception.elapse(params, state.body.stress, gap_s)))
    return eqx.tree_at(lambda s: (s.body, s.mem), state,
                       (body, memory.elapse(params, state.mem, gap_s)))


class Recall(eqx.Module):
    """The learned associations as the retrieved memories hold them now (their mixture
    under the retrieval posterior ``p``: ``brain.memory``)."""

    p: Float[Array, "M"]            # retrieval posterior over memories
    w: Float[Array, "C N"]          # cue weights in the observation's context
    w_id: Float[Array, "C K"]       # cue -> outcome identity
    q: Float[Array, "O"]            # cached values in the habit's context
    m_op: Float[Array, "O K"]       # action -> outcome model in the observation's context


def drug_state(params: BrainParams, table: ReinforcerTable, body: Body) -> Float[Array, ""]:
    """The interoceptive drug state, 0-1, as the insula passes it to retrieval: the drugs'
    summed receptor occupancy, raised by stress (``brain.interoception``)."""
    occ = receptors.occupancy(receptors.drug_effect(params, table, body.level))
    return interoception.drug_like(params, jnp.clip(memory.total(occ), 0.0, 1.0), body.stress)


def stressed(state: BrainState, share) -> BrainState:
    """The state after a stressor that takes stress ``share`` of the way to full
    (``brain.interoception.stressed``)."""
    return eqx.tree_at(lambda s: s.body.stress, state,
                       interoception.stressed(state.body.stress, share))


def withdrawal_cue(params: BrainParams, table: ReinforcerTable, state: BrainState, index,
                   felt, n_cues: int) -> Bool[Array, "C"]:
    """The cues the body shows itself: cue ``index`` (-1: none) while the withdrawal the
    brain feels reaches ``felt`` (``brain.interoception.withdrawal_cue``)."""
    on = interoception.withdrawal_cue(params, receptors.withdrawal(params, table, state.body),
                                      felt)
    return (jnp.arange(n_cues) == index) & on


def recall(params: BrainParams, table: ReinforcerTable, state: BrainState,
           obs: Observation, salience: Array | None = None) -> Recall:
    """Retrieve the memories the situation belongs to (context, time, the observation's
    cues, drug state) and read the associations they hold (``brain.memory``). ``salience``
    (per cue; default 1) weighs each cue's evidence: ``learn`` retrieves again with the
    cues the episode showed, weighted by their incentive gain."""
    cues, _ = _present(obs, state.w.shape[2], state.w.dtype)
    p = memory.retrieve(params, state.mem, obs.context, drug_state(params, table, state.body),
                        cues, salience)
    return Recall(p=p, w=memory.mix(p, state.w[:, obs.context]), w_id=memory.mix(p, state.w_id),
                  q=memory.mix(p, state.q[:, _habit_context(obs)]),
                  m_op=memory.mix(p, state.m_op[:, obs.context]))


def wanting(params: BrainParams, table: ReinforcerTable, state: BrainState, obs: Observation,
            model: Model = Model.DEFAULT, rec: Recall | None = None
            ) -> tuple[Array, Array, Array]:
    """Incentive values of the cues in the observation's context (``brain.incentive``), the
    incentive gain per kind, and each kind's worth now (per default amount, for the
    goal-directed expectation). The comparison variants: attribution times the learned
    value, gain 1, worth as learned. ``rec``: the retrieved memories (recalled if None)."""
    rec = recall(params, table, state, obs) if rec is None else rec
    cue_v0 = rec.w[:, 0]
    n_k = state.inc.shape[0]
    if model is not Model.DEFAULT:
        ones = jnp.ones((n_k,), cue_v0.dtype)
        return params.incentive_attribution * cue_v0, ones, state.inc
    body = state.body
    inc_rise = incentive.incubation(params, table, body.since, body.exposure)
    kappa, general = _gains(params, table, body, obs, inc_rise)
    shift = _worth_shift(table, state, obs)
    w_c = incentive.cue_wanting(params, cue_v0, rec.w_id, kappa, general, shift)
    return w_c, kappa, state.inc + shift


def _gains(params: BrainParams, table: ReinforcerTable, body: Body, obs: Observation,
           incubated) -> tuple[Array, Array]:
    """The incentive gain per kind in the body's state (``brain.incentive.gains``), with the
    cues' incubated rise ``incubated``."""
    occ = jnp.sum(receptors.occupancy(receptors.drug_effect(params, table, body.level)))
    drive = incentive.drive_left(table, body.level, receptors.setpoint(params, body))
    return incentive.gains(params, table, occ, body.sensitization, incubated,
                           receptors.withdrawal(params, table, body), obs.kappa, drive)


def _worth_shift(table: ReinforcerTable, state: BrainState, obs: Observation) -> Array:
    need = jnp.zeros_like(state.inc) if obs.need is None else obs.need
    return incentive.worth_shift(table, state.inc, state.body.d2, need)


def body_wanting(params: BrainParams, table: ReinforcerTable, state: BrainState,
                 obs: Observation, rec: Recall) -> Float[Array, ""]:
    """The drug wanting the body state triggers with no cue (``brain.interoception``): the
    drug the memories it retrieved (``rec``) expect here, at the incentive gain of the
    state now (without the cues' incubation: Lu et al. 2004)."""
    body = state.body
    kappa, _ = _gains(params, table, body, obs, 0.0)
    worth = state.inc + _worth_shift(table, state, obs)
    expected = jnp.maximum(jnp.max(rec.w_id, axis=0),
                           jnp.max(rec.m_op, axis=0) / table.default_amount)
    return interoception.internal_wanting(drug_state(params, table, body), expected, kappa,
                                          worth, table.kind == Kind.DRUG)


def perceive(params: BrainParams, table: ReinforcerTable, state: BrainState,
             obs: Observation, model: Model = Model.DEFAULT) -> Float[Array, "S"]:
    """Action values of each slot.

    Slot 0 withholds: the value of other activities, ``other_value`` scaled by the receptor
    gain. In the default model a response's value is the arbitrated mix of its cached
    (habit) value and its goal-directed value (``brain.control``), plus the drive
    reduction its expected outcome would bring now (``receptors.drive_reduction``,
    recomputed from the current drug level and setpoint, in either controller: the
    homeostatic state is part of the state both controllers see; Keramati & Gutkin
    2014), plus outcome-specific transfer from cues present at choice, minus the effort
    cost; the prefrontal veto then subtracts the response's predicted punishment from the
    habit's share, and the punishment that cues present predict from every response
    (``brain.prefrontal``), and the same share of the costs the person knows the response
    brings later (``obs.consequence``, discounted by their delay: ``brain.prefrontal``); a
    drug cue present at choice narrows attention and shrinks the alternatives.
    The cached values and the habit are read in the observation's habit context (its
    context, unless a task keys the habit to another: ``world.tasks.go_nogo``).
    The comparison variants (``td``, ``redish2004``) use the cached values alone (habit
    share fixed at 1). A slot that describes an outcome (``obs.offer``: a hypothetical
    choice) is valued by :func:`offer_values` instead.
    """
    op = obs.slot_operandum
    hc = _habit_context(obs)
    rec = recall(params, table, state, obs)
    q_ctx = rec.q
    n_op = q_ctx.shape[0]
    cues, intact = _present(obs, state.w.shape[2], q_ctx.dtype)
    onehot = op[:, None] == jnp.arange(n_op)[None, :]
    pick = lambda x: jnp.sum(jnp.where(onehot, x[None, :], 0.0), axis=1)  # noqa: E731
    q = pick(q_ctx)
    other = params.other_value
    if model is Model.DEFAULT:
        depth = 1.0 if obs.depth is None else obs.depth
        wh = control.gated_habit_weight(
            control.habit_weight(params, state.habit[hc], depth), intact)
        want, kappa, worth = wanting(params, table, state, obs, model, rec)
        m_op = rec.m_op
        v_goal = control.goal_values(table, m_op, worth, state.m_cue[obs.context],
                                     params.gamma * want)
        v_op = wh * q_ctx + (1.0 - wh) * v_goal
        # outcome-specific transfer reads which outcome each cue and each response predict,
        # as the memories hold it between them: extinction leaves these associations
        # intact (Rescorla 1993, 1996; Delamater 1996), so a new memory does not hide them
        held = lambda x: jnp.max(jnp.where(  # noqa: E731
            state.mem.open.reshape((-1,) + (1,) * (x.ndim - 1)) > 0, x, -jnp.inf), axis=0)
        v_op = v_op + control.transfer(params, table, held(state.m_op[:, obs.context]),
                                       held(state.w_id), cues, kappa)
        expected = jnp.sum(jnp.where(onehot[:, :, None], m_op[None, :, :], 0.0), axis=1)
        relief = receptors.drive_reduction(params, table, state.body, expected)
        # habit is energised by the drive as it is (Hull 1943); the goal-directed system
        # credits only the relief of an outcome it still values (brain.control)
        credited = control.credited_share(table, state.inc, state.body.d2, expected)
        wh_slot = pick(wh)
        q = pick(v_op) + relief * (wh_slot + (1.0 - wh_slot) * credited)
        # the prefrontal veto brings predicted punishment to bear on the habit's share
        # (brain.prefrontal)
        c = prefrontal.control(params, state.body.pfc_insult, obs.pfc_gain)
        harm = prefrontal.harm(table, expected, worth)
        threat = prefrontal.threat(table, rec.w_id, cues, worth)
        q = q - c * wh_slot * harm - ((1.0 - wh_slot) + c * wh_slot) * threat
        if obs.consequence is not None:
            # costs the person knows a response brings later, discounted by the delay:
            # the goal-directed share values them, and the veto on the habit's share
            later = prefrontal.later_harm(params, table, state.body.load, obs.consequence,
                                          obs.consequence_delay)
            q = q - ((1.0 - wh_slot) + c * wh_slot) * later
        other = other * state.body.d2
        # attention narrows onto the drug when a drug cue is present at choice
        bias = control.attentional_bias(params, rec.w[:, 0], rec.w_id, table, cues)
        shrink = 1.0 - params.attention_narrowing * bias
        units = jnp.abs(m_op) / table.default_amount[None, :]
        drug_units = jnp.sum(jnp.where(table.kind == Kind.DRUG, units, 0.0), axis=1)
        leads_to_drug = pick(drug_units) > 0.5 * pick(jnp.sum(units, axis=1))
        q = jnp.where(leads_to_drug | (q <= 0), q, q * shrink)
        other = other * shrink
    if obs.approach is not None:
        # Pavlovian approach responses (sign- and goal-tracking) are valued on the spot
        want, _, worth = wanting(params, table, state, obs, model, rec)
        app = control.approach_values(want, rec.w_id, worth, cues, obs.approach)
        q = jnp.where(obs.approach != control.NOT_APPROACH, app, q)
    if obs.offer is not None:
        q = jnp.where(jnp.any(obs.offer > 0, axis=1), offer_values(params, table, state, obs,
                                                                   model, rec), q)
    q = q - params.response_cost
    vals = jnp.where(op >= 0, q, NEG)
    if obs.forced is not None:
        other = jnp.where(obs.forced, NEG, other)
    return vals.at[0].set(other)


def offer_values(params: BrainParams, table: ReinforcerTable, state: BrainState,
                 obs: Observation, model: Model = Model.DEFAULT,
                 rec: Recall | None = None) -> Float[Array, "S"]:
    """Goal-directed value of each slot's described outcome (``obs.offer``, delivered after
    ``obs.offer_delay`` days): its worth now, as the goal-directed controller values every
    expected outcome, times the micro-agents' delay factor (``brain.discounting``); a drug
    offered now adds the homeostatic relief it would bring in the present state, as far as
    the goal-directed system credits it (``brain.receptors.drive_reduction``). Nothing has
    been learned about a described option, so no cached value enters. The comparison
    variants value the offer at its learned incentive, discounted at the drug-naive rate."""
    _, _, worth = wanting(params, table, state, obs, model, rec)
    delay = jnp.zeros(obs.offer.shape[:1], obs.offer.dtype) if obs.offer_delay is None \
        else obs.offer_delay
    load = state.body.load if model is Model.DEFAULT else jnp.zeros_like(state.body.load)
    units = obs.offer / table.default_amount[None, :]
    v = jnp.sum(units * worth[None, :], axis=1) * discounting.delay_factor(params, load, delay)
    if model is Model.DEFAULT:
        relief = receptors.drive_reduction(params, table, state.body, obs.offer)
        credited = control.credited_share(table, state.inc, state.body.d2, obs.offer)
        v = v + jnp.where(delay <= 0, relief * credited, 0.0)
    return v


def softmax_policy(action_values: Float[Array, "S"], beta, u: Float[Array, ""]) -> Int[Array, ""]:
    """Sample a slot from ``softmax(beta * values)`` by inverting the CDF at uniform ``u``."""
    logits = beta * action_values
    logits = jnp.where(action_values <= NEG / 2, -jnp.inf, logits)
    p = jax.nn.softmax(logits)
    cdf = jnp.cumsum(p)
    a = jnp.sum(cdf < u * cdf[-1])
    return jnp.minimum(a, action_values.shape[0] - 1).astype(jnp.int32)


def _gen(n: int, ctx, g, scale=None):
    """Context generalisation weights: 1 in the current context, ``g`` (times the
    observation's ``gen_scale`` of the other context, if any) elsewhere."""
    other = g if scale is None else g * scale
    return jnp.where(jnp.arange(n) == ctx, 1.0, other)


def _habit_context(obs: Observation):
    """The context the cached values and the habit are keyed to (``Observation``)."""
    return obs.context if obs.habit_context is None else obs.habit_context


def learn(params: BrainParams, table: ReinforcerTable, model: Model, state: BrainState,
          obs: Observation, episode: Episode) -> tuple[BrainState, dict[str, Array]]:
    """Learn from one episode; return the new state and the episode's record.

    ``state.body`` is the body at the episode's start (after ``elapse``).
    """
    dt = state.w.dtype
    ctx = obs.context
    _, intact = _present(obs, state.w.shape[2], dt)
    if obs.nmda_block is not None:
        # a blocker given while a memory is labile: what is labile does not restabilise
        keep, mem = memory.block_restabilisation(state.mem, obs.nmda_block)
        k4 = keep[:, None, None, None]
        state = eqx.tree_at(lambda s: (s.w, s.q, s.w_id, s.m_op, s.mem), state,
                            (state.w * k4, state.q * keep[:, None, None],
                             state.w_id * keep[:, None, None], state.m_op * k4, mem))
    onset = episode.cue_onset
    rec = recall(params, table, state, obs)
    w_ctx = rec.w
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
    hed = hedonic_per_kind(table, amounts, obs.need)
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

    # 2. dopamine prediction: the retrieved memories' mixture is what dopamine reports;
    #    each memory also has its own errors, from which it learns (brain.memory)
    x = dopamine.elements(onset)
    v = dopamine.values(w_ctx, x)
    rho_eff = state.rho + params.rho_allostatic * body.load * adaptive
    cost = dopamine.time_cost(rho_eff, params.avg_reward_weight)
    delta = dopamine.prediction_errors(v, r, d, params.gamma, cost, model)
    v_m = jax.vmap(lambda wk: dopamine.values(wk, x))(state.w[:, ctx])
    delta_m = jax.vmap(lambda vk: dopamine.prediction_errors(vk, r, d, params.gamma, cost,
                                                             model))(v_m)

    # a trial that goes on in the next episode (the two-step task's first step, a lever
    # inserted over several response windows) has no end of trial here: the critic learns
    # about its cues, and the memories weigh its outcome, when the trial ends
    ends = jnp.ones((), dt) if episode.continues is None else 1.0 - episode.continues.astype(dt)

    # which memories the episode belongs to, now that its outcome is known (brain.memory)
    present = onset >= 0
    target = amounts / table.default_amount
    op = episode.operandum
    responded = op >= 0
    known = (responded & episode.completed)
    op_hot = jnp.arange(state.q.shape[2]) == op
    pred_cue = memory.total(jnp.where(present[None, :, None], state.w_id, 0.0), axis=1)  # M K
    pred_op = memory.total(jnp.where(op_hot[None, :, None], state.m_op[:, ctx], 0.0),
                           axis=1) / table.default_amount[None, :]                       # M K
    pred = jnp.where(known, jnp.maximum(pred_op, pred_cue), pred_cue)
    error = memory.total(jnp.abs(target[None, :] - pred), axis=1)
    mem = state.mem
    f_drug = drug_state(params, table, body)
    expected_m = memory.total(jnp.where(aversive, 0.0, pred), axis=1)                  # M
    informative = (ends > 0) & ((jnp.max(expected_m) > 0.1) | jnp.any(amounts > 0))
    resp = memory.assign(params, mem, rec.p, error, amounts, informative)
    # omission (signed: more than expected counts against it) under the memory that
    # explains the episode best: a new memory opens only when none of them does
    omitted_m = memory.total(jnp.where(aversive[None, :], 0.0, pred - target[None, :]),
                             axis=1)
    omitted = jnp.min(jnp.where(mem.open > 0, jnp.abs(omitted_m), jnp.inf))
    omitted = omitted * jnp.sign(memory.mix(rec.p, omitted_m))
    # reconsolidation: an omission under a labile memory revises it; a retrieval whose
    # expected outcome is withheld starts to destabilise what it retrieved (brain.memory)
    lability = memory.mix(rec.p, mem.labile) * adaptive
    surprise = memory.surprise(params, mem, omitted,
                              informative * memory.mix(rec.p, expected_m), lability)
    resp, opened, surprise = memory.open_new(params, mem, resp, surprise, adaptive & informative)
    pending = memory.destabilise(mem, resp * adaptive, omitted_m)
    mem = memory.record(mem, resp, ctx, present, f_drug, amounts, opened, surprise, informative,
                        pending)
    r4 = resp[:, None, None, None]

    # 3. cue learning (per memory and context, generalising across contexts)
    n_ctx = state.w.shape[1]
    gen = _gen(n_ctx, ctx, params.context_generalization, obs.gen_scale).astype(dt)
    # the cached values and the habit learn in the habit's context (``_habit_context``)
    hc = _habit_context(obs)
    gen_h = _gen(n_ctx, hc, params.context_generalization, obs.gen_scale).astype(dt)
    dw = jax.vmap(dopamine.weight_update, in_axes=(0, None))(delta_m, x)           # M C N
    vs, dms = intact[2], intact[1]
    # the dopamine-taught cue values learn more slowly in a subject who attributes little
    # incentive salience (Flagel et al. 2011: cue dopamine is acquired by sign-trackers)
    alpha_cue = params.alpha * jnp.minimum(params.incentive_attribution, 1.0)
    w = state.w + (alpha_cue * vs * ends) * r4 * gen[None, :, None, None] * dw[:, None]

    # expectations of aversive outcomes are learned fast (brain.prefrontal)
    alpha_k = jnp.where(aversive, params.alpha_aversive, params.alpha_id)
    w_id = state.w_id + ((alpha_k * ends)[None, None, :] * resp[:, None, None]
                         * present[None, :, None] * (target[None, :] - pred_cue)[:, None, :])

    # 4. instrumental learning: outcome + conditioned reinforcement, by the same rule;
    #    and the action -> outcome model (what a completed response delivers)
    disc_out = jnp.where(episode.outcome_bin >= 0,
                         params.gamma ** jnp.maximum(episode.outcome_bin, 0).astype(dt), 0.0)
    cue_v0 = w_ctx[:, 0]
    # a cue reinforces by its incentive value now (brain.incentive): an attractive cue is a
    # stronger conditioned reinforcer (Robinson & Flagel 2009), and so is one whose gain
    # the state raises (Taylor & Robbins 1984)
    # a cue the episode showed is itself a retrieval cue, response-produced cues included:
    # an unextinguished cue brings back the memory it was learned in (Bouton 2004), its
    # evidence weighted by the incentive salience it commands (the attention a wanted cue
    # captures: Robinson & Berridge 1993; Field & Cox 2008); its pull is read there
    _, kappa0, _ = wanting(params, table, state, obs, model, rec)
    seen = recall(params, table, state,
                  eqx.tree_at(lambda o: o.cues, obs, present, is_leaf=lambda x: x is None),
                  incentive.cue_gain(rec.w_id, kappa0, 1.0))
    want, _, _ = wanting(params, table, state, obs, model, seen)
    cr = jnp.sum(jnp.where(
        episode.response_cue & present, params.gamma ** jnp.maximum(onset, 0).astype(dt) * want,
        0.0))
    q_old = memory.total(jnp.where(op_hot[None, :], state.q[:, hc], 0.0), axis=1)      # M
    base_q = disc_out * r_out + cr - q_old
    d_q = disc_out * d_out
    if model is Model.TD:
        delta_q = base_q
    elif model is Model.DEFAULT:
        delta_q = base_q + d_q
    else:
        delta_q = jnp.where(d_q > 0, jnp.maximum(base_q + d_q, d_q), base_q)
    # punishment teaches the cached values through D2 receptors: D2 loss slows learning
    # from an aversive outcome (brain.prefrontal)
    punished = jnp.any(aversive & (amounts > 0))
    nogo = jnp.where(punished, prefrontal.nogo_rate(params, body.d2), 1.0) if adaptive else 1.0
    alpha_q = lambda err: params.alpha_q * jnp.where(err < 0, nogo, 1.0)  # noqa: E731
    upd = alpha_q(delta_q) * delta_q * responded * resp                              # M
    q = state.q + upd[:, None, None] * gen_h[None, :, None] * op_hot[None, None, :]
    # responses earlier in a sequence share the outcome's error through their eligibility
    # traces (TD(lambda) in real time); the trace then moves to this episode's response
    out_bin = jnp.where(episode.outcome_bin >= 0, episode.outcome_bin, episode.expected_bin)
    has_out = out_bin >= 0
    trace = state.trace * jnp.exp(-episode.gap_s / params.eligibility_tau_s)
    da_outcome = jnp.where(has_out, dopamine.at_bin(delta, out_bin), 0.0)
    da_m = jnp.where(has_out, jax.vmap(dopamine.at_bin, in_axes=(0, None))(delta_m, out_bin),
                     0.0)
    q = q + (alpha_q(da_m) * da_m * resp)[:, None, None] * trace[None]
    trace = jnp.where(responded, gen_h[:, None] * op_hot[None, :], trace)
    # the action-outcome model is learned in the context of the response and generalises to
    # the others as the cached values do (Bouton 2004; Thrailkill & Bouton 2015: instrumental
    # responding is partly specific to its context)
    learn_ao = (known * dms) * gen[:, None, None] * op_hot[None, :, None]
    m_op = state.m_op + r4 * learn_ao[None] * alpha_k[None, None, None, :] * (
        amounts[None, None, None, :] - state.m_op)
    m_cue = state.m_cue + learn_ao * params.alpha_id * (
        episode.response_cue.astype(dt)[None, None, :] - state.m_cue)

    # 5. control: incentive values learned on consumption, habit experience (brain.control)
    inc_target, consumed = control.incentive_targets(table, amounts, g, sat, obs.need)
    alpha_inc = jnp.where(aversive, params.alpha_aversive, params.alpha_incentive)
    inc = state.inc + alpha_inc * consumed * (inc_target - state.inc)
    dorsal_drug = g * jnp.sum(jnp.where(is_drug, surge * table.dorsal_ratio, 0.0))
    step_h = known * (1.0 + params.habit_drug_gain * dorsal_drug) * intact[0]
    habit = state.habit + (step_h * gen_h)[:, None] * op_hot[None, :]

    # average reward rate over real time (opportunity cost; Niv et al. 2007)
    reinforcement = r_out + (0.0 if model is Model.TD else d_out)
    gap = jnp.maximum(episode.gap_s, N_BINS * dopamine.BIN_S)
    k = 1.0 - jnp.exp(-gap / (params.avg_reward_tau_h * 3600.0))
    rho = state.rho + k * (reinforcement / gap - state.rho)

    # 6. craving: cue-triggered wanting from drug-predicting cues (brain.incentive), not
    #    liking (the hedonic value of what arrived)
    _, drug_share = control.cue_salience(seen.w[:, 0], seen.w_id, table)
    any_cue = jnp.any(present)
    cue_value = jnp.where(any_cue, jnp.max(jnp.where(present, cue_v0, NEG)), 0.0)
    cue_wanting = jnp.where(any_cue, jnp.max(jnp.where(present, want, NEG)), 0.0)
    drug_wanting = jnp.max(jnp.where(present, jnp.maximum(want, 0.0) * drug_share, 0.0))
    # the body state is a cue too: it retrieved the memories of ``rec`` and wants the drug
    # they expect, with no cue shown (brain.interoception; the comparison variants have no
    # interoception)
    internal = body_wanting(params, table, state, obs, rec) * adaptive
    craving = 10.0 * jnp.maximum(drug_wanting, internal) / (
        jnp.maximum(drug_wanting, internal) + params.craving_half)
    # craving is read where something triggers it: a cue shown, or a body state that alone
    # makes it 1 of 10 or more
    probed = any_cue | (internal >= params.craving_half / (10.0 / interoception.PROBE - 1.0))
    delivered = jnp.any(amounts > 0)

    first = jnp.min(jnp.where(present, onset, N_BINS))
    da_cue = jnp.where(any_cue, dopamine.at_bin(delta, first), 0.0)
    # habit share of the phase's seek manipulandum (slot 1), or the strongest in the context
    slot1 = obs.slot_operandum[1]
    wh_ctx = control.habit_weight(params, state.habit[hc], 1.0 if obs.depth is None else obs.depth)
    wh_seek = jnp.where(slot1 >= 0, jnp.sum(jnp.where(jnp.arange(wh_ctx.shape[0]) == slot1,
                                                      wh_ctx, 0.0)), jnp.max(wh_ctx))
    wh_seek = control.gated_habit_weight(wh_seek, intact)
    # the ventral cue signal reaches the dorsal striatum as the habit system is recruited
    # (ventral-to-dorsal spiral: Haber et al. 2000; Willuhn et al. 2012)
    da_cue_dorsal = da_cue * wh_seek * intact[0]

    # extracellular dopamine (microdialysis): tonic from drug levels, minus withdrawal,
    # plus the natural reward consumed in the episode
    ventral, dorsal = receptors.tonic_dopamine(params, table, body)
    drug_amount = jnp.sum(jnp.where(is_drug, amounts, 0.0))
    natural_amount = jnp.sum(jnp.where(is_nat, amounts, 0.0))
    record = {
        "da_cue": da_cue,
        "da_cue_dorsal": da_cue_dorsal,
        "habit_weight": wh_seek,
        "attentional_bias": control.attentional_bias(params, cue_v0, rec.w_id, table,
                                                     jnp.ones_like(present)),
        "da_outcome": da_outcome,
        "da_phasic": delta,
        "da_extracellular_pct": 100.0 * (ventral + nat_surge),
        "da_dorsal_pct": 100.0 * (dorsal + nat_surge),
        "cue_value": cue_value,
        "craving": craving,
        "craving_probe": probed,
        "wanting": cue_wanting,
        "liking": jnp.where(delivered, r_out, 0.0),
        "sensitization": body.sensitization,
        "incubation": jnp.max(jnp.where(is_drug, incentive.incubation(
            params, table, body.since, body.exposure), 0.0)) * adaptive,
        "average_reward": rho_eff,
        "dose": drug_amount,
        "drug_taken": drug_amount > 0,
        "natural_taken": natural_amount > 0,
        "cue_shown": any_cue,
        "delivered": delivered,
        "has_outcome_time": has_out,
        "drug_level": jnp.sum(jnp.where(is_drug, body.level, 0.0)),
        "receptor_availability": body.d2,
        "withdrawal": receptors.withdrawal(params, table, body),
        "mood": receptors.mood(params, table, body),
        "hedonic_setpoint": receptors.hedonic_set_point(params, body),
        "reward_threshold": receptors.reward_threshold(params, body),
        "drug_setpoint": receptors.setpoint(params, body),
        "pfc_control": prefrontal.control(params, body.pfc_insult, obs.pfc_gain),
        "fear": prefrontal.threat(table, rec.w_id, present, state.inc),
        "memory_original": rec.p[0],
        "memories": memory.total(mem.open),
        "memory_labile": lability,
        "stress": body.stress,
    }
    since, exposure, sens = incentive.deliver(params, table, body.since, body.exposure,
                                              body.sensitization, amounts, surge)
    body = eqx.tree_at(lambda b: (b.since, b.exposure, b.sensitization), body,
                       (since, exposure, sens))
    body = receptors.deliver(body, amounts)
    body = eqx.tree_at(lambda b: b.stress, body,
                       interoception.deliver(params, body.stress, amounts))
    return BrainState(w=w, q=q, w_id=w_id, m_op=m_op, m_cue=m_cue, inc=inc, habit=habit,
                      trace=trace, rho=rho, body=body, mem=mem), record
