"""Sentiment scores kept between runs, keyed by text hash and model version.

Scoring is the costly per-row step of a listening report. Each distinct text
is scored once per model version: the scores are appended as Parquet files to
``$SMKIT_CACHE/sentiment_scores/model=<version>/`` (``data/cache/`` by
default), and a later run reads back the ones it needs (DuckDB joins its
hashes to the files, so a large cache is never read whole) and scores only the
texts it has not seen. The version changes with the scorer's code, its
lexicons and the fitted model's settings, so a new scorer never reuses old
scores. ``SMKIT_SCORE_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from smkit import paths
from smkit.methods import sentiment


@dataclass(frozen=True)
class Scoring:
    """How a fill got its scores: ``exported`` rows kept the export's score; of the
    distinct texts left, ``cached`` came from earlier runs and ``scored`` were scored now."""

    exported: int = 0
    cached: int = 0
    scored: int = 0


@lru_cache(maxsize=1)
def model_version() -> str:
    """The scorer's version: its source (lexicons and rules) and the fitted model's name (versions and settings)."""
    source = Path(sentiment.__file__).read_bytes()
    key = source + sentiment.model_cache_path().name.encode()
    return hashlib.sha256(key).hexdigest()[:12]


def folder() -> Path:
    return paths.cache_dir() / "sentiment_scores" / f"model={model_version()}"


def enabled() -> bool:
    return os.environ.get("SMKIT_SCORE_CACHE", "1") != "0"


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _cached(hashes: list[str]) -> dict[str, float]:
    files = list(folder().glob("*.parquet"))
    if not files or not hashes:
        return {}
    con = duckdb.connect()
    try:
        con.register("wanted", pa.table({"h": hashes}))
        glob = str(folder() / "*.parquet").replace("'", "''")
        rows = con.execute(f"SELECT c.h, any_value(c.score) FROM read_parquet('{glob}') c JOIN wanted w USING (h) GROUP BY c.h").fetchall()
    except duckdb.Error:  # an unreadable cache costs a rescore, never a failed report
        return {}
    finally:
        con.close()
    return dict(rows)


def _append(hashes: list[str], scores: list[float]) -> None:
    if not hashes:
        return
    target = folder()
    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
        name = f"part-{time.time_ns()}-{os.getpid()}.parquet"
        tmp = target / f".{name}.tmp"
        pq.write_table(pa.table({"h": hashes, "score": pa.array(scores, pa.float64())}), tmp, compression="zstd")
        os.replace(tmp, target / name)  # atomic: a parallel run never reads half a file


SPARK_MIN_TEXTS = 20_000  # below this, starting Spark's Python workers costs more than scoring here


def _score(texts: list[str]) -> list[float]:
    """Scores of new texts: on Spark's executors when the engine is Spark and there are many, else here."""
    from smkit.data.engine import engine_name

    if len(texts) >= SPARK_MIN_TEXTS and engine_name() == "spark":
        return spark_score(texts)
    return sentiment.score(texts)


def spark_score(texts: list[str], tz: str = "Asia/Shanghai") -> list[float]:
    """:func:`smkit.methods.sentiment.score` run by Spark in parallel (``mapInPandas``: each
    executor scores its share of the texts in batches), in the order of ``texts``."""
    from smkit.data.engine import spark_session

    session = spark_session(tz)
    frame = session.createDataFrame(pd.DataFrame({"i": range(len(texts)), "text": texts}))

    def score_batches(batches):
        from smkit.methods import sentiment as scorer

        for batch in batches:
            yield pd.DataFrame({"i": batch["i"], "score": scorer.score(batch["text"].tolist())})

    parts = int(os.environ.get("SMKIT_SPARK_SHUFFLE_PARTITIONS", "8"))
    with warnings.catch_warnings():  # pyspark's own use of a pandas keyword that pandas 3 deprecates: not the reader's concern
        warnings.filterwarnings("ignore", message=r".*The copy keyword is deprecated.*")
        out = frame.repartition(max(1, parts)).mapInPandas(score_batches, "i long, score double").toPandas()
    return out.sort_values("i")["score"].astype(float).tolist()


BATCH = 50_000  # distinct texts scored and written back at a time: memory stays bounded, a stopped run keeps what it scored


def scores_of(texts: list[str]) -> tuple[list[float], Scoring]:
    """Scores of distinct ``texts`` (no repeats, no missing values), in their order: those in
    the cache read back, the rest scored in batches of :data:`BATCH`, each batch written
    back to the cache before the next, so a later run (or this one, stopped) scores only new texts."""
    if not enabled():
        return [float(v) for v in _score(texts)], Scoring(scored=len(texts))
    out: list[float] = []
    cached = scored = 0
    for i in range(0, len(texts), BATCH):
        part = texts[i : i + BATCH]
        hashes = [text_hash(t) for t in part]
        known = _cached(hashes)
        new = [(t, h) for t, h in zip(part, hashes) if h not in known]
        fresh = _score([t for t, _ in new])
        _append([h for _, h in new], fresh)
        got = {h: s for (_, h), s in zip(new, fresh)}
        out.extend(float(known[h]) if h in known else float(got[h]) for h in hashes)
        cached, scored = cached + len(part) - len(new), scored + len(new)
    return out, Scoring(cached=cached, scored=scored)


def score_texts(texts: pd.Series) -> tuple[list[float], Scoring]:
    """Scores of ``texts`` (as :func:`smkit.methods.sentiment.score`), each distinct text
    scored once ever per model version; with how many came from the cache."""
    values = texts.where(texts.map(lambda t: isinstance(t, str)), None)
    unique = [t for t in pd.unique(values.dropna())]
    if not enabled():
        return sentiment.score(values), Scoring(scored=len(unique))
    hashes = [text_hash(t) for t in unique]
    known = _cached(hashes)
    new = [(t, h) for t, h in zip(unique, hashes) if h not in known]
    fresh = _score([t for t, _ in new])
    _append([h for _, h in new], fresh)
    lookup = {t: known[h] for t, h in zip(unique, hashes) if h in known} | {t: s for (t, _), s in zip(new, fresh)}
    return [float(lookup.get(t, 0.0)) if t is not None else 0.0 for t in values], Scoring(cached=len(unique) - len(new), scored=len(new))


def fill(mentions: pd.DataFrame) -> tuple[pd.DataFrame, Scoring]:
    """``mentions`` with ``sentiment`` filled where missing (as :func:`smkit.methods.sentiment.fill`),
    through the cache, and how the scores were found."""
    out = mentions.copy()
    missing = out["sentiment"].isna() if "sentiment" in out else pd.Series(True, index=out.index)
    if not missing.any():
        return out, Scoring(exported=int(len(out)))
    scores, counts = score_texts(out.loc[missing, "text"])
    out.loc[missing, "sentiment"] = scores
    return out, Scoring(exported=int((~missing).sum()), cached=counts.cached, scored=counts.scored)
