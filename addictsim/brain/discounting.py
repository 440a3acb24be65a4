r"""Inter-temporal choice: what an outcome promised after a delay is worth now.

The valuation system is a population of ``N_AGENTS`` exponential discounters
(micro-agents; Kurth-Nelson & Redish 2009, PLoS ONE 4:e7362). Agent ``i``
discounts a delay ``t`` by ``gamma_i ** (k t)``, and the subject's value is the
agents' mean. With the factors spread evenly over (0, 1), the mean of
``gamma ** x`` is ``1 / (1 + x)``: hyperbolic discounting (Mazur 1987), with the
preference reversals it implies, comes out of parts that each discount exponentially. The
population is finite (the factors are the midpoints of ``N_AGENTS`` equal bins),
so far beyond ``1 / k`` the slowest agent's exponential tail takes over.

``k`` is the subject's ``discount_rate`` raised by the allostatic load ``a``
(``brain.receptors``): ``k (1 + discount_load_gain * a / (1 + a))``. The load is
the state that grows with long, uninterrupted drug exposure and returns over
months; it is also the rise of the basal reward rate of the average-reward error
(Dezfouli et al. 2009), so the same change that devalues natural rewards makes
waiting cost more. Users discount delayed rewards more steeply than controls
(Kirby, Petry & Bickel 1999: twice as steeply), cocaine exposure raises rats'
impulsive choice for months (Simon et al. 2007; Mendez et al. 2010), and people
long abstinent look like people who never used (Bickel, Odum & Madden 1999) as
the load returns.

The delay factor multiplies the goal-directed worth of a described offer
(``brain.subject.perceive``), the same worth the goal-directed controller values
every expected outcome with. A drug offered now also carries the homeostatic
relief it would bring in the present state (``brain.receptors.drive_reduction``);
a delayed dose relieves a future state the subject does not feel yet, so drug is
discounted more steeply than money by people who depend on it (Madden et al.
1997; Bickel, Odum & Madden 1999), and more so in withdrawal (Giordano et al.
2002).
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from .params import BrainParams

#: micro-agents in the valuation population
N_AGENTS = 16


def agent_factors(dtype=jnp.float32) -> Float[Array, "M"]:
    """Each micro-agent's discount factor per unit of ``k * delay``: the midpoints of
    ``N_AGENTS`` equal bins of (0, 1)."""
    return (jnp.arange(N_AGENTS, dtype=dtype) + 0.5) / N_AGENTS


def rate(params: BrainParams, load) -> Float[Array, ""]:
    """The effective discount rate (1/d) at allostatic load ``load``."""
    a = jnp.maximum(load, 0.0)
    return params.discount_rate * (1.0 + params.discount_load_gain * a / (1.0 + a))


def delay_factor(params: BrainParams, load, delay_d) -> Array:
    """The population's value of one unit delivered after ``delay_d`` days (any shape; 1 at
    no delay), the mean of the micro-agents' exponential factors."""
    x = rate(params, load) * jnp.maximum(jnp.asarray(delay_d), 0.0)
    g = agent_factors(x.dtype).reshape((1,) * x.ndim + (N_AGENTS,))
    return jnp.mean(g ** x[..., None], axis=-1)
