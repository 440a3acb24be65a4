r"""Memories of what predicts what, held apart: latent causes with a time-sensitive prior.

Extinction does not erase what was learned: it forms a new memory beside the old one, and
which of them drives behaviour depends on the context, the time since each was last in
use and what the subject has just experienced (Bouton 2004). This module keeps a few such
memories per subject (``SLOTS``) and infers, at every episode, which one the situation
belongs to, in the manner of a latent-cause model (Gershman, Blei & Niv 2010, Psychol Rev
117:197; Gershman, Monfils, Norman & Niv 2017, eLife 6:e23763). The learned associations
of ``brain.subject`` (cue values, cue -> outcome expectations, cached action values and the
action -> outcome model) carry a leading memory axis: prediction reads their mixture under
the retrieval posterior, and learning updates each memory in proportion to its share of
the episode.

**Retrieval** (before the outcome) weighs each open memory ``k`` by

.. math::
    p_k \propto \pi_k(t)\; L^{ctx}_k\; L^{time}_k\; \prod_{c\,\mathrm{shown}} \nu_{k,c}
    \; \mu_k^{f}(1-\mu_k)^{1-f}

* :math:`\pi_k(t) = \sum_j e_{k,j}\,(1\,\mathrm{d}/\tau_j)^{g}`: the time-sensitive prior.
  Each trace :math:`e_{k,j}` adds the memory's share of every episode and decays with time
  constant :math:`\tau_j` (1 h, 1 d, 10 d, 100 d); the weights make the prior a sum over
  past episodes of a kernel that falls off as the time since to the power ``-g``
  (``RECENCY_EXPONENT``; Gershman, Blei & Niv 2010 use a power-law kernel). A memory in
  recent use wins; as time passes, the one used longest regains ground.
* :math:`L^{ctx}_k = (n_{k,x} + s_k N_k + \tfrac12)/((1 + s_k) N_k + \tfrac12)`: the
  memory's :math:`n_{k,x}` episodes in the current context ``x`` of :math:`N_k`, with a share
  :math:`s_k` allowed elsewhere: ``context_generalization`` for the first memory (conditioning
  transfers across contexts), ``memory_context_share`` for memories formed since, on a
  surprise (extinction is bound to its context: Bouton 2004) — renewal.
* :math:`L^{time}_k = s_k + (1 - s_k)\,e^{-\mathrm{idle}_k/\tau_{drift}}`: temporal context
  drifts, so a context-bound memory is retrieved less as time since it last took an episode
  passes (``memory_drift_d``; Bouton 1993: spontaneous recovery as renewal in time).
* the cues shown at choice: each is evidence for the memories in which it was shown
  (the share of their episodes with it; Gershman, Blei & Niv 2010 treat the stimuli as
  observations of the latent cause). Its absence carries no evidence.
  Once the episode has shown its cues — a response-produced cue included — the subject
  retrieves again with all of them (``brain.subject.learn``), each cue's evidence raised to
  the power of its incentive gain (the attention a wanted cue captures: Robinson & Berridge
  1993; Field & Cox 2008), and reads the cue's pull there: a cue that extinction never
  touched brings back the memory it was learned in (Bouton 2004: cue-induced reinstatement
  after lever extinction), more strongly as its gain incubates in abstinence.
* the interoceptive drug state :math:`f \in [0, 1]` (the drugs' summed receptor
  occupancy) against :math:`\mu_k`, the memory's average drug state: a drug on board
  retrieves the memory formed while taking it (a priming dose).

**Assignment** (after the outcome): :math:`r_k \propto p_k\, \mathcal{N}(\epsilon_k; 0,
\sigma)\, \prod_K \rho_{k,K}^{o_K}(1-\rho_{k,K})^{1-o_K}`, with :math:`\epsilon_k` the
outcome's error under memory ``k``'s prediction (in default amounts), ``σ``
(``memory_noise``), and :math:`\rho_{k,K}` the share of the memory's episodes in which an
outcome of kind ``K`` arrived (:math:`o_K` = 1 if it arrived now). An episode in which no
memory expected anything and nothing arrived carries no evidence: it keeps the assignment
of the last informative episode (Redish, Jensen, Johnson & Kurth-Nelson 2007, Psychol Rev
114:784: the recognised situation persists until the evidence changes it), so presses in
a time-out do not wear down a memory that is not in use. The situation fades over about an
hour without new evidence (``SITUATION_S``): after a rest, uninformative episodes follow
the retrieval. An episode that does not end a trial (a stimulus that goes on into the next
episode) carries no evidence either: the trial is weighed when it ends.

**A new memory opens** when none of the memories explains what happens: the running
average of the omitted outcome (expected minus received, appetitive kinds, in default
amounts, signed) under the memory that explains the episode best, each episode weighted by
how much was expected, crossing ``memory_threshold`` opens the next free slot, blank, which
takes that episode (Redish et al. 2007: a sustained negative error splits the state;
Gershman et al. 2017: large errors favour a new cause). An abrupt omission of a
well-predicted outcome opens one within a few trials; a stationary partial schedule (signed
errors average zero) does not; under reinforcement stepped down gradually (small
omissions) the old memory itself is updated towards the lower rate first, and a new one,
if it opens, opens later, so less is left to return (Gershman, Jones, Norman, Monfils & Niv
2013). Slot 0 is open from the start: a subject with one memory behaves as the model did
without this layer.

**Reconsolidation.** A memory that takes an episode in which an outcome it expected is
withheld starts to destabilise (Nader, Schafe & LeDoux 2000; Sevenster, Beckers & Kindt
2013: only with a prediction error). Destabilisation passes through two steps of
``destabilisation_min`` each into lability (about half labile 10 min later), and lability
closes with time constant ``reconsolidation_window_h`` (restabilisation; the chain is solved
exactly over each gap). While the retrieved memory is labile, an omission under it revises
it rather than adding to the surprise that opens a new memory (the surprise moves by the
square of its stability, ``(1 - lability)^2``): extinction 10 min or 1 h after a brief
retrieval rewrites the first memory, while massed extinction (the omissions come
before the memory is labile) or extinction 6 h later opens a second one beside it
(Monfils et al. 2009; Xue et al. 2012; Gershman et al. 2017). An NMDA-receptor blocker on
board while a memory is labile stops it restabilising: the labile share of its
associations is lost (``block_restabilisation``).

The comparison variants (``td``, ``redish2004``) are the published rules alone: they keep
one memory (a context-free learner in this sense; REFERENCES.md entry 24) and nothing in
them destabilises.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from .params import BrainParams

#: memories a subject can hold (the first is open from the start)
SLOTS = 4
#: time constants of the recency traces (s): 1 h, 1 d, 10 d, 100 d
TIMESCALES_S = (3600.0, 86400.0, 864000.0, 8640000.0)
#: the traces are weighted by (1 d / tau) ** RECENCY_EXPONENT: the prior's kernel falls off
#: as (time since) ** -RECENCY_EXPONENT between an hour and a few months
RECENCY_EXPONENT = 1.5
#: pseudo-count of the drug-state and outcome-rate estimates (Beta(1/2, 1/2) prior)
_B = 0.5
#: floor of a memory's prior (an open memory is never impossible)
_FLOOR = 1e-9
#: time constant (s) over which the recognised situation fades without new evidence: it
#: holds through a session, not across days
SITUATION_S = 3600.0


class Memory(eqx.Module):
    """A subject's memories: which are open, and what each has been used for."""

    open: Float[Array, "M"]          # 1 = holds a memory
    recency: Float[Array, "M J"]     # share of past episodes, decaying at each timescale
    context: Float[Array, "M X"]     # share of past episodes spent in each context
    cue: Float[Array, "M C"]         # share of past episodes in which each cue was shown
    drug: Float[Array, "M"]          # summed drug state over its episodes
    outcome: Float[Array, "M K"]     # episodes in which each kind of outcome arrived
    surprise: Float[Array, ""]       # running average of omitted outcomes
    idle: Float[Array, "M"]          # seconds since each memory last took an episode
    situation: Float[Array, "M"]     # shares of the last informative episode
    pending: Float[Array, "M 2"]     # destabilisation under way, in its two steps
    labile: Float[Array, "M"]        # lability: 1 = fully open to revision (reconsolidation)


