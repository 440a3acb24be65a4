"""Drugs and natural rewards: kinetics, dopamine effects, treatments."""

from .reinforcers import REINFORCERS, Reinforcer, ReinforcerTable

__all__ = ["REINFORCERS", "Reinforcer", "ReinforcerTable"]
