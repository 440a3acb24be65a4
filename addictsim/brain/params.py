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

    The receptor, satiety, allostatic and homeostatic mechanisms (``brain.receptors``) are
    part of the default model. The two comparison variants are the published rules alone:
    their body is still simulated and recorded (drug levels, D2, withdrawal) but their
    values do not feel it.
    """

    DEFAULT = "default"
    TD = "td"
    REDISH2004 = "redish2004"


class BrainParams(eqx.Module):
    """Parameters of one subject (a cohort stacks them with a leading axis)."""

    alpha: Float[Array, ""] = param(
        rat=0.1, human=0.5, unit="1/trial", low=0.0, high=1.0,
        meaning="learning rate of the Pavlovian critic (cue values, per CSC element)",
        source="Sutton & Barto 1990; Schultz, Dayan & Montague 1997; human: Daw et al. 2011 "
               "(two-step fits, median learning rate ~0.5)")
    gamma: Float[Array, ""] = param(
        rat=0.98, human=0.98, unit="1/bin (0.5 s)", low=0.0, high=1.0,
        meaning="temporal discount per within-episode time bin",
        source="REFERENCES.md td_da_shift_omission (gamma ~ 0.98)")
    alpha_q: Float[Array, ""] = param(
        rat=0.1, human=0.5, unit="1/response", low=0.0, high=1.0,
        meaning="learning rate of instrumental (cached, model-free) action values",
        source="Daw, Niv & Dayan 2005 (model-free cache); rat value a design choice; human: "
               "Daw et al. 2011 (two-step fits ~0.5)")
    alpha_id: Float[Array, ""] = param(
        rat=0.1, human=0.5, unit="1/trial", low=0.0, high=1.0,
        meaning="learning rate of cue -> outcome-identity expectations (Rescorla-Wagner)",
        source="Rescorla & Wagner 1972; outcome-specific associations, Delamater 2012; human "
               "value as the human critic's")
    beta: Float[Array, ""] = param(
        rat=3.0, human=6.0, unit="1/reward unit", low=0.0, high=50.0,
        meaning="softmax inverse temperature of the choice policy",
        source="Daw et al. 2006 (softmax choice); rat value a design choice; human: Daw et al. "
               "2011 (two-step fits, inverse temperatures ~5-6 per win)")
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

    # --- memories (brain.memory) ---
    memory_threshold: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="default amounts", low=0.0, high=10.0,
        meaning="running average of omitted outcomes above which a new memory opens",
        source="Redish et al. 2007 (sustained negative error splits the state); value above "
               "the average omission of any stationary partial schedule (<= 0.25 at p = 0.5)")
    memory_surprise_rate: Float[Array, ""] = param(
        rat=0.3, human=0.3, unit="1/due outcome", low=0.0, high=1.0,
        meaning="weight of each due outcome in the running average of omissions",
        source="Redish et al. 2007 (a few consecutive omissions); value a design choice")
    memory_noise: Float[Array, ""] = param(
        rat=0.3, human=0.3, unit="default amounts", low=1e-3, high=10.0,
        meaning="width of the outcome likelihood that assigns an episode to a memory",
        source="Gershman, Blei & Niv 2010 (Gaussian outcome likelihood per latent cause); "
               "value a design choice")
    memory_context_share: Float[Array, ""] = param(
        rat=0.1, human=0.1, unit="1", low=0.0, high=1.0,
        meaning="how far a memory formed on a surprise (e.g. extinction) is retrieved outside "
                "its own context, relative to within it (the first memory: "
                "context_generalization)",
        source="Bouton 2004 (extinction is context-specific, conditioning transfers); Rosas "
               "& Callejas-Aguilera 2006; value a design choice")
    memory_drift_d: Float[Array, ""] = param(
        rat=7.0, human=7.0, unit="d", low=1e-3, high=1e5,
        meaning="time constant of the drift of temporal context: a memory bound to its "
                "context is retrieved less as time since its last use passes",
        source="Bouton 1993, 2004 (time as context: spontaneous recovery is renewal in time); "
               "value a design choice")

    # --- receptors and homeostasis (brain.receptors) ---
    d2_baseline: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1 (population median = 1)", low=0.2, high=2.0, spread=0.15,
        meaning="constitutive striatal D2 receptor availability before any drug",
        source="Nader et al. 2006; Morgan et al. 2002 (baseline D2 varies between individuals)")
    d2_max_loss: Float[Array, ""] = param(
        rat=0.22, human=0.22, unit="fraction", low=0.0, high=0.9,
        meaning="plateau of D2 loss under sustained high dopamine (downregulation floor)",
        source="Nader et al. 2006 (15-20% within a week, ~20% over a year)")
    d2_down_tau_h: Float[Array, ""] = param(
        rat=4.0, human=4.0, unit="h of high dopamine", low=0.01, high=1e4,
        meaning="time constant of D2 downregulation, counted in hours of high dopamine",
        source="Nader et al. 2006 (most of the loss within the first week of daily sessions)")
    d2_recovery_tau_d: Float[Array, ""] = param(
        rat=240.0, human=240.0, unit="d", low=1.0, high=1e5, spread=1.2,
        meaning="time constant of D2 recovery in abstinence (varies widely between subjects)",
        source="Nader et al. 2006 (recovery rates differ; some not recovered after 1 year)")
    high_da_pct: Float[Array, ""] = param(
        rat=250.0, human=250.0, unit="% of baseline", low=100.0, high=5000.0,
        meaning="tonic accumbens dopamine above which receptors adapt (sustained high dopamine)",
        source="design choice: above every natural reward (<= 210%, REFERENCES.md), below drug "
               "self-administration levels (~400%, Pettit & Justice 1989)")
    drug_setpoint: Float[Array, ""] = param(
        rat=5.0, human=5.0, unit="drug level / ed50", low=0.1, high=100.0,
        meaning="homeostatic setpoint of the brain drug level (at D2 availability 1)",
        source="Keramati & Gutkin 2014 (HRRL setpoint); Tsibulsky & Norman 1999 (satiety "
               "threshold of cocaine self-administration)")
    drive_exponent: Float[Array, ""] = param(
        rat=4.0 / 3.0, human=4.0 / 3.0, unit="1", low=1.0, high=4.0,
        meaning="exponent n/m of the homeostatic drive |h* - H|^(n/m)",
        source="Keramati & Gutkin 2014 (n = 4, m = 3 in the authors' code)")
    homeostatic_weight: Float[Array, ""] = param(
        rat=3.0, human=3.0, unit="reward units per ed50 of drive", low=0.0, high=100.0,
        meaning="weight of the drive reduction a response is expected to bring",
        source="Keramati & Gutkin 2014 (reward = drive reduction); value a design choice")
    allostasis_onset_h: Float[Array, ""] = param(
        rat=2.0, human=2.0, unit="h", low=0.0, high=48.0,
        meaning="continuous time with a drug's target occupied above allostasis_occupancy "
                "after which allostatic opponent processes are recruited (short access stays "
                "below it)",
        source="Ahmed & Koob 1998 (1 h stable, 6 h escalates); Wee et al. 2007 (escalation "
               "grows with session length); Koob & Le Moal 2001 (allostasis)")
    allostasis_rate: Float[Array, ""] = param(
        rat=0.012, human=0.012, unit="1/h recruited", low=0.0, high=10.0, spread=0.35,
        meaning="growth of the allostatic load per recruited hour (individual vulnerability)",
        source="Ahmed & Koob 1998 (~2x first-hour intake after 22 LgA sessions); value a "
               "design choice within that")
    allostasis_recovery_tau_d: Float[Array, ""] = param(
        rat=365.0, human=365.0, unit="d", low=1.0, high=1e5,
        meaning="time constant of the allostatic load's return in abstinence",
        source="Ahmed & Koob 1998 (escalated intake undiminished after 1 month of abstinence); "
               "Ahmed, Kenny, Koob & Markou 2002 (persistent threshold elevation)")
    hedonic_shift: Float[Array, ""] = param(
        rat=0.05, human=0.05, unit="reward units per unit load", low=0.0, high=10.0,
        meaning="rise of the hedonic set point per unit allostatic load (subtracted from every "
                "reward's hedonic value)",
        source="Koob & Le Moal 2001; Ahmed et al. 2002 (LgA reward thresholds ~15-20% above "
               "baseline after 3 weeks); the value sets that size")
    rho_allostatic: Float[Array, ""] = param(
        rat=0.05, human=0.05, unit="reward units/s per unit load", low=0.0, high=10.0,
        meaning="rise of the basal reward rate (average-reward baseline) per unit allostatic load",
        source="Dezfouli et al. 2009 (rho rises with long-term drug use)")
    opponent_tau_h: Float[Array, ""] = param(
        rat=24.0, human=24.0, unit="h", low=0.01, high=1e4,
        meaning="build-up time constant of the opponent (withdrawal) adaptation under drug",
        source="Solomon & Corbit 1974 (opponent process); Koob & Le Moal 2001")
    satiety_gain: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1", low=0.0, high=1.0,
        meaning="how much outcome-specific satiety devalues a natural reward (0: never sated)",
        source="Rolls et al. 1981 (sensory-specific satiety); Fiorino et al. 1997 (dopamine "
               "returns to baseline at satiety)")
    satiety_capacity: Float[Array, ""] = param(
        rat=1.0, human=55.6, unit="x rat capacity", low=1e-3, high=1e4,
        meaning="how much more an animal of this species consumes before satiety than a rat "
                "(scales every natural reward's satiety half-amount)",
        source="Kleiber 1947 (intake scales with body mass^0.75): (70 kg / 0.33 kg)^0.75")
    withdrawal_depth: Float[Array, ""] = param(
        rat=0.8, human=0.8, unit="fraction of baseline dopamine", low=0.0, high=0.95,
        meaning="tonic dopamine deficit at full opponent adaptation once the drug is gone",
        source="Rossetti et al. 1992; Diana et al. 1993 (withdrawal DA ~30-60% of baseline)")

    eligibility_tau_s: Float[Array, ""] = param(
        rat=5.0, human=5.0, unit="s", low=0.01, high=3600.0,
        meaning="time constant of a response's eligibility for credit from a later outcome "
                "(the cached value of a response earlier in a sequence learns from the "
                "outcome's prediction error, weighted exp(-elapsed/tau))",
        source="Yagishita et al. 2014 (dopamine must follow striatal activity within seconds); "
               "Daw et al. 2011 (lambda ~ 0.5 across the two steps); value a design choice")

    # --- control: goal-directed vs habit, attention, transfer (brain.control) ---
    alpha_incentive: Float[Array, ""] = param(
        rat=0.3, human=0.3, unit="1/consumption", low=0.0, high=1.0,
        meaning="learning rate of outcome incentive values (what an outcome is worth now), "
                "updated each time the outcome is consumed",
        source="Balleine & Dickinson 1998 (incentive learning); Dickinson & Balleine 1994")
    habit_half: Float[Array, ""] = param(
        rat=250.0, human=250.0, unit="completed responses", low=1.0, high=1e6, spread=0.5,
        meaning="experience (completed responses, each with its outcome known, drug ones "
                "counting more) at which habit and goal-directed control share control equally "
                "(lower: habits sooner; its between-subject spread is the model's "
                "compulsivity dimension)",
        source="Adams 1982 (devaluation-sensitive after ~100 reinforcers, insensitive after "
               "~500); Daw, Niv & Dayan 2005 (uncertainty-based arbitration); spread: Gillan "
               "et al. 2016 (goal-directed control varies with a compulsivity dimension)")
    habit_sharpness: Float[Array, ""] = param(
        rat=3.0, human=3.0, unit="1", low=0.5, high=8.0,
        meaning="how sharply control passes from the goal-directed to the habit system as "
                "experience grows (Hill exponent of the uncertainty ratio)",
        source="Daw, Niv & Dayan 2005 (cached uncertainty ~ 1/experience); value a design "
               "choice within Adams 1982 (100 vs 500 reinforcers) and Willuhn et al. 2012 "
               "(dorsal cue dopamine near zero in week 1, most of it by week 3)")
    habit_drug_gain: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="observations per unit dorsal drug surge", low=0.0,
        high=100.0,
        meaning="extra habit experience per reinforced response from the drug's "
                "pharmacological dopamine in the dorsal striatum",
        source="Nelson & Killcross 2006 (amphetamine accelerates habit formation); Dickinson, "
               "Wood & Smith 2002 (ethanol seeking habitual when food seeking is not); Everitt "
               "& Robbins 2005")
    attention_floor: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="reward units", low=1e-3, high=100.0,
        meaning="salience of the rest of the scene against which drug cues compete for "
                "attention (attentional bias = drug-cue salience / (all + floor))",
        source="Mackintosh 1975 (attention follows relative predictiveness); Field & Cox 2008 "
               "(attentional bias to drug cues)")
    attention_narrowing: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="1", low=0.0, high=1.0,
        meaning="share of the alternatives' value lost at full attentional bias when a drug "
                "cue is present at choice",
        source="Field & Cox 2008; Hogarth et al. 2013 (drug cues narrow choice); value a design "
               "choice")
    pit_gain: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="reward units per predicted default amount", low=0.0,
        high=10.0,
        meaning="outcome-specific Pavlovian-instrumental transfer: value added to actions that "
                "deliver what a present cue predicts",
        source="Corbit & Balleine 2005; LeBlanc et al. 2012 (cocaine cues raise cocaine "
               "seeking)")

    incentive_attribution: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1 (population median = 1)", low=0.0, high=10.0, spread=0.75,
        human_spread=0.0,
        meaning="how much incentive salience the subject attributes to reward cues: the pull "
                "of approaching a cue itself, the cue's power as a conditioned reinforcer and "
                "its cue-triggered wanting scale with it, and below 1 it slows the "
                "dopamine-taught (critic) learning of cue values (high: sign-tracker, low: "
                "goal-tracker)",
        source="Flagel et al. 2011 (cue dopamine is acquired only by sign-trackers); Robinson & "
               "Flagel 2009; Lesaint et al. 2014 (sign- vs goal-tracking as the weight of a "
               "model-free, feature-based system); spread: Meyer et al. 2012 (rats: about a "
               "third each of sign-, goal- and intermediate trackers; no comparable human "
               "distribution, so the human default cohort is uniform)")

    # --- incentive salience: state-dependent wanting (brain.incentive) ---
    intoxication_gain: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="1 per unit drug occupancy", low=0.0, high=10.0,
        meaning="rise of cue-triggered wanting (the incentive gain kappa of every reward's "
                "cues) per unit of the drugs' current dopamine occupancy (intoxication)",
        source="Zhang et al. 2009 (amphetamine intoxication raises the CS's incentive value "
               "without relearning); Wyvell & Berridge 2000 (intra-accumbens amphetamine "
               "raises cue-triggered wanting, not liking); value a design choice")
    sensitization_rate: Float[Array, ""] = param(
        rat=0.02, human=0.02, unit="1 per unit surge of an intermittent dose", low=0.0,
        high=1.0,
        meaning="growth of incentive sensitisation (0-1) per unit dopamine surge of a drug dose "
                "taken after a drug-free interval",
        source="Robinson & Berridge 1993 (intermittent, not continuous, exposure sensitises); "
               "value a design choice (a week of daily amphetamine sensitises most of the way)")
    sensitization_interval_h: Float[Array, ""] = param(
        rat=6.0, human=6.0, unit="h", low=0.01, high=1e4,
        meaning="drug-free time before a dose counts fully towards sensitisation (a dose's "
                "weight is 1 - exp(-drug-free time / this))",
        source="Robinson & Becker 1986; Robinson & Berridge 1993 (intermittent injections "
               "sensitise, continuous infusion does not)")
    sensitization_tau_d: Float[Array, ""] = param(
        rat=365.0, human=365.0, unit="d", low=1.0, high=1e5,
        meaning="time constant of the fading of incentive sensitisation",
        source="Paulson & Robinson 1995 (amphetamine sensitisation persists for a year)")
    sensitization_gain: Float[Array, ""] = param(
        rat=0.6, human=0.6, unit="1 per unit sensitisation", low=0.0, high=10.0,
        meaning="rise of the incentive gain kappa of every reward's cues at full sensitisation",
        source="Robinson & Berridge 1993; Tindell et al. 2005 (sensitisation amplifies ventral "
               "pallidal firing to a sucrose CS); Wyvell & Berridge 2001 (sensitisation "
               "raises cue-triggered sucrose seeking); value a design choice")
    incubation_rate: Float[Array, ""] = param(
        rat=0.01, human=0.01, unit="1/delivery", low=0.0, high=1.0,
        meaning="rate at which each delivery moves a reward's incubation substrate towards "
                "the size of its dopamine surge (more and bigger surges: more incubation)",
        source="Conrad et al. 2008 (calcium-permeable AMPA receptors accumulate in the "
               "accumbens after extended-access cocaine); Lu et al. 2004 (incubation grows "
               "with the amount of training); value a design choice")
    incubation_gain: Float[Array, ""] = param(
        rat=0.6, human=0.6, unit="1 per unit surge", low=0.0, high=10.0,
        meaning="rise of the incentive gain of a reward's cues per unit of its incubation "
                "substrate at the peak of the abstinence time course",
        source="Grimm et al. 2001 (cue-induced cocaine seeking several-fold higher after 1-2 "
               "months than on day 1); value set within REFERENCES.md's 3-6x [R]")

    # --- inter-temporal choice (brain.discounting) ---
    discount_rate: Float[Array, ""] = param(
        rat=6900.0, human=0.008, unit="1/d", low=1e-6, high=1e6, spread=0.5, human_spread=1.25,
        meaning="discount rate k of the population of exponential discounters (mu-agents): "
                "a delayed outcome is worth about 1 / (1 + k * delay) of an immediate one",
        source="Kurth-Nelson & Redish 2009 (mu-agents); human: Kirby, Petry & Bickel 1999 and "
               "REFERENCES.md delay_discounting (controls' MCQ k ~0.005-0.015/d; people's k "
               "spans orders of magnitude, the MCQ scores 0.00016-0.25/d: sd of ln k 1.25 a "
               "design choice within that); rat: Valencia Torres et al. 2011 (0.08/s)")
    discount_load_gain: Float[Array, ""] = param(
        rat=2.0, human=2.0, unit="1", low=0.0, high=20.0,
        meaning="fold rise of the discount rate, less 1, as the allostatic load a grows: the "
                "rate is k (1 + gain * a / (1 + a)), doubling at the escalated load a = 1",
        source="Kirby, Petry & Bickel 1999 (heroin users' k twice controls'); Simon et al. "
               "2007 and Mendez et al. 2010 (cocaine raises impulsive choice in rats for "
               "months); Bickel, Odum & Madden 1999 (ex-smokers like never-smokers); value "
               "calibrated to the twofold difference")

    # --- allostasis, continued (brain.receptors; declared last so that adding it left the
    #     default cohorts' draws of the parameters above unchanged) ---
    allostasis_occupancy: Float[Array, ""] = param(
        rat=0.3, human=0.3, unit="fraction of the drug's target occupied", low=0.0, high=1.0,
        meaning="occupancy of a drug's own target, L / (L + ed50), above which allostatic "
                "processes are engaged (cocaine: at tonic dopamine 250%)",
        source="Koob & Le Moal 2001 (within-system adaptations at the drug's target and "
               "between-system ones); Ahmed, Walker & Koob 2000 (heroin intake escalates in "
               "long access as cocaine does); value matches cocaine's 250% dopamine threshold")

    # --- prefrontal control (brain.prefrontal; declared last, as above) ---
    pfc_baseline: Float[Array, ""] = param(
        rat=0.8, human=0.8, unit="0-1", low=0.0, high=1.0, spread=0.25,
        meaning="prefrontal inhibitory control before any drug: the share of the predicted "
                "punishment of a habitual response that the prefrontal cortex brings to bear "
                "on it (its veto)",
        source="Chen et al. 2013 (prelimbic activity gates punished cocaine seeking); "
               "Dalley et al. 2007 and Belin et al. 2008 (individual differences in impulsive "
               "control predict compulsive use); value and spread a design choice")
    pfc_insult_half_h: Float[Array, ""] = param(
        rat=75.0, human=75.0, unit="h at full target occupancy", low=0.1, high=1e6,
        spread=0.8,
        meaning="drug exposure (hours of full occupancy of the drug's target, times the drug's "
                "prefrontal toxicity) at which half the maximal loss of prefrontal control is "
                "reached; lower in vulnerable subjects",
        source="Chen et al. 2013 (prelimbic hypoexcitability after long access, largest in "
               "compulsive rats); Briand et al. 2008 (prefrontal changes after extended, not "
               "limited, access); value and spread a design choice")
    pfc_max_loss: Float[Array, ""] = param(
        rat=0.95, human=0.5, unit="fraction", low=0.0, high=1.0,
        meaning="share of prefrontal control lost at saturating drug exposure",
        source="Chen et al. 2013 (prelimbic firing roughly halved in compulsive rats); human: "
               "Smith et al. 2014 (small-to-medium inhibition deficits); values a design "
               "choice")
    pfc_recovery_tau_d: Float[Array, ""] = param(
        rat=90.0, human=365.0, unit="d", low=1.0, high=1e5,
        meaning="time constant of recovery of the prefrontal insult in abstinence",
        source="Connolly et al. 2012 (inhibitory-control networks of cocaine users recover "
               "over a year of abstinence); rat value a design choice")
    d2_nogo_exponent: Float[Array, ""] = param(
        rat=8.0, human=8.0, unit="1", low=0.0, high=20.0,
        meaning="in an episode with an aversive outcome, cached (habit) values learn "
                "negative prediction errors at alpha_q times (D2 availability / its "
                "drug-naive level) to this power: punishment teaches through D2 receptors, so "
                "D2 loss weakens learning from punishment and spares learning from reward",
        source="Hikida et al. 2010 (the D2 indirect pathway carries aversive, not reward, "
               "learning); Frank, Seeberger & O'Reilly 2004; Klein et al. 2007 (lower-D2 "
               "carriers learn less from errors); Piray et al. 2010 (D2 scales asymmetric "
               "learning in a model of addiction vulnerability); value a design choice")
    pfc_insult_sharpness: Float[Array, ""] = param(
        rat=4.0, human=4.0, unit="1", low=0.5, high=20.0,
        meaning="steepness (Hill coefficient) of the loss of prefrontal control with the "
                "insult: a subject keeps its control until its exposure nears its "
                "pfc_insult_half_h, then loses most of it",
        source="Chen et al. 2013 (prelimbic hypoexcitability concentrated in the compulsive "
               "subgroup); Deroche-Gamonet et al. 2004 (addiction-like behaviour in a minority "
               "after extended use); value a design choice")
    alpha_aversive: Float[Array, ""] = param(
        rat=0.5, human=0.5, unit="1/trial", low=0.0, high=1.0,
        meaning="learning rate of the expectations of aversive outcomes (cue -> shock, "
                "response -> shock): punishment is learned in a trial or two",
        source="Fanselow 1990 (one-trial contextual fear conditioning); Gold 1986 (one-trial "
               "inhibitory avoidance); value a design choice")

    # --- interoception (brain.interoception; declared last, as above: a parameter's draws
    #     are keyed by its position, so new parameters go at the end) ---
    insula_gain: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1", low=0.0, high=2.0,
        meaning="gain of the insula's route from body states (the drug state, stress) to "
                "memory retrieval and craving; 0 is a lesion",
        source="Naqvi, Rudrauf, Damasio & Bechara 2007 (insula damage disrupts smoking "
               "addiction); Contreras, Ceric & Torrealba 2007 (insula inactivation); value "
               "a design choice")
    stress_threshold_ma: Float[Array, ""] = param(
        rat=0.4, human=0.4, unit="mA", low=0.0, high=5.0,
        meaning="footshock intensity at which a shock raises stress half as much as a "
                "strong one",
        source="Buffalari & See 2009 (0.25 mA does not reinstate cocaine seeking; 0.5 and "
               "0.75 mA do); value a design choice within that bracket")
    stress_slope_ma: Float[Array, ""] = param(
        rat=0.05, human=0.05, unit="mA", low=1e-3, high=5.0,
        meaning="width of the intensity threshold of stress",
        source="Buffalari & See 2009 (a step between 0.25 and 0.5 mA); value a design choice")
    stress_rate: Float[Array, ""] = param(
        rat=0.2, human=0.2, unit="1", low=0.0, high=1.0,
        meaning="share of the way to full stress one supra-threshold shock takes",
        source="Shaham & Stewart 1995 (10 min of intermittent shock, a shock every 40 s on "
               "average, reinstates); value a design choice")
    stress_tau_min: Float[Array, ""] = param(
        rat=30.0, human=30.0, unit="min", low=1e-3, high=1e4,
        meaning="time constant of the fall of stress after the shocks end",
        source="Shaham & Stewart 1995 (reinstatement within the first hour after the "
               "shocks); value a design choice")
    stress_dopamine: Float[Array, ""] = param(
        rat=1.0, human=1.0, unit="1", low=0.0, high=1.0,
        meaning="how much like the drug state full stress feels: its share of the way to "
                "a drug state of 1 in the interoceptive evidence for retrieval",
        source="Shaham & Stewart 1995 (footshock raises accumbens dopamine and mimics the "
               "heroin prime); Kalivas & Duffy 1995; value a design choice")

    # --- reconsolidation (brain.memory; declared last, as above) ---
    destabilisation_min: Float[Array, ""] = param(
        rat=5.0, human=5.0, unit="min", low=0.1, high=30.0,
        meaning="time constant of each of the two steps by which a memory retrieved with a "
                "prediction error becomes labile (about half labile 10 min later: massed "
                "extinction trials come too soon to revise it)",
        source="Monfils, Cowansage, Klann & LeDoux 2009 (extinction 10 min after a single "
               "retrieval trial updates the memory, standard extinction does not); Jarome "
               "et al. 2011 (destabilisation needs protein degradation); value a design "
               "choice")
    reconsolidation_window_h: Float[Array, ""] = param(
        rat=2.0, human=2.0, unit="h", low=1.01, high=48.0,
        meaning="time constant of restabilisation: how long a destabilised memory stays "
                "open to revision (the reconsolidation window)",
        source="Nader, Schafe & LeDoux 2000 (anisomycin 6 h after retrieval spares the "
               "memory); Monfils et al. 2009 and Xue et al. 2012 (extinction 10 min or 1 h "
               "after retrieval works, 6 h does not); value a design choice")

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
