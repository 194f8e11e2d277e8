"""Every check's message in plain Japanese and English: what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

# The two languages; this module is the bottom of the package (it imports nothing of it), so the
# errors and the schema can take their words and their `Lang` from here.
Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

# Placeholders: {tab} tab title, {column} header, {row} row, {value} the cell as typed, plus
# code-specific ones documented next to each message.
MESSAGES: dict[str, dict[Lang, str]] = {
    "missing_tab": {
        "ja": "タブ「{tab}」が見つかりません。テンプレートと同じ名前のタブを作ってください"
        "(英語名「{other}」でも可)。このタブの内容は集計に入りません。",
        "en": 'The tab "{tab}" is missing. Add a tab with that name (the Japanese "{other}" '
        "also works). Nothing from it is counted until then.",
    },
    "missing_column": {
        "ja": "タブ「{tab}」の見出しの行に、必須の列「{column}」が見つかりません。見出しの行は"
        "上から5行以内に置いてください(それより下なら、上の空いた行を消して上げてください)。"
        "そのうえで見出し「{column}」の列を足してください。それまでこのタブの行は集計に入りません。",
        "en": 'The tab "{tab}" has no "{column}" column in its header row. The header row must '
        "be within the first 5 rows (if it is lower, delete the rows above it), and one of its "
        'columns must be headed "{column}". Until then the rows of this tab are left out.',
    },
    "required": {
        "ja": "「{column}」が空欄です。入力してください。この行は集計に入っていません。",
        "en": '"{column}" is empty. Fill it in; this row is left out until then.',
    },
    "not_a_number": {
        "ja": "「{column}」の「{value}」を数字として読めません。12、12%、1,200円 のように"
        "数字で入力してください。この行は集計に入っていません。",
        "en": '"{value}" in "{column}" is not a number. Type a number such as 12, 12% or '
        "1,200; this row is left out until then.",
    },
    "not_a_date": {
        "ja": "「{column}」の「{value}」を日付として読めません。2026/11/23 のように"
        "年・月・日で入力してください。この行は集計に入っていません。",
        "en": '"{value}" in "{column}" is not a date. Type it as 2026-11-23; this row is '
        "left out until then.",
    },
    "ambiguous_date": {
        "ja": "「{column}」の「{value}」には年がありません。何年のことか決められないので、"
        "2026/11/23 のように年も入れてください。",
        "en": '"{value}" in "{column}" has no year, so the date is unclear. Type the year '
        "too, e.g. 2026-11-23.",
    },
    "unknown_choice": {
        "ja": "「{column}」の「{value}」は選べる値ではありません。{allowed} のどれかを"
        "選んでください(セルのプルダウンから選べます)。",
        "en": '"{value}" is not one of the choices for "{column}". Pick one of {allowed} '
        "(the cell's drop-down lists them).",
    },
    "duplicate_id": {
        "ja": "ID「{value}」は{first}行目でも使われています。最初の行を使い、この行は"
        "集計に入れていません。別のIDにするか、この行を消してください。",
        "en": 'The id "{value}" is already used in row {first}. The first row is used and '
        "this one left out: give it another id or delete the row.",
    },
    "duplicate_cycle": {
        "ja": "サイクル{value}は{first}行目にもあります。最初の行を使い、この行は集計に"
        "入れていません。番号を直すか、この行を消してください。",
        "en": "Cycle {value} is already in row {first}. The first row is used and this one "
        "left out: fix the number or delete the row.",
    },
    "unknown_kpi": {
        "ja": "KPI「{value}」は「{kpi_tab}」タブにありません。KPIのID(例: K1)を入れるか、"
        "先に「{kpi_tab}」タブに追加してください。",
        "en": 'There is no KPI "{value}" in the "{kpi_tab}" tab. Use a KPI id (e.g. K1) or '
        "add the KPI there first.",
    },
    "unknown_cycle": {
        "ja": "サイクル{value}は「{cycle_tab}」タブにありません。番号を直すか、先に"
        "「{cycle_tab}」タブにサイクルを追加してください。",
        "en": 'Cycle {value} is not in the "{cycle_tab}" tab. Fix the number or add the '
        "cycle there first.",
    },
    "duplicate_value": {
        "ja": "サイクル{cycle}の「{kpi}」の値が{count}行あります({rows}行目)。下の行"
        "({used}行目)を使っています。不要な行を消してください。",
        "en": 'Cycle {cycle} has {count} values for "{kpi}" (rows {rows}). The lowest row '
        "({used}) is used; delete the ones you do not need.",
    },
    "end_before_start": {
        "ja": "終了日({value})が開始日({start})より前です。日付を直してください。"
        "このサイクルは集計に入っていません。",
        "en": "The end date ({value}) is before the start date ({start}). Fix the dates; this "
        "cycle is left out until then.",
    },
    "overlapping_cycles": {
        "ja": "サイクル{cycle}の期間がサイクル{other}({other_start}〜{other_end})と重なっています。"
        "開始日を直してください。このサイクルは集計に入っていません。",
        "en": "Cycle {cycle} overlaps cycle {other} ({other_start} to {other_end}). Fix its "
        "start date; this cycle is left out until then.",
    },
    "too_many_kpis": {
        "ja": "使っているKPIが{count}個あります。3〜5個に絞ると続けやすくなります"
        "(増やすと止まる)。使わないKPIは「使う」を「いいえ」に。",
        "en": "{count} KPIs are active. 3 to 5 keep a team going (more makes teams stop); set "
        '"Active" to no for the ones you can drop.',
    },
    "too_few_kpis": {
        "ja": "使っているKPIが{count}個です。行動・中間・結果から3〜5個そろえると、"
        "どこで止まっているかが見えます。最小セットなら 行動:サイクル回数(自動集計 "
        "サイクル完了数)、中間:迷いのサイン(自動集計 証拠:迷い)、結果:購入率 の3つです。",
        "en": "Only {count} KPIs are active. 3 to 5 across action, intermediate and result "
        "show where things stall. The minimum set is three: action = cycles run (auto "
        "cycles_done), intermediate = signs of hesitation (auto evidence:hesitation), "
        "result = purchase rate.",
    },
    "missing_layer": {
        "ja": "{layer}KPIがありません。行動KPI → 中間KPI → 結果KPI の順に、各層に1つは"
        "置いてください。最小セットでは 行動=サイクル回数(自動集計 サイクル完了数)、"
        "中間=迷いのサイン(自動集計 証拠:迷い)、結果=購入率 です。",
        "en": "There is no {layer} KPI. Build one per layer, in the order action → "
        "intermediate → result. The minimum set uses: action = cycles run (auto cycles_done), "
        "intermediate = signs of hesitation (auto evidence:hesitation), result = purchase rate.",
    },
    "value_for_auto_kpi": {
        "ja": "「{kpi}」は自動集計のKPIなので、入力された値({value})は使っていません。"
        "この行は消してかまいません。",
        "en": '"{kpi}" is counted automatically, so the typed value ({value}) is not used. '
        "You can delete this row.",
    },
    "missing_learning": {
        "ja": "完了したサイクル{cycle}に「学び」がありません。学びを1行で残しましょう"
        "(例: 目安を先に出すと比較の質問が減った)。",
        "en": "Cycle {cycle} is done but has no learning. Write it in one line.",
    },
    "missing_next_step": {
        "ja": "完了したサイクル{cycle}に「次の一歩」がありません。次に試すことを1つだけ"
        "決めて書きましょう。",
        "en": "Cycle {cycle} is done but has no next step. Choose one and write it down.",
    },
    "multiple_items": {
        "ja": "「{column}」に複数の項目があるようです(複数の行、箇条書き、「・」「/」、番号、"
        "「〜し、〜も」など)。1つだけに絞ると、何が効いたかがわかります。",
        "en": '"{column}" seems to hold more than one item (several lines, bullets, a slash, '
        "numbers, or two things joined in one sentence). Keep just one so you can tell what "
        "worked.",
    },
    "learning_too_long": {
        "ja": "「学び」が長すぎます(複数行か、{limit}文字を超えています)。"
        "いちばん大事な気づきを1行にまとめましょう。",
        "en": "The learning is too long (several lines, or more than about {limit} Japanese "
        "characters). Say the one thing you learned in one line.",
    },
    "cycle_length": {
        "ja": "サイクル{cycle}は{days}日間です。2週間(14日)で回すのが基本です。",
        "en": "Cycle {cycle} lasts {days} days. Cycles are meant to last 2 weeks (14 days).",
    },
    "cycle_stalled": {
        "ja": "実行中のサイクルがありません(最後のサイクル{cycle}は{end}に終わっています)。"
        "次のサイクルを「{cycle_tab}」タブに足しましょう。",
        "en": "No cycle is running (the last one, cycle {cycle}, ended on {end}). Add the next "
        'cycle in the "{cycle_tab}" tab.',
    },
    "evidence_outside_cycles": {
        "ja": "日付{value}はどのサイクルの期間にも入っていません。日付かサイクル番号を"
        "確かめてください。",
        "en": "The date {value} is outside every cycle. Check the date or type the cycle number.",
    },
    "stale_data": {
        "ja": "振り返るサイクル{value}には、KPIの値も証拠もまだありません。"
        "会議の前に入力しましょう。",
        "en": "Cycle {value}, the one under review, has no KPI values and no evidence yet. Add "
        "them before the meeting.",
    },
    "percent_as_fraction": {
        "ja": "「{kpi}」の値{value}は割合で入力されたようです。%の数字で入力してください"
        "({value} → {percent})。それまでこの値は「要確認」として、前回との比較に使いません。",
        "en": 'The value {value} for "{kpi}" looks like a fraction ({value} = {percent}%). '
        "Type the percent itself: {value} → {percent}. Until then it is marked check and not "
        "compared with other cycles.",
    },
    # -- added for issue 11 (a meeting that tells the truth) and issue 10 ---------------------
    # Variants of a code's message (key = code + suffix) say what happens to the row instead.
    "stale_data_values": {
        "ja": "振り返るサイクル{value}には、KPIの値がまだありません。会議の前に"
        "「{values_tab}」タブに入力しましょう。",
        "en": "Cycle {value}, the one under review, has no KPI values yet. Add them in the "
        '"{values_tab}" tab before the meeting.',
    },
    "stale_data_evidence": {
        "ja": "振り返るサイクル{value}には、証拠がまだありません。会議の前にお客さまの一言を"
        "「{evidence_tab}」タブに記録しましょう。",
        "en": "Cycle {value}, the one under review, has no evidence yet. Note what customers "
        'said or did in the "{evidence_tab}" tab before the meeting.',
    },
    "missing_value": {
        "ja": "振り返るサイクル{cycle}の「{kpi}」({id})の値がまだありません。「{tab}」タブに"
        "サイクル{cycle}・{id}の行を足してください。",
        "en": 'Cycle {cycle}, the one under review, has no value for "{kpi}" ({id}) yet. Add a '
        'row for cycle {cycle} and {id} in the "{tab}" tab.',
    },
    "evidence_thin": {
        "ja": "振り返るサイクル{cycle}の証拠は{count}行です。記録が少ないと、増えた・減ったを"
        "良し悪しとして読めません(「記録が少ない」と表示します)。3行以上、前のサイクルの"
        "半分以上を目安に、お客さまの一言を「{tab}」タブに足しましょう。",
        "en": "Evidence rows for cycle {cycle}, the one under review: {count}. With so few "
        "records a change cannot be read as better or worse (it is shown as few records). "
        'Add what customers said or did in the "{tab}" tab: 3 rows or more, and at least half '
        "as many as the cycle before.",
    },
    "evidence_incomplete": {
        "ja": "サイクル{cycle}の証拠{total}行のうち、「場面」と「次に試すこと」が両方ある行は"
        "{complete}行です。半分以上の行に両方を書くと、会議で次の一歩を選びやすくなります。",
        "en": "In cycle {cycle}, {complete} of {total} evidence rows have both a scene and a "
        "next try. Fill both in on at least half of the rows: it makes choosing the next step "
        "easier.",
    },
    "missing_hypothesis": {
        "ja": "サイクル{cycle}に「仮説」がありません。お客さまがなぜ迷うのか、考えを1つだけ"
        "書きましょう(例: 選び方がわからないから迷う)。",
        "en": "Cycle {cycle} has no hypothesis. Write one idea of why customers behave as they "
        "do, e.g. they hesitate because they do not know how to choose.",
    },
    "missing_change": {
        "ja": "サイクル{cycle}に「改善」がありません。このサイクルで変えることを1つだけ"
        "書きましょう(例: 棚に目安カードを置く)。",
        "en": "Cycle {cycle} has no change. Write the one thing you change in this cycle, e.g. "
        "a guide card on the shelf.",
    },
    "formula_no_value": {
        "ja": "「{column}」の数式に計算結果が保存されていません(計算しないツールで作られた"
        "ファイルです)。ExcelかLibreOfficeで開いて保存し直してください。それまでこのセルの値は"
        "使えません。",
        "en": 'The formula in "{column}" has no saved result (the file was made by a tool that '
        "does not calculate). Open the file in Excel or LibreOffice and save it; until then "
        "this cell's value cannot be used.",
    },
    "formula_no_value_required": {
        "ja": "「{column}」の数式に計算結果が保存されていません(計算しないツールで作られた"
        "ファイルです)。ExcelかLibreOfficeで開いて保存し直してください。それまでこの行は"
        "集計に入りません。",
        "en": 'The formula in "{column}" has no saved result (the file was made by a tool that '
        "does not calculate). Open the file in Excel or LibreOffice and save it; until then "
        "this row is left out.",
    },
    "cycle_order": {
        "ja": "サイクル{cycle}の開始日({value})が、サイクル{other}の開始日({other_start})より"
        "前です。番号を日付の順にそろえてください(比べるときは日付の順を使っています)。",
        "en": "Cycle {cycle} starts ({value}) before cycle {other} ({other_start}). Number the "
        "cycles in date order; until then they are compared in date order.",
    },
    "required_direction": {
        "ja": "「{column}」が空欄です。「上がる」か「下がる」を選んでください。それまでこのKPIは"
        "値だけを表示し、良し悪しは出しません。",
        "en": '"{column}" is empty. Pick up or down; until then this KPI shows its values with '
        "no judgement.",
    },
    "unknown_choice_direction": {
        "ja": "「{column}」の「{value}」は選べる値ではありません。{allowed} のどれかを"
        "選んでください。それまでこのKPIは値だけを表示し、良し悪しは出しません。",
        "en": '"{value}" is not one of the choices for "{column}". Pick one of {allowed}; until '
        "then this KPI shows its values with no judgement.",
    },
    "not_a_date_end": {
        "ja": "「{column}」の「{value}」を日付として読めません。2026/11/23 のように"
        "年・月・日で入力してください。それまで終了日は開始日の13日後として扱います。",
        "en": '"{value}" in "{column}" is not a date. Type it as 2026-11-23; until then the '
        "cycle ends 13 days after its start.",
    },
    "ambiguous_date_end": {
        "ja": "「{column}」の「{value}」には年がありません。2026/11/23 のように年も入れて"
        "ください。それまで終了日は開始日の13日後として扱います。",
        "en": '"{value}" in "{column}" has no year, so the date is unclear. Type the year too, '
        "e.g. 2026-11-23; until then the cycle ends 13 days after its start.",
    },
}

# Tab ownership and unambiguous reading (exact titles, one column per header).
MESSAGES.update(
    {
        "tab_not_ours": {
            "ja": "タブ「{title}」は sheets-sync が作ったタブではないため、書き込みません"
            "(中身はそのまま残ります)。このタブを残すなら名前を変えてください"
            "(例:「{title}(メモ)」)。次の同期で sheets-sync 用の「{title}」タブが"
            "新しく作られます。",
            "en": 'The tab "{title}" was not made by sheets-sync, so it is not written (its '
            'content stays as it is). To keep it, rename it (e.g. "{title} (notes)"); the next '
            'sync then creates its own "{title}" tab.',
        },
        "ambiguous_tab": {
            "ja": "「{read}」と「{other}」の2つのタブが、どちらも「{tab}」として読めます。"
            "{reason}「{read}」を読みました。使わない方のタブは名前を変えてください。",
            "en": 'Two tabs could be "{tab}": "{read}" and "{other}". "{read}" was read '
            "({reason}). Rename the tab that is not meant to be read.",
        },
        "duplicate_column": {
            "ja": "タブ「{tab}」の{row}行目に「{column}」として読める列が2つあります:"
            "{first} と {second}。どちらを読めばよいか分からないため、このタブの行は"
            "集計に入りません。片方の見出しを変えるか、列を消してください。",
            "en": 'Row {row} of the tab "{tab}" has two columns that both read as "{column}": '
            "{first} and {second}. The rows of this tab are left out until one of them is "
            "renamed or removed.",
        },
    }
)

# Rows of a cycle left out by its own check, and what depends on a tab that could not be read:
# named in plain words, never counted as none (variants of unknown_cycle and cycle_stalled).
MESSAGES.update(
    {
        "cycle_left_out_values": {
            "ja": "サイクル{cycle}は「{cycle_tab}」タブ{cycle_row}行目のチェックのため集計から"
            "外れています。そのため、この値は数えていません。{cycle_row}行目を直すと数えます。",
            "en": "Cycle {cycle} is left out because of the check on row {cycle_row} of the "
            '"{cycle_tab}" tab, so this value is not counted. Fix row {cycle_row} and it will be.',
        },
        "cycle_left_out_evidence": {
            "ja": "この証拠はサイクル{cycle}のものですが、サイクル{cycle}は「{cycle_tab}」タブ"
            "{cycle_row}行目のチェックのため集計から外れています。そのため数えていません。"
            "{cycle_row}行目を直すと数えます。",
            "en": "This evidence belongs to cycle {cycle}, which is left out because of the "
            'check on row {cycle_row} of the "{cycle_tab}" tab, so it is not counted. Fix row '
            "{cycle_row} and it will be.",
        },
        "cycle_stalled_left_out": {
            "ja": "今日を含むサイクル{cycle}は、この行({cycle_row}行目)のチェックのため集計から"
            "外れています。開始日・終了日を直すと、実行中のサイクルとして読めます。",
            "en": "Cycle {cycle}, which covers today, is left out because of the check on this "
            "row ({cycle_row}). Fix its dates and it reads as the running cycle.",
        },
    }
)

ERROR_CODES = (
    "missing_tab",
    "missing_column",
    "required",
    "not_a_number",
    "not_a_date",
    "ambiguous_date",
    "unknown_choice",
    "duplicate_id",
    "duplicate_cycle",
    "unknown_kpi",
    "unknown_cycle",
    "duplicate_value",
    "end_before_start",
    "overlapping_cycles",
    "tab_not_ours",
    "duplicate_column",
)
WARNING_CODES = (
    "too_many_kpis",
    "too_few_kpis",
    "missing_layer",
    "value_for_auto_kpi",
    "missing_learning",
    "missing_next_step",
    "multiple_items",
    "learning_too_long",
    "cycle_length",
    "cycle_stalled",
    "evidence_outside_cycles",
    "stale_data",
    "percent_as_fraction",
    "missing_value",
    "evidence_thin",
    "evidence_incomplete",
    "missing_hypothesis",
    "missing_change",
    "formula_no_value",
    "cycle_order",
    "ambiguous_tab",
)

_WORDS: dict[str, dict[Lang, str]] = {
    "kpi_values": {"ja": "KPIの値", "en": "KPI values"},
    "evidence": {"ja": "証拠", "en": "evidence"},
    "and": {"ja": "も", "en": " or "},
}
_WORDS.update(
    {
        "ambiguous_tab_exact": {
            "ja": "名前が完全に一致する",
            "en": "its name matches exactly",
        },
        "ambiguous_tab_first": {
            "ja": "左にある(タブの並びで先の)",
            "en": "both names match equally, so the first in the tab order",
        },
    }
)


def message(code: str, lang: Lang, **fields: Any) -> str:
    """The message for a check code, filled in."""
    return MESSAGES[code][lang].format(**fields)


def word(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


# --- every other word staff or consultants read ----------------------------------------------
# One shape, dict[key][lang]. Keys are grouped by prefix: agenda.*, reminder.*, summary.*,
# move.* (how a KPI moved), log.* (the Log tab), cli.*. Placeholders are str.format fields.
WORDS: dict[str, dict[Lang, str]] = {
    # the agenda
    "agenda.subject": {
        "ja": "[{client}] {minutes}分ミーティング {date} — サイクル{cycle}",
        "en": "[{client}] {minutes}-minute meeting {date} — cycle {cycle}",
    },
    "agenda.title": {
        "ja": "{client} {minutes}分ミーティング",
        "en": "{client}: {minutes}-minute meeting",
    },
    "agenda.subtitle": {
        "ja": "サイクル{cycle}({period})のふり返り・{day}",
        "en": "Looking back on cycle {cycle} ({period}) · {day}",
    },
    "agenda.purpose": {
        "ja": "決めるのは2つだけ:「学び(1行)」と「次の一歩(1つ)」",
        "en": "We decide only two things: the learning (one line) and the next step (one).",
    },
    "agenda.ground_rule": {
        "ja": "誰かを責めず「試して学ぶ」。KPIは成績表ではなく、前に進むための計器です。",
        "en": "No blame: we test and learn. KPIs are instruments for moving forward, "
        "not report cards.",
    },
    "agenda.heading": {
        "ja": "{number} {title}({minutes}分)",
        "en": "{number} {title} ({minutes} min)",
    },
    "agenda.section.last_step": {"ja": "前回決めた一歩", "en": "The step we chose last time"},
    "agenda.section.kpis": {"ja": "KPIと証拠", "en": "KPIs and evidence"},
    "agenda.section.learning": {"ja": "学びを1行で", "en": "The learning, in one line"},
    "agenda.section.next_step": {"ja": "次の一歩を1つ決める", "en": "Choose ONE next step"},
    "agenda.last_step_chosen": {
        "ja": "サイクル{cycle}で決めた一歩",
        "en": "The step chosen in cycle {cycle}",
    },
    "agenda.last_step_first": {
        "ja": "最初のサイクルなので、前回決めた一歩はありません",
        "en": "This is the first cycle, so no step was chosen before it",
    },
    "agenda.last_step_missing": {
        "ja": "前回の「次の一歩」はシートに書かれていません。",
        "en": "No next step was written down last time.",
    },
    "agenda.step_done.yes": {
        "ja": "できた(シートの「一歩の実施」より)。",
        "en": 'Done (from "Step done" in the sheet).',
    },
    "agenda.step_done.partial": {
        "ja": "一部できた(シートの「一歩の実施」より)。残った部分を次にどうするか話しましょう。",
        "en": 'Partly done (from "Step done" in the sheet). Talk about what to do with the rest.',
    },
    "agenda.step_done.no": {
        "ja": "まだ(シートの「一歩の実施」より)。何が妨げになったかを話しましょう"
        "(誰のせいでもありません)。",
        "en": 'Not yet (from "Step done" in the sheet). Talk about what got in the way '
        "(nobody's fault).",
    },
    "agenda.step_done.ask": {
        "ja": "実施は記録されていません。会議で聞きましょう:できた / 一部 / まだ?"
        "(答えはシートの「一歩の実施」に)",
        "en": "Not recorded: ask in the meeting — done / partly / not yet? (then fill in "
        '"Step done" in the sheet)',
    },
    "agenda.step_done.ask_with_kpis": {
        "ja": "実施は記録されていません。会議で聞きましょう:できた / 一部 / まだ?"
        "(行動KPIは下のとおり。答えはシートの「一歩の実施」に)",
        "en": "Not recorded: ask in the meeting — done / partly / not yet? (the action KPIs "
        'are below; then fill in "Step done" in the sheet)',
    },
    "agenda.change_this_cycle": {
        "ja": "このサイクルの改善:{change}",
        "en": "This cycle's change: {change}",
    },
    "agenda.owner": {"ja": "担当:{owner}", "en": "owner: {owner}"},
    "agenda.learning_hint": {
        "ja": "「〇〇をすると、お客さまの△△が□□した」の形で、1行にまとめます。",
        "en": 'Put it in one line: "when we did X, customers\' Y changed like Z".',
    },
    "agenda.hypothesis_prompt": {
        "ja": "仮説「{hypothesis}」について、お客さまの反応から何がわかりましたか?",
        "en": 'About the hypothesis "{hypothesis}": what did customers\' reactions tell us?',
    },
    "agenda.learning_written": {
        "ja": "シートに書かれている学び:{learning}",
        "en": "Learning already in the sheet: {learning}",
    },
    "agenda.next_step_rule": {
        "ja": "次に試すことを1つだけ選び、担当を決めます。増やしすぎず、2週間でできる大きさに。",
        "en": "Choose ONE thing to try next and who owns it. Keep it small enough for two weeks.",
    },
    "agenda.next_step_where": {
        "ja": "決めたら、シートの「{tab}」タブの「次の一歩」と「担当」に書きます。",
        "en": 'Then write it in the "{tab}" tab under "Next step" and "Owner".',
    },
    "agenda.checks_none": {
        "ja": "チェック:未解決の項目はありません。",
        "en": "Checks: nothing open.",
    },
    "agenda.checks_some": {
        "ja": "チェック:エラー{errors}・注意{warnings}(シートの「{tab}」タブで確認できます)",
        "en": 'Checks: {errors}, {warnings} (see the "{tab}" tab in the sheet)',
    },
    "agenda.checks_about": {
        "ja": "このサイクルに関わる項目:",
        "en": "What touches this cycle:",
    },
    "agenda.checks_more": {"ja": "ほか{count}件", "en": "and {count} more"},
    "agenda.check_where": {"ja": "「{tab}」{row}行目", "en": "{tab}, row {row}"},
    "agenda.check_where_tab": {"ja": "「{tab}」タブ", "en": "{tab} tab"},
    "agenda.no_values_all": {
        "ja": "サイクル{cycle}のKPIの値がまだ入っていません。"
        "「{tab}」タブに入れると、次の同期で反映されます。",
        "en": 'No KPI values for cycle {cycle} yet: enter them in the "{tab}" tab and the next '
        "sync will show them.",
    },
    "agenda.no_values_some": {
        "ja": "サイクル{cycle}の値がまだないKPI:{names}(「{tab}」タブに入れてください)",
        "en": 'No value for cycle {cycle} yet: {names} (enter them in the "{tab}" tab)',
    },
    "agenda.no_evidence": {
        "ja": "サイクル{cycle}の証拠(お客さまの一言)がまだありません。",
        "en": "No evidence (what customers said or did) for cycle {cycle} yet.",
    },
    "agenda.thin_evidence": {
        "ja": "サイクル{cycle}の証拠は{count}件で記録が少ないため、サインの増減は比べません。",
        "en": "Cycle {cycle} has only {count}, too few records to compare the signals.",
    },
    "agenda.doubted_values": {
        "ja": "要確認の値:{names}(入力のとおり表示し、比べていません)",
        "en": "Values to check: {names} (shown as typed, not compared)",
    },
    "agenda.as_of": {
        "ja": "データ:{as_of}時点・前回の同期:{last_sync}",
        "en": "Data as of {as_of} · last sync: {last_sync}",
    },
    "agenda.never_synced": {"ja": "記録なし", "en": "none recorded"},
    "agenda.sheet": {"ja": "シートを開く", "en": "Open the sheet"},
    "agenda.better_when.up": {"ja": "上がると良い", "en": "higher is better"},
    "agenda.better_when.down": {"ja": "下がると良い", "en": "lower is better"},
    "agenda.better_when.action": {"ja": "できたかどうか", "en": "did we do it?"},
    "agenda.better_when.unset": {"ja": "方向が未設定", "en": "direction not set"},
    "agenda.signal.good": {"ja": "良い兆し", "en": "good sign"},
    "agenda.signal.bad": {"ja": "気になる", "en": "worth a look"},
    # how a KPI moved: descriptive words, never a grade
    "move.improved": {"ja": "良い方向へ", "en": "the way we want"},
    "move.worsened": {"ja": "思った方向と逆", "en": "the other way"},
    "move.flat": {"ja": "変化なし", "en": "no change"},
    "move.no_previous": {"ja": "前回なし", "en": "no previous"},
    "move.no_value": {"ja": "値なし", "en": "no value"},
    "move.done": {"ja": "できた", "en": "done"},
    "move.not_done": {"ja": "まだ", "en": "not yet"},
    "move.doubted": {"ja": "要確認", "en": "check"},
    "move.unset": {"ja": "方向が未設定", "en": "direction not set"},
    "move.thin": {"ja": "記録が少ない", "en": "few records"},
    "move.met": {"ja": "達成", "en": "met"},
    "move.to_go": {"ja": "あと{gap}", "en": "{gap} to go"},
    # the input reminder
    "reminder.subject": {
        "ja": "[{client}] 入力のお願い — サイクル{cycle}({date}のミーティング)",
        "en": "[{client}] Please fill in — cycle {cycle} (meeting {date})",
    },
    "reminder.intro": {
        "ja": "{day}のミーティング(サイクル{cycle}のふり返り)の前に、"
        "シートに次の入力をお願いします。",
        "en": "Before the meeting on {day} (looking back on cycle {cycle}), please fill in "
        "the sheet:",
    },
    "reminder.kpi_missing": {
        "ja": "{id} {name} サイクル{cycle} 未入力",
        "en": "{id} {name}: no value for cycle {cycle}",
    },
    "reminder.evidence_missing": {"ja": "証拠 {count}件", "en": "evidence: {count}"},
    "reminder.change_missing": {
        "ja": "サイクル{cycle}の改善(1つ) 未入力",
        "en": "cycle {cycle}: the change (one) is blank",
    },
    "reminder.where": {
        "ja": "入力する場所:「{values}」「{evidence}」「{cycles}」タブ",
        "en": 'Where: the "{values}", "{evidence}" and "{cycles}" tabs',
    },
    "reminder.outro": {
        "ja": "入力が済めば、このメールには返信不要です。"
        "ミーティングのアジェンダは別にお送りします。",
        "en": "No need to reply once it is filled in. The meeting agenda follows separately.",
    },
    # the Summary tab
    "summary.title": {"ja": "{client} — KPIサマリー", "en": "{client} — KPI summary"},
    "summary.fresh": {
        "ja": "データ: {as_of} 時点 · 最終同期: {synced}",
        "en": "Data as of {as_of} · last sync {synced}",
    },
    "summary.checks_ok": {"ja": "チェック: 問題はありません", "en": "Checks: nothing to fix"},
    "summary.checks_some": {
        "ja": "チェック: エラー {errors}、注意 {warnings} → 「{tab}」タブを見てください",
        "en": 'Checks: {errors}, {warnings} → see the "{tab}" tab',
    },
    "summary.current": {"ja": "今のサイクル", "en": "Current cycle"},
    "summary.no_current": {
        "ja": "今日を含むサイクルがありません。「{tab}」タブに次のサイクルを足しましょう。",
        "en": 'No cycle contains today. Add the next one in the "{tab}" tab.',
    },
    "summary.cycle_line": {
        "ja": "サイクル{n}({start}〜{end}、{status})",
        "en": "Cycle {n} ({start} to {end}, {status})",
    },
    "summary.review": {
        "ja": "次の会議で振り返るサイクル: {n}",
        "en": "The next meeting reviews cycle {n}",
    },
    "summary.hypothesis": {"ja": "仮説", "en": "Hypothesis"},
    "summary.change": {"ja": "改善", "en": "Change"},
    "summary.step_done": {"ja": "一歩の実施", "en": "Step done"},
    "summary.not_recorded": {"ja": "(未記入)", "en": "(not recorded)"},
    "summary.kpis": {"ja": "KPI(サイクル{n})", "en": "KPIs (cycle {n})"},
    "summary.kpis_none": {"ja": "KPI", "en": "KPIs"},
    "summary.layer": {"ja": "層", "en": "Layer"},
    "summary.kpi": {"ja": "KPI", "en": "KPI"},
    "summary.previous": {"ja": "前回", "en": "Previous"},
    "summary.now": {"ja": "今回", "en": "Now"},
    "summary.delta": {"ja": "変化", "en": "Change"},
    "summary.delta_pct": {"ja": "変化率", "en": "Change %"},
    "summary.movement": {"ja": "動き", "en": "Movement"},
    "summary.target": {"ja": "目標", "en": "Target"},
    "summary.to_target": {"ja": "目標まで", "en": "To target"},
    "summary.trend": {"ja": "推移", "en": "Trend"},
    "summary.evidence": {
        "ja": "現場の証拠(サイクル{prev} → {n})",
        "en": "Field evidence (cycle {prev} → {n})",
    },
    "summary.evidence_first": {"ja": "現場の証拠(サイクル{n})", "en": "Field evidence (cycle {n})"},
    "summary.evidence_none": {"ja": "現場の証拠", "en": "Field evidence"},
    "summary.evidence_thin": {
        "ja": "記録が少ないため、増減は比べていません(証拠 {count}件)",
        "en": "Too few records to compare (evidence: {count})",
    },
    "summary.signal": {"ja": "サイン", "en": "Signal"},
    "summary.positive": {"ja": "プラスのサイン", "en": "Positive signs"},
    "summary.negative": {"ja": "マイナスのサイン", "en": "Negative signs"},
    "summary.net": {"ja": "差し引き", "en": "Net"},
    "summary.learning_log": {"ja": "学びの記録(新しい順)", "en": "Learning log (newest first)"},
    "summary.cycle": {"ja": "サイクル", "en": "Cycle"},
    "summary.learning": {"ja": "学び", "en": "Learning"},
    "summary.next_step": {"ja": "次の一歩", "en": "Next step"},
    "summary.owner": {"ja": "担当(次の一歩)", "en": "Owner (next step)"},
    "summary.no_kpis": {"ja": "使っているKPIがありません。", "en": "No active KPIs."},
    "summary.no_review": {
        "ja": "振り返るサイクルがまだありません。",
        "en": "No cycle to review yet.",
    },
    "summary.none_yet": {"ja": "まだありません", "en": "none yet"},
    "summary.checks_none": {"ja": "問題はありません。", "en": "Nothing to fix."},
    "summary.error": {"ja": "エラー", "en": "error"},
    "summary.warning": {"ja": "注意", "en": "warning"},
    "summary.whole_tab": {"ja": "(タブ全体)", "en": "(whole tab)"},
    "summary.left_out": {"ja": "集計から外れている行", "en": "Left out of the numbers"},
    "summary.left_out_row": {
        "ja": "「{tab}」{row}行目{what}:集計に入っていません → 「{checks}」タブ",
        "en": '{tab}, row {row}{what}: left out → see the "{checks}" tab',
    },
    "summary.left_out_what": {"ja": "({value})", "en": " ({value})"},
    "status.planned": {"ja": "計画", "en": "planned"},
    "status.running": {"ja": "実行中", "en": "running"},
    "status.done": {"ja": "完了", "en": "done"},
    "step_done.yes": {"ja": "はい", "en": "yes"},
    "step_done.partial": {"ja": "一部", "en": "partly"},
    "step_done.no": {"ja": "いいえ", "en": "no"},
    # the Log tab: what happened and how it ended (read back in both languages)
    "log.sync": {"ja": "同期", "en": "sync"},
    "log.check": {"ja": "チェック", "en": "check"},
    "log.demo": {"ja": "デモ", "en": "demo"},
    "log.agenda": {"ja": "アジェンダ", "en": "agenda"},
    "log.reminder": {"ja": "入力のお願い", "en": "reminder"},
    "log.ok": {"ja": "完了", "en": "ok"},
    "log.sent": {"ja": "送信済み", "en": "sent"},
    "log.failed": {"ja": "失敗", "en": "failed"},
    "log.error": {"ja": "エラー", "en": "error"},
    "log.details": {
        "ja": "エラー{errors}・注意{warnings} / KPI {kpis} / 証拠 {evidence}",
        "en": "{errors}, {warnings} / {kpis} / {evidence}",
    },
}

# Counted nouns: (ja, en singular, en plural); ja counts with its own counter word.
COUNTED: dict[str, tuple[str, str, str]] = {
    "error": ("{n}件", "{n} error", "{n} errors"),
    "warning": ("{n}件", "{n} warning", "{n} warnings"),
    "kpi": ("{n}個", "{n} KPI", "{n} KPIs"),
    "evidence_row": ("{n}行", "{n} evidence row", "{n} evidence rows"),
    "record": ("{n}件", "{n} record", "{n} records"),
    "cycle": ("{n}サイクル", "{n} cycle", "{n} cycles"),
    "client": ("{n}店", "{n} client", "{n} clients"),
}

_SEPARATOR: dict[Lang, str] = {"ja": "、", "en": ", "}
JAPANESE_PUNCTUATION = (
    "\u300c\u300d\u300e\u300f\u3001\u3002\uff08\uff09\u30fb\uff1a\uff01\uff1f\u301c"
)


class Renderable(Protocol):
    """Words not yet put into a language: a `Phrase`, or an error carrying one."""

    def render(self, lang: Lang) -> str: ...


def say(key: str, lang: Lang, /, **fields: Any) -> str:
    """The words for `key` in `lang`, filled in; a field that is itself words not yet in a
    language (a `Phrase`, an error) is rendered in the same language."""
    filled = {
        name: value.render(lang) if callable(getattr(value, "render", None)) else value
        for name, value in fields.items()
    }
    return WORDS[key][lang].format(**filled)


# What a run keeps of a problem: words not yet in a language, or text as given (a test's,
# a foreign library's).
Words = Renderable | str


def in_language(words: Words | None, lang: Lang) -> str:
    """`words` in `lang` ("" for none); text as given stays as it is."""
    if words is None:
        return ""
    return words if isinstance(words, str) else words.render(lang)


@dataclass(frozen=True)
class Phrase:
    """Words chosen where something happens, put into a language where they are shown: a
    backend knows what went wrong, the command that called it knows who reads it."""

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        return say(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.render(current_language())


# The language of the run in progress: a command sets it once it knows the client
# (`speaking(config.language)`), so an error raised deep in a backend reads in the client's
# language without every function passing `lang` down. Outside a run (a config that cannot be
# read yet), English.
_SPEAKING: ContextVar[Lang | None] = ContextVar("sheets_sync_language", default=None)


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Within this block, errors and run messages are in `lang`."""
    token = _SPEAKING.set(lang)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def spoken_language() -> Lang | None:
    """The language set by `speaking`, or None outside it."""
    return _SPEAKING.get()


