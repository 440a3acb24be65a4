"""The experimental apparatus as a pure state machine.

Every task compiles to rows of a schedule (``ScheduleRow``) that this one step
function plays, reacting to the subject's action:

* response-independent (Pavlovian) stimuli at scheduled onsets, with an
  outcome delivered with probability ``us_prob`` at bin ``us_bin``;
* operant manipulanda behind action slots 1.. (slot 0 withholds): a
  fixed-ratio counter per slot, a time-out after each reinforcer during which
  responses are ignored, a cue presented with each reinforcer, counters reset
  at the start of each session.

Task modules in ``world/tasks`` decide what goes in the rows; nothing here
depends on a protocol's name. The task state is carried per subject.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from ..brain.subject import Episode, Observation

#: action slots: 0 = withhold, 1 = seek (the phase's reinforced manipulandum), 2 = alternative
N_SLOTS = 3
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
    first_hour: Bool[Array, ""] | None = None   # in the first hour of its session (engine)


class TaskState(eqx.Module):
    ratio_count: Int[Array, "S"]
    timeout_left: Int[Array, ""]


def init() -> TaskState:
    return TaskState(ratio_count=jnp.zeros((N_SLOTS,), jnp.int32),
                     timeout_left=jnp.zeros((), jnp.int32))


def observe(row: ScheduleRow) -> Observation:
    return Observation(context=row.context, slot_operandum=row.slot_operandum)


def step(row: ScheduleRow, state: TaskState, action: Int[Array, ""],
         u: Float[Array, ""]) -> tuple[TaskState, Episode]:
    """Advance the apparatus by one episode given the subject's ``action``.

    ``u`` is a uniform random number (the partial-reinforcement draw).
    """
    count = jnp.where(row.session_start, 0, state.ratio_count)
    timeout = jnp.where(row.session_start, 0, state.timeout_left)

    # the chosen slot as a one-hot mask (elementwise under vmap: no gathers)
    hot = jnp.arange(N_SLOTS) == action
    pick = lambda a: jnp.sum(jnp.where(hot, a, 0)).astype(a.dtype)  # noqa: E731
    responded = action > 0
    operandum = jnp.where(responded, pick(row.slot_operandum), -1)
    counted = responded & (timeout == 0) & (operandum >= 0)
    n = pick(count) + counted.astype(jnp.int32)
    met = counted & (n >= pick(row.slot_ratio))
    count = jnp.where(hot, jnp.where(met, 0, n), count).astype(jnp.int32)
    timeout = jnp.where(met, row.timeout_ep, jnp.maximum(timeout - 1, 0))

    slot_amounts = jnp.sum(jnp.where(hot[:, None], row.slot_amounts, 0.0), axis=0)
    op_amounts = slot_amounts * met
    op_due = met & jnp.any(slot_amounts > 0)

    reinforced = u < row.us_prob
    pav_amounts = row.us_amounts * reinforced
    pav_out = jnp.any(pav_amounts > 0)

    response_cue = jnp.any(hot[:, None] & row.slot_cues, axis=0) & met
    cue_onset = jnp.where(row.cs_onset >= 0, row.cs_onset, jnp.where(response_cue, 1, -1))

    outcome_bin = jnp.where(pav_out, row.us_bin, jnp.where(op_due, row.slot_bin, -1))
    # a response that produced the cue but no reinforcer (extinction, conditioned
    # reinforcement) still has a time at which the cue predicted the outcome
    signalled = op_due | jnp.any(response_cue)
    expected_bin = jnp.where(row.us_bin >= 0, row.us_bin,
                             jnp.where(signalled & (row.slot_bin >= 0), row.slot_bin, -1))
    episode = Episode(cue_onset=cue_onset.astype(jnp.int32), response_cue=response_cue,
                      amounts=pav_amounts + op_amounts, outcome_bin=outcome_bin.astype(jnp.int32),
                      expected_bin=expected_bin.astype(jnp.int32),
                      operandum=operandum.astype(jnp.int32), completed=met, gap_s=row.gap_s)
    return TaskState(ratio_count=count, timeout_left=timeout.astype(jnp.int32)), episode
