"""What people see in a browser, measured in a real one (headless Chromium; skipped where it is
absent): the demo's agenda fits a 375 px phone with no sideways scrolling, and the portfolio at
1,000 px never breaks a shop's name inside a word."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sheets_sync import api
from sheets_sync.config import load_config
from sheets_sync.meeting import render_agenda
from sheets_sync.meeting.follow_up import build_follow_up, follow_up_cycle
from sheets_sync.meeting.follow_up_mail import render_follow_up
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, render_only, run
from sheets_sync.sheet.sample import SAMPLE_CLIENT
from sheets_sync.sheet.schema import Lang
from tests.support.browser import CHROMIUM, measure
from tests.support.clients import with_errors, xlsx_client
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium")

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=9)))

_WORD_LINES = """
const names = [];
for (const cell of document.querySelectorAll('td.client')) {
  const text = cell.firstChild;
  let start = 0;
  for (const word of text.textContent.split(' ')) {
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + word.length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    names.push([word, tops.size]);
    start += word.length + 1;
  }
}
return {width: document.documentElement.scrollWidth, names: names};
"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_demo_agenda_fits_a_375_px_phone(tmp_path: Path, lang: Lang) -> None:
    """The demo's agenda mail (HTML part, CSS inlined) is no wider than a 375 px viewport."""
    made = new_client(
        NewClientOrder(SAMPLE_CLIENT[lang], lang, config_dir=tmp_path, sample=True, today=TODAY)
    )
    result = run(made.config, RunOptions(as_of=TODAY, dry_run=True), now=NOW, announce=False)
    page = render_agenda(result.report, made.config).html
    width = measure(page, 375, "return document.documentElement.scrollWidth;", tmp_path)
    assert width == 375


# 985: a 1,000 px window whose scroll bar takes 15 px (Windows, or Linux with classic bars).
@pytest.mark.parametrize("width", [1000, 985])
def test_portfolio_names_never_break_inside_a_word_at_1000_px(tmp_path: Path, width: int) -> None:
    """At 1,000 px, with a long reason squeezing the table (a missing workbook's path), each
    word of each shop's name stays on one line (「こもれび書店 駅前店」 may break only at its
    space), and the page does not scroll sideways, not even beside a scroll bar."""
    xlsx_client(tmp_path, "hanaya", with_errors(), client="花屋みどり")
    xlsx_client(tmp_path, "komorebi", client="こもれび書店")
    xlsx_client(tmp_path, "blue", client="Blue Cafe Shimokitazawa")
    missing = xlsx_client(tmp_path, "zz-ekimae", client="こもれび書店 駅前店")
    config = missing.read_text(encoding="utf-8")
    missing.write_text(config.replace("zz-ekimae.xlsx", "nowhere/komorebi-ekimae.xlsx"), "utf-8")
    api.sync_all(tmp_path, jobs=1, as_of=BASELINE_TODAY)
    page = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    folder = tmp_path / "measured"
    folder.mkdir()
    answer = measure(page, width, _WORD_LINES, folder)
    assert answer["width"] == width
    words = dict(answer["names"])
    assert {"こもれび書店", "駅前店", "花屋みどり", "Shimokitazawa"} <= set(words)
    assert all(lines == 1 for lines in words.values()), answer["names"]


_PAGE = """return {width: document.documentElement.scrollWidth,
  bottom: Math.ceil(document.querySelector('.page').getBoundingClientRect().bottom)};"""


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("recorded", [True, False], ids=["決まったこと", "記入のお願い"])
def test_the_follow_up_fits_one_phone_screen(tmp_path: Path, lang: Lang, recorded: bool) -> None:
    """The follow-up's HTML part (CSS inlined), with the meeting's time and place and the
    next cycle's row, is no wider than a 375 px phone and no taller than its screen (667 px):
    nothing to scroll to."""
    tabs = baseline()
    if recorded:
        tabs["サイクル"][2][5:9] = ["味から話すと試飲が増えた", "試飲を増やす", "", "佐藤"]
    write_xlsx(tmp_path / "book.xlsx", tabs)
    meeting = '[meeting]\ntime = "18:30"\nplace = "本店2階"\n'
    config = load_config(config_file(tmp_path, extra=meeting, language=lang))
    day = date(2026, 11, 23)
    report, _ = render_only(config, RunOptions(as_of=day))
    cycle = follow_up_cycle(report, day)
    assert cycle is not None
    page = render_follow_up(build_follow_up(report, config, cycle), config).html
    answer = measure(page, 375, _PAGE, tmp_path)
    assert answer["width"] == 375 and answer["bottom"] <= 667, answer
