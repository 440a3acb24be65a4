r"""The body and the slow brain: drug levels, receptors, withdrawal, allostasis, drive.

Everything here changes on the time scale of minutes to months and is
integrated exactly over the real time between episodes (``elapse``); the
episode's own delivery is added by ``deliver``. Per reinforcer kind ``k``:

* **Kinetics** (one compartment, first-order absorption): depot ``A``, level
  ``L``; over ``g`` seconds ``A' = A e^{-k_a g}``,
  ``L' = L e^{-k_e g} + A k_a/(k_a-k_e) (e^{-k_e g} - e^{-k_a g})``.
* **Tonic accumbens dopamine** (% of baseline):
  ``100 (1 + sum_k E_k(L_k) - depth * sum_k W_k)``, ``E`` the drug's saturating
  effect (``pharmacology.reinforcers``), ``W`` the expressed withdrawal.
  Microdialysis reads this; it shows no tolerance of its own (Rossetti 1993).
* **D2 availability** ``d2`` falls towards ``d2_baseline (1 - d2_max_loss)``
  only while tonic dopamine is above ``high_da_pct``, with a time constant
  counted in hours of high dopamine, and recovers towards ``d2_baseline`` with
  ``d2_recovery_tau_d`` (Nader et al. 2006: fast loss, plateau, slow and
  variable recovery). The receptor gain ``g = d2`` scales the effective
  dopamine signal downstream of release: the drug's dopamine term and the
  hedonic value of every reward, natural ones and the value of other activities
  included (tolerance and anhedonia, Volkow et al. 2004). Because it scales
  the alternatives too, choices between natural rewards do not move with ``g``.
* **Opponent adaptation and withdrawal** (Solomon & Corbit 1974; Koob & Le
  Moal 2001): an adaptation ``O_k`` follows the drug's receptor occupancy
  ``x_k = E_k / (E_k + 1)`` up with ``opponent_tau_h`` and fades with the drug's
  ``withdrawal_duration``; the deficit it leaves once the drug is gone,
  ``max(0, O_k - x_k)``, is expressed through a two-stage cascade (a pending
  stage, then the expressed deficit, each with time constant half the drug's
  ``withdrawal_onset``), so the fall is sigmoid in time and, for cocaine, appears
  more than a day after the last dose (hours for ethanol and opiates: Rossetti et
  al. 1992). ``withdrawal`` (0-1) is the unrelieved part, so a dose relieves it
  at once.
* **Allostasis** (Koob & Le Moal 2001; Ahmed & Koob 1998): a load ``a`` that
  grows only after a drug has occupied its own target (level above
  ``allostasis_occupancy`` of its ``ed50`` occupancy; for cocaine this is tonic dopamine
  near 250%) for longer than ``allostasis_onset_h`` without a break, and returns over
  months. Opioids and alcohol recruit it as stimulants do (heroin escalates in long
  access: Ahmed, Walker & Koob 2000), though they raise dopamine less. Short (1 h)
  sessions never reach the onset, so short access stays stable; long (6 h)
  sessions do. The load raises three set points: the homeostatic setpoint of
  the drug level ``h* = drug_setpoint (1 + a) / d2_baseline`` (escalation;
  Keramati & Gutkin 2014), the hedonic set point that every reward must exceed
  (reward thresholds, Ahmed et al. 2002) and the basal reward rate in the
  average-reward error (Dezfouli et al. 2009).
* The incentive state (time since each kind's last delivery, the incubation
  substrate, sensitisation) also lives in the body; ``brain.incentive`` evolves it.
* **Homeostatic drive** (Keramati & Gutkin 2014): drive
  ``D(u) = h* |1 - u/h*|^p`` over the drug level in ``ed50`` units; the value of
  an expected delivery is the drive it would remove, ``D(u) - D(u + dose)``,
  computed on the spot from the current level (so intake titrates: a bigger
  unit dose lengthens the interval between doses; at or above the setpoint a
  dose increases drive and the subject stops).
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from ..pharmacology.reinforcers import Kind, ReinforcerTable, surge_per_kind
from .params import BrainParams


class Body(eqx.Module):
    """Slow state of one subject."""

    depot: Float[Array, "K"]       # delivered, not yet absorbed (amount units)
    level: Float[Array, "K"]       # in the body / brain (amount units)
    opponent: Float[Array, "K"]    # opponent adaptation per drug, 0-1
    pending: Float[Array, "K"]     # first stage of the withdrawal cascade, 0-1
    deficit: Float[Array, "K"]     # expressed withdrawal deficit per drug, 0-1
    d2: Float[Array, ""]           # D2 receptor availability (population baseline 1)
    load: Float[Array, ""]         # allostatic load, >= 0
    high_for_s: Float[Array, ""]   # seconds of uninterrupted high dopamine so far
    since: Float[Array, "K"]       # seconds since each kind was last delivered (brain.incentive)
    exposure: Float[Array, "K"]    # incubation substrate per kind (brain.incentive)
    sensitization: Float[Array, ""]  # incentive sensitisation, 0-1 (brain.incentive)
    pfc_insult: Float[Array, ""]     # accumulated prefrontal insult, h (brain.prefrontal)
    stress: Float[Array, ""]         # stress, 0-1 (brain.interoception)


def init_body(params: BrainParams, n_kinds: int) -> Body:
    dt = params.alpha.dtype
    z = jnp.zeros((n_kinds,), dt)
    zero = jnp.zeros((), dt)
    return Body(depot=z, level=z, opponent=z, pending=z, deficit=z, d2=params.d2_baseline,
                load=zero, high_for_s=zero, since=z, exposure=z, sensitization=zero,
                pfc_insult=zero, stress=zero)


def drug_effect(params: BrainParams, table: ReinforcerTable, level) -> Float[Array, "K"]:
    """Accumbens surge (fraction above baseline) of the drug levels, per kind (drugs only)."""
    e = surge_per_kind(table, level, params.drug_sensitivity)
    return jnp.where(table.kind == Kind.DRUG, e, 0.0)


def occupancy(effect):
    return effect / (effect + 1.0)


def _tonic(params: BrainParams, effect, deficit):
    """Tonic dopamine (1 = baseline) from the drugs' effects and the expressed deficit."""
    return jnp.maximum(1.0 + jnp.sum(effect) - params.withdrawal_depth * jnp.sum(deficit), 0.05)


