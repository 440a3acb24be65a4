r"""Temporal-difference dopamine over a complete serial compound (CSC).

Each episode is ``N_BINS`` time bins of ``BIN_S`` seconds. A cue present from
onset bin :math:`o_c` is represented by one element per lag
:math:`j = t - o_c` (Sutton & Barto 1990; Schultz, Dayan & Montague 1997,
Science 275:1593). Value and prediction error:

.. math::
    V_t = \sum_c x_{c,t}\, w_{c, t-o_c}, \qquad V_{-1} = V_{N} = 0 \\
    \delta^0_t = r_t + \gamma V_t - V_{t-1} - \omega_\rho\,\rho\,\Delta t,
    \qquad t = 0..N

(the pre-trial state is unpredictable, so :math:`V_{-1} = 0`; after the last
bin the trial ends). The drug's pharmacological dopamine :math:`D_t` enters by
model variant:

* ``td``:          :math:`\delta_t = \delta^0_t`
* ``default``:     :math:`\delta_t = \delta^0_t + D_t` — compensable, so the
  value learns to predict it and a cue added to an already-predicted drug is
  blocked (Panlilio, Thorndike & Schindler 2007), with the average-reward
  baseline :math:`\rho` of Dezfouli et al. 2009 (Neural Comput 21:2869).
* ``redish2004``:  :math:`\delta_t = \max(\delta^0_t + D_t, D_t)` where
  :math:`D_t > 0` (Redish 2004, Science 306:1944): never below :math:`D`.

With :math:`D = 0` and :math:`\omega_\rho = 0` every variant is textbook
TD(0). Learning: :math:`w_{c,j} \leftarrow w_{c,j} + \alpha\, \delta_{o_c+j+1}`
for each element active at bin :math:`o_c + j`. Because each element is active
at one bin per episode, updating after the episode from the pre-episode
weights is exactly the online TD(0) update.

Symbols: ``w`` (n_cues, N_BINS) weights in reward units; ``onset`` (n_cues,)
int bin or -1 when absent; ``r``, ``D`` (N_BINS,) reward units; ``rho`` reward
units per second.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from .params import BIN_S, N_BINS, Model


def elements(onset: Int[Array, "C"]) -> Bool[Array, "C N N"]:
    """``x[c, t, j]``: element ``(c, j)`` of the serial compound is active at bin ``t``.

    Written as a mask rather than an index so that the batched step is
    elementwise arithmetic (no gathers or scatters on the subject axis).
    """
    t = jnp.arange(N_BINS)
    lag = t[None, :] - onset[:, None]
    return (onset[:, None, None] >= 0) & (lag[:, :, None] == t[None, None, :])


def values(w: Float[Array, "C N"], x: Bool[Array, "C N N"]) -> Float[Array, "N"]:
    """:math:`V_t = \\sum_{c,j} x_{c,t,j} w_{c,j}` for ``t = 0..N-1``."""
    return jnp.sum(jnp.where(x, w[:, None, :], 0.0), axis=(0, 2))


def prediction_errors(v: Float[Array, "N"], r: Float[Array, "N"], drug: Float[Array, "N"],
                      gamma, time_cost, model: Model) -> Float[Array, "N+1"]:
    """:math:`\\delta_t` for ``t = 0..N`` (the last is the end-of-trial error)."""
    zero = jnp.zeros((1,), v.dtype)
    v_prev = jnp.concatenate([zero, v])           # V_{t-1}, t = 0..N
    v_next = jnp.concatenate([v, zero])           # V_t,     t = 0..N
    r_ext = jnp.concatenate([r, zero])
    d_ext = jnp.concatenate([drug, zero])
    base = r_ext + gamma * v_next - v_prev - time_cost
    if model is Model.TD:
        return base
    if model is Model.DEFAULT:
        return base + d_ext
    if model is Model.REDISH2004:
        return jnp.where(d_ext > 0, jnp.maximum(base + d_ext, d_ext), base)
    raise ValueError(f"unknown model variant {model!r}")


def weight_update(delta: Float[Array, "N+1"], x: Bool[Array, "C N N"]) -> Float[Array, "C N"]:
    """:math:`\\partial w_{c,j} = \\sum_t x_{c,t,j}\\,\\delta_{t+1}`: the error that follows
    element ``(c, j)`` (zero when the element was not active)."""
    return jnp.sum(jnp.where(x, delta[1:, None][None], 0.0), axis=1)


def at_bin(delta: Float[Array, "N+1"], b: Int[Array, ""]) -> Float[Array, ""]:
    """``delta[b]`` (0 when ``b`` is outside ``0..N``), as a masked sum."""
    return jnp.sum(jnp.where(jnp.arange(N_BINS + 1) == b, delta, 0.0))


def time_cost(rho, weight):
    """Opportunity cost of one bin: :math:`\\omega_\\rho \\rho \\Delta t` (Niv et al. 2007)."""
    return weight * rho * BIN_S