def total(x: Array, axis: int = 0) -> Array:
    """Sum along ``axis`` in a fixed order (term by term). XLA may reorder a reduction
    differently for different batch sizes, and results must not depend on the chunking."""
    axis = axis % x.ndim
    terms = [jnp.take(x, i, axis=axis) for i in range(x.shape[axis])]
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def product(x: Array, axis: int = 0) -> Array:
    """Product along ``axis`` in a fixed order (see ``total``)."""
    axis = axis % x.ndim
    terms = [jnp.take(x, i, axis=axis) for i in range(x.shape[axis])]
    out = terms[0]
    for t in terms[1:]:
        out = out * t
    return out


def init(n_contexts: int, n_cues: int, n_kinds: int, dtype) -> Memory:
    first = (jnp.arange(SLOTS) == 0).astype(dtype)
    return Memory(open=first, recency=jnp.zeros((SLOTS, len(TIMESCALES_S)), dtype),
                  context=jnp.zeros((SLOTS, n_contexts), dtype),
                  cue=jnp.zeros((SLOTS, n_cues), dtype), drug=jnp.zeros((SLOTS,), dtype),
                  outcome=jnp.zeros((SLOTS, n_kinds), dtype), surprise=jnp.zeros((), dtype),
                  idle=jnp.zeros((SLOTS,), dtype), situation=first,
                  pending=jnp.zeros((SLOTS, 2), dtype), labile=jnp.zeros((SLOTS,), dtype))


