"""「1つだけ」: does a hypothesis, change or next step hold more than one item? (pure)

Staff list things in many ways: several lines, bullets, an inline 「・」 or 「/」, numbered items
(「1.」「①」「(1)」), or two clauses joined by 「、…も」 (「説明トークの順番を変え、店頭POPも
新しくする」). Ordinary single sentences must pass: a katakana word with 「・」 (カフェ・ラテ),
a date or fraction with 「/」, a decimal 「1.5倍」, a conditional 「目安を出すと、質問も減る」,
or words like どれも / とても. Nothing here raises.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_BULLET = re.compile(r"^\s*(?:[-・•*●◯○■□▪◆◇→]|\d+[.)、]|[①-⑳]|\(\d+\))\s*")
_CIRCLED = re.compile(r"[①-⑳]")
_NUMBERED = re.compile(r"(?:^|(?<=[\s、,;:。]))(?:\d{1,2}[.)](?!\d)|\(\d{1,2}\))")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S*", re.IGNORECASE)
_KATAKANA = re.compile(r"^[\u30a0-\u30ffー]+$")
# 「円/人」「客数/日」「km/h」: a rate "per unit" is one thing, not a list.
_PER_UNIT = re.compile(
    r"^(?:人|日|週|月|年|回|件|時間?|分|秒|個|本|枚|杯|組|席|台|袋|min|kg|km|g|h|d|m|s)"
    r"(?![\u4e00-\u9fffa-z])",
    re.IGNORECASE,
)
_RUN = r"[^\s、。,;:()「」『』/・]"
_SLASH = re.compile(rf"({_RUN}+)\s*/\s*({_RUN}+)")
_DOT = re.compile(rf"({_RUN}+)・({_RUN}+)")
# The clause before 「、」 does something to an object (を) or already lists (も) …
_ACTION_CLAUSE = re.compile(r"[をも]")
# … and does not lead into the next clause (if / because / when / but / even if).
_LINKING_END = re.compile(r"(?:と|ば|ので|から|たら|なら|ため|ても|でも|けど|けれど|が|て)$")
# 「Xも」 as "X too": も after a noun, not inside どれも・とても・いつも・でも・もっと・もの …
_ALSO = re.compile(r"(?<![てでとどれつ誰何])も(?![のうっらしち])")


def several_items(text: str) -> bool:
    """True when the text reads as more than one item (see the module docstring)."""
    if len(_CIRCLED.findall(text)) > 1:
        return True  # ①…②… (NFKC would fold them into plain digits)
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return False
    lines = [line for line in folded.splitlines() if line.strip()]
    if len(lines) > 1:
        return True
    line = _URL.sub(" ", lines[0])
    return _numbered(line) or _slash_list(line) or _dot_list(line) or _also_clause(line)


def _numbered(line: str) -> bool:
    return len(_NUMBERED.findall(line)) > 1


def _slash_list(line: str) -> bool:
    for match in _SLASH.finditer(line):
        left, right = match.group(1), match.group(2)
        if _is_items(left, right) and not _PER_UNIT.match(right):
            return True
    return False


def _dot_list(line: str) -> bool:
    body = _BULLET.sub("", line)  # one leading bullet is not a list
    for match in _DOT.finditer(body):
        left, right = match.group(1), match.group(2)
        if _KATAKANA.match(left[-1]) and _KATAKANA.match(right[0]):
            continue  # カフェ・ラテ, ジョン・スミス: one name
        if _is_items(left, right):
            return True
    return False


def _is_items(left: str, right: str) -> bool:
    """Both sides two characters or more, with no digit touching the separator (11/23 and 1/2
    are numbers, A/B one name)."""
    return len(left) >= 2 and len(right) >= 2 and not left[-1].isdigit() and not right[0].isdigit()


def _also_clause(line: str) -> bool:
    clauses = re.split(r"[、,]", line)
    for before, after in itertools.pairwise(clauses):
        before = before.strip()
        if not before or _LINKING_END.search(before) or not _ACTION_CLAUSE.search(before):
            continue
        if _ALSO.search(after):
            return True
    return False
