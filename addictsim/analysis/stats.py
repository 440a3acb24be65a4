"""Small summaries the analyses share."""

from __future__ import annotations

import numpy as np


def median_iqr(x) -> dict[str, float | None]:
    """Median and quartiles of the finite values of ``x`` (None each when there are none),
    JSON-ready."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {"median": None, "q25": None, "q75": None}
    q25, med, q75 = np.percentile(x, [25, 50, 75])
    return {"median": float(med), "q25": float(q25), "q75": float(q75)}


def cohens_d(a, b) -> float:
    """Cohen's d of ``a`` against ``b`` with the pooled standard deviation."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1))
                     / (len(a) + len(b) - 2))
    return float((a.mean() - b.mean()) / pooled)
