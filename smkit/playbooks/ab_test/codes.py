"""The codes an analysis records instead of sentences; :mod:`.report` words them."""

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
