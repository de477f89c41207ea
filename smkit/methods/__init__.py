"""Shared methods every playbook may use, none tied to one playbook.

stats (sufficient statistics, tests, intervals, corrections, shrinkage),
causal (counterfactual lift), forecasting (ETS, SARIMA, seasonal naive,
backtests), anomaly (volume detectors, CUSUM), nab (scoring detectors on
labelled series), sentiment (offline Chinese and English scores), text
(keywords).
"""
