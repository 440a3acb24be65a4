"""The reference phenomena of REFERENCES.md, by id: the calibration set the scorecard shows whole.

Each entry names the issue that builds it; ``experiments`` holds the ones built so far.
Entries this project adds beyond REFERENCES.md have no number (``number=None``); their
bands and sources are in their experiment module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    number: int | None      # REFERENCES.md's number (None: added by this project)
    id: str
    phenomenon: str
    source: str
    issue: int | None   # the issue that builds it (None: not yet filed)


REFERENCES: tuple[Reference, ...] = (
    Reference(1, "td_da_shift_omission", "phasic dopamine moves from reward to cue; omission dip; probability coding",
              "Schultz, Dayan & Montague 1997; Hollerman & Schultz 1998; Fiorillo, Tobler & Schultz 2003", 3),
    Reference(2, "redish_noncompensable_drug", "a non-compensable drug term makes drug value grow without bound",
              "Redish 2004, Science 306:1944", 3),
    Reference(3, "blocking_with_drug", "blocking occurs with cocaine as with food; drug value can be learned downward",
              "Panlilio, Thorndike & Schindler 2007; Waelti, Dickinson & Schultz 2001", 3),
    Reference(4, "dezfouli_avg_reward", "average reward rising with long exposure: punishment resistance, impulsivity",
              "Dezfouli et al. 2009, Neural Comput 21:2869", 4),
    Reference(5, "da_surge_drug_vs_natural", "drugs raise accumbens dopamine more than natural rewards, ventral > dorsal",
              "Di Chiara & Imperato 1988; Hernandez & Hoebel 1988; Desai et al. 2010", 4),
    Reference(6, "withdrawal_hypodopaminergic", "accumbens dopamine falls below baseline in withdrawal",
              "Rossetti et al. 1992; Diana et al. 1993", 4),
    Reference(7, "escalation_long_access", "6-h access escalates cocaine intake, 1-h access stays stable",
              "Ahmed & Koob 1998, Science 282:298", 4),
    Reference(8, "hedonic_allostasis_icss", "reward thresholds rise with long-access cocaine",
              "Ahmed, Kenny, Koob & Markou 2002, Nat Neurosci 5:625", 4),
    Reference(10, "d2_monkey_longitudinal", "cocaine lowers D2 quickly and persistently; low D2 predicts intake",
              "Nader et al. 2006; Morgan et al. 2002; Czoty et al. 2010", 4),
    Reference(12, "homeostatic_rl_keramati", "reward as drive reduction; set-point drift explains escalation",
              "Keramati & Gutkin 2014; Keramati et al. 2017", 4),
    Reference(13, "incentive_salience_kappa", "state-dependent wanting of cues without relearning",
              "Zhang, Berridge et al. 2009", 5),
    Reference(16, "punishment_resistance", "a minority of rats keep seeking cocaine despite punishment",
              "Pelloux, Everitt & Dickinson 2007; Deroche-Gamonet et al. 2004", 7),
    Reference(17, "devaluation_habit", "extended training makes drug seeking insensitive to devaluation",
              "Dickinson et al. 2002; Miles et al. 2003", 6),
    Reference(18, "ventral_to_dorsal_shift", "cue dopamine moves from ventral to dorsal striatum over weeks",
              "Willuhn et al. 2012", 6),
    Reference(None, "sign_goal_tracking", "some subjects approach a food cue, others the food "
              "cup; cue dopamine and its dopamine-dependent learning belong to the first",
              "Flagel et al. 2009, 2011; Meyer et al. 2012; Lesaint et al. 2014", 6),
    Reference(19, "model_based_deficit_two_step", "reduced model-based control in the two-step task",
              "Daw et al. 2011; Voon et al. 2015", 6),
    Reference(20, "prefrontal_inhibitory_control", "weakened prefrontal inhibitory control with use",
              "Goldstein & Volkow 2011", 7),
    Reference(22, "incubation_of_craving", "cue-induced seeking grows over 1-3 months of abstinence",
              "Grimm et al. 2001; Conrad et al. 2008", 5),
    Reference(23, "reinstatement_triggers", "prime, cue and stress reinstate extinguished seeking",
              "Shaham et al. 2003; Shalev et al. 2000", 8),
    Reference(24, "renewal_spontaneous_recovery_latent_cause", "renewal, spontaneous recovery, reacquisition",
              "Bouton 2004; Redish et al. 2007; Gershman, Blei & Niv 2010", 8),
    Reference(26, "relapse_base_rates", "relapse is common and front-loaded", "McLellan et al. 2000; Hunt et al. 1971", 9),
    Reference(28, "retrieval_extinction_xue", "extinction inside the reconsolidation window prevents relapse",
              "Xue et al. 2012, Science 336:241", 8),
    Reference(29, "ketamine_reconsolidation_das", "ketamine after retrieval with prediction error reduces drinking",
              "Das et al. 2019, Nat Commun 10:5187", 8),
    Reference(31, "psilocybin_smoking_johnson", "psilocybin + CBT smoking abstinence",
              "Johnson et al. 2014; 2017", None),
    Reference(33, "cbt_effect_size", "CBT's small pooled effect that decays", "Magill & Ray 2009", None),
    Reference(36, "delay_discounting", "steeper hyperbolic discounting in addiction",
              "Kirby, Petry & Bickel 1999; Bickel, Odum & Madden 1999", 5),
)

BY_ID = {r.id: r for r in REFERENCES}