def current_language() -> Lang:
    """The language set by `speaking`, English outside it."""
    return _SPEAKING.get() or "en"


def tell(key: str, /, **fields: Any) -> str:
    """`say` in the current run's language (a log line written deep in a backend)."""
    return say(key, current_language(), **fields)


def join(items: Any, lang: Lang) -> str:
    """A list as one phrase: 「、」 between items in Japanese, ", " in English."""
    return _SEPARATOR[lang].join(str(item) for item in items)


def count(noun: str, n: int, lang: Lang, *, signed: bool = False) -> str:
    """`n` with its noun: 「3件」, "1 warning", "2 warnings"; `signed` writes "+1 cycle"."""
    ja, one, many = COUNTED[noun]
    template = ja if lang == "ja" else one if abs(n) == 1 else many
    number = f"{n:+d}" if signed else str(n)
    return template.format(n=number)


def log_word(key: str, lang: Lang) -> str:
    """How the Log tab shows an entry's what/result key (sync, agenda, sent …)."""
    entry = WORDS.get(f"log.{key}")
    return entry[lang] if entry is not None else key


def log_key(text: str) -> str:
    """The key for a Log word as stored in either language (old rows say agenda/sent)."""
    cleaned = text.strip()
    return _LOG_KEYS.get(cleaned.casefold(), cleaned)


