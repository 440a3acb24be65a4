"""Outcomes with identity: the drug and natural-reward library.

An outcome is a small vector ``amounts[k]`` over the reinforcer kinds below
(how much of each was delivered in an episode, in that kind's canonical unit),
not a bare scalar, so that devaluation, satiety, outcome-specific wanting and
receptor pharmacology have something to act on.

Every kind carries:

* **route and kinetics**: a delivered amount enters a depot and is absorbed
  into the body (brain) level with first-order rate ``ka`` and eliminated with
  rate ``kel`` (a one-compartment model with first-order absorption; the
  Bateman function; ``pharmacology.kinetics``). For natural rewards the
  "level" is what has been consumed and not yet digested, and it drives
  satiety.
* **accumbens dopamine**: a saturating function of the level,
  ``E = emax * L / (L + ed50)`` as a fraction above baseline (so a
  microdialysis time course rises and falls with the drug); the immediate,
  phasic effect of a delivered amount uses the same curve on the amount.
  The dorsal striatum receives ``dorsal_ratio`` of the accumbens effect
  (drugs raise accumbens dopamine preferentially: Di Chiara & Imperato 1988).
* **hedonic (primary) reward** in reward units (one food pellet = 1):
  natural ``value * a``; drug ``value * a / (a + ed50)``; aversive
  ``-value * a``. Receptor availability, satiety and the allostatic hedonic
  set point act on these in ``brain.receptors``.
* **withdrawal**: drug-specific onset and duration of the hypodopaminergic
  state after the drug is gone (Rossetti et al. 1992).
* **incubation**: the time course, in abstinence, of the slow rise and fall
  of its cues' incentive gain (``brain.incentive``): a difference of
  exponentials with rise and decay time constants, peaking near two months
  for cocaine and sooner for sucrose (Grimm et al. 2001; Lu et al. 2004).
* **need**: how much a physiological need raises its hedonic value
  (``need_value``; hypertonic salt becomes liked under sodium appetite:
  Berridge et al. 1984; Robinson & Berridge 2013).
* **receptor targets**, for treatments that act on them (e.g. naltrexone at
  mu-opioid receptors: heroin, morphine and, partly, alcohol).
* a **modelled dose range**: a scenario dose outside it is refused.

Numbers are rat values at the standard dose (``default_amount``); each entry
names its sources. Peak dopamine at the standard dose is checked against
REFERENCES.md ``da_surge_drug_vs_natural`` by ``tests/reference``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from ..units import Dimension


class Reinforcer(enum.StrEnum):
    """Reinforcer kinds; the order is the index in outcome vectors."""

    FOOD = "food"
    SUCROSE = "sucrose"
    COCAINE = "cocaine"
    SHOCK = "shock"
    SACCHARIN = "saccharin"
    SEX = "sex"
    SOCIAL = "social"
    AMPHETAMINE = "amphetamine"
    METHAMPHETAMINE = "methamphetamine"
    MORPHINE = "morphine"
    HEROIN = "heroin"
    NICOTINE = "nicotine"
    ALCOHOL = "alcohol"
    CANNABIS = "cannabis"
    LITHIUM_CHLORIDE = "lithium_chloride"
    MONEY = "money"
    SALT = "salt"
    MONEY_LOSS = "money_loss"


class Kind(enum.IntEnum):
    NATURAL = 0
    DRUG = 1
    AVERSIVE = 2


#: incubation of craving in abstinence, (rise, decay) time constants in days: cocaine cue
#: seeking peaks near day 60, stays high at day 90 and has declined by day 180 (Grimm et
#: al. 2001; Lu et al. 2004) -> peak at day 55, day 180 at 47% of the peak; sucrose cue
#: seeking incubates for a shorter period (Grimm et al. 2002; Lu et al. 2004) -> peak at
#: day 19. Other drugs share cocaine's course and other natural rewards sucrose's until
#: their own are measured here (heroin, methamphetamine, nicotine and alcohol seeking
#: also incubate: Shalev et al. 2001; Shepard et al. 2004; Abdolahi et al. 2010;
#: Bienkowski et al. 2004).
_INC_DRUG = (30.0, 120.0)
_INC_NAT = (10.0, 45.0)

#: prefrontal insult per hour of full target occupancy (``brain.prefrontal``), relative to the
#: stimulants'. Response-inhibition deficits are found in users of cocaine,
#: methamphetamine, alcohol and tobacco and not in users of opioids or cannabis (Smith,
#: Mattick, Jamadar & Iredale 2014, meta-analysis of 97 studies); prefrontal grey matter
#: is reduced in stimulant users (Ersche et al. 2011), in alcohol dependence (Pfefferbaum et
#: al. 1997) and in smokers (Brody et al. 2004); chronic cocaine lowers prelimbic
#: excitability in rats (Chen et al. 2013). Opioids and cannabis carry none here.
_PFC_STIMULANT = 1.0
_PFC_ALCOHOL = 1.0
_PFC_NICOTINE = 0.15


@dataclass(frozen=True)
class ReinforcerSpec:
    name: Reinforcer
    kind: Kind
    dimensions: tuple[Dimension, ...]
    unit: str
    default_amount: float
    dose_range: tuple[float, float]     # modelled range of one delivery, canonical unit
    route: str
    value: float                        # hedonic scale (reward units)
    ed50: float                         # amount/level for half-maximal effect
    emax: float                         # maximal accumbens surge, fraction above baseline
    dorsal_ratio: float                 # dorsal / ventral striatal surge
    absorption_half_life_min: float
    elimination_half_life_min: float
    satiety_half: float                 # level at which satiety halves the value (inf: none)
    withdrawal_onset_h: float           # mean delay of the deficit's expression (two stages)
    withdrawal_duration_d: float        # time constant for the adaptation to fade
    targets: tuple[str, ...]
    meaning: str
    source: str
    malaise: bool = False               # illness: conditions aversion to what was consumed
    need_value: float = 0.0             # hedonic value added per unit of physiological need
    incubation_rise_d: float = _INC_NAT[0]   # abstinence time constants of the cue-gain
    incubation_decay_d: float = _INC_NAT[1]  # incubation (rise, decay), days
    pfc_toxicity: float = 0.0           # prefrontal insult per hour at full target occupancy
    occupancy_ed50: float | None = None  # level at half occupancy of the drug's target, where
    #                                      it differs from the dopamine effect's (None: ed50)

    @property
    def incubation_peak_d(self) -> float:
        """Day of abstinence at which the incubation time course peaks."""
        r, d = self.incubation_rise_d, self.incubation_decay_d
        return math.log(d / r) * r * d / (d - r)

    @property
    def incubation_norm(self) -> float:
        """1 / the peak of ``exp(-t/decay) - exp(-t/rise)`` (so the course peaks at 1)."""
        t = self.incubation_peak_d
        return 1.0 / (math.exp(-t / self.incubation_decay_d)
                      - math.exp(-t / self.incubation_rise_d))

    @property
    def ka_per_s(self) -> float:
        return math.log(2) / (60.0 * self.absorption_half_life_min)

    @property
    def kel_per_s(self) -> float:
        return math.log(2) / (60.0 * self.elimination_half_life_min)


_NAT_W = 1e6     # natural rewards: no withdrawal (time constants unused, kept finite)
_DOSE = (Dimension.DOSE_PER_KG,)

REINFORCERS: dict[Reinforcer, ReinforcerSpec] = {
    Reinforcer.FOOD: ReinforcerSpec(
        Reinforcer.FOOD, Kind.NATURAL, (Dimension.COUNT,), "pellets", 1.0, (0.0, 100.0), "oral",
        value=1.0, ed50=0.62, emax=0.6, dorsal_ratio=1.0,
        absorption_half_life_min=10.0, elimination_half_life_min=240.0, satiety_half=450.0,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="45 mg food pellet; the unit of reward value; a rat eats about 450 a day",
        source="Hernandez & Hoebel 1988 (NAc dopamine +37% during lever-pressing for food); "
               "satiety: daily intake ~20 g"),
    Reinforcer.SUCROSE: ReinforcerSpec(
        Reinforcer.SUCROSE, Kind.NATURAL, (Dimension.COUNT, Dimension.VOLUME), "access", 1.0,
        (0.0, 100.0), "oral",
        value=1.2, ed50=1.0, emax=1.0, dorsal_ratio=1.0,
        absorption_half_life_min=5.0, elimination_half_life_min=120.0, satiety_half=450.0,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="one sucrose access/delivery",
        source="REFERENCES.md da_surge_drug_vs_natural: natural rewards 135-160% [R]"),
    Reinforcer.COCAINE: ReinforcerSpec(
        Reinforcer.COCAINE, Kind.DRUG, _DOSE, "mg/kg", 0.75, (0.0, 30.0), "intravenous",
        value=1.0, ed50=0.5, emax=5.0, dorsal_ratio=0.5,
        absorption_half_life_min=1.0, elimination_half_life_min=15.0, satiety_half=math.inf,
        withdrawal_onset_h=48.0, withdrawal_duration_d=5.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1],
        pfc_toxicity=_PFC_STIMULANT, targets=("DAT", "NET", "SERT"),
        meaning="intravenous cocaine infusion",
        source="Di Chiara & Imperato 1988; Desai et al. 2010 (peaks ~400%, maxima ~600%); "
               "brain half-life ~15 min: Pan et al. 1991; withdrawal delayed >24 h, lasting "
               "days: Rossetti et al. 1992"),
    Reinforcer.SHOCK: ReinforcerSpec(
        Reinforcer.SHOCK, Kind.AVERSIVE, (Dimension.CURRENT,), "mA", 0.5, (0.0, 5.0), "footshock",
        value=8.0, ed50=1.0, emax=0.0, dorsal_ratio=1.0,
        absorption_half_life_min=0.1, elimination_half_life_min=1.0, satiety_half=math.inf,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="footshock; aversive, no accumbens surge",
        source="value scale a design choice: a mild 0.5 mA shock costs four food pellets, so "
               "that punishing half of the seeking links suppresses the cocaine seeking of "
               "rats with a limited history, as it does (Pelloux et al. 2007; REFERENCES.md "
               "punishment_resistance)"),
    Reinforcer.SACCHARIN: ReinforcerSpec(
        Reinforcer.SACCHARIN, Kind.NATURAL, (Dimension.COUNT, Dimension.VOLUME), "access", 1.0,
        (0.0, 100.0), "oral",
        value=1.0, ed50=1.0, emax=0.7, dorsal_ratio=1.0,
        absorption_half_life_min=5.0, elimination_half_life_min=60.0, satiety_half=2000.0,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="one sweet, non-caloric saccharin access (sensory satiety only)",
        source="Lenoir et al. 2007 (most rats prefer saccharin to cocaine); surge in the "
               "natural band of REFERENCES.md"),
    Reinforcer.SEX: ReinforcerSpec(
        Reinforcer.SEX, Kind.NATURAL, (Dimension.COUNT,), "encounters", 1.0, (0.0, 20.0),
        "behaviour",
        value=2.0, ed50=1.0, emax=1.4, dorsal_ratio=1.0,
        absorption_half_life_min=5.0, elimination_half_life_min=720.0, satiety_half=1.5,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="one copulatory encounter with a receptive partner",
        source="Fiorino, Coury & Phillips 1997 (NAc dopamine rises with copulation, returns to "
               "baseline at sexual satiety); Pfaus et al. 1990"),
    Reinforcer.SOCIAL: ReinforcerSpec(
        Reinforcer.SOCIAL, Kind.NATURAL, (Dimension.COUNT,), "interactions", 1.0, (0.0, 100.0),
        "behaviour",
        value=1.0, ed50=1.0, emax=0.7, dorsal_ratio=1.0,
        absorption_half_life_min=5.0, elimination_half_life_min=240.0, satiety_half=30.0,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=("mu-opioid", "oxytocin"),
        meaning="one social interaction (play, contact)",
        source="Robinson et al. 2002 (NAc dopamine during social interaction); Venniro et al. "
               "2018 (social reward competes with drugs)"),
    Reinforcer.AMPHETAMINE: ReinforcerSpec(
        Reinforcer.AMPHETAMINE, Kind.DRUG, _DOSE, "mg/kg", 1.0, (0.0, 20.0), "subcutaneous",
        value=1.0, ed50=0.3, emax=12.0, dorsal_ratio=0.5,
        absorption_half_life_min=8.0, elimination_half_life_min=60.0, satiety_half=math.inf,
        withdrawal_onset_h=8.0, withdrawal_duration_d=3.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1],
        pfc_toxicity=_PFC_STIMULANT, targets=("DAT", "VMAT2", "TAAR1"),
        meaning="d-amphetamine, systemic",
        source="Di Chiara & Imperato 1988 (~1000%); withdrawal faster than cocaine and lasting "
               "days: Rossetti et al. 1992"),
    Reinforcer.METHAMPHETAMINE: ReinforcerSpec(
        Reinforcer.METHAMPHETAMINE, Kind.DRUG, _DOSE, "mg/kg", 1.0, (0.0, 20.0), "subcutaneous",
        value=1.0, ed50=0.4, emax=13.0, dorsal_ratio=0.5,
        absorption_half_life_min=8.0, elimination_half_life_min=70.0, satiety_half=math.inf,
        withdrawal_onset_h=8.0, withdrawal_duration_d=4.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1],
        pfc_toxicity=_PFC_STIMULANT, targets=("DAT", "VMAT2", "TAAR1"),
        meaning="methamphetamine, systemic",
        source="Desai et al. 2010 (cumulative maxima ~1200-1300%); half-life ~70 min in rats: "
               "Cho et al. 2001"),
    Reinforcer.MORPHINE: ReinforcerSpec(
        Reinforcer.MORPHINE, Kind.DRUG, _DOSE, "mg/kg", 5.0, (0.0, 100.0), "subcutaneous",
        value=1.0, ed50=3.0, emax=1.6, dorsal_ratio=0.6,
        absorption_half_life_min=15.0, elimination_half_life_min=60.0, satiety_half=math.inf,
        withdrawal_onset_h=4.0, withdrawal_duration_d=3.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1], targets=("mu-opioid",),
        meaning="morphine, systemic",
        source="Di Chiara & Imperato 1988 (~200-250%); withdrawal parallels signs within hours: "
               "Rossetti et al. 1992; Diana et al. 1995"),
    Reinforcer.HEROIN: ReinforcerSpec(
        Reinforcer.HEROIN, Kind.DRUG, _DOSE, "mg/kg", 0.06, (0.0, 2.0), "intravenous",
        value=1.0, ed50=0.04, emax=1.6, dorsal_ratio=0.6,
        absorption_half_life_min=1.0, elimination_half_life_min=30.0, satiety_half=math.inf,
        withdrawal_onset_h=4.0, withdrawal_duration_d=3.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1], targets=("mu-opioid",),
        meaning="intravenous heroin infusion (acting through 6-MAM and morphine)",
        source="Hemby et al. 1995 (NAc dopamine during heroin self-administration); opiate band "
               "of REFERENCES.md"),
    Reinforcer.NICOTINE: ReinforcerSpec(
        Reinforcer.NICOTINE, Kind.DRUG, _DOSE, "mg/kg", 0.6, (0.0, 5.0), "subcutaneous",
        value=1.0, ed50=0.4, emax=1.7, dorsal_ratio=0.6,
        absorption_half_life_min=5.0, elimination_half_life_min=45.0, satiety_half=math.inf,
        withdrawal_onset_h=6.0, withdrawal_duration_d=2.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1],
        pfc_toxicity=_PFC_NICOTINE, targets=("nAChR",), occupancy_ed50=0.0015,
        meaning="nicotine (free base); a cigarette delivers about 1 mg to a 70 kg person",
        source="Di Chiara & Imperato 1988 (~200-225%); Benowitz 1990 (nicotine per cigarette); "
               "rat half-life ~45 min: Matta et al. 2007; its target, the alpha4beta2 "
               "nicotinic receptor, is half occupied by an eighth of a cigarette and nearly "
               "saturated by one (Brody et al. 2006), far below the dopamine effect's ed50"),
    Reinforcer.ALCOHOL: ReinforcerSpec(
        Reinforcer.ALCOHOL, Kind.DRUG, (Dimension.DOSE_ALCOHOL,), "g/kg", 1.0, (0.0, 6.0),
        "oral",
        value=1.0, ed50=0.6, emax=1.3, dorsal_ratio=0.6,
        absorption_half_life_min=10.0, elimination_half_life_min=90.0, satiety_half=math.inf,
        withdrawal_onset_h=3.0, withdrawal_duration_d=2.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1],
        pfc_toxicity=_PFC_ALCOHOL, targets=("GABA-A", "NMDA", "mu-opioid"),
        meaning="ethanol; a standard drink is 14 g, 0.2 g/kg for a 70 kg person",
        source="Di Chiara & Imperato 1988 (~150-200%); Rossetti et al. 1992 (withdrawal within "
               "hours, reversed by ethanol); mu-opioid share: Gianoulakis 2009"),
    Reinforcer.CANNABIS: ReinforcerSpec(
        Reinforcer.CANNABIS, Kind.DRUG, _DOSE, "mg/kg", 1.0, (0.0, 20.0), "intraperitoneal",
        value=1.0, ed50=1.0, emax=0.8, dorsal_ratio=0.6,
        absorption_half_life_min=30.0, elimination_half_life_min=480.0, satiety_half=math.inf,
        withdrawal_onset_h=24.0, withdrawal_duration_d=5.0, incubation_rise_d=_INC_DRUG[0],
        incubation_decay_d=_INC_DRUG[1], targets=("CB1",),
        meaning="delta-9-tetrahydrocannabinol (THC), systemic",
        source="Tanda, Pontieri & Di Chiara 1997 (THC raises NAc shell dopamine, ~140-170%); "
               "Diana et al. 1998 (cannabinoid withdrawal lowers VTA firing)"),
    Reinforcer.LITHIUM_CHLORIDE: ReinforcerSpec(
        Reinforcer.LITHIUM_CHLORIDE, Kind.AVERSIVE, _DOSE, "mg/kg", 127.0, (0.0, 400.0),
        "intraperitoneal",
        value=0.02, ed50=1.0, emax=0.0, dorsal_ratio=1.0,
        absorption_half_life_min=10.0, elimination_half_life_min=360.0, satiety_half=math.inf,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="lithium chloride injection (0.15 M, 20 ml/kg = 127 mg/kg): gastric malaise "
                "that devalues a food eaten before it (conditioned taste aversion)",
        source="Garcia & Koelling 1966; Adams 1982 and Dickinson, Wood & Smith 2002 (outcome "
               "devaluation by LiCl); value chosen so the standard injection (-2.5) outweighs "
               "two pellets",
        malaise=True),
    Reinforcer.MONEY: ReinforcerSpec(
        Reinforcer.MONEY, Kind.NATURAL, (Dimension.COUNT,), "points", 1.0, (0.0, 1000.0),
        "secondary (monetary)",
        value=1.0, ed50=1.0, emax=0.3, dorsal_ratio=1.0,
        absorption_half_life_min=0.1, elimination_half_life_min=1.0, satiety_half=math.inf,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="a monetary win (one point of a human task), valued like one standard reward; "
                "never sates",
        source="Daw et al. 2011 (two-step task paid per win); Knutson et al. 2001 (monetary "
               "reward engages the ventral striatum); surge below every primary reward"),
    Reinforcer.SALT: ReinforcerSpec(
        Reinforcer.SALT, Kind.NATURAL, (Dimension.COUNT, Dimension.VOLUME), "access", 1.0,
        (0.0, 100.0), "oral",
        value=-1.0, ed50=1.0, emax=0.0, dorsal_ratio=1.0,
        absorption_half_life_min=5.0, elimination_half_life_min=120.0, satiety_half=50.0,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="one squirt of intensely salty (Dead Sea salt, about 9% NaCl) solution: "
                "disliked, unless the body needs sodium (then liked: need_value 2 turns -1 "
                "into +1)",
        source="Robinson & Berridge 2013 (Dead Sea salt CS turned attractive on first "
               "re-encounter in sodium appetite); Berridge, Flynn, Schulkin & Grill 1984 "
               "(sodium depletion turns hypertonic NaCl from disliked to liked); no accumbens "
               "surge at the normal state (design choice: aversive tastes do not raise it, "
               "Roitman et al. 2008)",
        need_value=2.0),
    Reinforcer.MONEY_LOSS: ReinforcerSpec(
        Reinforcer.MONEY_LOSS, Kind.AVERSIVE, (Dimension.COUNT,), "points", 1.0, (0.0, 1000.0),
        "secondary (monetary)",
        value=2.0, ed50=1.0, emax=0.0, dorsal_ratio=1.0,
        absorption_half_life_min=0.1, elimination_half_life_min=1.0, satiety_half=math.inf,
        withdrawal_onset_h=_NAT_W, withdrawal_duration_d=_NAT_W, targets=(),
        meaning="points lost in a human task (e.g. for an error); a point lost weighs twice a "
                "point won",
        source="Tversky & Kahneman 1992 (loss aversion, lambda ~2.25); Tom, Fox, Trepel & "
               "Poldrack 2007 (losses weigh about twice as much as gains); no accumbens surge"),
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
    dorsal_ratio: Float[Array, "K"]
    default_amount: Float[Array, "K"]
    ka: Float[Array, "K"]              # 1/s
    kel: Float[Array, "K"]             # 1/s
    inv_satiety_half: Float[Array, "K"]
    withdrawal_onset_s: Float[Array, "K"]
    withdrawal_duration_s: Float[Array, "K"]
    malaise: Float[Array, "K"]         # 1 for illness (conditions aversion to what was eaten)
    need_value: Float[Array, "K"]      # hedonic value added per unit of physiological need
    incubation_rise_s: Float[Array, "K"]
    incubation_decay_s: Float[Array, "K"]
    incubation_norm: Float[Array, "K"]  # 1 / peak of the difference of exponentials
    pfc_toxicity: Float[Array, "K"]    # prefrontal insult per hour of full target occupancy
    occupancy_ed50: Float[Array, "K"]  # level at half occupancy of the drug's own target

    @staticmethod
    def build(dtype=jnp.float32) -> "ReinforcerTable":
        specs = [REINFORCERS[r] for r in Reinforcer]
        arr = lambda xs: jnp.asarray(np.array(xs, dtype=np.float64), dtype=dtype)  # noqa: E731
        return ReinforcerTable(
            kind=arr([s.kind for s in specs]), value=arr([s.value for s in specs]),
            ed50=arr([s.ed50 for s in specs]), emax=arr([s.emax for s in specs]),
            dorsal_ratio=arr([s.dorsal_ratio for s in specs]),
            default_amount=arr([s.default_amount for s in specs]),
            ka=arr([s.ka_per_s for s in specs]), kel=arr([s.kel_per_s for s in specs]),
            inv_satiety_half=arr([0.0 if math.isinf(s.satiety_half) else 1.0 / s.satiety_half
                                  for s in specs]),
            withdrawal_onset_s=arr([3600.0 * s.withdrawal_onset_h for s in specs]),
            withdrawal_duration_s=arr([86400.0 * s.withdrawal_duration_d for s in specs]),
            malaise=arr([float(s.malaise) for s in specs]),
            need_value=arr([s.need_value for s in specs]),
            incubation_rise_s=arr([86400.0 * s.incubation_rise_d for s in specs]),
            incubation_decay_s=arr([86400.0 * s.incubation_decay_d for s in specs]),
            incubation_norm=arr([s.incubation_norm for s in specs]),
            pfc_toxicity=arr([s.pfc_toxicity for s in specs]),
            occupancy_ed50=arr([s.ed50 if s.occupancy_ed50 is None else s.occupancy_ed50
                                for s in specs]))


def saturating(table: ReinforcerTable, x: Float[Array, "K"]) -> Float[Array, "K"]:
    """``x / (x + ed50)`` per kind (0 for ``x = 0``)."""
    return x / (x + table.ed50)


def hedonic_reward(table: ReinforcerTable, amounts: Float[Array, "K"]) -> Float[Array, ""]:
    """Primary reward ``r`` of an outcome vector, in reward units (food pellet = 1), before
    receptor availability, satiety and the hedonic set point (``brain.receptors``)."""
    return jnp.sum(hedonic_per_kind(table, amounts))


def natural_value(table: ReinforcerTable, need=None) -> Float[Array, "K"]:
    """Hedonic value scale per kind under the physiological ``need`` (per kind, 0-1; None:
    none): ``value + need_value * need`` (only natural kinds have a need value)."""
    return table.value if need is None else table.value + table.need_value * need


def hedonic_per_kind(table: ReinforcerTable, amounts: Float[Array, "K"],
                     need=None) -> Float[Array, "K"]:
    sat = saturating(table, amounts)
    return jnp.where(table.kind == Kind.NATURAL, natural_value(table, need) * amounts,
                     jnp.where(table.kind == Kind.DRUG, table.value * sat,
                               -table.value * amounts))


def dopamine_surge(table: ReinforcerTable, amounts: Float[Array, "K"],
                   drug_sensitivity: Float[Array, ""]) -> tuple[Float[Array, ""], Float[Array, ""]]:
    """Immediate accumbens dopamine surge of delivered ``amounts`` above baseline
    (fraction): ``(total, drug part)``."""
    e = surge_per_kind(table, amounts, drug_sensitivity)
    drug = jnp.sum(jnp.where(table.kind == Kind.DRUG, e, 0.0))
    return jnp.sum(e), drug


def surge_per_kind(table: ReinforcerTable, x: Float[Array, "K"],
                   drug_sensitivity: Float[Array, ""]) -> Float[Array, "K"]:
    """``emax * x / (x + ed50)`` per kind, drugs scaled by the subject's sensitivity."""
    e = table.emax * saturating(table, x)
    return jnp.where(table.kind == Kind.DRUG, e * drug_sensitivity, e)
