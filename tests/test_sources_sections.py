"""The sections of the primary source, a transparent text measure for the notebooks."""

from __future__ import annotations

from chengguan.sources import normalized_text, sections


def test_sections_partition_the_document() -> None:
    frame = sections()
    raw = normalized_text("cgzf_2022_summary").raw
    assert frame.raw_start.iloc[0] == 0 and frame.raw_end.iloc[-1] == len(raw)
    assert (frame.raw_start.iloc[1:].to_numpy() == frame.raw_end.iloc[:-1].to_numpy()).all()
    summary = frame[frame.part == "summary_2022"]
    plan = frame[frame.part == "plan_2023"]
    # six parts in the summary (ten subsections in part two), five in the plan
    assert sorted(summary.level1.unique()) == [0, 1, 2, 3, 4, 5, 6]
    assert summary[summary.level1 == 2].level2.max() == 10
    assert sorted(plan.level1.unique()) == [0, 1, 2, 3, 4, 5]
    garbage = frame.set_index("section_id").loc["summary_2022.2.6"]
    assert garbage.heading == "（六）深化生活垃圾专项执法"
    assert "17747" in garbage.text
    assert garbage.chars > 100 and plan.text.str.count("生活垃圾").sum() == 0


def test_closing_review_and_footer_are_sections_of_their_own() -> None:
    frame = sections().set_index("section_id")
    closing = frame.loc["summary_2022.closing"]
    assert closing.text.startswith("回顾 2022 年") and "短板" in closing.text
    assert (closing.level1, closing.level2) == (0, 0)
    # the publicity section ends where the review starts; the plan's last section before 抄送
    assert "回顾" not in frame.loc["summary_2022.6.3"].text
    assert frame.loc["summary_2022.6.3"].text.endswith("维护宪法。")
    assert "抄送" not in frame.loc["plan_2023.5.3"].text
    footer = frame.loc["footer"]
    assert footer.part == "footer" and footer.text.startswith("抄送")
    assert list(frame.index).count("summary_2022.closing") == 1
