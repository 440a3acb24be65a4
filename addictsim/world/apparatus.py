"""The experimental apparatus as a pure state machine.

Every task compiles to rows of a schedule (``ScheduleRow``) that this one step
function plays, reacting to the subject's action:

* response-independent (Pavlovian) stimuli at scheduled onsets, with an
  outcome delivered with probability ``us_prob`` at bin ``us_bin``;
* operant manipulanda behind action slots 1.. (slot 0 withholds): a
  fixed-ratio counter per slot, a time-out after each reinforcer during which
  responses are ignored, a cue presented with each reinforcer, counters reset
  at the start of each session; each slot's outcome is delivered with
  probability ``slot_prob``;
* sequential tasks (the two-step task): a response in a row that ``sets_branch``
  sends the next episode to branch 1 with probability ``branch_p`` of the chosen
  slot (else branch 0) and turns on that branch's cue (``branch_cues``); a row
  that ``uses_branch`` offers, in branch 1, the operanda ``alt_slot_operandum``
  with probabilities ``alt_slot_prob`` and shows the branch's cue at onset;
* a row that ``holds`` continues into the next episode (a cue presented over several
  response windows is one presentation: the trial ends with its last window);
* a progressive ratio (``pr_ratios``): slot 1's ratio is the next step of a rising series
  after each of its deliveries in the session (the series restarts with a new session);
* described choices (``offer``): each slot describes an outcome and its delay instead of
  delivering one (questionnaires and hypothetical choices); in an adjusting-amount
  series the sooner offer's amount moves after each choice, down after a sooner choice
  and up after a later one, by a step that halves (``titrate_step``);
* Pavlovian approach responses (``slot_approach``: to a cue, or to where the outcome
  arrives): recorded as the chosen slot, but they operate nothing (no ratio, no
  outcome of their own, no operandum in the episode: they are not instrumental); an
  approach slot with cues shows them when chosen (going into a place shows the place).

One uniform draw per episode serves the task: partial reinforcement, the
outcome probability of the chosen slot, or the transition (a row uses one).

Task modules in ``world/tasks`` decide what goes in the rows; nothing here
depends on a protocol's name. The task state is carried per subject.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..brain.control import NOT_APPROACH
from ..brain.subject import Episode, Observation

#: action slots: 0 = withhold, 1 = seek (the phase's reinforced manipulandum), 2 = alternative
N_SLOTS = 3
#: steps of a progressive-ratio series a row can hold (beyond them no ratio can be met)
PR_STEPS = 64
#: the ratio of a step past the end of a progressive-ratio series (never met)
PR_NEVER = 2 ** 30
SLOT_LEGEND = "0=withhold, 1=seek (active lever), 2=alternative (inactive lever)"


class ScheduleRow(eqx.Module):
    """One episode of the schedule (shared by the cohort; a leading episode axis when stacked)."""

    mask: Bool[Array, ""]
    context: Int[Array, ""]
    gap_s: Float[Array, ""]
    group: Int[Array, ""]              # aggregation group (day or phase) for bounded recording
    session_start: Bool[Array, ""]
    cs_onset: Int[Array, "C"]
    us_amounts: Float[Array, "K"]
    us_prob: Float[Array, ""]
    us_bin: Int[Array, ""]
    slot_operandum: Int[Array, "S"]
    slot_cues: Bool[Array, "S C"]       # cues presented with the reinforcer of each slot
    slot_amounts: Float[Array, "S K"]
    slot_ratio: Int[Array, "S"]
    slot_bin: Int[Array, ""]
    timeout_ep: Int[Array, ""]
    intact: Float[Array, "3"]          # (dls, dms, vs) 1 = intact, 0 = inactivated
    slot_prob: Float[Array, "S"]        # probability a completed response's outcome comes
    sets_branch: Bool[Array, ""]        # the response chooses the next episode's branch
    branch_p: Float[Array, "S"]         # per slot: probability of branch 1 next
    uses_branch: Bool[Array, ""]        # this episode's options depend on the branch
    alt_slot_operandum: Int[Array, "S"]  # operanda offered in branch 1
    alt_slot_prob: Float[Array, "S"]     # and their outcome probabilities
    branch_cues: Bool[Array, "2 C"]     # cue of each branch (response cue / onset cue)
    forced: Bool[Array, ""]             # a choice must be made (no withholding: slot 0 off)
    holds: Bool[Array, ""]              # the stimulus goes on into the next episode
    slot_approach: Int[Array, "S"] | None = None  # Pavlovian approach target per slot
    #                                  (brain.control codes; None: no approach slot anywhere)
    need: Float[Array, "K"] | None = None       # physiological need per kind (None: none)
    kappa: Float[Array, "K"] | None = None      # incentive-gain clamp per kind (None: 1)
    first_hour: Bool[Array, ""] | None = None   # in the first hour of its session (engine)
    # described (hypothetical) choices: None unless some episode describes an outcome
    offer: Float[Array, "S K"] | None = None    # described outcome of each slot
    offer_delay: Float[Array, "S"] | None = None  # its delay (days)
    # known delayed costs of each slot's response (None unless some episode has them)
    consequence: Float[Array, "S K"] | None = None
    consequence_delay: Float[Array, "S"] | None = None  # when they are felt (days)
    titrate_step: Float[Array, ""] | None = None  # adjusting amount: step after this trial
    titrate_start: Bool[Array, ""] | None = None  # the adjusting fraction restarts at 1/2
    # progressive ratio: the ratio slot 1 asks for after n deliveries this session (all 0 in
    # a row without one; None: no row has one)
    pr_ratios: Int[Array, "R"] | None = None
    pfc_gain: Float[Array, ""] | None = None    # experimental gain on prefrontal control
    #                                            (None: 1 everywhere; brain.prefrontal)
    nmda_block: Float[Array, ""] | None = None  # share of NMDA receptors blocked (None: no
    #                                            blocker anywhere; brain.memory)
    no_drug: Bool[Array, ""] | None = None      # a period signalled as drug-free (recording
    #                                            only; None: no such period anywhere)
    nogo: Bool[Array, ""] | None = None         # a no-go trial (recording only; None: no
    #                                            go/no-go task anywhere)
    habit_context: Int[Array, ""] | None = None  # context of the cached values and habit
    #                                            (None: ``context`` everywhere)
    gen_scale: Float[Array, "X"] | None = None  # factor on generalisation to each context
    #                                            (None: 1 everywhere)
    abstinent: Bool[Array, ""] | None = None    # abstinence has begun (a drug self-taken
    #                                            now is a lapse; None: it never begins)
    # an interoceptive withdrawal cue: its cue index (-1 none) and the withdrawal (0-1) at
    # which the brain shows it (None: no such cue anywhere; brain.interoception)
    body_cue: Int[Array, ""] | None = None
    body_felt: Float[Array, ""] | None = None
    # the share of the way to full stress a stressor takes the subject at the episode's
    # start (None: no stressor anywhere; brain.interoception)
    stressor: Float[Array, ""] | None = None


class TaskState(eqx.Module):
    ratio_count: Int[Array, "S"]
    timeout_left: Int[Array, ""]
    branch: Int[Array, ""]              # branch the next episode is in (sequential tasks)
    fraction: Float[Array, ""]          # adjusting-amount procedure: the sooner offer's share
    #                                     of its full amount
    earned: Int[Array, ""]              # slot 1's deliveries this session (progressive ratio)


def init(dtype=jnp.float32) -> TaskState:
    """The task's state before the first episode. ``dtype`` is the simulation's float type:
    an untyped (weak) float here would make the first segment's carry differ in type from
    the next one's, and the engine would compile the segment twice."""
    return TaskState(ratio_count=jnp.zeros((N_SLOTS,), jnp.int32),
                     timeout_left=jnp.zeros((), jnp.int32), branch=jnp.zeros((), jnp.int32),
                     fraction=jnp.full((), 0.5, dtype), earned=jnp.zeros((), jnp.int32))


