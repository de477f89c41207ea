"""What personas needs from the store (read by the run layer before any kernel
starts, so this module imports nothing but :mod:`smkit.requirements`)."""

from smkit.requirements import EXPORTS, Names, Needs, Section  # noqa: F401

NEEDS = Needs(core=("audience",), window=(), without_store="data")
