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
from jaxtyping import Array, Float, Int

from .params import BIN_S, N_BINS, Model


def presence(onset: Int[Array, "C"]) -> tuple[Array, Array]:
    """``(present (C, N), lag (C, N))``: which CSC element is active at each bin."""
    t = jnp.arange(N_BINS)
    lag = t[None, :] - onset[:, None]
    present = (onset[:, None] >= 0) & (lag >= 0)
    return present, jnp.clip(lag, 0, N_BINS - 1)


def values(w: Float[Array, "C N"], onset: Int[Array, "C"]) -> Float[Array, "N"]:
    """:math:`V_t` for ``t = 0..N-1``."""
    present, lag = presence(onset)
    wl = jnp.take_along_axis(w, lag, axis=1)
    return jnp.sum(jnp.where(present, wl, 0.0), axis=0)


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


def weight_update(delta: Float[Array, "N+1"], onset: Int[Array, "C"]) -> Float[Array, "C N"]:
    """:math:`\\partial w_{c,j}`: the error that follows element ``(c, j)`` (zero if inactive)."""
    j = jnp.arange(N_BINS)
    t = onset[:, None] + j[None, :]
    active = (onset[:, None] >= 0) & (t <= N_BINS - 1)
    return jnp.where(active, delta[jnp.clip(t + 1, 0, N_BINS)], 0.0)


def time_cost(rho, weight):
    """Opportunity cost of one bin: :math:`\\omega_\\rho \\rho \\Delta t` (Niv et al. 2007)."""
    return weight * rho * BIN_S
