"""Benchmarks of the addictsim engine against two yardsticks (run by hand, never as timed tests).

See ``benchmarks/README.md``.
"""
