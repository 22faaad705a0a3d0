"""The plotting theme: one seaborn/matplotlib style for every notebook, with a Chinese-capable font.

>>> info = use_theme("zh")                     # doctest: +SKIP
>>> ax.set_title(label("立案数", "Cases filed", info))  # doctest: +SKIP

``use_theme`` picks the first installed font of ``PREFERRED_FONTS`` and hands it to seaborn's
``set_theme``. Two traps shape the code:

- ``sns.set_theme()`` resets ``font.sans-serif``, so setting the font *before* it is lost; the font
  goes in through ``set_theme``'s ``rc`` argument instead. (A notebook that calls ``sns.set_theme``
  itself afterwards loses the font again; call ``use_theme`` instead.)
- matplotlib's font list is cached on disk; a font installed after the cache was built is invisible
  to it. So besides the cache, font *files* are looked for (``fc-list`` and the usual font
  directories) and registered with ``fontManager.addfont``.

Where no CJK font exists, ``use_theme("zh")`` warns once per process (``MissingCJKFontWarning``)
and returns ``lang="en"``: the caller labels its plots in English rather than drawing empty boxes.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

# matplotlib is imported inside the functions: importing it loads its font cache, and modules that
# only need ``label`` or ``LANGUAGES`` should not pay for that.
if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontEntry, FontManager

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")

PREFERRED_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)
"""CJK sans-serif families, best first: simplified-Chinese glyph forms, then wide availability."""

FALLBACK_SANS: tuple[str, ...] = ("DejaVu Sans", "Arial", "Liberation Sans", "sans-serif")
"""After the CJK font in ``font.sans-serif``; matplotlib falls back per glyph to these."""

PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
)
"""Okabe-Ito: a qualitative palette that stays distinguishable under colour-vision deficiency."""

FIGSIZE: tuple[float, float] = (8.0, 4.5)

# File-name fragments of the preferred fonts, for the directory scan (which cannot afford to open
# every font file of a system that has thousands). Lowercase; compared with the lowercased name.
_CJK_FILE_HINTS: tuple[str, ...] = (
    "cjk", "sourcehansans", "notosanssc", "wqy", "pingfang", "hiragino sans gb", "heiti",
    "msyh", "simhei", "droidsansfallback", "arial unicode",
)
_FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf"})


def default_font_dirs() -> list[Path]:
    """The usual system and user font directories of Linux, macOS, Windows and conda."""
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local/share/fonts",
        Path("/System/Library/Fonts"),
        Path("/Library/Fonts"),
        home / "Library/Fonts",
        Path("C:/Windows/Fonts"),
        Path(sys.prefix) / "fonts",  # conda-forge font packages install here
    ]
    if local_app_data := os.environ.get("LOCALAPPDATA"):
        dirs.append(Path(local_app_data) / "Microsoft/Windows/Fonts")
    return dirs


class MissingCJKFontWarning(UserWarning):
    """No CJK font is installed, so Chinese labels cannot be drawn; plots fall back to English."""


class _FontCache(Protocol):
    """The part of matplotlib's ``FontManager`` that discovery reads (a stub will do in tests)."""

    ttflist: list[FontEntry]


@dataclass(frozen=True)
class FontChoice:
    """An installed CJK font: its family name, a file holding it, and whether matplotlib knew it."""

    family: str
    path: str
    in_cache: bool


@dataclass(frozen=True)
class ThemeInfo:
    """What ``use_theme`` set up. ``lang`` is the language to label plots in."""

    font: str | None
    lang: Lang
    cjk: bool


def find_cjk_font(
    preferred: Sequence[str] | None = None,
    *,
    manager: _FontCache | None = None,
    search_dirs: Iterable[str | os.PathLike[str]] | None = None,
    use_fc_list: bool = True,
) -> FontChoice | None:
    """The most preferred CJK font that is installed, or ``None``.

    The font cache of ``manager`` (matplotlib's ``fontManager`` by default) is read first. Font files
    are searched (``fc-list``, then ``search_dirs``, by default ``default_font_dirs()``) only for
    families ranked above the best cached one: no file is opened when the first choice is cached.
    Family names compare case-insensitively, as in matplotlib.
    """
    from matplotlib import font_manager

    ranking = [name.casefold() for name in (preferred or PREFERRED_FONTS)]
    rank = {name: i for i, name in reversed(list(enumerate(ranking)))}
    manager = manager if manager is not None else font_manager.fontManager

    best: FontChoice | None = None
    best_rank = len(ranking)
    for entry in manager.ttflist:
        r = rank.get(entry.name.casefold(), len(ranking))
        if r < best_rank:
            best, best_rank = FontChoice(entry.name, entry.fname, in_cache=True), r
    if best_rank == 0:
        return best

    cached_paths = {os.path.realpath(entry.fname) for entry in manager.ttflist}
    dirs = default_font_dirs() if search_dirs is None else [Path(d) for d in search_dirs]
    files = _fc_list_files() if use_fc_list else []
    for path in _dedupe(chain(files, _scan_font_dirs(dirs))):  # lazy: the scan stops at the best
        if os.path.realpath(path) in cached_paths:
            continue  # its families were ranked above already
        for family in _font_families(path):
            r = rank.get(family.casefold(), len(ranking))
            if r < best_rank:
                best, best_rank = FontChoice(family, path, in_cache=False), r
        if best_rank == 0:
            break
    return best


