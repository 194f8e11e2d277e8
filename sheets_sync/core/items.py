"""「1つだけ」: does a hypothesis, change, next step or next try hold more than one item? (pure)

What counts is several *actions or claims*, not several nouns. A noun list inside one clause is
one item (「今週の豆・焙煎度・味の目安を書く」, 「痛み/費用/時間が分からず」, "Show price, size
and taste on one card"). Several items are: several lines, bullets or numbers (「1.」「①」
「(1)」), or two clauses that each carry their own action — joined by 「。」「・」「/」「+」「&」
「、」「ことと」, by 「、…も」 (「順番を変え、POPも新しくする」), three steps chained with 「、」,
or listed as noun-phrase actions (「目安カード設置、試飲、POP改善」). A cause, an effect, an
observation about customers or an if-then prediction is not a second item (「お客様が豆を選べ
ない。目安カードを置く」). The rules are one table, tried in order; nothing here raises.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Text:
    """One cell's text in the forms the rules read."""

    raw: str  # as typed (①② survive only here: NFKC folds them into digits)
    lines: tuple[str, ...]  # NFKC-folded, non-blank lines
    masked: str  # the first line, with URLs, quotes and (notes) blanked out


@dataclass(frozen=True)
class ItemRule:
    """One row of the table: a name and a test; the test's docstring says what it catches."""

    key: str
    test: Callable[[Text], bool]
    # The test reads only clauses of the masked first line, so it never fires on a line with
    # no break between clauses (`_may_split`): matching_rule skips it there, unchanged answer.
    splits: bool = False


# ---------------------------------------------------------------------------------------------
# Reading clauses
# ---------------------------------------------------------------------------------------------

_URL: Final = re.compile(r"[a-z][a-z0-9+.-]*://\S*", re.IGNORECASE)
# 「本日のおすすめ」 is a name, 「また来ます」 a quote, (写真があれば安心) a note: none is an item.
_QUOTED: Final = re.compile(r"「[^」]*」|『[^』]*』|“[^”]*”|\"[^\"]*\"|‘[^’]*’")
_NOTE: Final = re.compile(r"\([^()]*\)")
_CIRCLED: Final = re.compile(r"[①-⑳]")
_NUMBERED: Final = re.compile(r"(?:^|(?<=[\s、,;:。]))(?:\d{1,2}[.)](?!\d)|\(\d{1,2}\))")

# Where one clause may end and the next begin. A comma inside a number (3,000円) is not one.
_CLAUSE_BREAK: Final = re.compile(
    r"[・/+&;。!?、]|,(?!\d)|\.(?!\d)"  # NFKC has folded ／＋＆；！？，． into these
    r"|(?<=こと)と(?=[、,]|.*こと$)"  # 「置くことと、出すこと」
)
# A clause that ends in a finished verb: dictionary form (置く, 変える, 出す), polite (置きます),
# past (置いた). Continuative 置き/変え and -te 置いて lead on; ない/たい/やすい are states.
# An adjective's 〜く (なく, やすく, よく) leads on like a continuative.
_FINITE: Final = re.compile(
    r"(?:[うぐすつぬぶむる]|(?<![なしよたすご])く|ます|ました|ましょう|(?<![なだ])た)$"
)
# Verbs that say what happens to customers or numbers, not what staff do: an effect.
_EFFECT: Final = re.compile(
    r"(?:増え|減|上が|下が|伸び|変わ|高ま|広が|売れ|な|決ま|戻|帰|続|集ま|選べ|分か|わか|"
    r"安心す|迷わなくな|来|でき)(?:る|ます|った|た)$"
)
# 「Xも」 as "X too": も after a noun, not inside どれも・とても・いつも・でも・もっと・もの …
_ALSO: Final = re.compile(r"(?<![てでとどれつ誰何])も(?![のうっらしち])")
# The clause before 「、」 leads into the next one (if / because / when / but / even if).
# 「置いて、試飲も出す」 is two steps, so the -te form (て/で) does not lead on here.
_LINKING_END: Final = re.compile(r"(?:と|ば|ので|から|たら|なら|ため|ても|でも|けど|けれど|が)$")
# 「出せば」「置いたら」「あるなら」 inside a clause: an if-then claim (a prediction), not a step.
_CONDITION: Final = re.compile(r"[えけげせてねべめれ]ば|たら|なら")
# 「聞かれる」「選ばれる」「決められる」: passive or potential, what happens to staff or customers.
_PASSIVE: Final = re.compile(r"(?:[かさたなまらわがば]れ|られ)(?:る|ます|た)$")
# 「お客様は」「常連が」「患者は」: a clause about customers is an observation, not a staff step.
_CUSTOMER: Final = re.compile(r"(?:様|さま|客|人|方|者|常連|さん|ども|家族)(?:が|は)")
# The continuative that chains steps: 置き、作り、出し、変え (and the -te form 置いて).
_CONTINUATIVE: Final = re.compile(r"(?:[いきぎしちにびみりえけげせてねべめれ]|て|で)$")
# 「迷いも減らす」「不安もなくす」: the "too" is a customer's feeling, so the clause is an effect.
_FEELING: Final = re.compile(r"(?:迷い|不安|心配|質問|ためらい|不満|失敗)も")
# Noun phrases that name an action (「目安カード設置」「POP改善」「説明の見直し」).
_ACTION_NOUN: Final = re.compile(
    r"(?:設置|改善|変更|導入|作成|追加|掲示|配布|実施|見直し|強化|短縮|統一|更新|提供|開始|廃止|"
    r"整理|配置|表示|作り直し|値下げ|値上げ|試飲|試食|掲載|撤去|刷新|新設|練習|告知|配信|投稿)$"
)
# … with its own object in front (「POP改善」): a bare 「掲示」 in 「料金表の作成・掲示」 shares the
# first one's object, so making and posting the price list stays one change.
_OWN_ACTION_NOUN: Final = re.compile(r".(?:の)?" + _ACTION_NOUN.pattern)
# 「値下げする」「設置する」: a noun that names an action, made a verb (not 大きくする, a detail).
_NOUN_SURU: Final = re.compile(r"(?:[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]|値下げ|値上げ)する$")
# 「反応を見る」「客数を数える」「記録する」: watching the effect is part of every try, not a second
# item (but 「出してみる」 is trying, so みる after て/で is not watching).
_OBSERVE: Final = re.compile(
    r"(?:見る|(?<![てで])みる|確かめる|記録する|数える|観察する|メモする|測る)$"
)
# 「…を行う」「…をする」「…を進める」 closing a list of action nouns: "do these".
_DO_THESE: Final = re.compile(r"を(?:行う|おこなう|する|やる|実施する|進める|始める)[。.]?$")
# Particles that make a clause: a segment holding one is not a bare noun phrase.
_PARTICLE: Final = re.compile(r"[をがはにでともへやか]")