def elapse(params: BrainParams, mem: Memory, gap_s) -> Memory:
    """Let ``gap_s`` seconds pass: the recency traces decay, the recognised situation
    fades, destabilisation under way passes through its two steps into lability, and
    lability closes (restabilisation): a chain of three first-order steps, solved exactly
    over the gap."""
    tau = jnp.asarray(TIMESCALES_S, mem.recency.dtype)
    k = 1.0 / (params.destabilisation_min * 60.0)            # each destabilisation step
    k3 = 1.0 / (params.reconsolidation_window_h * 3600.0)    # restabilisation
    d = k - k3          # > 0: the parameters' ranges keep a step under the window
    a = jnp.exp(-gap_s * k)
    b = jnp.exp(-gap_s * k3)
    p1, p2 = mem.pending[:, 0], mem.pending[:, 1]
    labile = (mem.labile * b + p2 * (k / d) * (b - a)
              + p1 * (k / d) ** 2 * (b - a * (1.0 + gap_s * d)))
    pending = jnp.stack([p1 * a, (p2 + p1 * gap_s * k) * a], axis=1)
    return eqx.tree_at(lambda m: (m.recency, m.idle, m.situation, m.pending, m.labile), mem,
                       (mem.recency * jnp.exp(-gap_s / tau)[None, :], mem.idle + gap_s,
                        mem.situation * jnp.exp(-gap_s / SITUATION_S), pending,
                        jnp.clip(labile, 0.0, 1.0)))


def _normalise(w, open_):
    w = jnp.where(open_ > 0, jnp.maximum(w, 0.0), 0.0)
    z = total(w)
    first = (jnp.arange(w.shape[0]) == 0).astype(w.dtype)
    return jnp.where(z > 0, w / jnp.where(z > 0, z, 1.0), first)


