"""Rendering the agenda: built-in and client templates, escaping, inlined CSS and pictures."""

from __future__ import annotations

import importlib.resources
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from sheets_sync.config import Config
from sheets_sync.core.report import EvidenceItem
from sheets_sync.errors import ConfigError, UsageError
from sheets_sync.meeting import build_message, builtin_templates_dir, render_agenda, render_to_file
from sheets_sync.meeting import render as render_module
from tests.support.agenda_fixtures import NOW, make_report, with_items, write_config

HOSTILE = "<script>alert(1)</script>"
INJECTION = "\r\nBcc: x@y"
BUILTIN = (
    "agenda.ja.html.j2",
    "agenda.en.html.j2",
    "agenda.ja.txt.j2",
    "agenda.en.txt.j2",
    "subject.ja.txt.j2",
    "subject.en.txt.j2",
    "agenda.css",
)


def _hostile_item(text: str) -> EvidenceItem:
    return EvidenceItem(
        90, date(2026, 11, 10), 3, "conversation", "anxiety", text, text, text, text
    )


def test_builtin_template_locator_finds_the_templates() -> None:
    """The locator finds agenda.ja.html.j2 and every other built-in template."""
    folder = builtin_templates_dir()
    for name in BUILTIN:
        assert (folder / name).is_file(), name