_LOG_KEYS: dict[str, str] = {
    spelling.casefold(): key.removeprefix("log.")
    for key, spellings in WORDS.items()
    if key.startswith("log.") and key != "log.details"
    for spelling in spellings.values()
}


# What a run says about itself (the CLI's output and the cron log), in the client's language.
WORDS.update(
    {
        "run.log_not_ours": {
            "ja": "ミーティングの案内メールを送りませんでした。"
            "タブ「{title}」は sheets-sync が作ったものではないため、送信を記録できず、"
            "このままでは同期のたびに送り直してしまいます。"
            "タブ「{title}」の名前を変えてください(例:「{title}(メモ)」)。次の同期で"
            "sheets-sync 用の「{title}」タブが作られ、案内メールが送られます。",
            "en": 'The agenda was NOT sent: the tab "{title}" was not made by sheets-sync, so the '
            "send could not be recorded and every run would send it again. Rename that tab (e.g. "
            '"{title} (notes)"); the next sync creates its own "{title}" tab and sends the agenda.',
        },
    }
)


# -- the consultant's portfolio and onboarding (issue 12) -----------------------------------------
# Placeholders: {cycle} a cycle number, {kpis} KPI ids joined, {weeks}/{days} counts, {day} M/D,
# {errors} a count, {problem} the run's own message, {address} an address, {key} a config key.
WORDS.update(
    {
        "consultant.reason_failed": {"ja": "同期できず: {problem}", "en": "not synced: {problem}"},
        "consultant.reason_agenda_failed": {
            "ja": "案内メールを送れず: {problem}",
            "en": "agenda not sent: {problem}",
        },
        "consultant.reason_locked": {
            "ja": "別の実行中のため今回は未処理",
            "en": "skipped: another run was busy with it",
        },
        "consultant.reason_errors": {
            "ja": "シートにエラー{errors}件(チェックタブを参照)",
            "en": "{errors} errors in the sheet (see the Checks tab)",
        },
        "consultant.reason_values_missing": {
            "ja": "サイクル{cycle}: {kpis} のKPIの値が未入力",
            "en": "cycle {cycle}: KPI values missing for {kpis}",
        },
        "consultant.reason_no_evidence_weeks": {
            "ja": "{weeks}週間、証拠の記録なし",
            "en": "no evidence for {weeks} weeks",
        },
        "consultant.reason_no_evidence_ever": {
            "ja": "証拠の記録がまだない",
            "en": "no evidence recorded yet",
        },
        "consultant.reason_learning_missing": {
            "ja": "{day}のミーティング後、学びが未記入",
            "en": "learning not written after the meeting on {day}",
        },
        "consultant.reason_next_step_missing": {
            "ja": "{day}のミーティング後、次の一歩が未記入",
            "en": "next step not chosen after the meeting on {day}",
        },
        "consultant.reason_stalled": {
            "ja": "{day}以降、実行中のサイクルなし(次のサイクルを計画)",
            "en": "no cycle running since {day}: plan the next one",
        },
        "consultant.reason_none": {"ja": "特になし", "en": "nothing to do"},
        "consultant.placeholder_address": {
            "ja": "{key} の {address} は例のアドレスです。new-client の --to / --from で"
            "本当のアドレスを指定するか、設定ファイルを書き換えてください",
            "en": "{key} = {address} is a placeholder address: give the real one with new-client's "
            "--to / --from, or edit the config file",
        },
    }
)


def run_message(key: str, lang: Lang, /, **fields: Any) -> str:
    """A run's outcome message (WORDS["run.<key>"]), filled in."""
    return say(f"run.{key}", lang, **fields)


def consultant_word(phrase: str, lang: Lang, /, **fields: Any) -> str:
    """A portfolio or onboarding phrase (WORDS["consultant.<phrase>"]), filled in."""
    return say(f"consultant.{phrase}", lang, **fields)


# A tab the sync could not read: what it holds is unknown, said as such (never as 0 or "none").
WORDS.update(
    {
        "summary.unreadable": {
            "ja": "読めません(「{tab}」タブの見出しかタブ名を直してください → 「{checks}」タブ)",
            "en": 'could not be read (fix the header or the name of the "{tab}" tab; see the '
            '"{checks}" tab)',
        },
        "agenda.values_unreadable": {
            "ja": "「{tab}」タブを読めないため、KPIの値はわかりません(見出しかタブ名の問題です。"
            "チェックを見て直してください)。",
            "en": 'The "{tab}" tab could not be read (a problem with its header or its name: see '
            "the checks), so the KPI values are unknown.",
        },
        "agenda.evidence_unreadable": {
            "ja": "「{tab}」タブを読めないため、証拠の数はわかりません(見出しかタブ名の問題です。"
            "チェックを見て直してください)。",
            "en": 'The "{tab}" tab could not be read (a problem with its header or its name: see '
            "the checks), so the evidence counts are unknown.",
        },
        "move.unreadable": {"ja": "読めません", "en": "could not be read"},
        "agenda.kpis_unreadable": {
            "ja": "「{tab}」タブを読めないため、KPIはわかりません(見出しかタブ名の問題です。"
            "チェックを見て直してください)。",
            "en": 'The "{tab}" tab could not be read (a problem with its header or its name: see '
            "the checks), so the KPIs are unknown.",
        },
        "log.evidence_unreadable": {"ja": "読めません", "en": "evidence could not be read"},
        "reminder.unreadable": {
            "ja": "「{tab}」タブの見出しかタブ名(読めないため、中身を確かめられません)",
            "en": 'the header or the name of the "{tab}" tab (it could not be read, so its rows '
            "are unknown)",
        },
    }
)


# -- the run's outcome as people read it (issue 11) ----------------------------------------------
# run.* the cron log's one line and the CLI's output of sync/check/demo/new-client (the client's
# language); table.* sync-all's table and `status` (English: no one client is in scope);
# doctor.* doctor's findings (English, like the sheet and mail probes they sit between).
# Placeholders: {client} name, {cycle} number, {to} where the mail went, {error}/{reason} the
# run's own words, {errors}/{warnings} counted, {seconds} a figure, {path}/{workbook} files.
WORDS.update(
    {
        "run.line": {"ja": "{client}: {parts}", "en": "{client}: {parts}"},
        "run.review": {"ja": "ふり返るサイクル{cycle}", "en": "review cycle {cycle}"},
        "run.current": {"ja": "今のサイクル{cycle}", "en": "current cycle {cycle}"},
        "run.no_review": {"ja": "ふり返るサイクルなし", "en": "no cycle to review"},
        "run.no_current": {"ja": "今のサイクルなし", "en": "no current cycle"},
        "run.no_review_unreadable": {
            "ja": "ふり返るサイクルなし(サイクルのタブを読めません。そのチェックを見てください)",
            "en": "no cycle to review: the Cycles tab could not be read (see its check)",
        },
        "run.checks": {
            "ja": "エラー{errors}・注意{warnings}",
            "en": "{errors}, {warnings}",
        },
        "run.seconds": {"ja": "{seconds}秒", "en": "{seconds}s"},
        "run.agenda_sent_to": {"ja": "アジェンダを{to}へ送信", "en": "agenda sent to {to}"},
        "run.agenda_failed": {
            "ja": "アジェンダの送信に失敗: {error}",
            "en": "agenda FAILED: {error}",
        },
        "run.agenda_skipped": {
            "ja": "アジェンダは送っていません({reason})",
            "en": "agenda not sent ({reason})",
        },
        "run.agenda_not_sent": {"ja": "アジェンダは送っていません", "en": "agenda not sent"},
        "run.reminder_sent_to": {
            "ja": "入力のお願いを{to}へ送信",
            "en": "reminder sent to {to}",
        },
        "run.reminder_failed": {
            "ja": "入力のお願いの送信に失敗: {error}",
            "en": "reminder FAILED: {error}",
        },
        # describe_run: the CLI's answer to sync
        "run.summary": {
            "ja": "{client}: {cycles} / {checks}",
            "en": "{client}: {cycles}; {checks}",
        },
        "run.agenda_sent": {"ja": "アジェンダを送信: {to}", "en": "agenda sent: {to}"},
        "run.agenda_retry": {
            "ja": "アジェンダを送れませんでした(次の実行で送り直します): {error}",
            "en": "agenda NOT sent (will retry next run): {error}",
        },
        "run.agenda_not_sent_because": {
            "ja": "アジェンダは送っていません: {reason}",
            "en": "agenda not sent: {reason}",
        },
        "run.reminder_sent": {"ja": "入力のお願いを送信: {to}", "en": "input reminder sent: {to}"},
        "run.reminder_retry": {
            "ja": "入力のお願いを送れませんでした(次の実行で送り直します): {error}",
            "en": "input reminder NOT sent (will retry next run): {error}",
        },
        # describe_checks: the CLI's answer to check
        "run.check_where_row": {"ja": "{tab} {row}行目", "en": "{tab} row {row}"},
        "run.checks_more": {
            "ja": "… ほか{count}件(チェックのタブを見てください)",
            "en": "… and {count} more (see the Checks tab)",
        },
        # DemoOutcome.describe
        "run.demo_client": {"ja": "サンプルの店:   {client}", "en": "sample client: {client}"},
        "run.demo_workbook": {"ja": "ワークブック:   {path}", "en": "workbook:      {path}"},
        "run.demo_config": {"ja": "設定ファイル:   {path}", "en": "config:        {path}"},
        "run.demo_agenda": {"ja": "アジェンダ(.eml): {path}", "en": "agenda (.eml): {path}"},
        "run.demo_checks": {"ja": "チェック:       {checks}", "en": "checks:        {checks}"},
        "run.demo_cycles": {
            "ja": "ふり返るサイクル: {review} · 今のサイクル: {current}",
            "en": "review cycle:  {review} · current cycle: {current}",
        },
        "run.demo_meeting": {"ja": " · ミーティング {day}", "en": " · meeting on {day}"},
        "run.demo_look": {
            "ja": "ワークブックを開いて「サマリー」タブを見てください。.eml はメールソフトで"
            "開けます。次に試すこと: sheets-sync sync --config {path}",
            "en": "Open the workbook and look at the Summary tab; open the .eml in your mail "
            "program. Then try: sheets-sync sync --config {path}",
        },
        # next_steps: what new-client made and what to do next
        "run.made_workbook": {"ja": "ワークブック: {workbook}", "en": "workbook: {workbook}"},
        "run.made_config": {"ja": "設定ファイル: {path}", "en": "config:   {path}"},
        "run.next_steps": {"ja": "次にすること:", "en": "next steps:"},
        "run.step": {"ja": "  {n}. {text}", "en": "  {n}. {text}"},
        "run.step_addresses": {
            "ja": "{path} に本当のメールアドレスを書いてください(mail.from、mail.to。今は "
            "{addresses})。または --from と --to を付けて作り直してください",
            "en": "put the real mail addresses in {path} (mail.from, mail.to; now {addresses}), "
            "or make it again with --from and --to",
        },
        "run.step_kpis": {
            "ja": "お店の方と「{tab}」タブを開き、KPIを3〜5個に絞ってください(各層に1つ以上)",
            "en": "open the {tab} tab with the client: keep 3-5 KPIs (one per layer at least)",
        },
        "run.step_send_link": {
            "ja": "このリンクをスタッフに送ってください: {workbook}",
            "en": "send this link to the staff: {workbook}",
        },
        "run.shared_with": {
            "ja": "     編集者として共有した相手: {shared}。サービスアカウントは通知メールなしで"
            "共有するので、リンクを送るまで誰にも知らされません",
            "en": "     shared as editor with {shared}; the service account shares without a "
            "notification e-mail, so nobody is told until you send the link",
        },
        "run.shared_nobody": {
            "ja": "まだ誰とも共有していません(--share EMAIL で共有できます)",
            "en": "nobody yet (use --share EMAIL)",
        },
        "run.step_give_workbook": {
            "ja": "ワークブック {workbook} をスタッフが開けるフォルダ(共有ドライブや同期フォルダ。"
            "--path でそこに作れます)に置き、設定ファイルがそこを指すようにしてください",
            "en": "give the staff the workbook {workbook}: put it in a folder they open (a "
            "shared drive or a synced folder — create it there with --path) and keep the "
            "config pointing at it",
        },
        # sync-all's table and summary, `status`'s table (English)
        "table.client": {"ja": "店", "en": "client"},
        "table.outcome": {"ja": "結果", "en": "outcome"},
        "table.checks": {"ja": "チェック", "en": "checks"},
        "table.agenda_this_run": {"ja": "今回送ったアジェンダ", "en": "agenda sent this run"},
        "table.duration": {"ja": "所要時間", "en": "duration"},
        "table.failure": {
            "ja": "{client}({file}): {message}",
            "en": "{client} ({file}): {message}",
        },
        "table.outcome_count": {"ja": "{outcome} {n}", "en": "{n} {outcome}"},
        "table.no_clients": {"ja": "店なし", "en": "no clients"},
        "table.quota": {
            "ja": " · Googleへのリクエスト{requests}回(再試行{retries}回)、"
            "最大 毎分{peak}回(上限{limit})",
            "en": " · {requests} Google requests ({retries} retried), peak {peak}/min of {limit}",
        },
        "table.shard": {
            "ja": "(設定{configs}件のうち分担{shard})",
            "en": " (shard {shard} of {configs} configs)",
        },
        "table.summary": {
            "ja": "{clients}{shard}: {parts} · {seconds}秒{quota} · 終了コード {exit}",
            "en": "{clients}{shard}: {parts} · {seconds}s{quota} · exit {exit}",
        },
        "table.backend": {"ja": "方式", "en": "backend"},
        "table.last_sync": {"ja": "最終同期", "en": "last sync"},
        "table.trigger": {"ja": "きっかけ", "en": "trigger"},
        "table.result": {"ja": "結果", "en": "result"},
        "table.exit": {"ja": "終了コード", "en": "exit"},
        "table.next_retry": {"ja": "次の再試行", "en": "next retry"},
        "table.note": {"ja": "メモ", "en": "note"},
    }
)


