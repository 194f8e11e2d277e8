"""Is a line about a person rather than customers? The tables behind `learning_about_person`.

The method's first rule is that nobody is blamed: a learning, a hypothesis or a next try says
what customers did ("when we did X, customers' Y changed like Z"), not who on the team fell
short. A line is *about a person* when, in one clause, someone on the team (a person word such
as 店長 or スタッフ, a name with さん/くん/様, or a name from the 担当/記録者 columns) is what the
clause is about (followed by の, が, は …) and the clause carries a fault word (せい, ミス,
長くて …). Customers are never "a person" here: お客さん, 常連さん and 患者さん are who the
line should be about.

Everything is data in the tables below; `about_person` is a pure function of a text and the
names, so a new word is a new row, never a new branch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

# Words for someone on the team (Japanese). A name with an honorific is found by `_HONORIFIC`.
PERSON_WORDS: Final = (
    "店長", "副店長", "オーナー", "マネージャー", "リーダー", "スタッフ", "店員", "販売員",
    "担当者", "担当", "アルバイト", "バイト", "パート", "新人", "社員", "従業員", "先輩", "後輩",
    "私", "自分", "僕", "あの人",
)  # fmt: skip
# The honorifics that follow a person's name (佐藤さん, ゆうくん, 田中様). Longest first, so
# 「さま」 is not read as 「さ」 + something else.
HONORIFICS: Final = ("ちゃん", "さま", "さん", "くん", "君", "氏", "様")
# A word before an honorific that makes it a customer, not a team member (お客さん, 患者さん).
CUSTOMER_STEMS: Final = (
    "客", "常連", "子", "奥", "旦那", "主人", "皆", "みな", "みん", "親御", "母", "父", "患者",
    "利用者", "生徒", "会員", "方", "家族", "赤", "ワン", "猫",
)  # fmt: skip
# What makes a team member "what the clause is about": the particle right after them.
SUBJECT_PARTICLES: Final = ("の", "が", "は", "も", "って", "だけ", "ばかり")
# Fault words, as patterns: each says someone fell short. A negation that turns it around
# (忘れずに, ミスなく, 遅れずに) is excluded by its own lookahead.
FAULT_PATTERNS: Final = (
    r"せい",
    r"悪(い|かった|くて|さ)",
    r"ミス(?!なく|のない|を防)",
    r"遅(くて|すぎ|かった|れ(?!ず))",
    r"遅い(?!時間|時刻|日)",
    r"長(くて|すぎ|かった)",
    r"長い(?!時間|間)",
    r"下手|へた",
    r"でき(てい|て)?な(い|かった)",
    r"出来(てい|て)?な(い|かった)",
    r"しな(かった|いから|いので)",
    r"忘れ(?!ず|ない)",
    r"(説明|準備|確認|練習|勉強|知識|声かけ|努力)不足",
    r"不十分|不注意|不慣れ|慣れていな",
    r"サボ|さぼ",
    r"雑(だ|な|に|で)",
    r"怠",
    r"失敗",
    r"間違",
    r"ダメ|だめ",
    r"無愛想|そっけな",
    r"気が利かな",
    r"責任(?!を持|者)",
    r"うまくな|上手くな",
    r"足を引っ張",
)
# English: someone on the team, fault words, and who a clause should be about instead.
PERSON_WORDS_EN: Final = (
    "staff",
    "manager",
    "owner",
    "clerk",
    "cashier",
    "employee",
    "new hire",
    "part-timer",
    "colleague",
    "i",
)
FAULT_PATTERNS_EN: Final = (
    r"fault",
    r"blame",
    r"mistakes?",
    r"too (long|slow|pushy)",
    r"slow",
    r"bad(ly)?",
    r"poor(ly)?",
    r"forgot",
    r"failed",
    r"didn'?t",
    r"did not",
    r"careless",
    r"lazy",
    r"rude",
    r"sloppy",
)
CUSTOMER_WORDS_EN: Final = ("customer", "customers", "guest", "guests", "visitor", "visitors")

# A clause ends at Japanese or Latin punctuation, or a line break.
_CLAUSES: Final = re.compile(r"[、。，．,.;；!！?？\n「」『』]+")
_HONORIFIC: Final = re.compile(
    r"(?P<name>[一-龥々〇ぁ-んァ-ヶーA-Za-z]{1,6}?)(?P<honorific>" + "|".join(HONORIFICS) + ")"
)
_FAULT: Final = re.compile("|".join(f"(?:{p})" for p in FAULT_PATTERNS))
_FAULT_EN: Final = re.compile(r"\b(?:" + "|".join(FAULT_PATTERNS_EN) + r")\b")
_BRACKETED: Final = re.compile(r"[(（][^)）]*[)）]")
MIN_NAME_LENGTH: Final = 2  # a one-letter "name" would be found inside other words


def about_person(text: str, names: Iterable[str] = ()) -> str | None:
    """The team member a line is about, with a fault word beside them in one clause, or None
    when the line is about customers (or about nobody): pure, so it is easy to test.

    `names` are the people typed in the 担当/記録者 columns (「佐藤」, 「佐藤(店長)」).
    """
    folded = unicodedata.normalize("NFKC", text)
    people = _people(names)
    for clause in _CLAUSES.split(folded):
        found = _person_at_fault(clause, people) or _person_at_fault_en(clause, people)
        if found is not None:
            return found
    return None


def _people(names: Iterable[str]) -> tuple[str, ...]:
    """Each name as it may appear in a line: without a bracketed role or an honorific (担当 typed
    「山本さん」 is 山本 in 「山本の説明が…」), long enough to be found only as itself; longest
    first, so 佐藤花子 is found before 佐藤."""
    cleaned = {_plain_name(n) for n in names}
    return tuple(sorted((n for n in cleaned if len(n) >= MIN_NAME_LENGTH), key=len, reverse=True))


def _plain_name(name: str) -> str:
    """「小林(店長)」 → 小林, 「山本さん」 → 山本, 「田中 様」 → 田中."""
    plain = _BRACKETED.sub("", unicodedata.normalize("NFKC", name)).strip()
    for honorific in HONORIFICS:
        if plain.endswith(honorific) and len(plain) > len(honorific):
            return plain.removesuffix(honorific).strip()
    return plain


def _person_at_fault(clause: str, people: tuple[str, ...]) -> str | None:
    """A team member followed by a subject particle, in a clause with a fault word."""
    if _FAULT.search(clause) is None:
        return None
    for person, end in _mentions(clause, people):
        if clause.startswith(SUBJECT_PARTICLES, end):
            return person
    return None


def _mentions(clause: str, people: tuple[str, ...]) -> list[tuple[str, int]]:
    """Where each team member is named in a clause: (who, where the mention ends)."""
    found: list[tuple[str, int]] = []
    for word in (*people, *PERSON_WORDS):
        for match in re.finditer(re.escape(word), clause):
            end = match.end()
            honorific = next((h for h in HONORIFICS if clause.startswith(h, end)), "")
            found.append((word, end + len(honorific)))
    for match in _HONORIFIC.finditer(clause):
        if not match["name"].endswith(CUSTOMER_STEMS) and not _is_customer_word(match, clause):
            found.append((match.group(0), match.end()))
    return found


def _is_customer_word(match: re.Match[str], clause: str) -> bool:
    """お客さん, お子さん …: the honorific's word starts before the match (お + 客)."""
    start = match.start()
    word = clause[max(0, start - 2) : match.end("name")]
    return any(word.endswith(stem) for stem in CUSTOMER_STEMS)


def _person_at_fault_en(clause: str, people: tuple[str, ...]) -> str | None:
    """English: a team member named before a fault word in a clause that does not start with
    the customers ("Customers asked the manager" is about customers)."""
    lowered = clause.lower().strip()
    if not lowered or lowered.split()[0] in CUSTOMER_WORDS_EN:
        return None
    fault = _FAULT_EN.search(lowered)
    if fault is None:
        return None
    before = lowered[: fault.start()]
    for word in (*(p.lower() for p in people), *PERSON_WORDS_EN):
        if re.search(r"\b" + re.escape(word) + r"(?:'s|’s)?\b", before):
            return word
    return None