def tonic_dopamine(params: BrainParams, table: ReinforcerTable, body: Body):
    """Tonic accumbens dopamine as a fraction of baseline (1 = 100%), and the dorsal one."""
    e = drug_effect(params, table, body.level)
    return (_tonic(params, e, body.deficit),
            _tonic(params, e * table.dorsal_ratio, body.deficit))


def _relax(x, target, k):
    """``x`` moved towards ``target`` by the fraction ``k``."""
    return target + (x - target) * (1.0 - k)


def elapse(params: BrainParams, table: ReinforcerTable, body: Body, gap_s) -> Body:
    """Integrate the body over ``gap_s`` seconds of real time (before an episode)."""
    g = gap_s
    eka = jnp.exp(-table.ka * g)
    eke = jnp.exp(-table.kel * g)
    level = body.level * eke + body.depot * table.ka / (table.ka - table.kel) * (eke - eka)
    level = jnp.maximum(level, 0.0)
    depot = body.depot * eka

    da0 = _tonic(params, drug_effect(params, table, body.level), body.deficit)
    e1 = drug_effect(params, table, level)
    da1 = _tonic(params, e1, body.deficit)
    thr = params.high_da_pct / 100.0
    high0 = da0 > thr
    high1 = da1 > thr
    # time above threshold during the gap (trapezoid on the two ends)
    above_s = g * 0.5 * (high0.astype(g.dtype) + high1.astype(g.dtype))

    # D2: down only under high dopamine, towards the floor; recovery always
    floor = params.d2_baseline * (1.0 - params.d2_max_loss)
    d2 = _relax(body.d2, floor, 1.0 - jnp.exp(-above_s / (3600.0 * params.d2_down_tau_h)))
    d2 = _relax(d2, params.d2_baseline, 1.0 - jnp.exp(-g / (86400.0 * params.d2_recovery_tau_d)))

    # allostatic load: recruited past the onset of an uninterrupted occupation of a drug's
    # own target (the drug's level above a share of its ed50; opioids and alcohol as well
    # as stimulants: Koob & Le Moal 2001)
    target_occ = level / (level + table.ed50)
    engaged = jnp.any((table.kind == Kind.DRUG) & (target_occ > params.allostasis_occupancy))
    high_for = jnp.where(engaged, body.high_for_s + g, 0.0)
    onset = 3600.0 * params.allostasis_onset_h
    recruited = jnp.where(engaged,
                          jnp.maximum(high_for - jnp.maximum(onset, body.high_for_s), 0.0), 0.0)
    load = body.load * jnp.exp(-g / (86400.0 * params.allostasis_recovery_tau_d))
    load = load + params.allostasis_rate * recruited / 3600.0

    # opponent adaptation (up with exposure, down with the drug's own duration)
    x1 = occupancy(e1)
    tau = jnp.where(x1 > body.opponent, 3600.0 * params.opponent_tau_h,
                    table.withdrawal_duration_s)
    opponent = _relax(body.opponent, x1, 1.0 - jnp.exp(-g / tau))
    is_drug = table.kind == Kind.DRUG
    opponent = jnp.where(is_drug, opponent, 0.0)
    target = jnp.maximum(opponent - x1, 0.0)
    # two equal first-order stages driven by a constant target over the gap (exact)
    tau_s = 0.5 * table.withdrawal_onset_s
    e = jnp.exp(-g / tau_s)
    pending = target + (body.pending - target) * e
    deficit = target + (body.deficit - target) * e + (body.pending - target) * (g / tau_s) * e
    pending = jnp.where(is_drug, pending, 0.0)
    deficit = jnp.where(is_drug, jnp.maximum(deficit, 0.0), 0.0)
    return Body(depot=depot, level=level, opponent=opponent, pending=pending, deficit=deficit,
                d2=d2, load=load, high_for_s=high_for, since=body.since, exposure=body.exposure,
                sensitization=body.sensitization, pfc_insult=body.pfc_insult,
                stress=body.stress)