# -- doctor's findings (issue 11): English, like the sheet and mail probes they sit between and
# the config errors that come before any client is known. {path}/{file} a config, {key} a config
# key, {tab}/{title} a tab, {folder} the outbox, {where} host:port, {reason} the system's words.
WORDS.update(
    {
        "doctor.config_fix": {
            "ja": "ファイルを直してから、もう一度 doctor を実行してください",
            "en": "fix the file, then run doctor again",
        },
        "doctor.config_loads": {
            "ja": "{path} を読めました(店 {client}、{backend})",
            "en": "{path} loads (client {client}, {backend})",
        },
        "doctor.placeholder_fix": {
            "ja": "{file} の {key} を書き換えてください(または "
            "`sheets-sync new-client NAME --to … --from …` で作り直してください)",
            "en": "edit {key} in {file} (or make the client again with "
            "`sheets-sync new-client NAME --to … --from …`)",
        },
        "doctor.long_meeting": {
            "ja": "メモ: meeting.minutes = {minutes} は、方法の{default}分より長めです"
            "(学びと次の一歩だけを決める短い会議のほうが、チームは続けやすくなります)",
            "en": "note: meeting.minutes = {minutes}, longer than the method's {default} "
            "minutes (a short meeting that decides only the learning and the next step is "
            "what keeps a team going)",
        },
        "doctor.upgrade": {
            "ja": "`sheets-sync upgrade --config {path}` を実行すると足りない分を足します",
            "en": "run `sheets-sync upgrade --config {path}` to add what is missing",
        },
        "doctor.duplicate_column_fix": {
            "ja": "2つの列のどちらかの名前を変えるか消してください(チェックのタブを参照)",
            "en": "rename or remove one of the two columns (see the Checks tab)",
        },
        "doctor.missing_tab": {
            "ja": "タブ {title}({key})がありません",
            "en": "tab {title} ({key}) is missing",
        },
        "doctor.missing_column": {
            "ja": "タブ {title} に列 {header}({column})がありません",
            "en": "tab {title} has no column {header} ({column})",
        },
        "doctor.template_older": {
            "ja": "ワークブックはテンプレートの版 {version}、この sheets-sync は版 {current} です",
            "en": "the workbook is template version {version}; this sheets-sync has version "
            "{current}",
        },
        "doctor.template_newer": {
            "ja": "ワークブックはテンプレートの版 {version} で、この sheets-sync が知る版"
            "({current})より新しいです",
            "en": "the workbook is template version {version}, newer than this sheets-sync "
            "knows ({current})",
        },
        "doctor.update_fix": {
            "ja": "sheets-sync を更新してください(pip install -U sheets-sync)",
            "en": "update sheets-sync (pip install -U sheets-sync)",
        },
        "doctor.template_version": {
            "ja": "テンプレートの版 {version}",
            "en": "template version {version}",
        },
        "doctor.no_template_version": {"ja": "テンプレートの版なし", "en": "no template version"},
        "doctor.tabs_ok": {
            "ja": "入力タブと必須の列はすべてあります({known})",
            "en": "every input tab and required column is there ({known})",
        },
        "doctor.note": {"ja": "メモ: {message}", "en": "note: {message}"},
        "doctor.not_ours": {
            "ja": "タブ {title} は生成タブ({key})と同じ名前ですが sheets-sync が作ったもの"
            "ではないので、同期では書きません",
            "en": "tab {title} has the title of a generated tab ({key}) but was not made by "
            "sheets-sync, so the sync never writes it",
        },
        "doctor.not_ours_log": {
            "ja": "。それまでアジェンダは送りません(送信を記録できないため)",
            "en": "; until then no agenda is sent (the sync could not record it)",
        },
        "doctor.not_ours_fix": {
            "ja": "名前を変えてください(例: {renamed})。次の同期で自分のタブを作ります",
            "en": "rename it (e.g. {renamed}); the next sync makes its own",
        },
        "doctor.legacy": {
            "ja": "{names}: 以前の sheets-sync が作ったタブです。次の同期で印を付けます",
            "en": "{names}: made by an earlier sheets-sync; marked at the next sync",
        },
        "doctor.no_recipients": {
            "ja": "mail.to が空なので、アジェンダを受け取る人がいません",
            "en": "mail.to is empty, so nobody would get the agenda",
        },
        "doctor.no_recipients_fix": {
            "ja": "{file} に mail.to = [...] を足してください",
            "en": "add mail.to = [...] to {file}",
        },
        "doctor.outbox_not_writable": {
            "ja": "送信フォルダ {folder} に書き込めません({reason})",
            "en": "the outbox {folder} is not writable ({reason})",
        },
        "doctor.outbox_permission_fix": {
            "ja": "このユーザーにフォルダへの書き込み権限を与えてください",
            "en": "give this user write permission on the folder",
        },
        "doctor.outbox_writable": {
            "ja": "送信フォルダ {folder} に書き込めます",
            "en": "the outbox {folder} is writable",
        },
        "doctor.outbox_cannot_create": {
            "ja": "送信フォルダ {folder} を作れません",
            "en": "the outbox {folder} cannot be created",
        },
        "doctor.outbox_create_fix": {
            "ja": "フォルダを作るか、このユーザーに書き込み権限を与えてください",
            "en": "create the folder or give this user write permission",
        },
        "doctor.outbox_later": {
            "ja": "送信フォルダ {folder} は最初のアジェンダのときに作ります",
            "en": "the outbox {folder} will be created at the first agenda",
        },
        "doctor.no_login": {
            "ja": "SMTPのログインは設定されていません(mail.smtp.username がありません)",
            "en": "no SMTP login configured (mail.smtp.username is not set)",
        },
        "doctor.no_password_env": {
            "ja": "mail.smtp.username はありますが mail.smtp.password_env がありません",
            "en": "mail.smtp.username is set but mail.smtp.password_env is not",
        },
        "doctor.no_password_env_fix": {
            "ja": '{file} の [mail.smtp] に password_env = "SHEETS_SYNC_SMTP_PASSWORD" を足し、'
            "その環境変数を設定してください",
            "en": 'add password_env = "SHEETS_SYNC_SMTP_PASSWORD" under [mail.smtp] in {file} '
            "and set that variable",
        },
        "doctor.password_unset": {
            "ja": "SMTPのパスワードの環境変数 {variable} が設定されていません",
            "en": "the SMTP password variable {variable} is not set",
        },
        "doctor.password_unset_fix": {
            "ja": "同期を動かす環境(cron の行の環境など)で環境変数 {variable} を設定してください",
            "en": "set the environment variable {variable} where the sync runs (e.g. in the "
            "cron line's environment)",
        },
        "doctor.password_set": {
            "ja": "{user} のSMTPパスワードは {variable} に設定されています",
            "en": "the SMTP password for {user} is set in {variable}",
        },
        "doctor.host_unresolved": {
            "ja": "SMTPのホスト {host} の名前を解決できません({reason})",
            "en": "the SMTP host {host} does not resolve ({reason})",
        },
        "doctor.host_fix": {
            "ja": "mail.smtp.host を確かめてください",
            "en": "check mail.smtp.host",
        },
        "doctor.timeout": {
            "ja": "{where} が{seconds}秒以内に応答しませんでした",
            "en": "{where} did not answer within {seconds} s",
        },
        "doctor.timeout_fix": {
            "ja": "mail.smtp.host と port、ファイアウォールが接続を通すかを確かめてください",
            "en": "check mail.smtp.host/port and that a firewall lets the connection out",
        },
        "doctor.cannot_connect": {
            "ja": "{where} に接続できません({reason})",
            "en": "cannot connect to {where} ({reason})",
        },
        "doctor.connect_fix": {
            "ja": "mail.smtp.host と mail.smtp.port を確かめてください",
            "en": "check mail.smtp.host and mail.smtp.port",
        },
        "doctor.smtp_ok": {
            "ja": "SMTPサーバー {where} に接続できます({security})",
            "en": "the SMTP server {where} accepts connections ({security})",
        },
    }
)


# -- a workbook named by two configs (appended block: the workbook lock) ---------------------
WORDS.update(
    {
        "run.workbook_holder": {"ja": "使用中の設定: {holder}", "en": "by {holder}"},
        "run.workbook_holder_unknown": {
            "ja": "別の sheets-sync プロセス",
            "en": "by another sheets-sync process",
        },
    }
)


# An auto KPI without a value in the agenda: said as "cannot be counted", never "type it".
WORDS.update(
    {
        "agenda.auto_no_evidence": {
            "ja": "証拠が0件のため {names} は数えられません"
            "(自動で数えるKPIなので入力は不要です。「{tab}」タブに証拠を記録してください)",
            "en": "There is no evidence yet, so {names} cannot be counted (it is counted "
            'automatically, nothing to type: record evidence in the "{tab}" tab)',
        },
        "agenda.auto_no_value": {
            "ja": "{names} は「{tab}」タブから自動で数えるKPIですが、まだ数えられる記録がありません"
            "(入力は不要です)",
            "en": '{names} is counted automatically from the "{tab}" tab, which has nothing to '
            "count yet (nothing to type)",
        },
    }
)


# -- doctor: sync's lock file (appended block: h-fixsync) -------------------------------------
WORDS.update(
    {
        "doctor.lock_not_creatable": {
            "ja": "sync がロックファイル {path} を作れません({reason})。このままでは sync と "
            "check は毎回シートを読む前に止まります",
            "en": "sync cannot create its lock file {path} ({reason}), so every sync (and "
            "check) stops before reading the sheet",
        },
        "doctor.lock_fix": {
            "ja": "sheets-sync を実行するユーザーがフォルダ {folder} に書き込めるようにしてください"
            "(sync --dry-run はロックなしで動きます)",
            "en": "make the folder {folder} writable for the user that runs sheets-sync "
            "(sync --dry-run works without it)",
        },
    }
)


# === What stops a run (errors.py: `raise XError("<key>", field=…)` → WORDS["error.<key>"]) =====
# Read by the consultant and by cron, in the client's language (`messages.speaking`). Each
# names the file or key at fault and what to do; the fields are filled in as given (paths,
# the OS's own reason). Sections below are one per part of the package.

# -- locks and the sent-journal (locking.py, journal.py) -------------------------------------
WORDS.update(
    {
        "error.client_busy": {
            "ja": "「{client}」について、別の sheets-sync の実行がまだ続いています(ロック "
            "{lock})。今回の実行では何もしていません",
            "en": "another sheets-sync run for {client} is still going (lock {lock}); this run "
            "did nothing",
        },
        "error.workbook_busy": {
            "ja": "別の実行がこのブックを使っています: {workbook}({holder})。"
            "{config} では今回は何もしていません。同じブックを指す設定は順番に実行されます。"
            "意図したものでなければ、店ごとに別のブックを指定してください",
            "en": "another run is using this workbook: {workbook} ({holder}); {config} did "
            "nothing this time. Configs naming one workbook take turns; if that is not "
            "intended, give each client its own workbook",
        },
        "error.lock_not_creatable": {
            "ja": "ロックファイル {path} を作れません({reason})。sheets-sync を実行するユーザーが"
            "フォルダ {folder} に書き込めるようにしてください",
            "en": "cannot create the lock file {path} ({reason}); make the folder {folder} "
            "writable for the user that runs sheets-sync",
        },
        "error.journal_unwritable": {
            "ja": "{what}を送っていません。{path} に書き込めません({reason})。"
            "このファイルは、送った{what}が2回送られないようにするためのものです。"
            "sheets-sync を実行するユーザーがそのフォルダに書き込めるようにしてください。"
            "次の実行で送ります",
            "en": "the {what} was NOT sent: cannot write {path} ({reason}), the file that keeps "
            "a sent {what} from going out twice. Make the folder writable for the user that "
            "runs sheets-sync; the next run sends it",
        },
        "error.what_agenda": {"ja": "アジェンダ", "en": "agenda"},
        "error.what_reminder": {"ja": "入力のお願い", "en": "reminder"},
    }
)


