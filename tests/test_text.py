"""The shared tokenizer: hashtags whole, Chinese by jieba, English by word, brand names and noise out."""

from __future__ import annotations

from smkit.methods import text


def test_tokens_keep_hashtags_whole_and_segment_chinese_and_english():
    words = text.tokens("#新品发布# 卧室灯光这样调更助眠！The science of light #Launch")
    assert words[:2] == ["#新品发布", "#launch"]
    assert "卧室" in words and "灯光" in words
    assert "science" in words and "light" in words


def test_tokens_drop_stop_words_single_characters_and_numbers():
    words = text.tokens("我们 的 灯 2026 年 和 the lamp a 99 新品")
    assert "我们" not in words and "的" not in words and "the" not in words and "a" not in words
    assert "灯" not in words and "年" not in words  # single characters
    assert "2026" not in words and "99" not in words  # pure numbers
    assert words == ["lamp", "新品"]
    assert text.tokens("") == [] and text.tokens(None) == [] and text.tokens("   ") == []


def test_tokens_exclude_brand_names_in_any_case_and_never_as_fragments():
    sentence = "露米娜新品 Lumina 台灯 #露米娜# #lumina"
    words = text.tokens(sentence, exclude={"Lumina", "露米娜"})
    assert words == ["新品", "台灯"]
    # without the exclusion the name is there: it is the exclusion that removes it
    assert "lumina" in text.tokens(sentence) and any("露" in w for w in text.tokens(sentence))
    # a Chinese name is cut out before segmentation, so no piece of it survives
    assert not any(ch in w for w in text.tokens("维克萨新品发布", exclude={"维克萨"}) for ch in "维克萨")
    # a hashtag that only contains the name is a campaign, not the name
    assert "#露米娜新品" in text.tokens("#露米娜新品#", exclude={"露米娜"})


def test_tokens_count_repeats_when_asked():
    assert text.tokens("灯光 灯光 light light") == ["light", "灯光"]
    assert text.tokens("灯光 灯光 light light", unique=False) == ["light", "light", "灯光", "灯光"]
    assert text.tokens("go big lamp", min_latin=3) == ["big", "lamp"]


def test_brand_words_are_the_names_given_lower_cased():
    assert text.brand_words(["Lumina", "露米娜", "", None, " Acme "]) == {"lumina", "露米娜", "acme"}


def test_jieba_is_loaded_once_and_quietly():
    import logging

    first = text.jieba()
    assert text.jieba() is first
    assert first.default_logger.level >= logging.WARNING