def _fraction(row: ScheduleRow, state: TaskState):
    """The adjusting fraction this episode offers (it restarts at 1/2 with a new series)."""
    return jnp.where(row.titrate_start, 0.5, state.fraction)


def _described(row: ScheduleRow, state: TaskState):
    """The described outcome of each slot, the sooner (slot 1) one at the adjusting
    fraction of its full amount while a series titrates (Richards et al. 1997; Du, Green &
    Myerson 2002)."""
    if row.offer is None:
        return None
    scale = jnp.where((jnp.arange(N_SLOTS) == 1) & (row.titrate_step > 0),
                      _fraction(row, state), 1.0)
    return row.offer * scale[:, None].astype(row.offer.dtype)


def _offer(row: ScheduleRow, state: TaskState):
    """What this episode offers given the branch: operanda, outcome probabilities, cue onsets."""
    alt = row.uses_branch & (state.branch == 1)
    ops = jnp.where(alt, row.alt_slot_operandum, row.slot_operandum)
    ops = jnp.where(row.uses_branch & (state.branch < 0), -1, ops)      # no trial to play
    prob = jnp.where(alt, row.alt_slot_prob, row.slot_prob)
    branch_cue = jnp.where(state.branch == 1, row.branch_cues[1], row.branch_cues[0])
    onset = jnp.where(row.uses_branch & branch_cue & (state.branch >= 0), 0, row.cs_onset)
    return ops, prob, onset