# -- config, the CLI and the library's commands (config.py, cli.py, api.py, clients.py, outputs.py,
#    sample.py, schema.py, files.py, docs.py) ---------------------------------------------------
WORDS.update(
    {
        # section A: its keys, error.* first, in the order the code raises them
        # config.py: a configured path, the file itself, the checks after pydantic, the name
        "error.path_absolute": {
            "ja": "{path}: {key} = {value} は絶対パスです。"
            "設定ファイルのフォルダ({folder})の中を指すパスにしてください",
            "en": "{path}: {key} = {value} must be a path inside the config's folder ({folder}), "
            "not an absolute path",
        },
        "error.path_outside": {
            "ja": "{path}: {key} = {value} は設定ファイルのフォルダ({folder})の外を指しています。"
            "店のファイルは1つのフォルダにまとめてください",
            "en": "{path}: {key} = {value} points outside the config's folder ({folder}); keep "
            "the client's files together",
        },
        "error.config_not_found": {
            "ja": "{path}: 設定ファイルが見つかりません",
            "en": "{path}: config file not found",
        },
        "error.config_not_utf8": {
            "ja": "{path}: 設定ファイルが UTF-8 のテキストではありません",
            "en": "{path}: config file is not UTF-8 text",
        },
        "error.config_not_toml": {
            "ja": "{path}: TOML の書き方が正しくありません: {reason}",
            "en": "{path}: not valid TOML: {reason}",
        },
        "error.config_unreadable": {
            "ja": "{path}: 設定ファイルを読めません: {reason}",
            "en": "{path}: cannot read the config file: {reason}",
        },
        "error.config_invalid": {"ja": "{path}: {problems}", "en": "{path}: {problems}"},
        "error.templates_dir_missing": {
            "ja": "{path}: templates_dir = {value}: フォルダ {folder} がありません。"
            "このフォルダを作って変更したいテンプレートのコピーを入れるか、"
            "このキーを消してください",
            "en": "{path}: templates_dir = {value}: there is no folder {folder}. Create it with "
            "copies of the templates you change, or remove the key",
        },
        "error.client_name_empty": {
            "ja": "new-client: 店名が空です。店の名前を指定してください(例: さくら珈琲)",
            "en": "new-client: the client name is empty; give the shop's name, e.g. さくら珈琲",
        },
        "error.client_name_multiline": {
            "ja": "new-client: 店名は1行で書いてください",
            "en": "new-client: the client name must be on one line",
        },
        "error.client_name_too_long": {
            "ja": "new-client: 店名が{count}文字あります。"
            "使えるのは{most}文字までです(設定キー client)。短い名前にしてください",
            "en": "new-client: the client name has {count} characters; at most {most} fit (the "
            "config key client). Use a shorter name",
        },
        # clients.py: new-client's name, folders and files
        "error.client_name_too_long_for_file": {
            "ja": "店名がファイル名には長すぎます({count}文字)。"
            "短い名前にしてください(日本語なら50文字、英字なら150文字まで)",
            "en": "the client name is too long for a file name ({count} characters): give a "
            "shorter name (up to 50 Japanese or 150 Latin characters)",
        },
        "error.client_name_portfolio": {
            "ja": "店「{name}」の設定ファイルは {slug}.toml になりますが、"
            "sync-all はこのファイルを店の設定ではなくポートフォリオの設定として読みます。"
            "別の名前にしてください(例:「{name} 店」)",
            "en": 'a client called "{name}" would get the file {slug}.toml, which sync-all '
            "reads as the portfolio settings, not as a client: choose another name (e.g. "
            '"{name} shop")',
        },
        "error.folder_unusable": {
            "ja": "{option} {folder}: {reason}。別のフォルダを指定してください",
            "en": "{option} {folder}: {reason}; choose another folder",
        },
        "error.folder_is_file": {
            "ja": "フォルダではなくファイルです",
            "en": "it is a file, not a folder",
        },
        "error.folder_not_creatable": {
            "ja": "作れません({reason})",
            "en": "it cannot be created: {reason}",
        },
        "error.file_exists": {
            "ja": "{path} はすでにあります。別の名前にするか、そのファイルを消してください",
            "en": "{path} already exists; choose another name or remove it",
        },
        "error.cannot_create": {
            "ja": "new-client: {path} を作れません: {reason}",
            "en": "new-client: cannot create {path}: {reason}",
        },
        # outputs.py: --out and --report never write over a file that is not theirs
        "error.output_is_config": {
            "ja": "{option} {path}: これは店の設定ファイルです。何も書き込んでいません。"
            "別のファイル名を指定してください",
            "en": "{option} {path}: that is the client's config file; nothing was written. "
            "Choose another file name.",
        },
        "error.output_is_workbook": {
            "ja": "{option} {path}: これは店のブックです。何も書き込んでいません。"
            "別のファイル名を指定してください",
            "en": "{option} {path}: that is the client's workbook; nothing was written. "
            "Choose another file name.",
        },
        "error.output_is_folder": {
            "ja": "{option} {path}: ファイルではなくフォルダです。何も書き込んでいません",
            "en": "{option} {path}: that is a folder, not a file; nothing was written.",
        },
        "error.output_not_ours": {
            "ja": "{option} {path}: このファイルはすでにあり、sheets-sync が書いた{what}では"
            "ないため、上書きしません。何も書き込んでいません。新しいファイル名を指定するか、"
            "そのファイルを消してください",
            "en": "{option} {path}: the file exists and is not {what} written by sheets-sync, so "
            "it is not overwritten; nothing was written. Choose a new file name or remove the "
            "file.",
        },
        "error.what_report_file": {"ja": "JSON のレポート", "en": "a JSON report"},
        "error.what_agenda_file": {"ja": "アジェンダ", "en": "an agenda"},
        # api.py: the library's commands
        "error.no_cycle_to_review": {
            "ja": "ふり返るサイクルがまだありません。サイクルを足すか、--cycle N を"
            "指定してください",
            "en": "there is no cycle to review yet; add cycles or pass --cycle N",
        },
        # the run's own words about the failed send, already in the client's language
        "error.agenda_run_failed": {"ja": "{problem}", "en": "{problem}"},
        "error.demo_exists": {
            "ja": "{directory} にはすでにデモがあります。別の --dir を指定してください"
            "(置き換えるなら、確認に yes と答えてください)",
            "en": "{directory} already holds a demo; pass another --dir (or answer yes to "
            "replace it)",
        },
        "error.google_only_options": {
            "ja": "--share と --from-template は --backend google のときだけ使えます",
            "en": "--share and --from-template are for --backend google",
        },
        "error.not_a_config_folder": {
            "ja": "{directory}: 店の設定ファイルが入ったフォルダではありません",
            "en": "{directory}: not a folder of client configs",
        },
        # cli.py
        "error.log_file_unwritable": {
            "ja": "--log-file {path}: 追記できません({reason})。フォルダを作るか、書き込める"
            "ファイルを指定してください(例: ~/sheets-sync.log)",
            "en": "--log-file {path}: cannot append to it ({reason}). Create its folder, or "
            "choose a file you can write to, e.g. ~/sheets-sync.log",
        },
        # config.py: what is wrong with one key (pydantic's own words stay as pydantic gives them)
        "config.problem": {"ja": "{key}: {problem}", "en": "{key}: {problem}"},
        "config.problem_got": {"ja": "{problem}(入力値: {given})", "en": "{problem} (got {given})"},
        "config.problems_separator": {"ja": "。", "en": "; "},
        "config.unknown_key": {
            "ja": "{key} というキーはありません(README の設定の表でつづりを確かめてください)",
            "en": "unknown key {key} (check its spelling against the README's config table)",
        },
        "config.key_required": {"ja": "{key} は必須です", "en": "{key} is required"},
        "config.backend_needs_path": {
            "ja": 'sheet.backend = "xlsx" のときは sheet.path が必要です',
            "en": 'sheet.path is required when sheet.backend = "xlsx"',
        },
        "config.backend_needs_spreadsheet": {
            "ja": 'sheet.backend = "google" のときは sheet.spreadsheet が必要です',
            "en": 'sheet.spreadsheet is required when sheet.backend = "google"',
        },
        "config.not_a_time": {
            "ja": '{value} は "18:30" のような時刻(24時間制の HH:MM)ではありません',
            "en": '{value} is not a time like "18:30" (24-hour HH:MM)',
        },
        "config.sections_total": {
            "ja": "meeting.sections の合計は{total}分ですが、meeting.minutes は{minutes}分です。"
            "同じにしてください",
            "en": "meeting.sections add up to {total} minutes but meeting.minutes is {minutes}; "
            "make them equal",
        },
        "config.sections_twice": {
            "ja": "meeting.sections に同じセクションが2回あります",
            "en": "meeting.sections lists the same section twice",
        },
        "config.sections_deciding": {
            "ja": "meeting.sections には {section} を入れ、0分より長くしてください。"
            "ミーティングでは学びと次の一歩を決めるためです",
            "en": "meeting.sections must include {section} with more than 0 minutes: the "
            "meeting decides the learning and the next step",
        },
        "config.recipients_empty": {
            "ja": "リストが空です。アジェンダを受け取る人を指定してください"
            '(例: ["team@example.jp"])',
            "en": 'the list is empty: name who gets the agenda, e.g. ["team@example.jp"]',
        },
        "config.smtp_needed": {
            "ja": 'mail.transport = "smtp" のときは mail.smtp(host、port など)が必要です',
            "en": 'mail.smtp (host, port …) is required when mail.transport = "smtp"',
        },
        "config.unknown_zone": {
            "ja": 'タイムゾーン {value} はありません(例: "Asia/Tokyo")',
            "en": 'unknown time zone {value} (e.g. "Asia/Tokyo")',
        },
        "config.one_line": {"ja": "1行で書いてください", "en": "must be on one line"},
        "config.not_an_address": {
            "ja": "{value} は1つのメールアドレス(team@example.jp など)になっていません",
            "en": "{value} is not one e-mail address (like team@example.jp)",
        },
        # api.py: what was done, the CLI's answer
        "run.agenda_written": {
            "ja": "サイクル{cycle}のアジェンダを {path} に書き出しました",
            "en": "agenda for cycle {cycle} written to {path}",
        },
        "run.agenda_sent_now": {
            "ja": "サイクル{cycle}のアジェンダを送信しました: {to}",
            "en": "agenda for cycle {cycle} sent: {to}",
        },
        "run.upgrade_added": {"ja": "追加しました: {added}", "en": "added: {added}"},
        "run.upgrade_none": {"ja": "すでに最新です", "en": "already up to date"},
        # cli.py: prompts, notes and the last words of a run that failed unexpectedly
        "cli.demo_replace": {
            "ja": "{directory} にはすでにデモがあります。置き換えますか?",
            "en": "{directory} already holds a demo. Replace it?",
        },
        "cli.demo_kept": {
            "ja": "(前のデモは残し、今回のデモは {directory} に作ります)",
            "en": "(the earlier demo is kept; this one goes to {directory})",
        },
        "cli.not_a_date": {
            "ja": "{value} は 2026-11-23 のような日付ではありません",
            "en": "{value} is not a date like 2026-11-23",
        },
        "cli.date_out_of_range": {
            "ja": "{value} はシートに入る日付の範囲({first}〜{last}年)の外です。"
            "2026-11-23 のような日付を指定してください",
            "en": "{value} is outside the years {first}-{last}, the dates a sheet can hold; give "
            "a date like 2026-11-23",
        },
        "cli.log_file_failed": {
            "ja": "--log-file {path}: 書き込めません({reason})。実行は続けます。"
            "ログは標準エラー出力にだけ出します。"
            "そこの空き容量を増やすか、別のファイルを指定してください",
            "en": "--log-file {path}: cannot write to it ({reason}); the run goes on, logging "
            "to stderr only. Free space there or choose another file",
        },
        "cli.interrupted": {"ja": "中断しました", "en": "interrupted"},
        "cli.unexpected": {
            "ja": "予期しないエラーです({kind}: {error})。これ以上は何も書き込んでいません。"
            "詳しく知るには --verbose を付けてもう一度実行してください",
            "en": "unexpected error ({kind}: {error}). Nothing more was written. Run again "
            "with --verbose to see the details.",
        },
    }
)


