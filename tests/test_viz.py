import logging
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from smkit import viz  # noqa: E402


def test_chinese_labels_render_without_missing_glyphs(tmp_path, caplog):
    viz.set_theme()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        fig, ax = viz.new_figure("平台表现 Platform performance")
        ax.bar(["微博", "抖音", "小红书", "B站", "视频号", "LinkedIn"], [3, 5, 2, -1, 4, 2])
        ax.set_ylabel("播放量（万）· 完播率 −")
        fig.savefig(tmp_path / "cjk.png")
        plt.close(fig)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Glyph" in m or "missing from" in m or "findfont" in m], messages
    assert (tmp_path / "cjk.png").stat().st_size > 5000


def test_the_bundled_font_has_the_platform_names():
    from matplotlib.font_manager import FontProperties, get_font

    font = get_font(matplotlib.font_manager.findfont(FontProperties(family=viz.cjk_font()), fallback_to_default=False))
    cmap = font.get_charmap()
    for char in "微博抖音小红书快手视频号哔哩领英播放量点赞评论转发收藏":
        assert ord(char) in cmap, char


def test_a_named_index_shares_the_header_row_with_the_column_labels():
    import pandas as pd

    from smkit.viz import table

    frame = pd.DataFrame({"结束": ["10月9日"], "提及量": [647]}, index=pd.Index(["10月6日"], name="开始"))
    head = table(frame).to_html().split("<thead>")[1].split("</thead>")[0]
    assert head.count("<tr>") == 1  # one header row, not a second one for the index name
    assert head.index("开始") < head.index("结束") < head.index("提及量")
    assert frame.index.name == "开始"  # the caller's frame is left as it was
