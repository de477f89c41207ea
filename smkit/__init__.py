"""smkit: social media operations analytics for parameterised notebooks.

Data flows one way: exports -> :mod:`smkit.data.ingest` -> the DuckDB store ->
:func:`load` -> analysis modules -> results objects -> notebooks -> reports.
"""

__version__ = "0.1.0"
__all__ = ["load", "__version__"]


def __getattr__(name: str):
    # The store (pandas, DuckDB) is imported when ``load`` is first asked for: the command line
    # starts without it, and ``smkit ingest`` decodes a GBK export while it loads (see transcode).
    if name == "load":
        from smkit.data.store import load

        return load
    raise AttributeError(f"module 'smkit' has no attribute {name!r}")
