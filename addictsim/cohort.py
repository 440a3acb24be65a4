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


def _keys(key, n_ids: np.ndarray, param_pos: int):
    base = jax.random.fold_in(key, param_pos)
    return jax.vmap(lambda i: jax.random.fold_in(base, i))(jnp.asarray(n_ids, jnp.uint32))


def _scores(key, n_ids: np.ndarray, param_pos: int) -> np.ndarray:
    """Each subject's standard normal score for one parameter (its own key)."""
    keys = _keys(key, n_ids, param_pos)
    return np.asarray(jax.vmap(lambda k: jax.random.normal(k, ()))(keys), np.float64)


def _from_scores(d: Distribution, z: np.ndarray) -> np.ndarray:
    """Draws of ``d`` from normal scores ``z`` (a uniform through the normal CDF)."""
    if d.dist == "uniform":
        from scipy.special import ndtr

        return d.low + (d.high - d.low) * ndtr(z)
    return d.mean + d.sd * z if d.dist == "normal" else d.mean * np.exp(d.sd * z)


def _clip(d: Distribution, x: np.ndarray) -> np.ndarray:
    lo = -np.inf if d.low is None else d.low
    hi = np.inf if d.high is None else d.high
    return np.clip(x, lo, hi)


def _draw(d: Distribution, key, n_ids: np.ndarray, param_pos: int, dtype) -> np.ndarray:
    if d.dist == "uniform":
        keys = _keys(key, n_ids, param_pos)
        x = jax.vmap(lambda k: jax.random.uniform(k, (), dtype=jnp.float64 if dtype == np.float64
                                                  else jnp.float32))(keys)
        x = d.low + (d.high - d.low) * np.asarray(x, np.float64)
    else:
        x = _from_scores(d, _scores(key, n_ids, param_pos))
    return _clip(d, x)


def cohort_params(scenario: Scenario, ids: np.ndarray, root_key, dtype=np.float32
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-subject parameter arrays for subject ``ids``; also the varying ones (for coords).

    Correlated parameters (``[cohort] correlations``) are drawn through a Gaussian copula:
    each subject's own normal scores for them are mixed by the Cholesky factor of the
    correlation matrix, then mapped through each parameter's distribution, so the first
    parameter named keeps the draw it has without correlations, and a subject's draws still
    depend only on its id."""
    specs = BrainParams.specs()
    species = scenario.scenario.species
    defaults = {k: s.defaults[species] for k, s in specs.items()}
    overrides = scenario.cohort.overrides()
    key = jax.random.fold_in(root_key, COHORT_STREAM)
    names = list(specs)
    dists: dict[str, Distribution] = {}
    for name in names:
        ov = overrides.get(name)
        if isinstance(ov, Distribution):
            dists[name] = ov
        elif ov is None and specs[name].spread_for(species) > 0:
            # the default cohort is heterogeneous in this parameter (declared spread)
            dists[name] = Distribution(dist="lognormal", mean=defaults[name],
                                       sd=specs[name].spread_for(species))
    corr_names, r = scenario.cohort.correlation_matrix(set(dists))
    drawn: dict[str, np.ndarray] = {}
    if corr_names:
        z = np.stack([_scores(key, ids, names.index(n)) for n in corr_names], axis=1)
        z = z @ np.linalg.cholesky(r).T
        for j, n in enumerate(corr_names):
            drawn[n] = _clip(dists[n], _from_scores(dists[n], z[:, j]))
    values: dict[str, np.ndarray] = {}
    varying: dict[str, np.ndarray] = {}
    for name in names:
        if name in dists:
            x = drawn[name] if name in drawn else _draw(dists[name], key, ids,
                                                        names.index(name), dtype)
            x = np.clip(x, specs[name].low, specs[name].high)
            varying[name] = x
        else:
            ov = overrides.get(name)
            x = np.full(len(ids), defaults[name] if ov is None else ov)
        values[name] = x.astype(dtype)
    return values, varying


def to_params(values: dict[str, np.ndarray], dtype) -> BrainParams:
    return BrainParams(**{k: jnp.asarray(v, dtype) for k, v in values.items()})