def register_font(path: str | os.PathLike[str], *, manager: FontManager | None = None) -> None:
    """Make the font file at ``path`` (every face of a collection) known to matplotlib."""
    from matplotlib import font_manager

    (manager if manager is not None else font_manager.fontManager).addfont(path)


_warned_missing_cjk = False


def use_theme(
    lang: str = "zh",
    *,
    context: str = "notebook",
    preferred: Sequence[str] | None = None,
) -> ThemeInfo:
    """Set the project's plot style and a CJK font; return the font and the language to label in.

    ``lang`` is the wanted label language ("zh" or "en"). A CJK font is selected either way, so
    Chinese names in data still render in English plots; but only "zh" needs one, so only then does
    its absence warn (once per process) and turn the returned ``lang`` into "en".
    ``context`` is a seaborn context ("paper", "notebook", "talk", "poster").
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    import seaborn as sns  # imported here: seaborn is slow to import and only plotting needs it

    choice = find_cjk_font(preferred)
    font: str | None = None
    if choice is not None:
        if not choice.in_cache:
            register_font(choice.path)
        font = choice.family

    rc: dict[str, object] = {
        "font.family": "sans-serif",
        "font.sans-serif": [*([font] if font else []), *FALLBACK_SANS],
        # CJK fonts lack U+2212 MINUS SIGN, which matplotlib uses for negative ticks by default.
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        # gridlines under bars, lines and labels, never over them (whitegrid's default, kept
        # explicit: a notebook's own rc must not bring gridlines over the data)
        "axes.axisbelow": True,
        "figure.figsize": FIGSIZE,
        "legend.frameon": False,
        "savefig.bbox": "tight",
    }
    sns.set_theme(context=context, style="whitegrid", palette=list(PALETTE), rc=rc)

    if lang == "zh" and font is None:
        _warn_missing_cjk(preferred or PREFERRED_FONTS)
    effective: Lang = "zh" if lang == "zh" and font is not None else "en"
    return ThemeInfo(font=font, lang=effective, cjk=font is not None)


def label(zh: str, en: str, lang: ThemeInfo | str) -> str:
    """The label in the theme's language: ``zh`` when it is "zh", else ``en``."""
    code = lang.lang if isinstance(lang, ThemeInfo) else lang
    if code not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {code!r}")
    return zh if code == "zh" else en


def thousands(ax: Axes, axis: Literal["x", "y"] = "y", *, decimals: int = 0) -> None:
    """Format the tick labels of ``axis`` with thousands separators: 2504700 -> "2,504,700"."""
    from matplotlib.ticker import FuncFormatter

    _axis(ax, axis).set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.{decimals}f}"))


def percent(ax: Axes, axis: Literal["x", "y"] = "y", *, xmax: float = 100, decimals: int = 0) -> None:
    """Format the tick labels of ``axis`` as percentages of ``xmax``: 89.4 -> "89%"."""
    from matplotlib.ticker import PercentFormatter

    _axis(ax, axis).set_major_formatter(PercentFormatter(xmax=xmax, decimals=decimals))


def _axis(ax: Axes, axis: str) -> Axis:
    if axis == "x":
        return ax.xaxis
    if axis == "y":
        return ax.yaxis
    raise ValueError(f"axis must be 'x' or 'y', not {axis!r}")


def _warn_missing_cjk(preferred: Sequence[str]) -> None:
    global _warned_missing_cjk
    if _warned_missing_cjk:
        return
    _warned_missing_cjk = True
    warnings.warn(
        "No CJK font found (looked for: " + ", ".join(preferred) + "). Chinese text would draw as "
        "empty boxes, so label plots in English: use the lang of the ThemeInfo that use_theme "
        "returned (now 'en'). To get Chinese labels install a CJK font, e.g. Debian/Ubuntu "
        "'fonts-noto-cjk' or 'fonts-wqy-microhei', and restart the kernel.",
        MissingCJKFontWarning,
        stacklevel=3,  # point at the caller of use_theme
    )