def deliver(body: Body, amounts: Float[Array, "K"]) -> Body:
    """Add an episode's delivered amounts to the depot."""
    return eqx.tree_at(lambda b: b.depot, body, body.depot + amounts)


def satiety(params: BrainParams, table: ReinforcerTable, body: Body) -> Float[Array, "K"]:
    """Outcome-specific satiety (0-1) from what has been consumed and not yet digested."""
    s = body.level * table.inv_satiety_half / params.satiety_capacity
    return params.satiety_gain * s / (1.0 + s)


def withdrawal(params: BrainParams, table: ReinforcerTable, body: Body) -> Float[Array, ""]:
    """Unrelieved withdrawal, 0-1: a deficit of half of baseline dopamine reads 1."""
    x = occupancy(drug_effect(params, table, body.level))
    return jnp.clip(2.0 * params.withdrawal_depth * jnp.sum(jnp.maximum(body.deficit - x, 0.0)),
                    0.0, 1.0)


def setpoint(params: BrainParams, body: Body):
    """Homeostatic setpoint of the drug level, in ``ed50`` units."""
    return params.drug_setpoint * (1.0 + body.load) / params.d2_baseline


def drive(params: BrainParams, u, h):
    return h * jnp.abs(1.0 - u / h) ** params.drive_exponent


def drive_reduction(params: BrainParams, table: ReinforcerTable, body: Body,
                    expected: Float[Array, "S K"]) -> Float[Array, "S"]:
    """Homeostatic value of the expected delivered amounts of each action slot (reward
    units), computed on the spot from the current drug level and setpoint."""
    h = setpoint(params, body)
    u = (body.level / table.ed50)[None, :]
    du = expected / table.ed50[None, :]
    red = drive(params, u, h) - drive(params, u + du, h)
    red = jnp.where((table.kind == Kind.DRUG)[None, :], red, 0.0)
    return params.homeostatic_weight * jnp.sum(red, axis=-1)


def hedonic_set_point(params: BrainParams, body: Body):
    """Rise of the hedonic set point (reward units every reward must exceed)."""
    return params.hedonic_shift * body.load


def reward_threshold(params: BrainParams, body: Body):
    """The ICSS-threshold analogue: the natural-reward magnitude (pellets) whose value, after
    the hedonic set point, beats the other activities and the response cost:
    ``g m - s = g * other + cost``."""
    g = body.d2
    return params.other_value + (params.response_cost + hedonic_set_point(params, body)) / g


def mood(params: BrainParams, table: ReinforcerTable, body: Body) -> Float[Array, ""]:
    """Hedonic tone relative to a drug-naive baseline, -1..1: receptor gain and the drug's
    euphoria, minus the hedonic set point's rise (reward units) and unrelieved withdrawal."""
    x = jnp.sum(occupancy(drug_effect(params, table, body.level)))
    raw = (body.d2 * (1.0 + x) - params.d2_baseline - hedonic_set_point(params, body)
           - withdrawal(params, table, body))
    return jnp.clip(raw, -1.0, 1.0)