def observe(row: ScheduleRow, state: TaskState | None = None) -> Observation:
    if state is None:
        state = init()
    ops, _, onset = _offer(row, state)
    return Observation(context=row.context, slot_operandum=ops, cues=onset >= 0,
                       intact=row.intact, forced=row.forced & jnp.any(ops >= 0),
                       depth=1.0 + row.sets_branch.astype(row.intact.dtype),
                       approach=row.slot_approach, need=row.need, kappa=row.kappa, pfc_gain=row.pfc_gain,
                       offer=_described(row, state), offer_delay=row.offer_delay,
                       consequence=row.consequence, consequence_delay=row.consequence_delay,
                       habit_context=row.habit_context, gen_scale=row.gen_scale,
                       nmda_block=row.nmda_block)


def step(row: ScheduleRow, state: TaskState, action: Int[Array, ""],
         u: Float[Array, ""]) -> tuple[TaskState, Episode]:
    """Advance the apparatus by one episode given the subject's ``action``.

    ``u`` is a uniform random number (the episode's one task draw).
    """
    count = jnp.where(row.session_start, 0, state.ratio_count)
    timeout = jnp.where(row.session_start, 0, state.timeout_left)
    slot_operandum, slot_prob, cs_onset = _offer(row, state)

    # the chosen slot as a one-hot mask (elementwise under vmap: no gathers)
    hot = jnp.arange(N_SLOTS) == action
    pick = lambda a: jnp.sum(jnp.where(hot, a, 0)).astype(a.dtype)  # noqa: E731
    responded = action > 0
    operandum = jnp.where(responded, pick(slot_operandum), -1)
    if row.slot_approach is not None:
        operandum = jnp.where(pick(row.slot_approach) != NOT_APPROACH, -1, operandum)
    counted = responded & (timeout == 0) & (operandum >= 0)
    n = pick(count) + counted.astype(jnp.int32)
    earned = jnp.where(row.session_start, 0, state.earned)
    ratio = row.slot_ratio
    if row.pr_ratios is not None:
        # progressive ratio: slot 1 asks for the series' next step (Richardson & Roberts 1996)
        steps = jnp.arange(row.pr_ratios.shape[0])
        now = jnp.sum(jnp.where(steps == earned, row.pr_ratios, 0)).astype(ratio.dtype)
        now = jnp.where(earned < row.pr_ratios.shape[0], now, PR_NEVER)
        ratio = jnp.where((jnp.arange(N_SLOTS) == 1) & (row.pr_ratios[0] > 0), now, ratio)
    met = counted & (n >= pick(ratio))
    count = jnp.where(hot, jnp.where(met, 0, n), count).astype(jnp.int32)
    timeout = jnp.where(met, row.timeout_ep, jnp.maximum(timeout - 1, 0))

    slot_amounts = jnp.sum(jnp.where(hot[:, None], row.slot_amounts, 0.0), axis=0)
    won = u < pick(slot_prob)
    op_amounts = slot_amounts * (met & won)
    op_due = met & won & jnp.any(slot_amounts > 0)

    reinforced = u < row.us_prob
    pav_amounts = row.us_amounts * reinforced
    pav_out = jnp.any(pav_amounts > 0)

    # sequential tasks: the response picks the next branch, and shows that branch's cue
    next_branch = (u < pick(row.branch_p)).astype(jnp.int32)
    moved = row.sets_branch & responded
    branch_cue = jnp.where(next_branch == 1, row.branch_cues[1], row.branch_cues[0])
    response_cue = ((jnp.any(hot[:, None] & row.slot_cues, axis=0) & met)
                    | (branch_cue & moved))
    if row.slot_approach is not None:
        # approaching a place shows its cue (the compartment a subject goes into:
        # tasks.place_preference); approaching a lever or the food cup shows nothing
        approached = responded & (pick(row.slot_approach) != NOT_APPROACH)
        response_cue = response_cue | (jnp.any(hot[:, None] & row.slot_cues, axis=0)
                                       & approached)
    cue_onset = jnp.where(cs_onset >= 0, cs_onset, jnp.where(response_cue, 1, -1))
    # a withheld first step leaves the second with nothing to offer (a missed trial)
    branch = jnp.where(row.sets_branch, jnp.where(responded, next_branch, -1),
                       jnp.where(row.uses_branch, 0, state.branch))

    outcome_bin = jnp.where(pav_out, row.us_bin, jnp.where(op_due, row.slot_bin, -1))
    # a response that produced the cue but no reinforcer (extinction, conditioned
    # reinforcement) still has a time at which the cue predicted the outcome
    signalled = (met & jnp.any(slot_amounts > 0)) | jnp.any(response_cue)
    expected_bin = jnp.where(row.us_bin >= 0, row.us_bin,
                             jnp.where(signalled & (row.slot_bin >= 0), row.slot_bin, -1))
    episode = Episode(cue_onset=cue_onset.astype(jnp.int32), response_cue=response_cue,
                      amounts=pav_amounts + op_amounts, outcome_bin=outcome_bin.astype(jnp.int32),
                      expected_bin=expected_bin.astype(jnp.int32),
                      operandum=operandum.astype(jnp.int32), completed=met, gap_s=row.gap_s,
                      continues=moved | row.holds, earned=op_amounts)
    fraction = state.fraction
    if row.offer is not None:
        # adjusting amount: choosing the sooner offer lowers it, the later one raises it,
        # by a step that halves over the series (bisection)
        f = _fraction(row, state)
        move = jnp.where(action == 1, -1.0, jnp.where(action == 2, 1.0, 0.0))
        fraction = jnp.where(row.titrate_step > 0,
                             jnp.clip(f + move * row.titrate_step, 0.0, 1.0), f)
    earned = earned + (met & (action == 1)).astype(jnp.int32)
    return TaskState(ratio_count=count, timeout_left=timeout.astype(jnp.int32),
                     branch=branch.astype(jnp.int32),
                     fraction=fraction.astype(state.fraction.dtype),
                     earned=earned.astype(jnp.int32)), episode
