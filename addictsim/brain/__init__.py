"""The virtual subject: dopamine, striatum, prefrontal, memory, interoception."""

from .params import BIN_S, N_BINS, BrainParams, Model
from .subject import BrainState, Episode, Observation, init, learn, perceive, softmax_policy

__all__ = ["BIN_S", "N_BINS", "BrainParams", "BrainState", "Episode", "Model", "Observation",
           "init", "learn", "perceive", "softmax_policy"]