def prior(mem: Memory) -> Float[Array, "M"]:
    """The time-sensitive prior of each memory (per day of the kernel's weight)."""
    per_day = jnp.asarray([(86400.0 / t) ** RECENCY_EXPONENT for t in TIMESCALES_S],
                          mem.recency.dtype)
    return total(mem.recency * per_day[None, :], axis=1) + _FLOOR


def retrieve(params: BrainParams, mem: Memory, context, drug_state,
             cues: Array | None = None, salience: Array | None = None) -> Float[Array, "M"]:
    """Posterior over memories before the outcome: prior x context x cues shown x drug
    state. ``salience`` (per cue, default 1): the weight of each cue's evidence."""
    n = total(mem.context, axis=1)
    hot = jnp.arange(mem.context.shape[1]) == context
    n_x = total(jnp.where(hot[None, :], mem.context, 0.0), axis=1)
    # the first memory transfers across contexts as conditioning does; memories formed
    # since, on a surprise, are bound to their context (Bouton 2004: extinction is
    # context-specific; Rosas & Callejas-Aguilera 2006: attention to context after a
    # violated expectation)
    share = jnp.where(jnp.arange(n.shape[0]) == 0, params.context_generalization,
                      params.memory_context_share)
    like_ctx = (n_x + share * n + _B) / ((1.0 + share) * n + _B)
    # temporal context drifts: a context-bound memory is retrieved less as time since its
    # last use passes (Bouton 1993)
    like_ctx = like_ctx * (share + (1.0 - share) * jnp.exp(
        -mem.idle / (params.memory_drift_d * 86400.0)))
    mu = (mem.drug + _B) / (n + 2.0 * _B)
    like_drug = jnp.exp(drug_state * jnp.log(mu) + (1.0 - drug_state) * jnp.log1p(-mu))
    like = like_ctx * like_drug
    if cues is not None:
        # a cue shown is evidence for the memories in which it was shown (its absence is
        # not: a cue can go unnoticed)
        rate = (mem.cue + _B) / (n[:, None] + 2.0 * _B)
        if salience is not None:
            rate = jnp.exp(salience[None, :] * jnp.log(rate))
        like = like * product(jnp.where(cues[None, :], rate, 1.0), axis=1)
    return _normalise(prior(mem) * like, mem.open)


def assign(params: BrainParams, mem: Memory, p: Float[Array, "M"], error: Float[Array, "M"],
           arrived: Float[Array, "K"], informative) -> Float[Array, "M"]:
    """Each memory's share of the episode, once its outcome is known. An episode in which
    no memory expected anything and nothing arrived carries no evidence: it belongs to the
    situation of the last informative episode (Redish et al. 2007: the recognised
    situation persists until the evidence changes it). The situation fades with the time
    since that episode (``SITUATION_S``); what it has lost goes to the retrieval ``p``."""
    n = total(mem.context, axis=1)
    like_out = jnp.exp(-0.5 * (error / params.memory_noise) ** 2)
    rate = (mem.outcome + _B) / (n[:, None] + 2.0 * _B)
    like_kind = product(jnp.where(arrived[None, :] > 0, rate, 1.0 - rate), axis=1)
    r = _normalise(p * like_out * like_kind, mem.open)
    held = mem.situation + (1.0 - total(mem.situation)) * p
    return jnp.where(informative, r, held)


def surprise(params: BrainParams, mem: Memory, omitted, expected,
             labile=0.0) -> Float[Array, ""]:
    """The running average of omitted outcomes, moved by this episode as far as an outcome
    was expected (``expected``, default amounts, counted up to 1; 0 for an episode that
    carries no evidence or does not end a trial) and by the square of the retrieved memory's
    stability: an omission under a labile memory (``labile``, its lability under the
    retrieval) revises that memory rather than calling for a new one (Gershman et al.
    2017: memory modification against new memory formation). Squared, so that a memory
    half labile passes on a quarter of the surprise: extinction inside the window, at the
    usual learning rates, brings the memory's expectation down before the surprise it
    passes on reaches the threshold."""
    k = params.memory_surprise_rate * jnp.clip(expected, 0.0, 1.0) * (1.0 - labile) ** 2
    return mem.surprise + k * (omitted - mem.surprise)


