"""The plotting theme draws Chinese without missing glyphs, finds fonts the cache misses, and falls
back to English (warning once) where no CJK font exists."""

from __future__ import annotations

import io
import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from chengguan import theme
from chengguan.theme import FontChoice, MissingCJKFontWarning, ThemeInfo, label, use_theme

DISTRICTS = ["浦东新区", "黄浦区", "静安区"]


@pytest.fixture(autouse=True)
def _isolated_style(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from matplotlib's defaults, restores the caller's rcParams afterwards, and
    sees a process in which the missing-font warning has not been given yet."""
    monkeypatch.setattr(theme, "_warned_missing_cjk", False)
    with mpl.rc_context():
        mpl.rcdefaults()
        yield


@pytest.fixture(scope="module")
def installed_cjk() -> FontChoice:
    choice = theme.find_cjk_font()
    if choice is None:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei; see .ci/)")
    return choice


def render_chinese_figure() -> list[str]:
    """Draw and save a figure with Chinese title, axis label and tick labels; return the
    missing-glyph warnings matplotlib gave."""
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar(DISTRICTS, [-3, 5, 8])  # a negative value, so a minus sign is drawn on the y axis
    ax.set_title("城管执法案件数（起）")
    ax.set_ylabel("案件数")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def clear_font_lookup_cache() -> None:
    # findfont memoizes family -> file; after editing ttflist by hand a stale answer would hide
    # whether the theme really registered the font. (addfont clears it too.)
    font_manager.fontManager._findfont_cached.cache_clear()


# --- rendering -------------------------------------------------------------------------------------


def test_without_theme_chinese_glyphs_are_missing() -> None:
    """Negative control: matplotlib's default font cannot draw the figure, so the check can fail."""
    missing = render_chinese_figure()
    assert missing, "expected missing-glyph warnings with matplotlib's default fonts"
    assert any("CJK UNIFIED IDEOGRAPH" in message for message in missing)


def test_use_theme_draws_chinese_without_missing_glyphs(installed_cjk: FontChoice) -> None:
    info = use_theme("zh")

    assert info == ThemeInfo(font=installed_cjk.family, lang="zh", cjk=True)
    assert mpl.rcParams["font.sans-serif"][0] == installed_cjk.family
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert render_chinese_figure() == []


def test_font_and_seaborn_style_hold_together(installed_cjk: FontChoice) -> None:
    """The font goes through seaborn's set_theme, so neither overwrites the other."""
    use_theme("zh", context="talk")

    assert mpl.rcParams["font.sans-serif"][0] == installed_cjk.family
    assert mpl.rcParams["axes.grid"] is True  # seaborn's whitegrid style
    assert mpl.rcParams["axes.spines.right"] is False
    colors = [to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert colors == [c.lower() for c in theme.PALETTE]
    assert mpl.rcParams["font.size"] > mpl.rcParamsDefault["font.size"]  # the "talk" context


def test_later_seaborn_set_theme_drops_the_font_and_use_theme_restores_it(
    installed_cjk: FontChoice,
) -> None:
    """Why notebooks call use_theme and never sns.set_theme themselves."""
    import seaborn as sns

    use_theme("zh")
    sns.set_theme()
    assert installed_cjk.family not in mpl.rcParams["font.sans-serif"]

    use_theme("zh")
    assert mpl.rcParams["font.sans-serif"][0] == installed_cjk.family
    assert render_chinese_figure() == []


def test_font_file_missing_from_a_stale_cache_is_registered(installed_cjk: FontChoice) -> None:
    family, real_path = installed_cjk.family, os.path.realpath(installed_cjk.path)
    manager = font_manager.fontManager
    try:
        with pytest.MonkeyPatch.context() as mp:
            # The cache as built before the font was installed: no entry for its file.
            stale = [e for e in manager.ttflist if os.path.realpath(e.fname) != real_path]
            mp.setattr(manager, "ttflist", stale)
            clear_font_lookup_cache()
            assert family not in {e.name for e in manager.ttflist}
            mpl.rcParams["font.sans-serif"] = [family]
            assert render_chinese_figure(), "the stale cache should hide the font"

            info = use_theme("zh", preferred=[family])

            assert info == ThemeInfo(font=family, lang="zh", cjk=True)
            assert family in {e.name for e in manager.ttflist}
            assert render_chinese_figure() == []
    finally:
        clear_font_lookup_cache()  # forget lookups made against the doctored list


# --- fallback to English ---------------------------------------------------------------------------


def test_without_cjk_font_zh_falls_back_to_english_and_warns_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(theme, "find_cjk_font", lambda *args, **kwargs: None)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = use_theme("zh")
        second = use_theme("zh")

    assert first == second == ThemeInfo(font=None, lang="en", cjk=False)
    font_warnings = [w for w in caught if issubclass(w.category, MissingCJKFontWarning)]
    assert len(font_warnings) == 1
    message = str(font_warnings[0].message)
    assert "No CJK font found" in message and "English" in message
    assert "WenQuanYi Micro Hei" in message  # names what it looked for
    assert font_warnings[0].filename == __file__  # points at the caller, not at theme.py
    assert mpl.rcParams["font.sans-serif"][0] == theme.FALLBACK_SANS[0]


def test_english_labels_need_no_cjk_font_so_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(theme, "find_cjk_font", lambda *args, **kwargs: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert use_theme("en") == ThemeInfo(font=None, lang="en", cjk=False)


def test_english_theme_still_selects_a_cjk_font_for_chinese_data(installed_cjk: FontChoice) -> None:
    assert use_theme("en") == ThemeInfo(font=installed_cjk.family, lang="en", cjk=True)


def test_use_theme_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        use_theme("fr")


# --- font discovery --------------------------------------------------------------------------------


@dataclass
class FakeCache:
    """Stands in for matplotlib's FontManager: discovery only reads ``ttflist``."""

    ttflist: list[font_manager.FontEntry] = field(default_factory=list)


def cache_of(**families: str) -> FakeCache:
    return FakeCache([font_manager.FontEntry(fname=p, name=name) for name, p in families.items()])


def never_scanned() -> Iterator[Path]:
    raise AssertionError("font directories were scanned although the cache sufficed")
    yield  # pragma: no cover - makes this a generator


def link_font(src: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        dest.symlink_to(src)
    except OSError:  # no symlinks (Windows without privilege): copy instead
        shutil.copyfile(src, dest)
    return dest


def test_cache_hit_follows_the_preference_order_without_scanning() -> None:
    cache = cache_of(SimHei="simhei.ttf", **{"WenQuanYi Micro Hei": "wqy-microhei.ttc"})

    found = theme.find_cjk_font(
        ["WenQuanYi Micro Hei", "SimHei"],
        manager=cache, search_dirs=never_scanned(), use_fc_list=False,
    )
    assert found == FontChoice("WenQuanYi Micro Hei", "wqy-microhei.ttc", in_cache=True)

    found = theme.find_cjk_font(
        ["SimHei", "WenQuanYi Micro Hei"],
        manager=cache, search_dirs=never_scanned(), use_fc_list=False,
    )
    assert found == FontChoice("SimHei", "simhei.ttf", in_cache=True)


def test_family_names_match_case_insensitively() -> None:
    cache = cache_of(SimHei="simhei.ttf")
    found = theme.find_cjk_font(["simhei"], manager=cache, search_dirs=[], use_fc_list=False)
    assert found is not None and found.family == "SimHei"


def test_nothing_installed_finds_nothing(tmp_path: Path) -> None:
    (tmp_path / "wqy-microhei.ttc").write_bytes(b"not a font")  # a CJK file name, but no font
    found = theme.find_cjk_font(manager=FakeCache(), search_dirs=[tmp_path], use_fc_list=False)
    assert found is None


def test_font_file_unknown_to_the_cache_is_found_in_a_search_dir(
    installed_cjk: FontChoice, tmp_path: Path
) -> None:
    suffix = Path(installed_cjk.path).suffix
    linked = link_font(installed_cjk.path, tmp_path / "nested" / "dir" / f"NotoSansCJK-test{suffix}")

    found = theme.find_cjk_font(
        [installed_cjk.family], manager=FakeCache(), search_dirs=[tmp_path], use_fc_list=False
    )
    assert found == FontChoice(installed_cjk.family, str(linked), in_cache=False)


def test_a_better_ranked_file_beats_a_worse_ranked_cached_font(
    installed_cjk: FontChoice, tmp_path: Path
) -> None:
    suffix = Path(installed_cjk.path).suffix
    linked = link_font(installed_cjk.path, tmp_path / f"wqy-test{suffix}")
    cache = cache_of(SimHei="simhei.ttf")

    found = theme.find_cjk_font(
        [installed_cjk.family, "SimHei"], manager=cache, search_dirs=[tmp_path], use_fc_list=False
    )
    assert found == FontChoice(installed_cjk.family, str(linked), in_cache=False)


def test_directory_scan_only_opens_files_named_like_cjk_fonts(
    installed_cjk: FontChoice, tmp_path: Path
) -> None:
    # Opening every font of a system font directory would be slow; the scan goes by file name.
    link_font(installed_cjk.path, tmp_path / ("DejaVuSans" + Path(installed_cjk.path).suffix))
    found = theme.find_cjk_font(
        [installed_cjk.family], manager=FakeCache(), search_dirs=[tmp_path], use_fc_list=False
    )
    assert found is None


# --- labels and number formats ---------------------------------------------------------------------


def test_label_picks_the_theme_language() -> None:
    assert label("案件数", "Cases", "zh") == "案件数"
    assert label("案件数", "Cases", "en") == "Cases"
    assert label("案件数", "Cases", ThemeInfo(font=None, lang="en", cjk=False)) == "Cases"
    assert label("案件数", "Cases", ThemeInfo(font="SimHei", lang="zh", cjk=True)) == "案件数"
    with pytest.raises(ValueError, match="'de'"):
        label("案件数", "Cases", "de")


def test_tick_formatters() -> None:
    ax = Figure().add_subplot()
    theme.thousands(ax)
    theme.percent(ax, "x")
    assert ax.yaxis.get_major_formatter()(2504700, 0) == "2,504,700"
    assert ax.xaxis.get_major_formatter()(89.4, 0) == "89%"

    theme.thousands(ax, "x", decimals=1)
    assert ax.xaxis.get_major_formatter()(12201.25, 0) == "12,201.2"
    with pytest.raises(ValueError, match="'z'"):
        theme.thousands(ax, "z")  # type: ignore[arg-type]


def _gridlines_on(axis) -> bool:
    return any(line.get_visible() for line in axis.get_gridlines())


def test_bar_charts_keep_only_the_value_axis_gridlines() -> None:
    use_theme("en")
    fig = Figure()
    horizontal, vertical, line = fig.subplots(1, 3)
    horizontal.barh(["a", "b"], [3, 5])
    beside = horizontal.text(3.1, 0, "3", va="center")  # a value label on the bar's centre line
    inside = horizontal.text(1, 1, "5", va="center", color="white")  # on the bar
    vertical.bar(["a", "b"], [3, 5])
    line.plot([0, 1], [2, 3])
    FigureCanvasAgg(fig).draw()
    assert mpl.rcParams["axes.axisbelow"] is True  # gridlines under bars and labels
    assert all(_gridlines_on(ax.xaxis) and _gridlines_on(ax.yaxis) for ax in (horizontal, vertical, line))

    theme.bar_grids(fig)
    FigureCanvasAgg(fig).draw()
    assert _gridlines_on(horizontal.xaxis) and not _gridlines_on(horizontal.yaxis)
    assert not _gridlines_on(vertical.xaxis) and _gridlines_on(vertical.yaxis)
    assert _gridlines_on(line.xaxis) and _gridlines_on(line.yaxis)  # not a bar chart: untouched
    # the label beside the bar is backed by the axes' colour, so a gridline passes behind it
    assert beside.get_bbox_patch() is not None and inside.get_bbox_patch() is None
    assert to_hex(beside.get_bbox_patch().get_facecolor()) == to_hex(horizontal.get_facecolor())
