"""The codes an analysis records instead of sentences; :mod:`.report` words them
in the reader's language (:mod:`.messages`)."""

from __future__ import annotations

# Why a comparison has no test (``Comparison.issue``).
FEW_UNITS = "few_units"  # a variant has fewer than two units with a value
ZERO_DENOMINATOR = "zero_denominator"  # a ratio's denominator sums to zero in a variant
NO_VARIANCE = "no_variance"  # every unit has the same value in both variants
ONE_SIDED_VARIANCE = "one_sided_variance"  # one side has no variance (0 successes, or every unit the same): as GrowthBook, no estimate
NONPOSITIVE_CONTROL = "nonpositive_control"  # the control mean is not positive: no relative lift

# What decided (``Decision.rule``).
SAMPLE_RATIO = "sample_ratio"  # the split does not match the plan
GUARDRAIL = "guardrail"  # a guardrail was significantly harmed
NO_GOAL = "no_goal"  # only guardrails were given
UNTESTABLE = "untestable"  # the goal metric has no test (see its issue)
EARLY_EXCLUDES_ZERO = "early_excludes_zero"  # read early, the always-valid interval excludes zero
EARLY_INCLUDES_ZERO = "early_includes_zero"  # read early, the always-valid interval includes zero
BETTER = "better"  # significantly better
WORSE = "worse"  # significantly worse
NO_EFFECT = "no_effect"  # no significant effect

# Notes on the metrics asked for (``Result.metric_notes``) and why a metric is not usable.
NO_COLUMN = "no_column"  # the data has no such column
RATIO_NEEDS_SQUARES = "ratio_needs_squares"  # aggregated rows lack a ratio's sums of squares and products
SUMS_NEED_SQUARES = "sums_need_squares"  # aggregated sums above the units and no sum of squares
SKIPPED = "skipped"  # a goal metric left out (``why``: one of the three above)
GUARDRAIL_SKIPPED = "guardrail_skipped"  # a guardrail left out
ANALYSED_INSTEAD = "analysed_instead"  # the data's own metric columns analysed instead
LOWER_MISSING = "lower_missing"  # a lower-is-better metric not in the data


class Note(str):
    """A note about a metric: equal to its English sentence (as errors and logs
    show it) and carrying its ``code`` and ``values``, so a report words it in
    the reader's language (:func:`.report.metric_note_text`)."""

    code: str
    values: dict

    def __new__(cls, code: str, **values: object) -> Note:
        from .messages import T

        note = super().__new__(cls, T(f"note_{code}", "en", **values))
        note.code, note.values = code, values
        return note
