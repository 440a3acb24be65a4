"""Analyses of the two-step task as the field reports them (Daw et al. 2011).

* :func:`trials` turns an episode-recorded Dataset into per-subject trial arrays.
* :func:`stay_regression`: logistic regression of repeating the first-step choice
  ("stay") on the previous trial's reward, transition (common/rare) and their
  interaction, each coded +-1, fitted per subject (iteratively reweighted least squares
  with a small ridge, so subjects with separable data stay finite). The reward
  coefficient is the model-free index; the reward x transition coefficient is the
  model-based index.
* :func:`fit_hybrid`: maximum-likelihood fit of Daw et al. 2011's hybrid model per
  subject over a grid of its parameters (learning rate ``alpha``, inverse temperatures
  ``beta1 = beta2``, eligibility ``lambda``, perseveration ``p`` and the model-based
  weight ``w``), reporting each subject's best ``w`` (and the others). The grid is
  exhaustive, so the fit cannot stop in a local optimum; ``w`` is resolved to 0.05.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

STEP1 = "two-step: step 1"
STEP2 = "two-step: step 2"


@dataclass(frozen=True)
class Trials:
    """Per subject (rows) and trial (columns)."""

    choice1: np.ndarray      # 0 left, 1 right
    state: np.ndarray        # 0 B, 1 C
    choice2: np.ndarray      # 0 left, 1 right
    reward: np.ndarray       # 0/1
    common: np.ndarray       # the transition was the common one
    valid: np.ndarray        # both steps were played


def trials(ds: xr.Dataset, phase: str | None = None) -> Trials:
    """The two-step trials of ``ds`` (recorded per episode), optionally of one phase."""
    if "episode" not in ds.dims:
        raise ValueError("the two-step analysis needs episode records (record = 'episode')")
    tt = ds.trial_type.values
    keep = np.ones(tt.shape, bool) if phase is None else ds.phase.values == phase
    s1, s2 = (tt == STEP1) & keep, (tt == STEP2) & keep
    a1 = ds.action.values[:, s1].astype(int)
    a2 = ds.action.values[:, s2].astype(int)
    state = ds.branch.values[:, s1].astype(int)
    reward = (ds.natural_taken.values[:, s2] > 0).astype(int)
    valid = (a1 > 0) & (a2 > 0) & (state >= 0)
    c1, c2 = np.clip(a1 - 1, 0, 1), np.clip(a2 - 1, 0, 1)
    common = c1 == state             # left -> B (0), right -> C (1) are the common ones
    return Trials(c1, state, c2, reward, common, valid)


def stay_regression(t: Trials, ridge: float = 1e-3, iters: int = 25) -> dict[str, np.ndarray]:
    """Per-subject logistic regression of stay on reward, transition and their product."""
    stay = (t.choice1[:, 1:] == t.choice1[:, :-1]).astype(float)
    ok = (t.valid[:, 1:] & t.valid[:, :-1]).astype(float)
    r = 2.0 * t.reward[:, :-1] - 1.0
    c = 2.0 * t.common[:, :-1] - 1.0
    x = np.stack([np.ones_like(r), r, c, r * c], axis=-1)          # (n, T, 4)
    n, _, k = x.shape
    b = np.zeros((n, k))
    eye = ridge * np.eye(k)
    for _ in range(iters):
        eta = np.einsum("ntk,nk->nt", x, b)
        p = 1.0 / (1.0 + np.exp(-eta))
        wgt = ok * p * (1.0 - p)
        grad = np.einsum("ntk,nt->nk", x, ok * (stay - p)) - ridge * b
        hess = np.einsum("ntk,nt,ntj->nkj", x, wgt, x) + eye
        b = b + np.linalg.solve(hess, grad[..., None])[..., 0]
    return {"intercept": b[:, 0], "reward": b[:, 1], "transition": b[:, 2],
            "reward_x_transition": b[:, 3]}


def stay_probabilities(t: Trials) -> dict[tuple[bool, bool], float]:
    """Mean stay probability by (previous reward, previous transition common)."""
    stay = t.choice1[:, 1:] == t.choice1[:, :-1]
    ok = t.valid[:, 1:] & t.valid[:, :-1]
    out = {}
    for rew in (True, False):
        for com in (True, False):
            m = ok & (t.reward[:, :-1].astype(bool) == rew) & (t.common[:, :-1] == com)
            out[(rew, com)] = float(stay[m].mean()) if m.any() else float("nan")
    return out


#: the grid of the hybrid fit
GRID = {
    "alpha": np.array([0.2, 0.5, 0.8]),
    "beta": np.array([2.0, 4.0, 6.0, 9.0]),
    "lam": np.array([0.0, 0.5, 1.0]),
    "p": np.array([0.0, 0.2]),
    "w": np.round(np.arange(0.0, 1.0001, 0.05), 2),
}


def _loglik(t: Trials, alpha, beta, lam, p, w, common: float) -> np.ndarray:
    """Log-likelihood of every subject's choices under each parameter combination.

    Parameters are broadcast arrays of shape ``(G,)``; returns ``(n_subjects, G)``.
    """
    n, T = t.choice1.shape
    g = alpha.shape[0]
    q1 = np.zeros((n, g, 2))
    q2 = np.zeros((n, g, 2, 2))
    prev = np.full((n,), -1)
    ll = np.zeros((n, g))
    trans = np.array([[common, 1.0 - common], [1.0 - common, common]])   # P(state | choice)
    rows = np.arange(n)
    for i in range(T):
        c1, s, c2, r = t.choice1[:, i], t.state[:, i], t.choice2[:, i], t.reward[:, i]
        ok = t.valid[:, i][:, None]
        qmb = np.einsum("as,ngs->nga", trans, q2.max(axis=3))
        rep = (np.arange(2)[None, :] == prev[:, None]).astype(float)[:, None, :]
        v1 = beta[None, :, None] * (w[None, :, None] * qmb + (1 - w[None, :, None]) * q1
                                    + p[None, :, None] * rep)
        lp1 = v1[rows, :, c1] - np.logaddexp(v1[..., 0], v1[..., 1])
        q2s = q2[rows, :, s, :]                                      # (n, g, 2)
        v2 = beta[None, :, None] * q2s
        lp2 = v2[rows, :, c2] - np.logaddexp(v2[..., 0], v2[..., 1])
        ll += np.where(ok, lp1 + lp2, 0.0)
        # updates (Daw et al. 2011): SARSA(lambda) for the model-free values
        q2a = q2s[rows, :, c2]
        d1 = q2a - q1[rows, :, c1]
        d2 = r[:, None] - q2a
        new1 = q1[rows, :, c1] + alpha[None, :] * (d1 + lam[None, :] * d2)
        new2 = q2a + alpha[None, :] * d2
        q1[rows, :, c1] = np.where(ok, new1, q1[rows, :, c1])
        q2[rows, :, s, c2] = np.where(ok, new2, q2[rows, :, s, c2])
        prev = np.where(t.valid[:, i], c1, prev)
    return ll


def fit_hybrid(t: Trials, common: float = 0.7, chunk: int = 64) -> dict[str, np.ndarray]:
    """Per-subject maximum-likelihood hybrid parameters over :data:`GRID`."""
    mesh = np.meshgrid(*GRID.values(), indexing="ij")
    flat = {k: m.ravel() for k, m in zip(GRID, mesh)}
    n = t.choice1.shape[0]
    best = np.full(n, -np.inf)
    arg = np.zeros(n, int)
    for lo in range(0, n, chunk):
        sub = Trials(*(getattr(t, f)[lo:lo + chunk] for f in Trials.__dataclass_fields__))
        ll = _loglik(sub, flat["alpha"], flat["beta"], flat["lam"], flat["p"], flat["w"], common)
        best[lo:lo + chunk] = ll.max(axis=1)
        arg[lo:lo + chunk] = ll.argmax(axis=1)
    out = {k: v[arg] for k, v in flat.items()}
    out["loglik"] = best
    return out
