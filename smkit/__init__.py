"""smkit: social media operations analytics for parameterised notebooks.

Data flows one way: exports -> :mod:`smkit.data.ingest` -> the DuckDB store ->
:func:`load` -> analysis modules -> results objects -> notebooks -> reports.
"""

from smkit.data.store import load

__version__ = "0.1.0"
__all__ = ["load", "__version__"]