def test_installed_package_templates_are_preferred(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed as a wheel, the templates come from the package's sheets_sync._templates."""
    shipped = tmp_path / "site-packages" / "sheets_sync" / "_templates"
    shipped.mkdir(parents=True)
    (shipped / "agenda.ja.html.j2").write_text("installed", encoding="utf-8")

    def files(package: str) -> Path:
        assert package == "sheets_sync._templates"
        return shipped

    monkeypatch.setattr(importlib.resources, "files", files)
    assert render_module.builtin_templates_dir() == shipped


def test_templates_reach_an_installed_package(tmp_path: Path) -> None:
    """Laid out as the wheel installs it (templates/ → sheets_sync/_templates), it finds them."""
    source = Path(__file__).resolve().parents[1]
    site = tmp_path / "site"
    shutil.copytree(source / "sheets_sync", site / "sheets_sync", ignore=_no_caches)
    shutil.rmtree(site / "sheets_sync" / "_templates", ignore_errors=True)
    shutil.copytree(source / "templates", site / "sheets_sync" / "_templates")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from sheets_sync.meeting.render import builtin_templates_dir as f; print(f())"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(found) == site / "sheets_sync" / "_templates"
    assert (Path(found) / "agenda.ja.html.j2").is_file()


def _no_caches(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def test_pyproject_ships_templates_inside_the_package() -> None:
    """The wheel maps the top-level templates/ folder to sheets_sync._templates, with data."""
    pyproject = tomllib.loads(
        (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )
    setuptools = pyproject["tool"]["setuptools"]
    assert setuptools["package-dir"]["sheets_sync._templates"] == "templates"
    assert "sheets_sync._templates" in setuptools["packages"]
    assert "*" in setuptools["package-data"]["sheets_sync._templates"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_rendered_agenda_has_every_part(tmp_path: Path, lang: str) -> None:
    """Subject, a text body that reads on its own, inlined-CSS HTML and one picture per KPI."""
    config = write_config(tmp_path, language=lang)  # type: ignore[arg-type]
    rendered = render_agenda(make_report(lang), config)  # type: ignore[arg-type]
    assert rendered.cycle == 3
    assert "\n" not in rendered.subject
    for part in ("それなら安心です", "はじめての方向けに3種の飲み比べを出す", "約束"):
        if lang == "ja":
            assert part in rendered.text and part in rendered.html
    assert "<style" not in rendered.html  # no class rules left for a mail client to drop …
    assert 'style="' in rendered.html  # CSS moved onto the elements for Gmail and Outlook
    assert "{{" not in rendered.text and "{%" not in rendered.html
    assert len(rendered.images) == 4
    for cid, png in rendered.images.items():
        assert f'src="cid:{cid}"' in rendered.html
        assert png.startswith(b"\x89PNG")


def test_minutes_shown_sum_to_the_meeting(tmp_path: Path) -> None:
    """The four timeboxes printed in the agenda add up to meeting.minutes (15, or 20 when set)."""
    for minutes, folder in ((None, tmp_path / "a"), (20, tmp_path / "b")):
        folder.mkdir()
        config = write_config(folder, minutes=minutes)
        rendered = render_agenda(make_report("ja"), config)
        shown = [int(m) for m in re.findall(r"■ [①-④] .+\((\d+)分\)", rendered.text)]
        assert len(shown) == 4
        assert sum(shown) == config.meeting.minutes == (minutes or 15)
        if minutes is None:
            assert "■ ① 前回決めた一歩(2分)" in rendered.text


def test_images_are_left_out_when_the_client_says_no(tmp_path: Path) -> None:
    """mail.images = false → no pictures and no cid: references."""
    rendered = render_agenda(make_report("ja"), write_config(tmp_path, images=False))
    assert rendered.images == {}
    assert "cid:" not in rendered.html


def test_staff_text_is_escaped_in_html(tmp_path: Path) -> None:
    """A quote "<script>alert(1)</script>" shows as text in the HTML, never as a tag."""
    report = with_items(make_report("ja"), _hostile_item(HOSTILE))
    rendered = render_agenda(report, write_config(tmp_path))
    assert HOSTILE not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert HOSTILE in rendered.text  # plain text shows it as typed


def test_nothing_from_a_cell_or_the_client_name_can_add_a_header(tmp_path: Path) -> None:
    """CR/LF + "Bcc:" in the client name or a quote stays inside the subject/body."""
    config = write_config(tmp_path)
    hostile = replace(
        config, model=config.model.model_copy(update={"client": "さくら" + INJECTION})
    )
    report = with_items(make_report("ja"), _hostile_item("それなら" + INJECTION))
    rendered = render_agenda(report, hostile)
    assert "\r" not in rendered.subject and "\n" not in rendered.subject
    assert rendered.subject.startswith("[さくら Bcc: x@y] 15分ミーティング")
    raw = build_message(rendered, hostile, now=NOW).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert sorted(parsed.keys()) == sorted(
        ["Subject", "From", "To", "Date", "Message-ID", "X-Sheets-Sync-Cycle", "MIME-Version",
         "Content-Type"]
    )  # fmt: skip
    assert parsed["Subject"] == rendered.subject


def _client_templates(tmp_path: Path, files: dict[str, str]) -> Config:
    folder = tmp_path / "templates" / "sakura"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return write_config(tmp_path, templates_dir="templates/sakura")


def test_a_client_template_overrides_one_and_the_rest_fall_back(tmp_path: Path) -> None:
    """templates_dir holding only the text template: it is used; HTML and subject are built-in."""
    config = _client_templates(
        tmp_path, {"agenda.ja.txt.j2": "さくら用 {{ view.subject }} / {{ view.chain_note }}\n"}
    )
    rendered = render_agenda(make_report("ja"), config)
    assert rendered.text.startswith("さくら用 [さくら珈琲] 15分ミーティング 11月15日(日)")
    assert "約束" in rendered.html  # the built-in HTML
    assert rendered.subject == "[さくら珈琲] 15分ミーティング 11月15日(日) — サイクル3"


def test_a_client_css_overrides_the_builtin_styles(tmp_path: Path) -> None:
    """The shared CSS is a template too: a client copy changes the inlined styles."""
    config = _client_templates(tmp_path, {"agenda.css": "h1 { color: #123456; }\n"})
    rendered = render_agenda(make_report("ja"), config)
    assert "#123456" in rendered.html


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("agenda.ja.html.j2", "<p>{{ view.no_such_field }}</p>"),
        ("agenda.ja.txt.j2", "{{ unknown_variable }}"),
        ("subject.ja.txt.j2", "{{ view.subject"),  # a syntax error
    ],
)
def test_a_broken_client_template_is_a_config_error_naming_the_file(
    tmp_path: Path, template: str, text: str
) -> None:
    """StrictUndefined: an unknown variable (or a syntax error) names the template file."""
    config = _client_templates(tmp_path, {template: text})
    with pytest.raises(ConfigError) as caught:
        render_agenda(make_report("ja"), config)
    message = str(caught.value)
    assert str(tmp_path / "templates" / "sakura" / template) in message
    assert str(config.path) in message


def test_render_to_file_writes_html_text_or_eml(tmp_path: Path) -> None:
    """--out FILE.html opens in a browser (pictures as data: URIs); .txt and .eml work too."""
    config = write_config(tmp_path)
    rendered = render_agenda(make_report("ja"), config)
    message = build_message(rendered, config, now=NOW)
    html = render_to_file(rendered, message, tmp_path / "agenda.html").read_text(encoding="utf-8")
    assert "cid:" not in html
    assert html.count("data:image/png;base64,") == rendered.html.count("cid:") >= 4
    text = render_to_file(rendered, message, tmp_path / "agenda.txt").read_text(encoding="utf-8")
    assert text.startswith(rendered.subject + "\n\n")
    eml = render_to_file(rendered, message, tmp_path / "agenda.eml").read_bytes()
    assert message_from_bytes(eml, policy=policy.default)["X-Sheets-Sync-Cycle"] == "3"
    with pytest.raises(UsageError, match=r"\.eml, \.html or \.txt"):
        render_to_file(rendered, message, tmp_path / "agenda.pdf")
