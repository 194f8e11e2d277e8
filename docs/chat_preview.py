"""Render the demo's agenda as a Chatwork room shows it on a phone, into docs/images/.

The message is the real one (`chat.formats.chatwork` of the demo's agenda, with a meeting time,
a place and a `sheet.url`); only the phone app around it is a mock (an HTML page photographed
by headless Chromium at 375 px, a phone's width). Run from the repository's folder:

    .venv/bin/python docs/chat_preview.py
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sheets_sync.config import load_config
from sheets_sync.meeting import render_agenda
from sheets_sync.meeting.chat import formats
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.sample import SAMPLE_CLIENT

OUT = Path(__file__).parent / "images" / "chat-preview.png"
TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=9)))
SETTINGS = 'time = "18:30"\nplace = "店舗2階"\n'
LINK = "https://contoso.sharepoint.com/sites/sakura/KPI.xlsx"
INFO = re.compile(r"\[info\]\[title\](.*?)\[/title\](.*)\[/info\]", re.DOTALL)

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<style>
body {{ margin: 0; width: 375px; background: #f2f4f5; font: 14px/1.55 "Noto Sans CJK JP",
  sans-serif; color: #222; }}
.bar {{ background: #e3572b; color: #fff; padding: 12px 14px; font-weight: bold; }}
.bar small {{ display: block; font-weight: normal; opacity: .85; }}
.msg {{ display: flex; gap: 8px; padding: 12px 10px 18px; }}
.icon {{ width: 36px; height: 36px; border-radius: 50%; background: #6b8e23; color: #fff;
  text-align: center; line-height: 36px; font-size: 13px; flex: none; }}
.who {{ font-size: 12px; color: #666; margin-bottom: 3px; }}
.bubble {{ background: #fff; border-radius: 10px; padding: 10px; box-shadow: 0 1px 1px #0002; }}
.info {{ border: 1px solid #c5d6e6; border-radius: 4px; }}
.info .title {{ background: #e8f0f8; padding: 6px 8px; font-weight: bold; }}
.info .body {{ padding: 6px 8px; white-space: pre-wrap; word-break: break-all; }}
a {{ color: #1a6fc2; }}
</style></head><body>
<div class="bar">{room}<small>メンバー 6人</small></div>
<div class="msg"><div class="icon">KPI</div><div><div class="who">KPIボット 8:00</div>
<div class="bubble"><div class="info"><div class="title">{title}</div>
<div class="body">{body}</div></div></div></div></div>
</body></html>"""


def chatwork_body() -> str:
    """The demo's agenda as the body Chatwork receives."""
    with tempfile.TemporaryDirectory() as folder:
        made = new_client(
            NewClientOrder(
                SAMPLE_CLIENT["ja"], "ja", config_dir=Path(folder), sample=True, today=TODAY
            )
        )
        text = made.config.path.read_text(encoding="utf-8")
        text = text.replace("[meeting]\n", f"[meeting]\n{SETTINGS}")
        text = text.replace("[sheet]\n", f'[sheet]\nurl = "{LINK}"\n')
        made.config.path.write_text(text, encoding="utf-8")
        config = load_config(made.config.path)
        result = run(config, RunOptions(as_of=TODAY, dry_run=True), now=NOW, announce=False)
        view = render_agenda(result.report, config).chat
        assert view is not None
        return formats.chatwork(view)


def page(body: str) -> str:
    """Chatwork's [info][title] block drawn the way its app draws one; the address a link."""
    match = INFO.fullmatch(body)
    assert match is not None, body
    title, rest = (html.escape(part) for part in match.groups())
    rest = rest.replace(html.escape(LINK), f'<a href="{LINK}">{html.escape(LINK)}</a>')
    return PAGE.format(room="さくら珈琲 KPIミーティング", title=title, body=rest)


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "chat.html"
        source.write_text(page(chatwork_body()), encoding="utf-8")
        OUT.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={OUT}", "--window-size=375,560", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
