"""Outcomes with identity: the reinforcers a task can deliver.

An outcome is a small vector ``amounts[k]`` over the reinforcer kinds below
(how much of each was delivered in an episode, in that kind's canonical unit),
not a bare scalar, so that devaluation, satiety, outcome-specific wanting and
receptor pharmacology have something to act on.

For each kind ``k`` and amount ``a``:

* hedonic (primary) reward, in reward units (one food pellet = 1):
  natural: ``r = value_k * a``; drug: ``r = value_k * a / (a + ed50_k)``;
  aversive: ``r = -value_k * a``.
* accumbens dopamine surge, as a fraction above baseline (microdialysis peak):
  ``E = emax_k * a / (a + ed50_k)`` (saturating dose-response).
* drugs only: the pharmacological dopamine term of the prediction error,
  ``D = da_to_reward * drug_sensitivity * E`` (brain parameters), which the model
  variants treat differently (see ``brain.dopamine``).

Sources for the surge magnitudes: food lever-pressing +37% (Hernandez & Hoebel
1988, Life Sci 42:1705); cocaine about 400% of baseline at self-administered
doses, maxima 500-600% (Di Chiara & Imperato 1988, PNAS 85:5274; Desai et al.
2010, JPET 333:834). The full drug library (kinetics, routes, receptor
targets) comes with the pharmacology issue; new kinds are appended here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

import equinox as eqx

from ..units import Dimension


class Reinforcer(enum.StrEnum):
    """Reinforcer kinds; the order is the index in outcome vectors."""

    FOOD = "food"
    SUCROSE = "sucrose"
    COCAINE = "cocaine"
    SHOCK = "shock"


class Kind(enum.IntEnum):
    NATURAL = 0
    DRUG = 1
    AVERSIVE = 2


@dataclass(frozen=True)
class ReinforcerSpec:
    name: Reinforcer
    kind: Kind
    dimensions: tuple[Dimension, ...]
    unit: str
    default_amount: float
    value: float
    ed50: float
    emax: float
    meaning: str
    source: str


REINFORCERS: dict[Reinforcer, ReinforcerSpec] = {
    Reinforcer.FOOD: ReinforcerSpec(
        Reinforcer.FOOD, Kind.NATURAL, (Dimension.COUNT,), "pellets", 1.0,
        value=1.0, ed50=0.62, emax=0.6,
        meaning="45 mg food pellet; the unit of reward value",
        source="Hernandez & Hoebel 1988 (NAc dopamine +37% during lever-pressing for food)"),
    Reinforcer.SUCROSE: ReinforcerSpec(
        Reinforcer.SUCROSE, Kind.NATURAL, (Dimension.COUNT, Dimension.VOLUME), "access", 1.0,
        value=1.2, ed50=1.0, emax=1.0,
        meaning="one sucrose (or saccharin) access/delivery",
        source="REFERENCES.md da_surge_drug_vs_natural: natural rewards 135-160% [R]"),
    Reinforcer.COCAINE: ReinforcerSpec(
        Reinforcer.COCAINE, Kind.DRUG, (Dimension.DOSE_PER_KG,), "mg/kg", 0.75,
        value=1.0, ed50=0.5, emax=5.0,
        meaning="intravenous cocaine infusion",
        source="Di Chiara & Imperato 1988; Desai et al. 2010 (peaks ~400%, maxima ~600%)"),
    Reinforcer.SHOCK: ReinforcerSpec(
        Reinforcer.SHOCK, Kind.AVERSIVE, (Dimension.CURRENT,), "mA", 0.5,
        value=4.0, ed50=1.0, emax=0.0,
        meaning="footshock; aversive, no accumbens surge in this slice",
        source="value scale chosen so that 0.5 mA outweighs two food pellets (design choice)"),
}

N_KINDS = len(Reinforcer)
REINFORCER_INDEX = {r: i for i, r in enumerate(Reinforcer)}
DIMENSIONS_BY_NAME = {r.value: spec.dimensions for r, spec in REINFORCERS.items()}


class ReinforcerTable(eqx.Module):
    """The reinforcer library as arrays indexed by kind (shape ``(K,)``)."""

    kind: Float[Array, "K"]
    value: Float[Array, "K"]
    ed50: Float[Array, "K"]
    emax: Float[Array, "K"]
    default_amount: Float[Array, "K"]

    @staticmethod
    def build(dtype=jnp.float32) -> "ReinforcerTable":
        specs = [REINFORCERS[r] for r in Reinforcer]
        arr = lambda xs: jnp.asarray(np.array(xs, dtype=np.float64), dtype=dtype)  # noqa: E731
        return ReinforcerTable(
            kind=arr([s.kind for s in specs]), value=arr([s.value for s in specs]),
            ed50=arr([s.ed50 for s in specs]), emax=arr([s.emax for s in specs]),
            default_amount=arr([s.default_amount for s in specs]))


def hedonic_reward(table: ReinforcerTable, amounts: Float[Array, "K"]) -> Float[Array, ""]:
    """Primary reward ``r`` of an outcome vector, in reward units (food pellet = 1)."""
    sat = amounts / (amounts + table.ed50)
    per_kind = jnp.where(table.kind == Kind.NATURAL, table.value * amounts,
                         jnp.where(table.kind == Kind.DRUG, table.value * sat,
                                   -table.value * amounts))
    return jnp.sum(per_kind)


def dopamine_surge(table: ReinforcerTable, amounts: Float[Array, "K"],
                   drug_sensitivity: Float[Array, ""]) -> tuple[Float[Array, ""], Float[Array, ""]]:
    """Accumbens dopamine surge above baseline (fraction): ``(total, drug part)``."""
    e = table.emax * amounts / (amounts + table.ed50)
    is_drug = table.kind == Kind.DRUG
    e = jnp.where(is_drug, e * drug_sensitivity, e)
    drug = jnp.sum(jnp.where(is_drug, e, 0.0))
    return jnp.sum(e), drug