# -- the workbook backends (backends/*.py) ----------------------------------------------------
WORDS.update(
    {
        # section B: its keys, error.* first, in the order the code raises them
        "tab.check_value": {
            "ja": "この値でよいか確認してください",
            "en": "Please check this value",
        },
        "google.unknown_account": {"ja": "サービスアカウント", "en": "the service account"},
        # xlsx_files.py: the file on disk. {name} the file's name, {path} its full path,
        # {lock} a lock file, {backups} the backup folder, {reason} the OS's own words.
        "error.workbook_open": {
            "ja": "{name} が Excel か LibreOffice で開かれています(ロックファイル {lock} "
            "があります)。{says}閉じてからもう一度実行してください。"
            "誰も開いていないのにロックファイルが残っている場合(異常終了のあとに残ります)は、"
            "ロックファイルを消してください。何も変更していません",
            "en": "{name} is open in Excel or LibreOffice (the lock file {lock} exists).{says} "
            "Close it and run again, or delete the lock file if nobody has it open (it stays "
            "behind after a crash); nothing was changed.",
        },
        "error.workbook_open_says": {
            "ja": "ロックファイルによると、{owner} が開いています。",
            "en": " It says {owner} has it open.",
        },
        "error.lock_owner": {"ja": "{since}{where}{who}", "en": "{who}{where}{since}"},
        "error.lock_owner_someone": {"ja": "誰か", "en": "someone"},
        "error.lock_owner_host": {"ja": "{host} の ", "en": " on {host}"},
        "error.lock_owner_since": {"ja": "{date} から ", "en": " (since {date})"},
        "error.not_xlsx_suffix": {
            "ja": "sheet.path が{kind}を指しています({path})。sheets-sync が読めるのは "
            ".xlsx(と .xlsm)のブックです。Excel か LibreOffice で開いて .xlsx で保存し、"
            "そのファイルを sheet.path に指定してください",
            "en": "sheet.path points at {kind} ({path}): sheets-sync reads .xlsx (and .xlsm) "
            "workbooks. Open it in Excel or LibreOffice, save as .xlsx, and put that file in "
            "sheet.path.",
        },
        "error.suffix_kind": {"ja": " {suffix} ファイル", "en": "a {suffix} file"},
        "error.suffix_none": {"ja": "拡張子のないファイル", "en": "a file with no extension"},
        "error.workbook_encrypted": {
            "ja": "{path} はパスワードで保護(暗号化)されているか、古い .xls ファイルなので"
            "読めません。Excel で開いてパスワードを外し(ファイル > 情報 > ブックの保護 > "
            "パスワードを使用して暗号化 で空にする)、.xlsx で保存してください",
            "en": "{path} is password-protected (encrypted) or an old .xls file, so it cannot be "
            "read. Open it in Excel, remove the password (File > Info > Protect Workbook > "
            "Encrypt with Password, clear it) and save as .xlsx.",
        },
        "error.workbook_not_xlsx": {
            "ja": "{path} は .xlsx のブックではありません(壊れているか、CSV などのファイルの"
            "名前を .xlsx に変えたものです)。開いて .xlsx で保存するか、{backups}/ から"
            "いちばん新しいコピーを戻してください",
            "en": "{path} is not an .xlsx workbook (damaged, or a CSV or other file renamed "
            ".xlsx): open it and save as .xlsx, or restore the newest copy from {backups}/.",
        },
        "error.workbook_missing": {
            "ja": "ブックが見つかりません: {path}",
            "en": "workbook not found: {path}",
        },
        "error.workbook_is_folder": {
            "ja": "{path} はフォルダです。.xlsx のブックではありません",
            "en": "{path} is a folder, not an .xlsx workbook",
        },
        "error.workbook_unreadable": {
            "ja": "{path} をこのユーザーでは読めません。"
            "このユーザーに読み書きの権限を与えてください",
            "en": "{path} cannot be read by this user: give it read and write permission",
        },
        "error.workbook_read_failed": {
            "ja": "{path} を読めませんでした: {reason}",
            "en": "could not read {path}: {reason}",
        },
        "error.workbook_not_written": {
            "ja": "{folder} にある {name} {step}({reason})。ブックは変更していません",
            "en": "could not {step} {name} in {folder} ({reason}); the workbook was not changed",
        },
        "error.save_step_temp": {
            "ja": "の一時ファイルを作れませんでした",
            "en": "create a temporary file for",
        },
        "error.save_step_write": {"ja": "を書き込めませんでした", "en": "write"},
        "error.save_step_back_up": {"ja": "のバックアップを作れませんでした", "en": "back up"},
        "error.save_step_replace": {"ja": "を置き換えられませんでした", "en": "replace"},
        "error.save_disk_full": {
            "ja": "ディスクがいっぱいです。空きを作ってからもう一度実行してください",
            "en": "the disk is full; free some space and run again",
        },
        "error.save_folder_not_writable": {
            "ja": "このユーザーはフォルダ {folder} に書き込めません。書き込み権限を与えてください",
            "en": "this user cannot write in the folder {folder}: give it write permission",
        },
        "error.workbook_changed": {
            "ja": "同期の途中で {name} が変わりました(誰かが保存しました)。"
            "何も書き込んでいません。もう一度実行してください",
            "en": "{name} changed while the sync was running (someone saved it); nothing was "
            "written. Run again.",
        },
        # xlsx.py: reading the package
        "error.workbook_not_a_package": {
            "ja": "{path} は .xlsx のブックではありません(.ods などのファイルの名前を .xlsx に"
            "変えたものではありませんか)。開いて .xlsx で保存してください",
            "en": "{path} is not an .xlsx workbook (an .ods or other file renamed .xlsx?): open "
            "it and save as .xlsx.",
        },
        "error.workbook_damaged": {
            "ja": "{path} を .xlsx のブックとして開けませんでした({kind}: {detail})。壊れて"
            "いる場合は、{backups}/ からいちばん新しいコピーを戻してください",
            "en": "{path} could not be opened as an .xlsx workbook ({kind}: {detail}). If it was "
            "damaged, restore the newest copy from {backups}/.",
        },
        # xlsx_package.py, xlsx_sheet.py, xlsx_upgrade.py: parts the write needs
        "error.sheet_not_replaceable": {
            "ja": "ブックのタブ「{clash}」は同期で置き換えられません(グラフシートか、「{title}」"
            "と大文字・小文字だけが違う名前です)。"
            "「{title}」を書き込めるように、このタブの名前を変えてください。何も変更していません",
            "en": 'the workbook has a sheet "{clash}" that the sync cannot replace (a chart '
            'sheet, or the same name in other letter case): rename it so "{title}" can be '
            "written; nothing was changed.",
        },
        "error.workbook_no_styles": {
            "ja": "ブックにスタイル定義({part})がありません。"
            "Excel か LibreOffice で開いて保存し直してください",
            "en": "the workbook has no styles part ({part}): open it in Excel or LibreOffice and "
            "save it again",
        },
        "error.workbook_no_element": {
            "ja": "ブックのパッケージに <{tag}> 要素がありません",
            "en": "the workbook package has no <{tag}> element",
        },
        "error.styles_no_list": {
            "ja": "ブックのスタイル定義に <{tag}> の一覧がありません",
            "en": "the workbook's styles part has no <{tag}> list",
        },
        "error.header_row_not_found": {
            "ja": "シートの XML に見出しの行({row}行目)が見つかりません",
            "en": "header row {row} not found in the sheet's XML",
        },
        # xlsx_template.py
        "error.new_workbook_not_xlsx": {
            "ja": "{path}: 新しく作るブックは .xlsx ファイル(マクロなし)です。"
            "ファイル名の末尾を .xlsx にしてください",
            "en": "{path}: a new workbook is an .xlsx file (no macros); name it .xlsx",
        },
        # google.py: {key} the spreadsheet id, {said} Google's own words (as Google sent them),
        # {detail} the first line of a library's error, {kind} its class.
        "error.google_key_missing": {
            "ja": "サービスアカウントの鍵ファイルが見つかりません: {path}",
            "en": "service-account key file not found: {path}",
        },
        "error.google_key_unusable": {
            "ja": "{path} はサービスアカウントの鍵として使えません({kind}: {detail})。"
            "サービスアカウントの新しい JSON 鍵をダウンロードしてください(Google Cloud "
            "console → IAM → Service accounts → Keys → Add key → JSON)",
            "en": "{path} is not a usable service-account key ({kind}: {detail}). Download a new "
            "JSON key for the service account (Google Cloud console → IAM → Service accounts → "
            "Keys → Add key → JSON).",
        },
        "error.google_no_credentials": {
            "ja": "Google の認証情報がありません。設定ファイルの sheet.credentials に"
            "サービスアカウントの JSON 鍵を指定するか、GOOGLE_APPLICATION_CREDENTIALS を"
            "設定してください(README の Google の設定を参照)",
            "en": "no Google credentials: set sheet.credentials in the config to a "
            "service-account JSON key, or GOOGLE_APPLICATION_CREDENTIALS (see the README's "
            "Google set-up)",
        },
        "error.google_sign_in_unreachable": {
            "ja": "アクセストークンを得るための Google のサインインサービス(oauth2.googleapis.com)"
            "に接続できませんでした{detail}。鍵には問題ありません。ネットワークに問題があります。"
            "インターネット接続、DNS、プロキシ、ファイアウォールを確かめて、"
            "もう一度実行してください。何も書き込んでいません",
            "en": "could not reach Google's sign-in service (oauth2.googleapis.com) to get an "
            "access token{detail}. The key is fine; the network is not: check the internet "
            "connection, DNS, proxy or firewall, and run again. Nothing was written.",
        },
        "error.google_detail": {"ja": "({detail})", "en": " ({detail})"},
        "error.google_kept_failing": {
            "ja": "Google スプレッドシート {key} へのリクエストが失敗し続けました({failure})。"
            "何も書き込んでいません。次の実行でもう一度試します。"
            "429 の場合は割り当て(quota)を使い切っています。"
            "同時に同期する店を減らすか、--requests-per-minute を下げてください",
            "en": "Google kept failing for Google Sheet {key}: {failure}. Nothing was written; "
            "the next run tries again (if this is 429, the quota is exhausted: run fewer "
            "clients at once or lower --requests-per-minute).",
        },
        "error.google_attempts": {
            "ja": "{reason}、{seconds}秒間に{attempts}回試行",
            "en": "{reason} after {attempts} attempts over {seconds}s",
        },
        "error.google_api_disabled": {
            "ja": "サービスアカウントのプロジェクトで Google Sheets API(または Drive API)が"
            "有効になっていません。Google Cloud console で有効にしてください(APIs & Services "
            "→ Library → Google Sheets API → Enable)。Google の返答: {said}",
            "en": "the Google Sheets API (or Drive API) is not enabled for the service account's "
            "project. Enable it in the Google Cloud console (APIs & Services → Library → "
            "Google Sheets API → Enable). Google said: {said}",
        },
        "error.google_not_shared": {
            "ja": "Google スプレッドシート {key} がサービスアカウントと共有されていません。"
            "シートを開き、「共有」で {email} を編集者として追加してから、もう一度実行して"
            "ください",
            "en": "Google Sheet {key} is not shared with the service account. Open the sheet → "
            "Share → add {email} as an Editor, then run again.",
        },
        "error.google_sheet_not_found": {
            "ja": "Google スプレッドシート {key} が見つかりません。設定ファイルの "
            "sheet.spreadsheet(URL、または /d/ と /edit の間の ID)を確かめてください",
            "en": "Google Sheet {key} was not found. Check sheet.spreadsheet in the config (the "
            "URL or the id between /d/ and /edit).",
        },
        "error.google_credentials_refused": {
            "ja": "Google が認証情報を受け付けませんでした(401)。サービスアカウントの鍵を"
            "確かめてください",
            "en": "Google did not accept the credentials (401); check the service-account key.",
        },
        "error.google_answered": {
            "ja": "Google スプレッドシート {key} について Google が {status} を返しました: {said}",
            "en": "Google answered {status} for Google Sheet {key}: {said}",
        },
        "error.google_unreachable": {
            "ja": "Google に接続できませんでした: {kind}",
            "en": "could not reach Google: {kind}",
        },
        "error.google_key_refused": {
            "ja": "Google がサービスアカウントの鍵を受け付けませんでした({detail})。鍵が削除"
            "されたか無効にされた可能性があります。新しい鍵を作って sheet.credentials を"
            "更新してください",
            "en": "Google refused the service-account key ({detail}). The key may have been "
            "deleted or revoked: create a new one and update sheet.credentials.",
        },
        "error.google_not_json": {
            "ja": "Google スプレッドシート {key} についての Google の返答が JSON ではありません"
            "でした(間にプロキシやキャプティブポータルが入っていませんか)",
            "en": "Google's answer for Google Sheet {key} was not JSON (a proxy or captive "
            "portal in the way?)",
        },
        "error.google_config_exists": {
            "ja": "{path} はすでにあります。別の名前にするか、そのファイルを消してください",
            "en": "{path} already exists; choose another name or remove it",
        },
        # what the backends log (cron reads it) and tell doctor
        "google.retry": {
            "ja": "Google が {method} {endpoint} に {reason} を返しました。{delay}秒後に"
            "再試行します({attempt}回目)",
            "en": "Google answered {reason} to {method} {endpoint}; retry {attempt} in {delay}s",
        },
        "google.retry_sign_in": {
            "ja": "Google のサインインサービスに接続できないため、"
            "{method} {endpoint} に応答がありませんでした。"
            "{delay}秒後に再試行します({attempt}回目)",
            "en": "Google answered nothing (its sign-in service is unreachable) to {method} "
            "{endpoint}; retry {attempt} in {delay}s",
        },
        "google.write_landed": {
            "ja": "最初の書き込みは、Google からの返答は届きませんでしたが反映されていました。"
            "もう一度書き込みます",
            "en": "the first write landed although its answer was lost; writing again",
        },
        "doctor.google_credentials_note": {"ja": "{who}{key_file}", "en": "{who}{key_file}"},
        "doctor.google_credentials": {
            "ja": "サービスアカウント {email}",
            "en": "service account {email}",
        },
        "doctor.google_default_credentials": {
            "ja": "アプリケーションのデフォルト認証情報",
            "en": "application default credentials",
        },
        "doctor.google_key_file": {"ja": "(鍵ファイル {path})", "en": " (key file {path})"},
        "doctor.google_read": {
            "ja": "Google スプレッドシート {key} を {account} で読めました(タブ {tabs}個)",
            "en": "read Google Sheet {key} ({tabs} tabs) as {account}",
        },
        "doctor.google_default_account": {
            "ja": "デフォルトのアカウント",
            "en": "the default account",
        },
        "doctor.xlsx_missing_fix": {
            "ja": "設定ファイルの sheet.path を確かめるか、`sheets-sync new-client` で"
            "作ってください",
            "en": "check sheet.path in the config, or create it with `sheets-sync new-client`",
        },
        "doctor.xlsx_no_access": {
            "ja": "{path} をこのユーザーでは読み書きできません",
            "en": "{path} cannot be read and written by this user",
        },
        "doctor.xlsx_no_access_fix": {
            "ja": "このユーザーにファイルの読み書きの権限を与えてください",
            "en": "give this user read and write permission on the file",
        },
        "doctor.xlsx_open": {
            "ja": "{name} が Excel か LibreOffice で開かれています({lock} があります)。"
            "このままでは同期はこのブックに書き込みません",
            "en": "{name} is open in Excel or LibreOffice ({lock} exists), so a sync would "
            "refuse to write it",
        },
        "doctor.xlsx_open_fix": {
            "ja": "ブックを閉じてください(誰も開いていないなら、ロックファイルを消してください)",
            "en": "close the workbook (or delete the lock file if nobody has it open)",
        },
        "doctor.xlsx_found": {
            "ja": "{path} があり、Excel でも LibreOffice でも開かれていません",
            "en": "{path} exists and is not open in Excel or LibreOffice",
        },
        "doctor.xlsx_read": {
            "ja": "{name} からタブを{tabs}個読めました",
            "en": "read {tabs} tabs from {name}",
        },
        # the words a new workbook's generated tabs hold before the first sync
        "tab.placeholder": {
            "ja": "このタブは sheets-sync が同期のたびに書き直します(入力はほかのタブへ)。",
            "en": "sheets-sync rewrites this tab on every sync (type into the other tabs).",
        },
        "tab.protected": {
            "ja": "{title}: sheets-sync が同期のたびに書き直すタブです",
            "en": "{title}: sheets-sync rewrites this tab on every sync",
        },
    }
)


# -- the agenda, mail and the run itself (agenda/*.py, sync.py, report.py) --------------------
WORDS.update(
    {
        # section C: its keys, error.* first, in the order the code raises them
        # agenda/mail.py: the agenda's delivery ({file} the config file, {server} smtp://host:port)
        "error.mail_to_empty": {
            "ja": "{file}: mail.to が空なので、メールは誰にも届きません",
            "en": "{file}: mail.to is empty, so nobody would get the mail",
        },
        "error.smtp_settings_missing": {
            "ja": "{file}: mail.smtp の設定がありません",
            "en": "{file}: mail.smtp is missing",
        },
        "error.agenda_out_suffix": {
            "ja": "--out {out}: ファイル名は .eml、.html、.txt のどれかで終わるようにしてください",
            "en": "--out {out}: the file name must end in .eml, .html or .txt",
        },
        "error.agenda_out_unwritable": {
            "ja": "--out {out}: ファイルに書き込めません({reason})",
            "en": "--out {out}: cannot write the file: {reason}",
        },
        "error.not_an_address": {
            "ja": "{file}: {key} の「{text}」はメールアドレスではありません({reason})",
            "en": "{file}: {key}: '{text}' is not an e-mail address ({reason})",
        },
        "error.outbox_outside": {
            "ja": "{file}: mail.outbox = '{outbox}' は {folder} の中のフォルダにしてください",
            "en": "{file}: mail.outbox = '{outbox}' must be a folder inside {folder}",
        },
        "error.outbox_unwritable": {
            "ja": "送信フォルダ {folder} にメールを書き込めませんでした({reason})",
            "en": "could not write the mail to the outbox {folder}: {reason}",
        },
        "error.smtp_login_refused": {
            "ja": "{server} が「{user}」のログインを拒否しました。環境変数 {variable} の"
            "パスワードを確かめてください",
            "en": "{server} refused the login for '{user}': check the password in the "
            "environment variable {variable}",
        },
        "error.smtp_recipients_refused": {
            "ja": "{server} がすべての宛先を拒否しました: {recipients}",
            "en": "{server} refused every recipient: {recipients}",
        },
        "error.smtp_not_supported": {
            "ja": "{server} はこの操作に対応していません: {reply}",
            "en": "{server} does not support this: {reply}",
        },
        "error.smtp_said": {
            "ja": "{server} がエラーを返しました: {code} {reply}",
            "en": "{server} said {code} {reply}",
        },
        "error.smtp_failed": {
            "ja": "{server} での送信に失敗しました: {reason}",
            "en": "sending through {server} failed: {reason}",
        },
        "error.smtp_timeout": {
            "ja": "{server} が{seconds}秒以内に応答しませんでした(mail.smtp.timeout)",
            "en": "{server} did not answer within {seconds} seconds (mail.smtp.timeout)",
        },
        "error.smtp_login_unencodable": {
            "ja": "{server}: ユーザー名かパスワードを送れませんでした(送れない文字が入っています)",
            "en": "{server}: the user name or the password could not be sent (unusual characters)",
        },
        "error.smtp_tls_failed": {
            "ja": "{server} との暗号化接続に失敗しました({security}): {reason}",
            "en": "secure connection to {server} failed ({security}): {reason}",
        },
        "error.smtp_unreachable": {
            "ja": "{server} に接続できませんでした: {reason}",
            "en": "could not connect to {server}: {reason}",
        },
        "error.smtp_password_env_unset": {
            "ja": "{file}: mail.smtp.username はありますが mail.smtp.password_env がありません。"
            "パスワードを入れた環境変数の名前を書いてください(例: SHEETS_SYNC_SMTP_PASSWORD)",
            "en": "{file}: mail.smtp.username is set but mail.smtp.password_env is not; name "
            "the environment variable that holds the password (e.g. SHEETS_SYNC_SMTP_PASSWORD)",
        },
        "error.smtp_password_missing": {
            "ja": "SMTPのパスワードがありません。環境変数 {variable} を設定してください"
            "({file} の mail.smtp.password_env で指定されています)",
            "en": "the SMTP password is missing: set the environment variable {variable} "
            "(named by mail.smtp.password_env in {file})",
        },
        # agenda/render.py: a client's own template or CSS
        "error.template_failed": {
            "ja": "{file}: アジェンダのテンプレート {where} でメールを作れませんでした: {reason}",
            "en": "{file}: the agenda template {where} could not be rendered: {reason}",
        },
        "error.template_line": {"ja": "{file} の{line}行目", "en": "{file}, line {line}"},
        "error.template_include_missing": {
            "ja": "「{name}」を読み込んでいますが、templates_dir にも組み込みのテンプレートにも"
            "ありません",
            "en": "it includes '{name}', which is neither in templates_dir nor built in",
        },
        "error.css_not_inlined": {
            "ja": "{document}のCSSをインライン化できませんでした: {reason}",
            "en": "{document} CSS could not be inlined: {reason}",
        },
        "error.css_of_agenda": {"ja": "{file}: アジェンダ", "en": "{file}: the agenda's"},
        # agenda/view.py: `agenda` for a cycle the sheet does not have
        "error.no_cycle_in_sheet": {
            "ja": "ふり返るサイクルがまだありません。"
            "シートの「サイクル」タブにサイクルを足してください",
            "en": "There is no cycle to review yet: add one to the Cycles tab of the sheet",
        },
        "error.cycle_not_in_sheet": {
            "ja": "サイクル{cycle}はシートの「サイクル」タブにありません",
            "en": "Cycle {cycle} is not in the Cycles tab of the sheet",
        },
        # sync.py: a failed write after a send; --report
        "error.sent_not_recorded": {
            "ja": "{error}({sent}。次の実行で記録し、もう一度は送りません)",
            "en": "{error} ({sent}; the next run records it and does not send it again)",
        },
        "error.sent_agenda": {
            "ja": "アジェンダは {where} へ送信済みです",
            "en": "the agenda WAS sent to {where}",
        },
        "error.sent_reminder": {
            "ja": "入力のお願いは {where} へ送信済みです",
            "en": "the reminder WAS sent to {where}",
        },
        "error.sent_both": {
            "ja": "アジェンダは {agenda} へ、入力のお願いは {reminder} へ送信済みです",
            "en": "the agenda WAS sent to {agenda} and the reminder WAS sent to {reminder}",
        },
        "error.sync_report_unusable": {
            "ja": "--report {path}: そこにはレポートを書き込めません({reason})。書き込める"
            "フォルダのファイルを指定してください。何も書き込んでいません",
            "en": "--report {path}: cannot write the report there: {reason}. Choose a file in a "
            "folder you can write to; nothing was written",
        },
        "error.sync_report_is_folder": {"ja": "フォルダです", "en": "it is a folder"},
        "error.sync_report_no_folder": {
            "ja": "{folder} はフォルダではありません",
            "en": "{folder} is not a folder",
        },
        "error.sync_report_folder_unwritable": {
            "ja": "{folder} に書き込めません({reason})",
            "en": "{folder} is not writable ({reason})",
        },
        "error.sync_report_not_written": {
            "ja": "--report {path}: レポートを書き込めません({reason})。"
            "シート、アジェンダ、入力のお願いの処理は済んでいます",
            "en": "--report {path}: cannot write the report: {reason} (the sheet, the agenda and "
            "the reminder were handled)",
        },
        # mail.py: where a mail went when the server refused some of its recipients
        "mail.partly_refused": {
            "ja": "{where}(拒否された宛先: {refused})",
            "en": "{where} (refused: {refused})",
        },
        # agenda/invite.py: the meeting's roles in the calendar event's description
        "invite.role.facilitator": {"ja": "進行:{person}", "en": "Facilitator: {person}"},
        "invite.role.timekeeper": {"ja": "タイムキーパー:{person}", "en": "Timekeeper: {person}"},
        "invite.role.recorder": {"ja": "記録:{person}", "en": "Recorder: {person}"},
        # agenda/reminder.py: one missing input in the reminder's plain text
        "reminder.item": {"ja": "・{line}", "en": "- {line}"},
        # agenda/chain.py: the chain notes, one per rule of its table, in the table's order.
        # {action} {intermediate} {result}: a layer's arrow; {better} {worse}: chain.named or ""
        "chain.no_data": {
            "ja": "前回と比べられる数字がまだありません。"
            "今日はお客さまの一言(証拠)から話しましょう",
            "en": "no numbers to compare with last time yet: talk from what customers said (the"
            " evidence) today",
        },
        "chain.step_skipped": {
            "ja": "前回決めた一歩は実施できませんでした(シートの「一歩の実施」: いいえ)。"
            "ほかの数字より先に、何が妨げになったかを話しましょう。誰のせいでもありません。"
            "次の一歩を小さくしましょう",
            "en": "the step chosen last time was not carried out (Step done: no, in the sheet):"
            " before the other numbers, talk about what got in the way; it is nobody's "
            "fault — make the next step smaller",
        },
        "chain.action_unknown": {
            "ja": "行動KPIはまだ前回と比べられません。"
            "まず一歩を実行できたかを確かめてから、ほかの数字を見ましょう",
            "en": "the action KPIs cannot be compared yet: first check whether the "
            "step was carried out, then read the other numbers",
        },
        "chain.not_done": {
            "ja": "行動KPIは前回から進んでいません。"
            "ほかの数字より先に、一歩を実行できたかを確かめましょう。"
            "妨げがあったとしても誰のせいでもありません。次の一歩を小さくしましょう",
            "en": "the action KPIs did not move on: before the other numbers,"
            " ask whether the step was carried out; if something got in the way, it is "
            "nobody's fault — make the next step smaller",
        },
        "chain.evidence_thin": {
            "ja": "サイクルは回りました。"
            "ただ、今回は証拠の記録が少なく、お客さまが変わったかどうかはまだわかりません。"
            "数字より先に、記録が少なかった理由と、次の記録の仕方を話しましょう",
            "en": "cycles ran but there are too few evidence records this "
            "time to tell whether customers changed: before the numbers,"
            " talk about why so little was recorded and how to record next time",
        },
        "chain.all_improved": {
            "ja": "サイクルが回り、中間KPI{better}が良い方向に動き、"
            "結果も良くなりました。何が効いたのかを1行の学びに残しましょう",
            "en": "cycles ran, the intermediate KPIs{better} moved the way we"
            " want and results improved: write down what "
            "worked in one line",
        },
        "chain.result_lags": {
            "ja": "中間KPI{better}は良い方向に動きましたが、"
            "結果はまだ動いていません。結果はたいてい遅れて出ます。"
            "このまま続けましょう",
            "en": "the intermediate KPIs{better} moved the way we want but "
            "results have not moved yet: results usually lag — keep "
            "going",
        },
        "chain.result_dipped": {
            "ja": "中間KPI{better}は良い方向に動きましたが、結果は下がりました。"
            "結果は季節や天気にも左右されます。1回で決めつけず、もう1サイクル見てみましょう",
            "en": "the intermediate KPIs{better} moved the way we want but the"
            " result fell: results also move with season and weather — don't "
            "judge from one cycle, watch one more",
        },
        "chain.result_unmeasured": {
            "ja": "中間KPI{better}は良い方向に動きました。結果KPIはまだ比べられません。"
            "取れる範囲で記録を続けましょう",
            "en": "the intermediate KPIs{better} moved the way we want; the "
            "result KPIs cannot be compared yet: keep recording what you can",
        },
        "chain.not_reaching": {
            "ja": "サイクルは回りましたが、中間KPIは動いていません。"
            "改善がまだお客さまに届いていないかもしれません",
            "en": "cycles ran but the intermediate KPIs did not move: the change "
            "may not have reached customers yet",
        },
        "chain.backfired": {
            "ja": "サイクルは回りましたが、"
            "中間KPI{worse}は思った方向と逆に動きました。"
            "誰かを責めずに、どの場面で起きたかを証拠で確かめましょう",
            "en": "cycles ran but the intermediate KPIs{worse} moved the "
            "other way: no blame — look at the evidence for where it "
            "happened",
        },
        "chain.mixed_signals": {
            "ja": "サイクルは回りましたが、"
            "中間KPIは思った方向に動いたものと逆に動いたものに分かれました。"
            "どのサインが動いたかを証拠で確かめましょう",
            "en": "cycles ran but the intermediate KPIs went both ways: check in "
            "the evidence which signals moved",
        },
        "chain.intermediate_unmeasured": {
            "ja": "サイクルは回りましたが、中間KPIはまだ比べられません。"
            "迷い・不安・納得のサインを「証拠」タブに記録しましょう",
            "en": "cycles ran but the intermediate KPIs cannot be compared "
            "yet: record signs of hesitation, anxiety and conviction in the Evidence tab",
        },
        "chain.named": {"ja": "({names})", "en": " ({names})"},
        # sync.py: why no agenda or reminder went out (inside run.agenda_skipped's brackets)
        "run.skip_meeting_passed": {
            "ja": "サイクル{cycle}のミーティング({day})は過ぎているため、何も送っていません",
            "en": "the meeting for cycle {cycle} ({day}) has passed; nothing sent",
        },
        "run.skip_already_sent": {
            "ja": "サイクル{cycle}の分は{at}に送信済み",
            "en": "already sent for cycle {cycle} at {at}",
        },
        "run.skip_due_on": {"ja": "{day}に送る予定", "en": "due on {day}"},
        "run.reminder_skip_not_today": {
            "ja": "今日は入力のお願いを送る日ではありません",
            "en": "not a reminder day",
        },
        "run.reminder_skip_already_sent": {
            "ja": "サイクル{cycle}の分は送信済み",
            "en": "already sent for cycle {cycle}",
        },
        "run.reminder_skip_nothing_missing": {
            "ja": "未入力はありません",
            "en": "nothing is missing",
        },
        "run.dry_run": {
            "ja": "試し実行(--dry-run)のため、何も書き込まず、何も送っていません",
            "en": "dry run: nothing written, nothing sent",
        },
        "run.journal_note_failed": {
            "ja": "{client}: 送った{what}を {path} に記録できませんでした({reason})",
            "en": "{client}: could not note the sent {what} in {path}: {reason}",
        },
    }
)