# English: a clause that starts with a shop action verb and has an object.
_EN_BREAK: Final = re.compile(
    r"\s*(?:[;/+&.!?]|,(?!\d)|\band\b|\bthen\b|\bplus\b|\balso\b)\s*", re.IGNORECASE
)
_EN_SUBJECT: Final = re.compile(r"^(?:(?:we|i|staff|let's|please|and|then|also)\s+)+", re.I)
_EN_VERBS: Final = frozenset({
    "add", "change", "show", "put", "place", "make", "reorder", "write", "offer", "move", "hand",
    "give", "post", "send", "try", "set", "use", "print", "remove", "replace", "update", "start",
    "stop", "cut", "raise", "lower", "hang", "train", "explain", "serve", "introduce", "create",
    "shorten", "simplify", "launch", "prepare", "greet", "tell", "label", "sort", "rearrange",
    "swap", "rewrite", "redesign", "lay", "display", "hold", "share", "mention",
})  # fmt: skip


# Every separator the clause rules split on: Japanese clause breaks, list marks, English ones.
_LIST_BREAK: Final = re.compile(r"[、,・/+&]")


def _may_split(masked: str) -> bool:
    """Whether any `splits` rule could see two parts in the line: a break of _CLAUSE_BREAK (two
    actions), _LIST_BREAK (also, step chain, noun actions) or _EN_BREAK (English actions)."""
    return bool(
        _CLAUSE_BREAK.search(masked) or _LIST_BREAK.search(masked) or _EN_BREAK.search(masked)
    )


def _clauses(masked: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_BREAK.split(masked) if part.strip()]


def _is_action(clause: str) -> bool:
    """A finished clause in which staff do something: a finite verb that is not an effect, and
    an object (を) or an "also" (も) — 「目安カードを置く」「説明の順番も変える」「値下げする」."""
    clause = clause.removesuffix("こと")
    if not _FINITE.search(clause) or _is_effect(clause) or _PASSIVE.search(clause):
        return False
    if _CONDITION.search(clause) or _CUSTOMER.search(clause):
        return False
    return "を" in clause or bool(_ALSO.search(clause)) or bool(_NOUN_SURU.search(clause))


def _is_effect(clause: str) -> bool:
    """What the step does to customers or numbers, or watching it: 「購入率も上がる」
    「迷いも減らす」「反応も見る」."""
    return any(pattern.search(clause) for pattern in (_EFFECT, _FEELING, _OBSERVE))


def _is_step(clause: str) -> bool:
    """A clause that does something to an object and chains on (「目安カードを置き」) or ends
    (「試飲を出す」): a step in a run of steps."""
    clause = clause.strip()
    if "を" not in clause or _LINKING_END.search(clause) or _CONDITION.search(clause):
        return False
    return bool(_CONTINUATIVE.search(clause)) or _is_action(clause)


def _is_en_action(clause: str) -> bool:
    words = _EN_SUBJECT.sub("", clause.strip()).split()
    return len(words) >= 2 and _en_verb(words[0].lower())


