"""The unit of a count: the noun the number modifies, not a later word.

"140 agency staff" counts staff, "350 social housing units" counts units: the head of the
noun phrase after the number is its last noun, so we read the words after the number up
to the first word that cannot be inside that phrase (a preposition, determiner, auxiliary,
common verb, adverb, punctuation or another number) and take the first plural noun in
them. Hand-written because a part-of-speech tagger (spaCy, NLTK) means a model download
and tens of MB in the Lambda, for a decision these few rules get right on news copy.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end the noun phrase after a number.
STOP: frozenset[str] = _words(
    "the a an of to and or nor in on at for with as by from than that this these those is "
    "are was were be been being has have had will would could should may might can must "
    "shall do does did more less fewer most least about over under per percent times out "
    "into onto up down so but if when where while which who whom whose it its their his her "
    "our my your them they we he she you i me us each every all both either neither any some "
    "no not last next ago earlier later before after since until till during between among "
    "through across against around within without like such only just also even yet still "
    "then there here now today yesterday tomorrow tonight again away back said says say told "
    "say got get gets went go goes came come comes made make makes took take takes saw see "
    "gave give gives left died fled rose fell grew lost won paid spent became become remain "
    "remained stayed total overall altogether apiece respectively instead including versus "
    "vs via"
)
# Plural nouns that do not end in "s" (and collective nouns counted as heads).
IRREGULAR: frozenset[str] = _words(
    "people staff men women children police personnel cattle livestock sheep deer fish "
    "aircraft feet teeth mice geese crew faculty folk offspring data media"
)
# Singular words that end in "s" ("two natural gas power plants" counts plants).
SINGULAR_S: frozenset[str] = _words(
    "gas bus news series species means lens chaos bias atlas canvas alias physics economics "
    "politics mathematics ethics always perhaps besides towards afterwards sometimes whereas "
    "thus plus yes"
)
# Measure units that are heads even in the singular ("15 kg", "40 km").
MEASURES: frozenset[str] = _words(
    "kg km mph kph mg ml cm mm lb lbs oz ft mi gb mb tb kb kw kwh mw mwh gw gwh tonnes tons "
    "acres hectares ha sq"
)
_LEAD = re.compile(r"[\s(]*(?:of\s+(?:the\s+|its\s+|their\s+|our\s+|his\s+|her\s+)?)?")
# A unit written against the number: "22mm", "1.43°C", "5 °F".
_GLUED = re.compile(r"\s?°\s?[CF]\b|[A-Za-z]+\b")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MAX_WORDS = 4


def is_plural_noun(word: str) -> bool:
    """A plural-looking noun: "units", "cities", "people" (not "business", "campus")."""
    w = word.lower()
    if w in IRREGULAR:
        return True
    if w in SINGULAR_S:
        return False
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))


_NEXT_WORDS = re.compile(r"\s+([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?")
# Adjectives often between a number and what it counts ("2000 new homes").
ADJECTIVES: frozenset[str] = _words(
    "more new additional extra other active former young old local small large big major "
    "full-time part-time armed registered"
)


def counts_next_word(sentence: str, end: int) -> bool:
    """True when a plural noun follows the number, perhaps after one adjective ("2000 new
    homes"): the number counts it, so it is not a year."""
    m = _NEXT_WORDS.match(sentence, end)
    if m is None or not m.group(1).islower():
        return False
    first, second = m.group(1), m.group(2)
    if first in ADJECTIVES and second:
        return second.islower() and is_plural_noun(second)
    return is_plural_noun(first)


def unit_after(sentence: str, end: int, singular: bool = False) -> str | None:
    """The counted noun of the number ending at `end`, when it is plain; else None.

    `singular`: the number is 1, so a lone singular noun is its unit ("1 soldier died").
    """
    glued = _GLUED.match(sentence, end)
    if glued:
        word = glued.group(0).replace(" ", "")
        return word if word.startswith("°") or word.lower() in MEASURES else None
    lead = _LEAD.match(sentence, end)
    pos = lead.end() if lead else end
    if pos == end and pos < len(sentence) and not sentence[pos].isspace():
        return None  # "5,000-strong", "3rd": glued to the number
    words: list[str] = []
    while len(words) < _MAX_WORDS:
        m = _TOKEN.match(sentence, pos)
        if m is None:
            break
        word = m.group(0)
        lower = word.lower()
        if lower in STOP or lower.endswith("ly"):
            break
        words.append(word)
        pos = m.end()
        gap = re.match(r"[ \t]+", sentence[pos:])
        if gap is None:
            break  # punctuation, a number or the end: the phrase is over
        pos += gap.end()
    for word in (w.rstrip("'’") for w in words):
        if word[:1].islower() and (is_plural_noun(word) or word.lower() in MEASURES):
            return word.lower()
    if singular and len(words) == 1 and words[0][:1].islower():
        return words[0].lower()
    return None