# -- the consultant's commands (batch.py, watch.py, watch_status.py, changes.py, doctor.py,
#    portfolio/*.py, gcpause.py) --------------------------------------------------------------
WORDS.update(
    {
        # section D: its keys, error.* first, in the order the code raises them
        # batch.py (sync-all's options)
        "error.shard_format": {
            "ja": "--shard {shard}: K/N の形で書いてください。たとえば 4つのジョブの1つ目なら 1/4 "
            "です(K は 1 から N まで。Kubernetes の JOB_COMPLETION_INDEX は 0 から始まるので"
            "1を足してください)",
            "en": "--shard {shard}: write it as K/N, e.g. 1/4 for the first of 4 jobs (K from 1 "
            "to N; Kubernetes' JOB_COMPLETION_INDEX starts at 0, so add 1)",
        },
        "error.shard_count": {
            "ja": "--shard {shard}: K/N の N は 1 から {most} までにしてください",
            "en": "--shard {shard}: in K/N, N must be between 1 and {most}",
        },
        "error.shard_index": {
            "ja": "--shard {shard}: K は 1 から {count} までにしてください(Kubernetes の "
            "JOB_COMPLETION_INDEX は 0 から始まるので1を足してください)",
            "en": "--shard {shard}: K must be between 1 and {count} (Kubernetes' "
            "JOB_COMPLETION_INDEX starts at 0, so add 1)",
        },
        "error.jobs_below_one": {
            "ja": "--jobs は1以上にしてください(指定: {jobs})",
            "en": "--jobs must be at least 1 (got {jobs})",
        },
        "error.requests_per_minute_below_one": {
            "ja": "--requests-per-minute は1以上にしてください(指定: {requests})",
            "en": "--requests-per-minute must be at least 1 (got {requests})",
        },
        # watch.py, watch_status.py
        "error.daily_at_format": {
            "ja": "--daily-at {text}: 時刻は HH:MM の形で指定してください(例: 07:30)",
            "en": "--daily-at {text}: give the time as HH:MM, e.g. 07:30",
        },
        "error.interval_range": {
            "ja": "--interval は0より大きく、--debounce は0以上にしてください",
            "en": "--interval must be above 0 and --debounce 0 or more",
        },
        "error.idle_interval_short": {
            "ja": "--idle-interval({idle})は --interval({interval})以上にしてください",
            "en": "--idle-interval ({idle}) must be at least --interval ({interval})",
        },
        "error.watch_running": {
            "ja": "別の `sheets-sync watch` がすでに {directory} を監視しています({lock} "
            "が使用中です)",
            "en": "another `sheets-sync watch` is already watching {directory} ({lock} is held)",
        },
        "error.no_watch_status": {
            "ja": "{directory} に watch の状態ファイルがありません({name} がないか、読めません)。"
            "`sheets-sync watch {directory}` で watch を始めてください",
            "en": "no watch status in {directory} ({name} is missing or unreadable): start one "
            "with `sheets-sync watch {directory}`",
        },
        # changes.py
        "error.drive_unreachable": {
            "ja": "Google ドライブに接続できませんでした: {reason}",
            "en": "could not reach Google Drive: {reason}",
        },
        "error.drive_key_refused": {
            "ja": "Google がサービスアカウントの鍵を受け付けませんでした: {reason}",
            "en": "Google refused the service-account key: {reason}",
        },
        "error.drive_answered": {
            "ja": "Google ドライブが変更フィードのリクエストに {status} を返しました: {reason}",
            "en": "Google Drive answered {status} to the change feed: {reason}",
        },
        "error.drive_not_json": {
            "ja": "Google ドライブの応答が JSON ではありませんでした",
            "en": "Google Drive's answer was not JSON",
        },
        # portfolio/digest.py, portfolio/render.py
        "error.portfolio_unreadable": {
            "ja": "{path}: ファイルを読めません: {reason}",
            "en": "{path}: cannot read the file: {reason}",
        },
        "error.portfolio_not_toml": {
            "ja": "{path}: TOML の書き方が正しくありません: {reason}",
            "en": "{path}: not valid TOML: {reason}",
        },
        "error.portfolio_invalid": {"ja": "{path}: {problems}", "en": "{path}: {problems}"},
        "error.portfolio_bad_address": {
            "ja": "{path}: portfolio.to: {address} は1つのメールアドレスになっていません",
            "en": "{path}: portfolio.to: {address} is not one e-mail address",
        },
        "error.portfolio_no_recipients": {
            "ja": "{path}: portfolio.to が空です。ポートフォリオを受け取る人を書いてください",
            "en": "{path}: portfolio.to is empty; say who receives the portfolio",
        },
        "error.portfolio_templates_outside": {
            "ja": "{path}: templates_dir は {folder} の中のフォルダにしてください",
            "en": "{path}: templates_dir must be a folder inside {folder}",
        },
        "error.portfolio_not_an_address": {
            "ja": "{address} はメールアドレスではありません({reason})",
            "en": "{address} is not an e-mail address ({reason})",
        },
        "error.portfolio_template_failed": {
            "ja": "ポートフォリオのテンプレート {name}({where})でエラーになりました: {reason}",
            "en": "the portfolio template {name} ({where}) failed: {reason}",
        },
        # sync-all's rows and their log lines (batch.py; English, like its table)
        "table.crashed": {
            "ja": "予期しないエラー({kind}: {error})",
            "en": "unexpected error ({kind}: {error})",
        },
        "table.reminder_not_sent": {
            "ja": "入力のお願いを送れませんでした(次の実行で送り直します): {error}",
            "en": "input reminder not sent (retried next run): {error}",
        },
        "table.client_line": {
            "ja": "sync-all {client}: {outcome} · {checks} · アジェンダ {agenda} · {seconds}秒",
            "en": "sync-all {client}: {outcome} · {checks} · agenda {agenda} · {seconds}s",
        },
        "table.and_problem": {"ja": " · {problem}", "en": " · {problem}"},
        "table.followup": {"ja": "{what}: {message}", "en": "{what}: {message}"},
        # the portfolio after sync-all (portfolio/__init__.py: lines under sync-all's table)
        "consultant.what_portfolio": {"ja": "ポートフォリオ", "en": "portfolio"},
        "consultant.what_portfolio_mail": {"ja": "ポートフォリオのメール", "en": "portfolio mail"},
        "consultant.portfolio_not_sent": {
            "ja": "送っていません: {error}",
            "en": "not sent: {error}",
        },
        "consultant.portfolio_not_written": {
            "ja": "書き出していません: {error}",
            "en": "not written: {error}",
        },
        "consultant.portfolio_unwritable": {
            "ja": "{folder} に書き込めませんでした: {reason}",
            "en": "could not be written in {folder}: {reason}",
        },
        "consultant.portfolio_written": {
            "ja": "{html} と {csv} を書き出しました",
            "en": "{html} and {csv} written",
        },
        "consultant.portfolio_already_sent": {
            "ja": "{week} の分は送信済みです(次は来週)",
            "en": "already sent for {week} (next one next week)",
        },
        "consultant.portfolio_sent_unrecorded": {
            "ja": "送信しました: {where}。ただし {state} に書き込めませんでした({reason})。"
            "このままでは今週の次の実行でもう一度送られます",
            "en": "sent: {where}, but {state} could not be written ({reason}); the next run this "
            "week would send it again",
        },
        "consultant.portfolio_sent": {
            "ja": "{week} の分を送信しました: {where}",
            "en": "sent for {week}: {where}",
        },
        # portfolio.toml's mistakes (portfolio/digest.py), joined into error.portfolio_invalid
        "consultant.portfolio_unknown_key": {
            "ja": "{key} というキーはありません",
            "en": "unknown key {key}",
        },
        "consultant.portfolio_key_required": {
            "ja": "{key} は必須です",
            "en": "{key} is required",
        },
        "consultant.portfolio_key_invalid": {"ja": "{key}: {reason}", "en": "{key}: {reason}"},
        "consultant.portfolio_subject_shard": {"ja": "(分担 {shard})", "en": " (shard {shard})"},
        # the portfolio page and digest (portfolio/view.py), in the portfolio's language
        "consultant.portfolio_subject": {
            "ja": "ポートフォリオ {day} — {total}店中{needy}店が要フォロー",
            "en": "Portfolio {day} — {needy} of {total} clients need help",
        },
        "consultant.outcome.ok": {"ja": "OK", "en": "ok"},
        "consultant.outcome.agenda_failed": {"ja": "案内メール送信失敗", "en": "agenda not sent"},
        "consultant.outcome.locked": {"ja": "別の実行中のため未処理", "en": "locked (another run)"},
        "consultant.outcome.sheet_error": {"ja": "シートを読み書きできず", "en": "sheet error"},
        "consultant.outcome.config_error": {"ja": "設定ファイルの誤り", "en": "config error"},
        "consultant.outcome.crashed": {"ja": "予期しないエラー", "en": "crashed"},
        "consultant.agenda.yes": {"ja": "送信済み", "en": "sent"},
        "consultant.agenda.no": {"ja": "未送信", "en": "not yet"},
        "consultant.agenda.failed": {"ja": "失敗", "en": "failed"},
        "consultant.portfolio_css": {"ja": "ポートフォリオ", "en": "the portfolio's"},
        "consultant.builtin_templates": {
            "ja": "組み込みのテンプレート",
            "en": "the built-in templates",
        },
        # watch.py: its log lines (English, like sync-all's: one log for every client)
        "watch.started": {
            "ja": "watch {directory}: {clients}、{interval}秒ごとに確認({quiet}秒変更がなければ"
            "{idle}秒ごと)、変更後の待ち時間 {debounce}秒{daily}",
            "en": "watch {directory}: {clients}, every {interval}s ({idle}s after {quiet}s "
            "quiet), debounce {debounce}s{daily}",
        },
        "watch.daily_at": {"ja": "、毎日 {time} に実行", "en": ", daily at {time}"},
        "watch.poll_failed": {
            "ja": "watch: 今回の確認に失敗しました({kind}: {error})",
            "en": "watch: this poll failed ({kind}: {error})",
        },
        "watch.finishing": {
            "ja": "watch: 止める前に、実行中の同期{n}件が終わるのを待ちます",
            "en": "watch: finishing {n} sync(s) in flight before stopping",
        },
        "watch.config_gone": {
            "ja": "watch: {config} がなくなりました。今後は監視しません",
            "en": "watch: {config} is gone; no longer watched",
        },
        "watch.client_problem": {
            "ja": "watch {client}: {problem}",
            "en": "watch {client}: {problem}",
        },
        "watch.changed": {
            "ja": "watch {client}: {why}。変更が落ち着いたら同期します",
            "en": "watch {client}: {why}; syncing once it has settled",
        },
        "watch.why_new_config": {
            "ja": "店の設定ファイルが追加されました",
            "en": "new client config",
        },
        "watch.why_before_restart": {
            "ja": "watch の再起動前に変更されました",
            "en": "changed before the watch restarted",
        },
        "watch.why_config_changed": {"ja": "設定ファイルが変わりました", "en": "config changed"},
        "watch.why_sheet_removed": {
            "ja": "シートが削除されたか共有が解除されました",
            "en": "sheet removed or unshared",
        },
        "watch.why_sheet_edited": {
            "ja": "{who} がシートを編集しました",
            "en": "sheet edited by {who}",
        },
        "watch.someone": {"ja": "誰か", "en": "someone"},
        "watch.why_saved": {"ja": "{file} が保存されました", "en": "{file} saved"},
        "watch.feed_refused": {
            "ja": "watch: Google ドライブが変更フィードを拒否しました({error})。"
            "代わりに{n}個のファイルを1つずつ確かめます(確認のたびに、"
            "ファイル1つにつき1リクエスト)",
            "en": "watch: Drive refused the change feed ({error}); asking about each of the {n} "
            "files instead (one request per file per poll)",
        },
        "watch.feed_back": {
            "ja": "watch: Google ドライブの変更フィードがまた応答するようになりました",
            "en": "watch: the Drive change feed answers again",
        },
        "watch.feed_failed": {
            "ja": "watch: Google ドライブの変更フィードを読めません: {error}(このまま試し続けます)",
            "en": "watch: cannot read the Drive change feed: {error} (trying again)",
        },
        "watch.open_waiting": {
            "ja": "Excel/LibreOffice で開かれています({lock})。閉じられるのを待っています",
            "en": "open in Excel/LibreOffice ({lock}); waiting",
        },
        "watch.open": {
            "ja": "watch {client}: {file} が開かれています({lock})。閉じられるまで待ちます",
            "en": "watch {client}: {file} is open ({lock}); waiting until it is closed",
        },
        "watch.closed": {
            "ja": "watch {client}: {file} が閉じられました",
            "en": "watch {client}: {file} was closed",
        },
        "watch.back": {
            "ja": "watch {client}: {file} が戻りました",
            "en": "watch {client}: {file} is back",
        },
        "watch.missing_waiting": {
            "ja": "{file} がありません(削除または移動された可能性があります)。戻るのを待っています",
            "en": "{file} is missing (deleted or moved?); waiting for it to come back",
        },
        "watch.missing": {
            "ja": "watch {client}: {file} がありません: {path}",
            "en": "watch {client}: {file} is missing: {path}",
        },
        "watch.portfolio": {
            "ja": "watch ポートフォリオ: {what}: {message}",
            "en": "watch portfolio: {what}: {message}",
        },
        "watch.client_line": {
            "ja": "watch {client}: {outcome} · {checks} · アジェンダ {agenda} · {seconds}秒 · "
            "{trigger}",
            "en": "watch {client}: {outcome} · {checks} · agenda {agenda} · {seconds}s · {trigger}",
        },
        "watch.status_unwritable": {
            "ja": "watch: {file} に書き込めませんでした: {error}",
            "en": "watch: could not write {file}: {error}",
        },
        "watch.stopping": {
            "ja": "watch: {signal} を受け取りました。実行中の同期が終わったら止まります",
            "en": "watch: {signal} received; stopping after the syncs in flight",
        },
        "watch.stopped": {
            "ja": "watch {directory}: 停止しました",
            "en": "watch {directory}: stopped",
        },
        # watch_status.py: `sheets-sync status` (English, like its table)
        "status.watch_line": {
            "ja": "watch pid {pid}({running})、{interval}秒ごと{quiet}、"
            "変更後の待ち時間 {debounce}秒{daily}",
            "en": "watch pid {pid} ({running}), every {interval}s{quiet}, debounce "
            "{debounce}s{daily}",
        },
        "status.watch_alive": {"ja": "動いています", "en": "running"},
        "status.watch_dead": {"ja": "動いていません", "en": "NOT running"},
        "status.watch_quiet": {
            "ja": "(変更がないときは{idle}秒ごと)",
            "en": " ({idle}s when quiet)",
        },
        "status.watch_daily": {"ja": "、毎日 {time} に実行", "en": ", daily at {time}"},
        "status.watch_no_daily": {"ja": "、毎日の実行なし", "en": ", no daily run"},
        "status.last_poll": {
            "ja": "最後の確認: {ago} · {started} から Google ドライブへのリクエスト{requests}回、"
            "同期{syncs}回",
            "en": "last poll: {ago} · {requests} Drive requests, {syncs} syncs since {started}",
        },
        "status.ago": {"ja": "{time}({seconds}秒前)", "en": "{time} ({seconds}s ago)"},
        "status.never": {"ja": "まだなし", "en": "never"},
        "status.feed_error": {"ja": "変更フィード: {error}", "en": "change feed: {error}"},
        "status.note_pending": {
            "ja": "{time} に変更あり、同期待ち",
            "en": "changed at {time}, sync pending",
        },
        "status.note_failures": {
            "ja": "{failures}回続けて失敗: {message}",
            "en": "{failures} failures in a row: {message}",
        },
        # doctor.py: the area each finding is about, and a tab's suggested new name
        "doctor.area.config": {"ja": "設定", "en": "config"},
        "doctor.area.credentials": {"ja": "認証", "en": "credentials"},
        "doctor.area.access": {"ja": "アクセス", "en": "access"},
        "doctor.area.tabs": {"ja": "タブ", "en": "tabs"},
        "doctor.area.mail": {"ja": "メール", "en": "mail"},
        "doctor.area.meeting": {"ja": "ミーティング", "en": "meeting"},
        "doctor.renamed": {"ja": "{title}(メモ)", "en": "{title} (notes)"},
    }
)


