"""Who made a claim, when the sentence says so ("according to the statistics office",
"Jane Doe said", "said the defence ministry").

ClaimReview's `itemReviewed.author` must never be wrong: a claim the article attributes to
someone is theirs, not the byline's. So this reads only a few plain shapes of English
attribution, says `UNNAMED` when the sentence gives the claim to someone it does not name
("he said", "officials said", "the minister said"), and None when it gives it to no one
(then the article's author makes it). Regular expressions are enough for these fixed
shapes; a parser would only add weight to the Lambda package.

Kind: a name of two or more capitalised words is a Person ("Jane Doe", "President Joe
Biden"); a body ("the defence ministry"), an acronym ("NATO") or a single name ("Russia")
is an Organization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_SPEECH = (
    r"(?i:said|says|told|tells|claimed|claims|argued|argues|stated|states|announced|"
    r"announces|warned|warns|insisted|insists|added|adds|wrote|writes|estimated|estimates|"
    r"reported|reports|found|finds|showed|shows)"
)
_CAP = r"[A-Z][\w’'.-]*"
_LINK = r"(?:of|for|and|the|de|van|von|bin)"
_PERSON = rf"{_CAP}(?:\s+(?:{_LINK}\s+)*{_CAP})*"
_BODIES = (
    r"office|ministry|department|agency|bureau|institute|university|bank|commission|council|"
    r"government|party|company|court|police|army|board|authority|organi[sz]ation|committee|"
    r"parliament|senate|congress|federation|union|association|fund|centre|center|"
    r"administration|survey|study|census|poll|watchdog|regulator|charity|group|firm"
)
_ARTICLE = r"(?i:the|a|an)\s+"
_BODY = (
    rf"(?:{_ARTICLE})?(?:(?!(?i:by|of|for|from|at)\b)[A-Za-z][\w’'-]*\s+){{0,3}}"
    rf"(?i:{_BODIES})s?\b(?:\s+(?i:by)\s+(?:{_ARTICLE})?(?P<by>{_PERSON}))?"
)
_ACRONYM = rf"(?:{_ARTICLE})?[A-Z]{{2,}}\b"
_UNNAMED = (
    r"(?:^|[\s,;(])(?:(?i:he|she|they|officials?|sources?|experts?|analysts?|critics?|"
    r"residents?|witnesses?|people|some|many|others|observers|insiders|aides?|diplomats?|"
    rf"spokes(?:man|woman|person))|{_ARTICLE}(?:[a-z][\w’'-]*\s+){{0,3}}[a-z][\w’'-]*)"
    rf"\s+{_SPEECH}\b"
)
_END = r"\s*(?:[,.;:)]|$)"

_ACCORDING = re.compile(rf"(?i:\baccording to)\s+(?P<who>{_BODY}|{_ACRONYM}|{_PERSON})")
_BODY_SAID = re.compile(rf"(?P<who>{_BODY}|{_ACRONYM})\s+{_SPEECH}\b")
_SAID_BODY = re.compile(rf"\b{_SPEECH}\s+(?P<who>{_BODY}|{_ACRONYM}){_END}")
_PERSON_SAID = re.compile(rf"(?P<who>{_PERSON})(?:,\s+[^,]{{1,60}},)?\s+{_SPEECH}\b")
_SAID_PERSON = re.compile(rf"\b{_SPEECH}\s+(?:{_ARTICLE})?(?P<who>{_PERSON}){_END}")
_UNNAMED_SAID = re.compile(_UNNAMED)

_IS_BODY = re.compile(rf"(?i:\b(?:{_BODIES})s?\b)|^[A-Z]{{2,}}$")
_LEADING: Final = frozenset({"the", "a", "an"})
_NOT_NAMES: Final = frozenset(
    {"The", "A", "An", "It", "Its", "This", "That", "These", "Those", "But", "And", "So",
     "In", "On", "At", "As", "If", "When", "He", "She", "They", "We", "I", "You", "His",
     "Her", "Their", "Our", "Officials", "Experts", "Sources", "Analysts", "Critics"}
)  # fmt: skip


@dataclass(frozen=True)
class Attribution:
    """The named maker of a claim: a schema.org Person or Organization."""

    name: str
    kind: str  # "Person" or "Organization"


UNNAMED: Final = Attribution(name="", kind="")  # given to someone the sentence leaves unnamed


def _words(who: str) -> list[str]:
    words = who.strip(" ,;:.").split()
    if words and words[0].lower() in _LEADING:
        words = words[1:]
    return words


def _named(match: re.Match[str]) -> Attribution | None:
    """The Attribution a pattern's match names; UNNAMED for a bare body ("the company");
    None when the match is no attribution at all (a pronoun, a sentence's first word)."""
    by = match.groupdict().get("by")
    words = _words(by or match.group("who"))
    if not by and _IS_BODY.search(" ".join(words)):
        if len(words) == 1 and words[0].islower():
            return UNNAMED  # "the company said": which company, the sentence does not say
        name = " ".join(words)
        return Attribution(name=name[:1].upper() + name[1:], kind="Organization")
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    if not words or not words[0][:1].isupper():
        return None
    name = " ".join(words)
    if " and " in name and not _IS_BODY.search(name):
        return UNNAMED  # two people are not one author
    if _IS_BODY.search(name) or len(words) == 1:
        return Attribution(name=name, kind="Organization")
    return Attribution(name=name, kind="Person")


def attribution(sentence: str) -> Attribution | None:
    """Who the sentence says made the claim; UNNAMED if someone unnamed; None if no one."""
    for pattern in (_ACCORDING, _BODY_SAID, _SAID_BODY, _PERSON_SAID, _SAID_PERSON):
        for match in pattern.finditer(sentence):
            if (who := _named(match)) is not None:
                return who
    if _UNNAMED_SAID.search(sentence):
        return UNNAMED
    return None