def destabilise(mem: Memory, r: Float[Array, "M"], omitted: Float[Array, "M"]) -> Float[Array, "M 2"]:
    """Destabilisation under way after the episode: a memory that takes a share ``r`` of
    an episode in which an outcome it expected was withheld (``omitted``: expected minus
    received under it, appetitive kinds, default amounts, counted from 0 up to 1) starts
    to become labile, on the way to a lability of at most 1 (Nader, Schafe & LeDoux 2000;
    Sevenster, Beckers & Kindt 2013: retrieval destabilises only with a prediction error;
    Das et al. 2019: the expected beer withheld). A retrieval whose outcome came as
    expected, or better, leaves it stable."""
    room = jnp.maximum(1.0 - mem.labile - mem.pending[:, 0] - mem.pending[:, 1], 0.0)
    started = r * jnp.clip(omitted, 0.0, 1.0) * room
    return mem.pending.at[:, 0].add(started)


def block_restabilisation(mem: Memory, block) -> tuple[Float[Array, "M"], Memory]:
    """An NMDA-receptor blocker (``block``, the share of receptors blocked, 0-1) given
    while a memory is labile stops it restabilising: the labile share of what it holds is
    lost (Nader, Schafe & LeDoux 2000 with a protein-synthesis inhibitor; Milton et al.
    2013 and Das et al. 2019 with NMDA antagonists). Returns the factor each memory's
    associations keep, and the memories with that lability spent."""
    keep = 1.0 - block * mem.labile
    return keep, eqx.tree_at(lambda m: m.labile, mem, mem.labile * (1.0 - block))


def open_new(params: BrainParams, mem: Memory, r: Float[Array, "M"], s, allowed):
    """Open the next free memory if the surprise ``s`` crossed the threshold; returns the
    episode's shares, the open flags and the surprise (reset by an opening)."""
    n_open = total(mem.open)
    slot = jnp.arange(SLOTS)
    opens = allowed & (s > params.memory_threshold) & (n_open < SLOTS)
    new = (slot == n_open).astype(r.dtype)
    r = jnp.where(opens, new, r)
    return r, jnp.where(opens, jnp.maximum(mem.open, new), mem.open), jnp.where(opens, 0.0, s)


def record(mem: Memory, r: Float[Array, "M"], context, cues: Array, drug_state,
           arrived: Float[Array, "K"], open_, s, informative, pending) -> Memory:
    """Add the episode (its context, every cue that appeared, response-produced cues
    included, its drug state and outcomes) to the memories in proportion to their shares
    ``r``."""
    hot = (jnp.arange(mem.context.shape[1]) == context).astype(r.dtype)
    return Memory(open=open_, recency=mem.recency + r[:, None],
                  context=mem.context + r[:, None] * hot[None, :],
                  cue=mem.cue + r[:, None] * cues.astype(r.dtype)[None, :],
                  drug=mem.drug + r * drug_state,
                  outcome=mem.outcome + r[:, None] * (arrived > 0).astype(r.dtype)[None, :],
                  surprise=s, idle=jnp.where(r > 0.5, 0.0, mem.idle),
                  situation=jnp.where(informative, r, mem.situation),
                  pending=jnp.where(informative, pending, mem.pending), labile=mem.labile)


def mix(p: Float[Array, "M"], x: Array) -> Array:
    """The mixture of a memory-indexed array (leading axis) under the posterior ``p``: an
    explicit sum in a fixed order (``total``) rather than a dot product."""
    return total(p.reshape((-1,) + (1,) * (x.ndim - 1)) * x, axis=0)