# --- h22-outcome: new words
WORDS.update(
    {
        # sending.py: why a due reminder waits when the Log tab is a staff tab (the agenda
        # fails instead: run.log_not_ours)
        "run.skip_log_not_ours": {
            "ja": "タブ「{title}」は sheets-sync が作ったものではないため、送信を記録できません",
            "en": 'the tab "{title}" was not made by sheets-sync, so a send could not be recorded',
        },
    }
)


# --- h20-chat: new words
WORDS.update(
    {
        # config.py: sheet.url is a link staff open, never a file path
        "config.sheet_url_not_web": {
            "ja": "スタッフが開けるWebのアドレス(https://…)を書いてください"
            "(OneDrive、SharePoint、Dropbox などの共有リンク)。"
            "このパソコンのファイルの場所(file://…)は、ほかの人には開けません",
            "en": "give a web address staff can open (https://…, e.g. a OneDrive, SharePoint or "
            "Dropbox sharing link); a file path (file://…) opens nowhere but on this computer",
        },
        # config.py: the [[chat]] tables
        "config.chat_kind": {
            "ja": "kind は次のどれかです：{kinds}",
            "en": "kind must be one of: {kinds}",
        },
        "config.chat_secret_in_file": {
            "ja": "{key} は設定ファイルに書けません(秘密の値はファイルに残さないため)。"
            "値は環境変数に入れて、その名前を {instead} に書いてください",
            "en": "{key} cannot be written in the config file (a secret must not live in a file): "
            "put the value in an environment variable and give its name as {instead}",
        },
        "config.chat_env_not_a_name": {
            "ja": "{key} には環境変数の名前(例：SAKURA_CHATWORK_TOKEN)を書きます。"
            "URLやトークンそのものは書けません",
            "en": "{key} takes the name of an environment variable (e.g. SAKURA_CHATWORK_TOKEN), "
            "never the URL or token itself",
        },
        "config.chat_send_list": {
            "ja": "send には次のうち1つ以上を、重ならないように書いてください：{names}",
            "en": "send lists one or more of these, each once: {names}",
        },
        "config.chatwork_room": {
            "ja": "room はルームIDの数字です(ルームのアドレスの「rid」のあとの数字)",
            "en": "room is the room's number (the digits after 'rid' in the room's address)",
        },
        "config.line_works_bot": {
            "ja": "bot はBot IDの数字です(Developer Console に表示されます)",
            "en": "bot is the bot's number (its Bot ID in the Developer Console)",
        },
        # the Log: a message posted to a chat (its channel opens the details)
        "log.chat_agenda": {"ja": "アジェンダ(チャット)", "en": "chat agenda"},
        "log.chat_reminder": {"ja": "入力のお願い(チャット)", "en": "chat reminder"},
        "log.chat_follow_up": {"ja": "決まったこと(チャット)", "en": "chat follow-up"},
        # agenda/chat_view.py: the message a team chat shows (short, for a phone)
        "chat.agenda_title": {
            "ja": "{client} {minutes}分ミーティング {day}{time}・サイクル{cycle}",
            "en": "{client}: {minutes}-minute meeting, {day}{time}, cycle {cycle}",
        },
        "chat.place": {"ja": "場所：{place}", "en": "Place: {place}"},
        "chat.last_step": {
            "ja": "・前回の一歩：「{step}」{owner} → {status}",
            "en": '- Last step: "{step}"{owner} → {status}',
        },
        "chat.owner": {"ja": "(担当：{owner})", "en": " (owner: {owner})"},
        "chat.step_done": {"ja": "できた", "en": "done"},
        "chat.step_partly": {"ja": "一部", "en": "partly"},
        "chat.step_not_done": {"ja": "まだ", "en": "not yet"},
        "chat.step_unknown": {"ja": "実施はまだ記入されていません", "en": "not recorded yet"},
        "chat.layer": {"ja": "・{layer}：{kpis}", "en": "- {layer}: {kpis}"},
        "chat.kpi_moved": {
            "ja": "{name} {previous}→{current}({word})",
            "en": "{name} {previous} → {current} ({word})",
        },
        "chat.kpi_now": {"ja": "{name} {current}({word})", "en": "{name} {current} ({word})"},
        "chat.quote": {
            "ja": "・一言：「{quote}」({signal})",
            "en": '- Quote: "{quote}" ({signal})',
        },
        "chat.errors": {
            "ja": "⚠ エラーが{errors}あります。シートの「{tab}」タブを見てください。",
            "en": '⚠ {errors} open: see the "{tab}" tab in the sheet.',
        },
        "chat.reminder_title": {
            "ja": "{client} 入力のお願い・サイクル{cycle}({day}のミーティング)",
            "en": "{client}: please fill in, cycle {cycle} (meeting {day})",
        },
        "chat.test_title": {
            "ja": "{client}：sheets-sync のテストです",
            "en": "{client}: a test from sheets-sync",
        },
        "chat.test_body": {
            "ja": "このチャットに、ミーティングのアジェンダと入力のお願いが届きます。",
            "en": "The meeting agenda and the input reminders will arrive in this chat.",
        },
        # chat/: the services by their own names
        "chat.service.slack": {"ja": "Slack", "en": "Slack"},
        "chat.service.google_chat": {"ja": "Google Chat", "en": "Google Chat"},
        "chat.service.teams": {"ja": "Microsoft Teams", "en": "Microsoft Teams"},
        "chat.service.chatwork": {"ja": "Chatwork", "en": "Chatwork"},
        "chat.service.line_works": {"ja": "LINE WORKS", "en": "LINE WORKS"},
        # chat/http.py: why a post did not go through, and a retry on its way
        "chat.reason_timeout": {"ja": "応答がありません(時間切れ)", "en": "no answer in time"},
        "chat.reason_unreachable": {
            "ja": "つながりません(ネットワークまたは接続の切断)",
            "en": "could not connect (network, or the connection dropped)",
        },
        "chat.retry": {
            "ja": "{channel}：{reason}。{delay}秒後にもう一度送ります({attempt}回目の失敗)",
            "en": "{channel}: {reason}; trying again in {delay}s (attempt {attempt} failed)",
        },
        "chat.task_no_account": {
            "ja": "{channel}：担当「{owner}」の Chatwork アカウントが people にないため、"
            "タスクは作りませんでした",
            "en": '{channel}: no task made, the owner "{owner}" has no Chatwork account in people',
        },
        "chat.task_failed": {
            "ja": "{channel}：メッセージは送りましたが、タスクは作れませんでした：{error}",
            "en": "{channel}: the message went out but the task was not made: {error}",
        },
        # chat errors: the channel, the service, what to do (never a URL or a token)
        "error.chat_env_unset": {
            "ja": "チャット {channel}({service})に送っていません。環境変数 {variable} が"
            "設定されていません。設定すると、次の実行でこのチャットにだけ送ります",
            "en": "chat {channel} ({service}) NOT posted: the environment variable {variable} "
            "is not set; once it is, the next run posts to this chat only",
        },
        "error.chat_webhook_not_https": {
            "ja": "チャット {channel}({service})に送っていません。環境変数 {variable} の値が"
            "https:// で始まる Webhook のURLではありません",
            "en": "chat {channel} ({service}) NOT posted: the environment variable {variable} "
            "holds no https:// webhook URL",
        },
        "error.chat_key_unreadable": {
            "ja": "チャット {channel}({service})に送っていません。秘密鍵のファイル {path} を"
            "読めません({reason})",
            "en": "chat {channel} ({service}) NOT posted: cannot read the private key file "
            "{path} ({reason})",
        },
        "error.chat_key_not_pem": {
            "ja": "チャット {channel}({service})に送っていません。{path} は秘密鍵(PEM形式)"
            "ではありません。Developer Console でダウンロードしたファイルを指定してください",
            "en": "chat {channel} ({service}) NOT posted: {path} is no private key (PEM); give "
            "the file downloaded from the Developer Console",
        },
        "error.chat_key_rejected": {
            "ja": "チャット {channel}({service})に送っていません。秘密鍵で署名できませんでした"
            "(RSAの秘密鍵ではありません)",
            "en": "chat {channel} ({service}) NOT posted: the private key could not sign "
            "(it is no RSA private key)",
        },
        "error.chat_sign_in_answer": {
            "ja": "チャット {channel}({service})に送っていません。サインインの応答に"
            "アクセストークンがありませんでした。次の実行でもう一度試します",
            "en": "chat {channel} ({service}) NOT posted: the sign-in answer held no access "
            "token; the next run tries again",
        },
        "error.chat_refused": {
            "ja": "チャット {channel}({service})に送れませんでした。{service} が受け付けません"
            "でした(HTTP {status}：{reason})。設定を確かめてください。次の実行で送り直します",
            "en": "chat {channel} ({service}) NOT posted: {service} refused it (HTTP {status}: "
            "{reason}); check the settings — the next run tries again",
        },
        "error.chat_gave_up": {
            "ja": "チャット {channel}({service})に送れませんでした"
            "({reason}、{attempts}回試しました)。次の実行で送り直します",
            "en": "chat {channel} ({service}) NOT posted ({reason}, {attempts} attempts); the "
            "next run tries again",
        },
        "error.chat_rate_limited": {
            "ja": "チャット {channel}({service})に送れませんでした。送信が多すぎるため"
            "{seconds}秒待つように言われました。次の実行で送り直します",
            "en": "chat {channel} ({service}) NOT posted: asked to wait {seconds}s (too many "
            "posts); the next run tries again",
        },
        "error.chat_none": {
            "ja": "{path} に [[chat]] がありません。チャットを1つ以上設定してください",
            "en": "{path} has no [[chat]] table: add a chat channel first",
        },
        "error.chat_no_such_channel": {
            "ja": "--channel {number} はありません([[chat]] は{count}つです。1から数えます)",
            "en": "there is no --channel {number} (the config has {count} [[chat]] tables, "
            "counted from 1)",
        },
        # run_result.py / api.py: the run's line and the CLI's answer
        "run.chat_sent": {"ja": "チャットに送信：{channels}", "en": "chat posted: {channels}"},
        "run.chat_failed": {
            "ja": "{channel} に{what}を送れませんでした：{error}",
            "en": "{channel}: {what} NOT posted: {error}",
        },
        "run.chat_failed_more": {
            "ja": "{first}(ほか{more}件も失敗)",
            "en": "{first} (and {more} more failed)",
        },
        # doctor.py: each chat channel, checked without posting
        "doctor.area.chat": {"ja": "チャット", "en": "chat"},
        "doctor.chat_ok": {
            "ja": "{channel}：設定と環境変数がそろっています(まだ送っていません。"
            "sheets-sync chat-test --config {path} でテストのメッセージを送れます)",
            "en": "{channel}: settings and environment variables in place (nothing posted; "
            "sheets-sync chat-test --config {path} posts a test message)",
        },
        "doctor.chat_fix": {
            "ja": "{path} の {channel} の設定と、cron などで sheets-sync を動かす環境の"
            "環境変数を確かめてください",
            "en": "check {channel} in {path}, and the environment variables where cron runs "
            "sheets-sync",
        },
        "doctor.chat_no_people": {
            "ja": "{channel}：task = true ですが people が空なので、タスクは作られません",
            "en": "{channel}: task = true but people is empty, so no task will be made",
        },
        # cli.py chat-test: each channel's result
        "chat.trial_posted": {
            "ja": "✓ {channel}：テストのメッセージを送りました。届いたか確かめてください。",
            "en": "✓ {channel}: test message posted; check that it arrived.",
        },
        "chat.trial_failed": {"ja": "✗ {channel}：{error}", "en": "✗ {channel}: {error}"},
    }
)

# The chat rows of the Log read back in either language too (the spellings table above was built
# before this block added them).
_LOG_KEYS.update(
    {
        spelling.casefold(): key.removeprefix("log.")
        for key in ("log.chat_agenda", "log.chat_reminder", "log.chat_follow_up")
        for spelling in WORDS[key].values()
    }
)
