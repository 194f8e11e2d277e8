"""A config's mistakes and the commands' answers read in the client's language: the config's
own `language` (ja when the key is absent), English when the file cannot tell (it does not
parse, or its `language` is not a valid one) and outside any client."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sheets_sync import api, config
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_CONFIG, ConfigError, UsageError
from sheets_sync.words.catalog import WORDS
from sheets_sync.words.lang import Lang
from tests.support.words import shows
from tests.support.workbooks import baseline, config_file, write_xlsx


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _client(folder: Path, language: str | None, extra: str = "") -> Path:
    write_xlsx(folder / "book.xlsx", baseline())
    path = config_file(folder, extra=extra)
    if language is None:  # the key left out: the config's default, ja
        text = path.read_text(encoding="utf-8").replace('language = "ja"\n', "")
        path.write_text(text, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('language = "ja"', f'language = "{language}"'), "utf-8")
    return path


@pytest.mark.parametrize(("language", "lang"), [("ja", "ja"), ("en", "en"), (None, "ja")])
def test_a_config_mistake_reads_in_the_configs_language(
    tmp_path: Path, language: str | None, lang: Lang
) -> None:
    """meeting.time = "25:00": a Japanese client (or one that leaves `language` out) reads the
    problem in Japanese, an English client in English — one line, naming the file and key."""
    path = _client(tmp_path, language, extra='[meeting]\ntime = "25:00"')
    result = invoke("check", "--config", str(path))
    assert result.exit_code == EXIT_CONFIG, result.output
    assert shows(result.stderr, "config.not_a_time", lang), result.stderr
    other: Lang = "en" if lang == "ja" else "ja"
    assert not shows(result.stderr, "config.not_a_time", other)
    assert "client.toml" in result.stderr and "meeting.time" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_config_that_cannot_tell_its_language_is_english(tmp_path: Path) -> None:
    """A file that is not TOML, or whose `language` is not ja/en, has no language to speak:
    its errors are English (pydantic's own words framed by ours)."""
    broken = tmp_path / "broken.toml"
    broken.write_text('client = "店"\n[sheet\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(broken)
    assert raised.value.key == "config_not_toml" and raised.value.language is None
    assert str(raised.value) == raised.value.render("en")

    odd = _client(tmp_path, "fr", extra='[meeting]\ntime = "25:00"')
    with pytest.raises(ConfigError) as raised:
        load_config(odd)
    text = str(raised.value)
    assert "language" in text and shows(text, "config.not_a_time", "en"), text


def test_a_config_error_can_still_be_read_in_the_other_language(tmp_path: Path) -> None:
    """The problems keep their words, not their text: `render` gives either language."""
    path = _client(tmp_path, "ja", extra='[meeting]\ntime = "25:00"\nbogus = 1')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    english = raised.value.render("en")
    assert shows(english, "config.not_a_time", "en") and shows(english, "config.unknown_key", "en")
    assert "; " in english and "。" not in english and "「" not in english
    assert shows(str(raised.value), "config.unknown_key", "ja")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_commands_usage_error_and_answer_are_in_the_clients_language(
    tmp_path: Path, lang: Lang
) -> None:
    """Through the library: `agenda --out x.pdf` is refused in the client's language, and
    `upgrade` answers in it (an English client's workbook is already up to date)."""
    path = _client(tmp_path, lang)
    with pytest.raises(UsageError) as raised:
        api.agenda(path, out=tmp_path / "agenda.pdf")
    assert shows(str(raised.value), "error.agenda_out_suffix", lang)
    api.upgrade(path)
    result = invoke("upgrade", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert shows(result.stdout, "run.upgrade_none", lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_new_client_speaks_the_chosen_language(tmp_path: Path, lang: Lang) -> None:
    """`new-client "" --lang en` says what to type in English; without --lang, in Japanese."""
    result = invoke("new-client", "  ", "--lang", lang, "--config-dir", str(tmp_path / "c"))
    assert result.exit_code == EXIT_CONFIG, result.output
    assert shows(result.stderr, "error.client_name_empty", lang)


def test_an_interruption_is_said_in_english_outside_any_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C before a client is known: one English line from the table, exit 130."""

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "check", interrupted)
    result = invoke("check", "--config", str(tmp_path / "x.toml"))
    assert result.exit_code == 130 and shows(result.stderr, "cli.interrupted", "en")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


PROBLEMS = [
    node
    for path in sorted(Path(config.__file__).parent.glob("*.py"))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    if isinstance(node, ast.Call)
    and isinstance(node.func, ast.Name)
    and node.func.id == "ConfigProblem"
]


@pytest.mark.parametrize("call", PROBLEMS, ids=[ast.unparse(c.args[0]) for c in PROBLEMS])
def test_every_config_problem_names_its_words_with_exactly_their_fields(call: ast.Call) -> None:
    """A validator's `ConfigProblem("key", field=…)` names WORDS["config.<key>"] and gives
    exactly the fields both languages show (as the errors' own gate does for `error.*`)."""
    key = call.args[0]
    assert isinstance(key, ast.Constant) and isinstance(key.value, str)
    entry = WORDS[f"config.{key.value}"]
    given = {keyword.arg for keyword in call.keywords}
    assert all(_placeholders(template) == given for template in entry.values())
