"""The README and the docs keep their promises: a README a newcomer reads in five minutes, in the
order a newcomer needs it; every link resolves and every page is in the site's navigation; the
workbook and checks references are the schema's and the words' own; the onboarding page says the
same commands in both languages, and every command the pages show is one the tool has.

Regenerate the references with `python -m sheets_sync.docs` (from the repository's folder).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from sheets_sync import cli
from sheets_sync.docs import COMMAND, checks_reference, pages, reference, updated
from sheets_sync.words.catalog import SEVERITY

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = REPO / "docs"
MKDOCS = REPO / "mkdocs.yml"
PAGES = sorted(DOCS.rglob("*.md"))
WRITTEN = [README, *PAGES]

FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"""(?:src|href)=["']([^"']+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(markdown: str) -> str:
    """The text outside code: a link written inside code is an example, not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", markdown))


def _code(markdown: str) -> list[str]:
    """The text inside fenced code blocks and inline code."""
    return [m.group(0) for m in FENCE.finditer(markdown)] + INLINE_CODE.findall(
        FENCE.sub("", markdown)
    )


def _slug(heading: str) -> str:
    """A heading's anchor as MkDocs' table of contents makes it (Python-Markdown's slugify)."""
    text = re.sub(r"<[^>]+>|`", "", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(path: Path) -> set[str]:
    return {_slug(title) for title in HEADING.findall(FENCE.sub("", _text(path)))}


def _links(path: Path) -> list[str]:
    prose = _prose(_text(path))
    return LINK.findall(prose) + HTML_LINK.findall(prose)


# -- the generated references -----------------------------------------------------------------


def test_the_workbook_reference_is_generated_from_the_schema() -> None:
    """Headers and choices are written once (in schema.py); the docs hold the generated copy."""
    page = _text(REPO / "docs/reference/workbook.md")
    assert reference() in page, f"docs/reference/workbook.md is out of date: run {COMMAND}"


def test_what_each_check_says_is_generated_from_the_words() -> None:
    """Every check's words, in both languages, are the checks catalog's, in its order."""
    page = _text(REPO / "docs/reference/checks.md")
    assert checks_reference() in page, f"docs/reference/checks.md is out of date: run {COMMAND}"
    for code, severity in SEVERITY.items():
        assert f"| `{code}` | {severity} |" in checks_reference()


def test_the_generator_rewrites_only_what_is_between_its_markers(tmp_path: Path) -> None:
    """`python -m sheets_sync.docs` replaces the generated section and keeps the prose around
    it, so a page can be written by hand around its reference."""
    for page, (begin, end, generated) in pages().items():
        stale = f"# Title\n\nwritten by hand\n\n{begin}\nold\n{end}\n\nmore prose\n"
        fresh = updated(stale, begin, end, generated)
        assert fresh == f"# Title\n\nwritten by hand\n\n{generated}\n\nmore prose\n", page


def test_every_check_code_is_explained_with_its_severity() -> None:
    """The checks page's table explains every code the words know, with the same severity."""
    page = _text(REPO / "docs/reference/checks.md")
    explained = page[: page.index("## What each check says")]
    rows = re.findall(r"^\| (`[^|]+`) \| (error|warning) \|", explained, re.M)
    documented = {
        code: severity for codes, severity in rows for code in re.findall(r"`(\w+)`", codes)
    }
    missing = {code: level for code, level in SEVERITY.items() if documented.get(code) != level}
    assert not missing, f"explain these codes in docs/reference/checks.md: {missing}"


# -- the README ---------------------------------------------------------------------------------


def test_the_readme_is_short_and_in_the_order_a_newcomer_needs() -> None:
    """At most 200 lines: what it is with its two pictures, Try it, onboarding, the cron line,
    where to read more — in that order."""
    text = _text(README)
    assert len(text.splitlines()) <= 200
    order = [
        "docs/images/agenda-phone.png",
        "docs/images/summary.png",
        "## Try it",
        "## Onboarding a client",
        "## Every morning: the cron line",
        "## Where to read more",
    ]
    places = [text.index(marker) for marker in order]
    assert places == sorted(places), order
    assert re.search(r"^0 7 \* \* \* .*sheets-sync .*sync-all ", text, re.M)


def test_try_it_is_two_commands_and_the_second_activates_the_venv() -> None:
    """The first block under "Try it" is two lines: install into a venv, then activate it and
    run the demo — so each `sheets-sync …` the tool prints next runs as printed."""
    text = _text(README)
    block = FENCE.search(text, text.index("## Try it"))
    assert block is not None
    lines = block.group(0).splitlines()[1:-1]
    assert len(lines) == 2, lines
    assert lines[0].startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert lines[1] == "source .venv/bin/activate && sheets-sync demo"


def test_the_readme_shows_the_demo_before_the_test_command() -> None:
    """The demo comes first; the tests' command is still there, for contributors."""
    text = _text(README)
    assert text.index("sheets-sync demo") < text.index("python -m pytest")


# -- links and pages --------------------------------------------------------------------------


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_resolves(path: Path) -> None:
    """Every relative link and picture in the README and the docs names a file that is there,
    and a #heading that page has (web addresses are not fetched: no network here)."""
    broken = []
    for link in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.is_file() or (file.suffix == ".md" and anchor not in {"", *_anchors(file)}):
            broken.append(link)
    assert not broken, f"{path.relative_to(REPO)}: {broken}"


def test_every_page_is_in_the_navigation_and_every_entry_is_a_page() -> None:
    """mkdocs.yml lists each page of docs/ once, and nothing that is not there: a page left out
    would be unreachable, an entry without a page a broken menu."""
    listed = re.findall(r"^\s*-\s+(?:[^:\n]+:\s+)?(\S+\.md)\s*$", _text(MKDOCS), re.M)
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(str(p.relative_to(DOCS)) for p in PAGES)


def test_the_links_test_would_see_a_broken_link(tmp_path: Path) -> None:
    """The check above is not blind: a missing file and a missing heading are both found."""
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n\n[ok](#top) [gone](nowhere.md) [no heading](page.md#elsewhere)\n"
        "`[in code](nowhere.md)`\n",
        encoding="utf-8",
    )
    links = _links(page)
    assert links == ["#top", "nowhere.md", "page.md#elsewhere"]
    assert _anchors(page) == {"top"}


def test_headings_become_the_anchors_mkdocs_makes() -> None:
    """The anchors the links test expects are MkDocs' own (ASCII, lower case, dashes)."""
    assert _slug("Past one machine: `sync-all --shard K/N`") == "past-one-machine-sync-all-shard-kn"
    assert _slug("The consultant's portfolio") == "the-consultants-portfolio"
    assert _slug("Add a Chatwork room in three steps") == "add-a-chatwork-room-in-three-steps"


# -- commands -----------------------------------------------------------------------------------


# `sheets-sync [--option [value]]… COMMAND`, not `/srv/sheets-sync/…` nor `sheets-sync-watch`.
COMMAND_WORD = re.compile(
    r"(?<![\w-])sheets-sync(?:[ \t]+--?\S+(?:[ \t]+[^-\s]\S*)?)*[ \t]+([a-z][\w-]*)"
)


def _shell_lines(path: Path) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", _text(path), re.M | re.S)
    return [line for block in blocks for line in block.splitlines()]


def test_the_onboarding_page_gives_the_same_commands_in_both_languages() -> None:
    """docs/ja/onboarding.md is the English page in Japanese: the same commands, in order."""
    english = _shell_lines(DOCS / "onboarding.md")
    assert english and _shell_lines(DOCS / "ja" / "onboarding.md") == english


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: str(p.relative_to(REPO)))
def test_every_command_shown_is_one_the_tool_has(path: Path) -> None:
    """`sheets-sync X` written in code anywhere in the README or the docs names a real command."""
    shown = {word for code in _code(_text(path)) for word in COMMAND_WORD.findall(code)}
    unknown = shown - set(cli.main.commands)
    assert not unknown, f"{path.relative_to(REPO)}: {sorted(unknown)}"