def _fc_list_files() -> list[str]:
    """Files of the fonts that fontconfig says cover Chinese; empty where fontconfig is absent."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        done = subprocess.run(
            [exe, ":lang=zh", "--format=%{file}\\n"],
            capture_output=True, text=True, timeout=20, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def _scan_font_dirs(dirs: Iterable[Path]) -> Iterator[str]:
    """Font files below ``dirs`` whose names look like one of the preferred CJK fonts."""
    for top in dirs:
        if not top.is_dir():
            continue
        for root, _subdirs, names in os.walk(top):
            for name in sorted(names):
                lower = name.casefold()
                if Path(lower).suffix in _FONT_SUFFIXES and any(h in lower for h in _CJK_FILE_HINTS):
                    yield os.path.join(root, name)


def _font_families(path: str) -> list[str]:
    """The family names matplotlib gives the faces of a font file ([] when it is no font)."""
    from matplotlib import font_manager, ft2font

    try:
        first = ft2font.FT2Font(path)
        faces = [first, *(ft2font.FT2Font(path, face_index=i) for i in range(1, first.num_faces))]
        return [font_manager.ttfFontProperty(face).name for face in faces]
    except (OSError, RuntimeError, ValueError):
        return []


def _dedupe(paths: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            yield path


def source_line(fig: Figure, text: str, *, note: str = "") -> None:
    """Write the chart's source (and a note) under everything else in the figure, as Our World in
    Data does, so the source travels with the image wherever it is copied. Call it last."""
    # The tight box of what is drawn so far (tick labels, legends below axes), laid out by the
    # renderer the PNG is drawn with; measuring needs no pixels, so the figure is not drawn here.
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]  # Agg
    height = fig.get_figheight()
    body = text if not note else f"{text}\n{note}"
    fig.text(box.x0 / fig.get_figwidth(), (box.y0 - 0.08) / height, body, ha="left", va="top",
             fontsize="x-small", color="0.35", wrap=True)


def mark_events(ax: Axes, events: pd.DataFrame, lang: str, *, label: bool = True) -> None:
    """Mark the ``events`` (``chengguan.tables.load_events``) that fall in the x range of a date
    axis and before the end of its data, each named in ``lang``: a reader sees at once which rates
    they change. An emergency (a period) is shaded; a law, reform or policy (it takes effect on one
    day) is a dashed line. An event after the last drawn date changes nothing drawn: it is left out.

    The names stand in a strip above the plot, each starting at its date (moved left as far as it
    must to end inside the plot), so no data line or label inside the plot crosses them (referees
    found names struck through on seven reports). Events closer than a twelfth of the axis share
    one name ("A; B"); a name that would run into the one before it goes a row higher; a name wider
    than half the plot is broken into lines. A title of the axes is raised above the strip."""
    import matplotlib.dates as mdates
    import pandas as pd

    left, right = (pd.Timestamp(mdates.num2date(x).replace(tzinfo=None)) for x in ax.get_xlim())
    drawn = ax.dataLim
    data_end = (pd.Timestamp(mdates.num2date(drawn.x1).replace(tzinfo=None))
                if drawn.width > 0 and math.isfinite(drawn.x1) else right)
    marks: list[tuple[pd.Timestamp, str]] = []
    for event in events.sort_values("period_start").itertuples():
        if event.period_end < left or event.period_start > min(right, data_end):
            continue
        if getattr(event, "kind", "emergency") == "emergency":
            ax.axvspan(event.period_start, event.period_end + pd.Timedelta(days=1),
                       color="0.85", alpha=0.6, zorder=0, lw=0)
        else:
            ax.axvline(event.period_start, color="0.55", lw=0.8, ls="--", zorder=0)
        marks.append((max(event.period_start, left), event.name_zh if lang == "zh" else event.name_en))
    ax.set_xlim(left, right)
    if label and marks:
        _name_strip(ax, marks, "；" if lang == "zh" else "; ", (right - left) / 12)


def _name_strip(ax: Axes, marks: list[tuple[Any, str]], separator: str, near: Any) -> None:
    """Write the names of ``marks`` (date, name) above ``ax`` in rows that do not overlap."""
    groups: list[tuple[Any, list[str], Any]] = []  # first date, names, last date
    for day, name in marks:
        if groups and day - groups[-1][2] < near:
            groups[-1] = (groups[-1][0], [*groups[-1][1], name], day)
        else:
            groups.append((day, [name], day))
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg, as for the PNG
    plot = ax.get_window_extent(renderer)
    points = fig.dpi / 72  # display units per point
    rows: list[tuple[float, float]] = []  # per row: right edge of its last name, its height (points)
    for day, names, _ in groups:
        text = ax.annotate(separator.join(names), xy=(day, 1.0), xycoords=("data", "axes fraction"),
                           xytext=(0, 3), textcoords="offset points", ha="left", va="bottom",
                           fontsize="x-small", color="0.3", annotation_clip=False)
        box = text.get_window_extent(renderer)
        if box.width > plot.width / 2 and len(names) > 1:
            text.set_text((separator.rstrip() + "\n").join(names))
            box = text.get_window_extent(renderer)
        shift = min(max(plot.x1 - box.x1, plot.x0 - box.x0), 0.0)  # leftwards, not past the plot
        box = box.translated(shift, 0)
        row = next((i for i, (end, _) in enumerate(rows) if end + 4 * points <= box.x0), len(rows))
        height = box.height / points
        if row == len(rows):
            rows.append((box.x1, height))
        rows[row] = (box.x1, max(rows[row][1], height))
        text.xyann = (shift / points, 3 + sum(h + 1 for _, h in rows[:row]))
    strip = 3 + sum(h + 1 for _, h in rows)
    locations: tuple[Literal["center", "left", "right"], ...] = ("center", "left", "right")
    for loc in locations:
        # matplotlib keeps the left and right titles without a public accessor
        title = ax.title if loc == "center" else getattr(ax, f"_{loc}_title")
        if title.get_text():
            ax.set_title(title.get_text(), loc=loc, pad=strip + 4, fontsize=title.get_fontsize(),
                         fontweight=title.get_fontweight(), color=title.get_color())


def bar_grids(fig: Figure) -> None:
    """No gridlines along the category axis of a bar chart: on horizontal bars they would run
    through each bar's middle and strike through a value label written beside it, and they mark
    no value. Gridlines along the value axis stay, passing behind the labels beside the bars.
    ``chengguan.display.show_figure`` calls this for every figure it shows."""
    from matplotlib.container import BarContainer

    renderer = None
    for ax in fig.get_axes():
        bars = [c for c in ax.containers if isinstance(c, BarContainer)]
        kinds = {getattr(c, "orientation", None) for c in bars}
        if "horizontal" in kinds:
            ax.yaxis.grid(False)
        if "vertical" in kinds:
            ax.xaxis.grid(False)
        if not bars or not ax.texts:
            continue
        # A value label beside a bar may still cross a value-axis gridline: it gets a backing of
        # the axes' colour. A label on a bar keeps its look (a backing would hide the bar).
        renderer = renderer or fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg, as for the PNG
        boxes = [p.get_window_extent(renderer) for c in bars for p in c.patches]
        for text in ax.texts:
            if text.get_bbox_patch() is not None or not text.get_text().strip():
                continue
            extent = text.get_window_extent(renderer)
            if not any(extent.overlaps(box) for box in boxes):
                text.set_bbox({"facecolor": ax.get_facecolor(), "edgecolor": "none", "pad": 1.0})


def year_axis(ax: Axes, axis: Literal["x", "y"] = "x") -> None:
    """Ticks at the start of each year, labelled with the year only: dates read at a glance."""
    import matplotlib.dates as mdates

    _axis(ax, axis).set_major_locator(mdates.YearLocator())
    _axis(ax, axis).set_major_formatter(mdates.DateFormatter("%Y"))


CJK_INSTALL_HINT = (
    "Debian/Ubuntu: sudo apt-get install fonts-noto-cjk (or fonts-wqy-microhei); "
    "conda: conda install -c conda-forge font-ttf-noto-cjk; macOS and Windows ship one"
)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m chengguan.theme --check-cjk``: say (on stderr) when no CJK font is installed."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m chengguan.theme")
    parser.add_argument("--check-cjk", action="store_true", help="tell how to get a CJK font when none is installed")
    args = parser.parse_args(argv)
    if args.check_cjk and find_cjk_font() is None:
        sys.stderr.write(
            "note: no CJK font is installed, so the Chinese (zh) reports' charts are labelled in English.\n"
            f"      To get Chinese labels install one ({CJK_INSTALL_HINT}), then rebuild.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
