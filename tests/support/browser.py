"""A real browser for the tests that measure a page: headless Chromium, at a true viewport width.

Headless Chromium's window has a minimum width (about 500 px), so the page is loaded in an
iframe of the width asked for; a probe inside it answers by postMessage, and the outer page
keeps the answer where `--dump-dom` prints it. Scrollbars are hidden, as on a phone.
"""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)

_PROBE = """<script>window.addEventListener('load', () => {{
  const answer = (function () {{ {body} }})();
  parent.postMessage(JSON.stringify(answer), '*');
}});</script>"""

_OUTER = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{inner}" style="width:{width}px;height:2000px;border:0;display:block"></iframe>
<pre id="answer"></pre>
<script>addEventListener('message', e => {{
  document.getElementById('answer').textContent = e.data;
}});</script></body></html>"""


def measure(page: str, width: int, probe: str, folder: Path) -> Any:
    """Load the HTML `page` in a `width`-px viewport and return what the JavaScript function
    body `probe` returns (JSON-decoded), once the page has loaded."""
    assert CHROMIUM is not None
    inner = folder / "page.html"
    inner.write_text(page.replace("</body>", _PROBE.format(body=probe) + "</body>"), "utf-8")
    outer = folder / "viewport.html"
    outer.write_text(_OUTER.format(inner=inner.name, width=width), encoding="utf-8")
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--allow-file-access-from-files",
        "--virtual-time-budget=5000",
        f"--window-size={max(width, 500)},2100",
        "--dump-dom",
        outer.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="answer">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1), f"no answer from the page: {done.stderr[-2000:]}"
    return json.loads(html_module.unescape(found.group(1)))
