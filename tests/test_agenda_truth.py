"""What reaches the meeting is true: the agenda built from the demo workbook asks staff to type
only typed KPIs, and its chain note claims only what the layer states support."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.errors import EXIT_OK


def _demo(folder: Path, lang: str) -> tuple[Path, Path]:
    result = CliRunner().invoke(main, ["demo", "--dir", str(folder), "--lang", lang])
    assert result.exit_code == EXIT_OK, result.output
    return next(folder.glob("*.toml")), next(folder.glob("*.xlsx"))


def _agenda(config: Path, as_of: str, out: Path) -> str:
    args = ["agenda", "--config", str(config), "--as-of", as_of, "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (EXIT_OK, 1), result.output
    return out.read_text(encoding="utf-8")


def _cycle_4_end(workbook: Path, tab: str) -> date:
    """The demo's dates follow today: cycle 4's end as the workbook has it."""
    sheet = load_workbook(workbook)[tab]
    end = next(row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == 4)
    assert isinstance(end, datetime)
    return end.date()


def _add_cycle_5(workbook: Path) -> date:
    """A fifth cycle right after the fourth, with its change written, no KPI values and no
    evidence yet; returns the day before its end (the day the agenda is made)."""
    start = _cycle_4_end(workbook, "サイクル") + timedelta(days=1)
    end = start + timedelta(days=13)
    book = load_workbook(workbook)
    book["サイクル"].append(
        [5, datetime.combine(start, datetime.min.time()),
         datetime.combine(end, datetime.min.time()), "仮説", "店頭に選び方の紙を置く",
         None, None, "実行中", "佐藤", None]
    )  # fmt: skip
    book.save(workbook)
    return end - timedelta(days=1)


def test_agenda_asks_to_type_only_typed_kpis_and_says_why_an_auto_kpi_is_uncounted(
    tmp_path: Path,
) -> None:
    """A cycle with no values and no evidence: the agenda asks for K3 and K4 (typed) in the
    values tab, never for K2 (counted from the evidence, typing it would be an error), and
    says instead that K2 cannot be counted because there is no evidence yet."""
    config, workbook = _demo(tmp_path / "d", "ja")
    as_of = _add_cycle_5(workbook)
    text = _agenda(config, as_of.isoformat(), tmp_path / "a.txt")
    asks = [line for line in text.splitlines() if "がまだ入力されていません" in line]
    assert len(asks) == 1, text
    assert "K3" in asks[0] and "K4" in asks[0] and "K2" not in asks[0]
    assert "K1" not in asks[0]  # cycles_done is counted too
    assert "サイクル5の「説明にかかった時間(平均)」(K3)、「購入率」(K4)がまだ" in asks[0]
    assert "証拠が0件のため、「迷いのサイン(「結局どれがいい?」)」(K2)は数えられません" in text


def test_chain_note_does_not_say_hesitation_fell_when_only_another_kpi_moved(
    tmp_path: Path,
) -> None:
    """Demo (en) with cycle 4's purchase rate typed as 0.29: hesitation stays at 1 remark but
    its share of the evidence rises (1 of 6 → 1 of 4) while the explaining time improves, so the
    note says the intermediate KPIs went both ways and never says customers hesitate less."""
    config, workbook = _demo(tmp_path / "d", "en")
    as_of = _cycle_4_end(workbook, "Cycles") - timedelta(days=1)
    book = load_workbook(workbook)
    values = book["KPI values"]
    values.append([4, "K4", 0.29, None])
    book.save(workbook)
    text = _agenda(config, as_of.isoformat(), tmp_path / "a.txt")
    assert "hesitate less" not in text, text
    assert "the intermediate KPIs went both ways" in text, text
    assert "before 1 remark of 6 -> now 1 remark of 4  ↑ the other way" in text, text
