"""Individual differences: a cohort is the parameter tree with a leading subject axis.

Subject ``i``'s parameter draws use the key ``fold_in(fold_in(root, 1), i)``
folded with the parameter's position, so a subject's parameters do not
depend on chunking or cohort size.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .brain.params import BrainParams
from .scenario import Distribution, Scenario

COHORT_STREAM = 1
SIM_STREAM = 0


def _draw(d: Distribution, key, n_ids: np.ndarray, param_pos: int, dtype) -> np.ndarray:
    base = jax.random.fold_in(key, param_pos)
    keys = jax.vmap(lambda i: jax.random.fold_in(base, i))(jnp.asarray(n_ids, jnp.uint32))
    if d.dist == "uniform":
        x = jax.vmap(lambda k: jax.random.uniform(k, (), dtype=jnp.float64 if dtype == np.float64
                                                  else jnp.float32))(keys)
        x = d.low + (d.high - d.low) * np.asarray(x, np.float64)
    else:
        z = np.asarray(jax.vmap(lambda k: jax.random.normal(k, ()))(keys), np.float64)
        x = d.mean + d.sd * z if d.dist == "normal" else d.mean * np.exp(d.sd * z)
    lo = -np.inf if d.low is None else d.low
    hi = np.inf if d.high is None else d.high
    return np.clip(x, lo, hi)


def cohort_params(scenario: Scenario, ids: np.ndarray, root_key, dtype=np.float32
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-subject parameter arrays for subject ``ids``; also the varying ones (for coords)."""
    specs = BrainParams.specs()
    defaults = {k: s.defaults[scenario.scenario.species] for k, s in specs.items()}
    overrides = scenario.cohort.overrides()
    key = jax.random.fold_in(root_key, COHORT_STREAM)
    names = list(specs)
    values: dict[str, np.ndarray] = {}
    varying: dict[str, np.ndarray] = {}
    for name in names:
        ov = overrides.get(name)
        if isinstance(ov, Distribution):
            x = _draw(ov, key, ids, names.index(name), dtype)
            x = np.clip(x, specs[name].low, specs[name].high)
            varying[name] = x
        elif ov is None and specs[name].spread_for(scenario.scenario.species) > 0:
            # the default cohort is heterogeneous in this parameter (declared spread)
            d = Distribution(dist="lognormal", mean=defaults[name],
                             sd=specs[name].spread_for(scenario.scenario.species))
            x = np.clip(_draw(d, key, ids, names.index(name), dtype),
                        specs[name].low, specs[name].high)
            varying[name] = x
        else:
            x = np.full(len(ids), defaults[name] if ov is None else ov)
        values[name] = x.astype(dtype)
    return values, varying


def to_params(values: dict[str, np.ndarray], dtype) -> BrainParams:
    return BrainParams(**{k: jnp.asarray(v, dtype) for k, v in values.items()})
