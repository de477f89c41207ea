"""The one parser per parameter kind, and every playbook parameter that takes a list using it."""

from __future__ import annotations

import pytest

from smkit.params import parse_list, parse_mapping
from smkit.playbooks import ab_test, content_performance, market_analysis, personas, reputation_monitor

TYPED = ("露米娜，Lumi", "露米娜,Lumi", "露米娜；Lumi", "露米娜; Lumi", " 露米娜 ， Lumi ,")


@pytest.mark.parametrize("text", TYPED)
def test_full_width_and_ascii_separators_give_the_same_items(text):
    assert parse_list(text) == ("露米娜", "Lumi")


def test_lists_keep_the_enumeration_comma_and_drop_empty_items():
    assert parse_list("科技、家居, ,") == ("科技、家居",)
    assert parse_list("") == () and parse_list(None) == () and parse_list(["a ", "b"]) == ("a", "b")


def test_mappings_take_full_width_colons_and_name_the_bad_item():
    assert parse_mapping("weibo：1，douyin:0.5", "resources") == {"weibo": 1.0, "douyin": 0.5}
    with pytest.raises(ValueError, match=r"resources: 'weibo' is not key:value"):
        parse_mapping("weibo", "resources")
    with pytest.raises(ValueError, match="not a valid value"):
        parse_mapping("weibo:many", "resources")
    with pytest.raises(ValueError, match="unknown key 'x'; valid keys are a, b"):
        parse_mapping("x:1", "w", valid=("a", "b"))
    with pytest.raises(ValueError, match="finite"):
        parse_mapping("a:inf", "w")


# (playbook settings, parameter, the Settings field it fills)
LIST_PARAMETERS = [
    (market_analysis.settings, "competitors", "competitors"),
    (reputation_monitor.settings, "brand_aliases", "brand_aliases"),
    (content_performance.settings, "account", "accounts"),
    (content_performance.settings, "platforms", "platforms"),
    (content_performance.settings, "brand_aliases", "brand_aliases"),
    (ab_test.settings, "metrics", "metrics"),
    (ab_test.settings, "guardrails", "guardrails"),
    (ab_test.settings, "lower_is_better", "lower_is_better"),
    (personas.settings, "features", "features"),
]


@pytest.mark.parametrize(("settings", "parameter", "field"), LIST_PARAMETERS, ids=lambda v: getattr(v, "__module__", v))
@pytest.mark.parametrize("text", ["露米娜，Lumi", "露米娜,Lumi"])
def test_every_list_parameter_splits_full_width_commas(settings, parameter, field, text):
    assert tuple(getattr(settings(**{parameter: text}), field)) == ("露米娜", "Lumi")
