"""The virtual subject's parameters, each declared once (default per species,
unit, allowed range, meaning, source). See ``addictsim._params``."""

from __future__ import annotations

import enum

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._params import Species, defaults_of, param, specs_of

#: within-episode time bins of the serial-compound representation, and their width
N_BINS = 8
BIN_S = 0.5


class Model(enum.StrEnum):
    """Model variants: how the drug's pharmacological dopamine enters the error.

    * ``default`` — compensable drug term plus the average-reward (opportunity
      cost) term: bounded drug value, blocking with drugs (Panlilio et al. 2007;
      Dezfouli et al. 2009 average-reward form).
    * ``td`` — textbook TD: the drug is an ordinary reinforcer, no drug term.
    * ``redish2004`` — Redish 2004's non-compensable rule
      ``delta = max(delta_0 + D, D)``: drug value grows without bound, no blocking.
    """

    DEFAULT = "default"
    TD = "td"
    REDISH2004 = "redish2004"


class BrainParams(eqx.Module):
    """Parameters of one subject (a cohort stacks them with a leading axis)."""

    alpha: Float[Array, ""] = param(
        rat=0.1, human=0.1, unit="1/trial", low=0.0, high=1.0,
        meaning="learning rate of the Pavlovian critic (cue values, per CSC element)",
        source="Sutton & Barto 1990; Schultz, Dayan & Montague 1997")
    gamma: Float[Array, ""] = param(
        rat=0.98, human=0.98, unit="1/bin (0.5 s)", low=0.0, high=1.0,
        meaning="temporal discount per within-episode time bin",
        source="REFERENCES.md td_da_shift_omission (gamma ~ 0.98)")
    alpha_q: Float[Array, ""] = param(
        rat=0.1, human=0.1, unit="1/response", low=0.0, high=1.0,
        meaning="learning rate of instrumental (cached, model-free) action values",
        source="Daw, Niv & Dayan 2005 (model-free cache); design choice for the value")
    alpha_id: Float[Array, ""] = param(
        rat=0.1, human=0.1, unit="1/trial", low=0.0, high=1.0,
        meaning="learning rate of cue -> outcome-identity expectations (Rescorla-Wagner)",
        source="Rescorla & Wagner 1972; outcome-specific associations, Delamater 2012")
    beta: Float[Array, ""] = param(
        rat=3.0, human=3.0, unit="1/reward unit", low=0.0, high=50.0,
        meaning="softmax inverse temperature of the choice policy",
        source="Daw et al. 2006 (softmax choice); design choice for the value")
    other_value: Float[Array, ""] = param(
        rat=0.3, human=0.3, unit="reward units/opportunity", low=-5.0, high=5.0,
        meaning="value of withholding (other activities) at each opportunity",
        source="Niv et al. 2007 (opportunity cost); design choice for the value")
    response_cost: Float[Array, ""] = param(
        rat=0.05, human=0.05, unit="reward units/response", low=0.0, high=5.0,
        meaning="effort cost of one operant response",
        source="Niv et al. 2007 (response vigour and cost)")
    context_generalization: Float[Array, ""] = param(
        rat=0.9, human=0.9, unit="1", low=0.0, high=1.0,
        meaning="share of cue/action learning in one context that transfers to the others",
        source="Bouton 2004 (excitatory conditioning transfers across contexts)")
    da_to_reward: Float[Array, ""] = param(
        rat=0.15, human=0.15, unit="reward units per 100% surge", low=0.0, high=5.0,
        meaning="scale of the drug's pharmacological dopamine term D per unit surge",
        source="Redish 2004 (D term); magnitude a design choice: cocaine 0.75 mg/kg ~ 1 pellet")
    drug_sensitivity: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1", low=0.0, high=10.0,
        meaning="individual multiplier on drug-evoked dopamine",
        source="individual differences, Piazza et al. 1989; design choice for the value")
    avg_reward_tau_h: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="h", low=1e-3, high=1e4,
        meaning="time constant of the average-reward (opportunity cost) estimate",
        source="Niv et al. 2007; Dezfouli et al. 2009 (average-reward TD)")
    avg_reward_weight: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1", low=0.0, high=1.0,
        meaning="weight of the opportunity cost of time (rho * bin width) in the error",
        source="Dezfouli et al. 2009; Daw & Touretzky 2002")
    craving_half: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="reward units", low=1e-3, high=100.0,
        meaning="drug-cue value at which craving reads 5 of 10",
        source="REFERENCES.md cross-cutting note 4 (craving = cue-triggered wanting)")

    @classmethod
    def specs(cls):
        return specs_of(cls)

    @classmethod
    def defaults(cls, species: Species | str = Species.RAT, dtype=jnp.float32,
                 **overrides: float) -> "BrainParams":
        """The default parameter set of ``species`` (overrides by name are checked)."""
        values = defaults_of(cls, species)
        specs = specs_of(cls)
        for name, v in overrides.items():
            if name not in values:
                raise KeyError(f"unknown brain parameter '{name}'")
            specs[name].check(float(v))
            values[name] = v
        return cls(**{k: jnp.asarray(v, dtype=dtype) for k, v in values.items()})