def _en_verb(word: str) -> bool:
    """An action verb, also as -ing or -s: add/adding/adds, change/changing, put/putting."""
    stem = word.removesuffix("ing") if word.endswith("ing") else word.removesuffix("s")
    candidates = {word, stem, stem + "e", stem[:-1] if stem[-2:-1] == stem[-1:] else stem}
    return bool(candidates & _EN_VERBS)


# ---------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------


def several_lines(text: Text) -> bool:
    """Two or more non-blank lines (bulleted or not): staff put one item on each line."""
    return len(text.lines) > 1


def circled_numbers(text: Text) -> bool:
    """「①…②…」: two circled numbers number two items."""
    return len(_CIRCLED.findall(text.raw)) > 1


def numbered_items(text: Text) -> bool:
    """「1. … 2. …」「1) … 2) …」「(1) … (2) …」 on one line: two numbers number two items. One
    number, a decimal (1.5倍) or a date (2026/11/23) is not a list."""
    return len(_NUMBERED.findall(text.lines[0])) > 1


def two_actions(text: Text) -> bool:
    """Two clauses that each finish their own action, whatever joins them: 「。」, 「・」, 「/」,
    「+」, 「&」, 「、」 after a finished verb, or 「ことと」 (「目安カードを置く+試飲を出す」
    「目安カードを置くことと、試飲を出すこと」). A noun list has one verb, so it is one item
    (「今週の豆・焙煎度・味の目安を書く」), and a cause or an effect is not an action
    (「…が原因。目安を出す」「目安を出すと、質問も減る」)."""
    return sum(_is_action(clause) for clause in _clauses(text.masked)) > 1


def also_clause(text: Text) -> bool:
    """「Aを変え、Bも新しくする」: an action clause, 「、」, then a clause with 「Xも」 ("X too")
    — a second change added on. A clause that leads into the next (「…と、」「…ので、」 if, because)
    and effects without an object (「迷いが減り、購入率も上がる」) pass."""
    parts = re.split(r"[、,]", text.masked)
    for before, after in itertools.pairwise(parts):
        before = before.strip()
        if not before or _LINKING_END.search(before) or not re.search(r"[をも]", before):
            continue
        after = after.strip()
        if _ALSO.search(after) and not _is_effect(after):
            return True
    return False


def step_chain(text: Text) -> bool:
    """「目安カードを置き、POPを作り、試飲を出す」: three or more steps, each with its own object,
    chained with 「、」. Two can be one change and its means (「選び方を載せ、目安を伝える」),
    three are a list."""
    return sum(_is_step(part) for part in re.split(r"[、,]", text.masked)) > 2


def noun_actions(text: Text) -> bool:
    """「目安カード設置、試飲、POP改善」: bare noun phrases (no particle) in a list, two or more of
    them naming an action (〜設置, 〜改善, 〜の見直し). A list of plain nouns (「価格、量、味」)
    names no action, so it is not flagged. A closing 「を行う」「をする」 (「設置・POP改善を行う」)
    only says "do these"."""
    listed = _DO_THESE.sub("", text.masked.strip())
    parts = [part.strip() for part in re.split(r"[、,・/+&]", listed) if part.strip()]
    if len(parts) < 2 or any(_PARTICLE.search(part.replace("の", "")) for part in parts):
        return False
    return sum(bool(_OWN_ACTION_NOUN.search(part)) for part in parts) > 1


def english_actions(text: Text) -> bool:
    """English: two clauses that each start with an action verb and have an object, joined by
    "and", "then", ",", ";", "/", "+", "&" or a full stop ("Add a card and change the talk
    order"). "Show price, size and taste on one card" has one verb: one item."""
    return sum(_is_en_action(clause) for clause in _EN_BREAK.split(text.masked)) > 1


RULES: Final[tuple[ItemRule, ...]] = (
    ItemRule("lines", several_lines),
    ItemRule("circled", circled_numbers),
    ItemRule("numbered", numbered_items),
    ItemRule("two_actions", two_actions, splits=True),
    ItemRule("also", also_clause, splits=True),
    ItemRule("step_chain", step_chain, splits=True),
    ItemRule("noun_actions", noun_actions, splits=True),
    ItemRule("english_actions", english_actions, splits=True),
)


def read_text(text: str) -> Text | None:
    """The text in the rules' forms, or None when it is blank."""
    folded = unicodedata.normalize("NFKC", text)
    lines = tuple(line.strip() for line in folded.splitlines() if line.strip())
    if not lines:
        return None
    masked = _NOTE.sub(" ", _QUOTED.sub("X", _URL.sub(" ", lines[0])))
    return Text(raw=text, lines=lines, masked=masked)


def matching_rule(text: str) -> str | None:
    """The key of the first rule that finds several items in the text, or None for one item."""
    read = read_text(text)
    if read is None:
        return None
    # Most cells are one short clause: the clause rules' regexes are skipped for them.
    splittable = _may_split(read.masked)
    for rule in RULES:
        if (splittable or not rule.splits) and rule.test(read):
            return rule.key
    return None


def several_items(text: str) -> bool:
    """True when the text reads as more than one item (see the module docstring)."""
    return matching_rule(text) is not None
