"""`sync-all --shard K/N`: a stable part of the configs by a hash of the file name, so N
independent jobs cover every client exactly once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cli import main
from sheets_sync.consultant.batch import Shard, client_configs, parse_shard, shard_of
from sheets_sync.errors import UsageError
from tests.support.clients import xlsx_client
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY

NAMES = [f"client-{n:03}.toml" for n in range(60)] + ["さくら珈琲.toml", "梅の湯.toml"]


@pytest.mark.parametrize("count", range(1, 17))
def test_every_client_lands_in_exactly_one_shard(count: int) -> None:
    """For N = 1…16, each name is taken by exactly one of the N shards."""
    for name in NAMES:
        takers = [k for k in range(1, count + 1) if Shard(k, count).takes(Path(name))]
        assert takers == [shard_of(name, count)]


def test_adding_a_client_moves_no_other() -> None:
    """A client's shard depends only on its own file name: adding one changes nobody else's."""
    before = {name: shard_of(name, 5) for name in NAMES}
    after = {name: shard_of(name, 5) for name in [*NAMES, "new-client.toml"]}
    assert all(after[name] == part for name, part in before.items())


def test_the_shard_does_not_depend_on_pythons_hash_seed() -> None:
    """Two interpreters with different PYTHONHASHSEED agree (not Python's salted hash)."""
    code = (
        "from sheets_sync.consultant.batch import shard_of; print(shard_of('さくら珈琲.toml', 7))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {str(shard_of("さくら珈琲.toml", 7))}


def test_shards_split_a_folder_and_the_runs_cover_each_client_once(tmp_path: Path) -> None:
    """Three `sync-all --shard K/3` runs sync every client of the folder exactly once."""
    for slug in ("a", "b", "c", "d", "e", "f"):
        xlsx_client(tmp_path, slug, client=f"店{slug}")
    synced: list[str] = []
    runner = CliRunner()
    for part in ("1/3", "2/3", "3/3"):
        result = runner.invoke(
            main, ["sync-all", str(tmp_path), "--shard", part, "--as-of", str(BASELINE_TODAY)]
        )
        assert result.exit_code == 0, result.output
        assert f"(shard {part} of 6 configs)" in result.stdout
        synced += [line.split()[0] for line in result.stdout.splitlines() if line.startswith("店")]
        index, _, count = part.partition("/")
        assert (tmp_path / f"portfolio.{index}-of-{count}.html").is_file()
    assert sorted(synced) == sorted(f"店{slug}" for slug in "abcdef")
    assert len(client_configs(tmp_path)) == 6


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("0/3", "error.shard_index"),
        ("4/3", "error.shard_index"),
        ("3", "error.shard_format"),
        ("a/b", "error.shard_format"),
        ("1/0", "error.shard_count"),
        ("-1/3", "error.shard_format"),
        ("1/3/5", "error.shard_format"),
        ("", "error.shard_format"),
    ],
)
def test_a_bad_shard_is_a_usage_error_with_exit_2(tmp_path: Path, value: str, key: str) -> None:
    """A malformed or out-of-range --shard exits 2 with a message saying K/N (English: no
    client's language is known yet)."""
    result = CliRunner().invoke(main, ["sync-all", str(tmp_path), "--shard", value])
    assert result.exit_code == 2
    assert "--shard" in result.output and shows(result.output, key, "en")
    with pytest.raises(UsageError) as raised:
        parse_shard(value)
    assert f"error.{raised.value.key}" == key


def test_k8s_index_plus_one_is_accepted() -> None:
    """The last of 16 shards is 16/16 (JOB_COMPLETION_INDEX 15, plus 1)."""
    assert parse_shard(" 16 / 16 ") == Shard(16, 16)


# -- --shard -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1/99999999999999999999", "1/1001", "1/" + "9" * 5000])
def test_a_shard_count_too_large_says_so(value: str) -> None:
    """N beyond the most jobs allowed is "too large", not "write it as K/N" (even with more
    digits than Python turns into an int)."""
    with pytest.raises(UsageError) as raised:
        parse_shard(value)
    assert raised.value.key == "shard_too_large"
    result = CliRunner().invoke(main, ["sync-all", ".", "--shard", value[:40]])
    assert result.exit_code == 2 and shows(result.output, "error.shard_too_large", "en")


@given(st.from_regex(r"[0-9]{1,30}/[0-9]{1,30}", fullmatch=True))
def test_any_k_of_n_is_a_shard_or_says_which_number_is_wrong(value: str) -> None:
    """Digits/digits is never "write it as K/N": either a shard, or which number is off."""
    try:
        shard = parse_shard(value)
    except UsageError as error:
        assert error.key in ("shard_too_large", "shard_count", "shard_index")
    else:
        assert 1 <= shard.index <= shard.count <= 1000
