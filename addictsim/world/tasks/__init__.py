"""Tasks: each compiles its settings into schedule rows the apparatus plays.

One task per file; each names its source paper.
"""

from . import (abstinence, challenge, choice, conditioned_approach, conditioned_reinforcement,
               daily_life, delay_discounting, demand, devaluation, dose_response, go_nogo, microdialysis,
               pavlovian, pit, place_preference, progressive_ratio, reward_threshold, seek_take,
               self_administration, signalled_unavailability, two_step)

TASKS = {
    "pavlovian": pavlovian,
    "self_administration": self_administration,
    "conditioned_reinforcement": conditioned_reinforcement,
    "abstinence": abstinence,
    "microdialysis": microdialysis,
    "challenge": challenge,
    "dose_response": dose_response,
    "demand": demand,
    "reward_threshold": reward_threshold,
    "delay_discounting": delay_discounting,
    "progressive_ratio": progressive_ratio,
    "devaluation": devaluation,
    "two_step": two_step,
    "pit": pit,
    "conditioned_approach": conditioned_approach,
    "seek_take": seek_take,
    "signalled_unavailability": signalled_unavailability,
    "choice": choice,
    "go_nogo": go_nogo,
    "place_preference": place_preference,
    "daily_life": daily_life,
}

__all__ = ["TASKS"]
