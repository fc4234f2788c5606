"""Readability of leaflet text, per language, measured offline.

Called by :mod:`leafpress.quality.lint` (the ``reading-ease``, ``sentence-average``
and ``sentence-length`` rules and the hardest sentences of each section), by
the other lint modules (sentences and language families) and by reports that
show its numbers. In: the text blocks of one leaflet in one language as a
reader sees them (a paragraph, one list item, one table cell) and the
language code. Out: :class:`Scores`, the totals with the formulas that hold
for that language, and a :class:`Sentence` for every sentence.

Nothing is downloaded. Syllables come from pyphen's bundled hyphenation
dictionaries and from vowel rules written here:

- Dutch: pyphen's ``nl_NL`` cuts a word into pieces and each piece counts
  its Dutch vowel groups (``ij``, ``ui``, ``eeu``, ...; a diaeresis starts a
  new one), which also splits what pyphen leaves whole (``adem``, ``eten``);
- English: rules only (vowel groups, silent final e, syllabic ``-le``, ``-ed``
  and ``-es`` endings, common suffixes, a few exceptions): pyphen's English
  patterns leave too many words whole (``area``, ``medicine``);
- any other language: pyphen's dictionary for it when there is one, vowel
  groups of Latin, Greek and Cyrillic letters, else 1 syllable per word.
  Scripts that do not write most vowels (Arabic, Hebrew) count 1 per word,
  so their syllable figures are a floor; LIX and the sentence figures need
  no syllables and hold for every language.

A reading-ease formula is only valid for the language it was fitted on:
Flesch Reading Ease for English, Flesch-Douma and Brouwer for Dutch. Other
languages get LIX and the sentence figures only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from itertools import pairwise

import pyphen

#: LIX's long word has more letters than this.
LONG_WORD = 6

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "en": frozenset({"e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "etc.",
                     "approx.", "no.", "tel.", "vs."}),
    "nl": frozenset({"bijv.", "bv.", "o.a.", "ca.", "dr.", "mw.", "mevr.", "dhr.",
                     "enz.", "d.w.z.", "z.o.z.", "nr.", "tel.", "i.p.v.", "evt."}),
}

# A sentence may end at . ! ? ؟ or …, then closing quotes or brackets, then
# whitespace; group 1 is the first character of what follows.
_END = re.compile(r"[.!?\u061f\u2026]+[\"'’”»)\]]*(?=\s+(\S))")
_OPENERS = "([{\"'‘“«"
# Digit groups joined by one space, dot, comma, colon, slash or dash.
_NUMBER = r"\d+(?:[ \u00a0\u202f.,:/\-–]\d+)*"
_JOINERS = re.compile(r"[-‐‑]")
_NL_VOWELS = re.compile(r"eeu|ieu|oei|aai|ooi|aa|ee|oo|uu|ie|ei|ij|ui|oe|ou|au|eu"
                        r"|[aeiouyàáâèéêíîóôúû]|[äëïöü]")
_VOWEL_LETTERS = frozenset("aeiouyæøœåɛɔəαεηιουωаеиоуыэюяієў")


@dataclass(frozen=True)
class Sentence:
    """One sentence as written (stripped) and its counts."""

    text: str
    words: int
    syllables: int
    long_words: int  # words of more than LONG_WORD letters

    @property
    def difficulty(self) -> float:
        """A ranking figure, higher is harder: the length in words plus ten
        times the syllables per word, so every extra word adds 1 and a
        sentence of long words ranks above one of short words of the same
        length. 0.0 for a sentence without words."""
        if not self.words:
            return 0.0
        return self.words + 10 * self.syllables / self.words


@dataclass(frozen=True)
class Scores:
    """Totals over the sentences of a text, and the formulas built on them.
    Every formula is 0.0 or None for a text without words."""

    lang: str
    sentences: int
    words: int
    syllables: int
    long_words: int
    longest: int  # words in the longest sentence

    @classmethod
    def total(cls, lang: str, sentences: Iterable[Sentence]) -> Scores:
        """The totals over ``sentences``."""
        sentences = list(sentences)
        return cls(lang=lang, sentences=len(sentences),
                   words=sum(sentence.words for sentence in sentences),
                   syllables=sum(sentence.syllables for sentence in sentences),
                   long_words=sum(sentence.long_words for sentence in sentences),
                   longest=max((sentence.words for sentence in sentences), default=0))

    @property
    def average_sentence(self) -> float:
        """Words per sentence."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def long_word_share(self) -> float:
        """The share of long words, from 0 to 1."""
        return self.long_words / self.words if self.words else 0.0

    @property
    def lix(self) -> float:
        """Björnsson's LIX, for any language: words per sentence plus the
        percentage of long words. Below 40 is easy, above 50 hard."""
        return self.average_sentence + 100 * self.long_word_share

    def _for(self, language: str) -> bool:
        return family(self.lang) == language and self.words > 0

    @property
    def flesch_reading_ease(self) -> float | None:
        """Flesch (1948), English only; 60 to 70 is plain English."""
        if not self._for("en"):
            return None
        return 206.835 - 1.015 * self.average_sentence - 84.6 * self.syllables_per_word

    @property
    def flesch_douma(self) -> float | None:
        """Douma's Dutch Flesch (1960), Dutch only, on the same scale."""
        if not self._for("nl"):
            return None
        return (206.84 - 0.77 * 100 * self.syllables_per_word
                - 0.93 * self.average_sentence)

    @property
    def brouwer(self) -> float | None:
        """Brouwer's Leesindex A (1963), Dutch only: 195 - 2 W/S - 67 Syl/W."""
        if not self._for("nl"):
            return None
        return 195 - 2 * self.average_sentence - 67 * self.syllables_per_word

    @property
    def ease(self) -> tuple[str, float] | None:
        """The language's own reading-ease formula as (name, score), if any."""
        for name, score in (("Flesch Reading Ease", self.flesch_reading_ease),
                            ("Flesch-Douma", self.flesch_douma)):
            if score is not None:
                return name, score
        return None

    def as_dict(self) -> dict[str, object]:
        """Every figure, rounded to 1 decimal, for a JSON or HTML report."""
        data: dict[str, object] = asdict(self)
        for name in ("average_sentence", "syllables_per_word", "long_word_share",
                     "lix", "flesch_reading_ease", "flesch_douma", "brouwer"):
            value = getattr(self, name)
            data[name] = None if value is None else round(value, 1)
        ease = self.ease
        data["ease"] = None if ease is None else {"formula": ease[0],
                                                  "score": round(ease[1], 1)}
        return data


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of one text block, stripped. A sentence ends at . ! ? ؟
    or … followed by whitespace and a character that is not a lowercase
    letter; a colon or semicolon never ends one. A full stop inside a number
    (``2.5 ml``, ``8.30``) is never followed by whitespace, and one after an
    abbreviation of the language (``e.g.``, ``bijv.``) is passed over."""
    abbreviations = ABBREVIATIONS.get(family(lang), frozenset())
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(text):
        piece = text[start:end.end()]
        last = piece.split()[-1].lstrip(_OPENERS).lower()
        if end[1].islower() or last in abbreviations:
            continue
        sentences.append(piece.strip())
        start = end.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def split_words(text: str) -> list[str]:
    """The words of a text: runs of letters of any script (with their
    combining marks, and with apostrophes or hyphens inside: ``out-of-hours``,
    ``zo'n``; Dutch ``'s`` and ``'t`` keep theirs), and numbers, whose digit
    groups may be joined by a space, dot, comma, colon, slash or dash, so
    ``030 123 4567`` and ``38.5`` are one word each. Symbols (``%``, ``€``,
    ``°C``) are not words."""
    return [word for word in _word_pattern().findall(text)
            if not word.startswith("°")]


def count_syllables(word: str, lang: str) -> int:
    """The syllables of one word from :func:`split_words`, at least 1. A
    number counts 1; a capitalised abbreviation without vowels (``GP``,
    ``NHS``) counts one per letter."""
    return _syllables(word, lang.replace("-", "_"))


def measure_sentence(text: str, lang: str) -> Sentence:
    """The counts of one sentence."""
    words = split_words(text)
    return Sentence(text=text.strip(), words=len(words),
                    syllables=sum(count_syllables(word, lang) for word in words),
                    long_words=sum(1 for word in words
                                   if sum(ch.isalpha() for ch in word) > LONG_WORD))


def measure(units: Iterable[str], lang: str) -> tuple[Scores, list[Sentence]]:
    """The totals of a leaflet's text blocks and every sentence in order. A
    block without end punctuation (a list item) is one sentence; empty
    blocks and sentences without words are left out."""
    sentences = [sentence for unit in units
                 for text in split_sentences(unit, lang)
                 if (sentence := measure_sentence(text, lang)).words]
    return Scores.total(lang, sentences), sentences


# --- words and syllables ------------------------------------------------------

def family(lang: str) -> str:
    """``nl`` for ``nl``, ``nl_BE`` and ``nl-NL``."""
    return lang.replace("-", "_").split("_")[0].lower()


@cache
def _word_pattern() -> re.Pattern[str]:
    # Python's \w has no combining marks (Devanagari vowel signs, Arabic
    # harakat), so they are listed once; the BMP holds all that matter here.
    marks = "".join(chr(code) for code in range(0x300, 0x10000)
                    if unicodedata.category(chr(code)).startswith("M"))
    letters = rf"[^\W\d_](?:[^\W\d_]|[{re.escape(marks)}])*"
    word = rf"(?:['’](?=[stn]\b))?{letters}(?:['’‐‑-]{letters})*"
    return re.compile(rf"°?{word}|{_NUMBER}")


@cache
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    found = "nl_NL" if family(lang) == "nl" else pyphen.language_fallback(lang)
    return pyphen.Pyphen(lang=found, left=1, right=1) if found else None


@lru_cache(maxsize=1 << 16)
def _syllables(word: str, lang: str) -> int:
    if word[:1].isdigit():
        return 1
    total = 0
    for part in filter(None, _JOINERS.split(word)):
        if part.isascii() and part.isupper() and not re.search("[AEIOUY]", part):
            total += sum(ch.isalpha() for ch in part)
        elif family(lang) == "en":
            total += _english_word(part.lower())
        else:
            total += _by_pieces(part.lower().replace("’", "").replace("'", ""), lang)
    return max(1, total)


def _by_pieces(word: str, lang: str) -> int:
    """Vowel groups in each piece the hyphenation dictionary cuts; the number
    of pieces where no vowel is written (Thai, Devanagari), else 1."""
    dictionary = _dictionary(lang)
    cuts = [0, *(dictionary.positions(word) if dictionary else ()), len(word)]
    pieces = [word[start:end] for start, end in pairwise(cuts)]
    groups = _dutch_groups if family(lang) == "nl" else _vowel_groups
    return sum(groups(piece) for piece in pieces) or len(pieces)


def _dutch_groups(piece: str) -> int:
    return len(_NL_VOWELS.findall(piece))


def _vowel_groups(piece: str) -> int:
    """Runs of vowel letters (Latin, Greek, Cyrillic); a vowel with a
    diaeresis starts a new run."""
    shape = ""
    for ch in unicodedata.normalize("NFD", piece):
        if ch == "\u0308" and shape.endswith("v"):
            shape = shape[:-1] + "d"
        elif not unicodedata.combining(ch):
            shape += "v" if ch in _VOWEL_LETTERS else "c"
    return len(re.findall("dv*|v+", shape))


# English: words counted as dictionaries divide them, where the rules miss.
_EN_EXCEPTIONS = {"people": 2, "science": 2, "create": 2, "react": 2,
                  "reaction": 3, "diabetes": 4, "recipe": 3, "fluid": 2,
                  "hundred": 2, "business": 2}
# Suffixes counted apart from their stem, which may end in a silent e.
_EN_SUFFIXES = (("fully", 2), ("ful", 1), ("less", 1), ("ness", 1), ("ment", 1),
                ("ly", 1), ("thing", 1), ("time", 1), ("one", 1), ("ing", 1))
# Vowel pairs said as two syllables: di-et, ra-di-o, vi-de-o, u-su-al, ...
_EN_HIATUS = re.compile(r"(?<![ct])ia|iu|(?<![ctsgxnl])io|eo|(?<![gq])ua"
                        r"|(?<![ct])ie(?=n[ct]|t)")
_EN_CONTRACTIONS = frozenset({"s", "t", "re", "ll", "ve", "d", "m"})


def _english_word(word: str) -> int:
    """Contractions: ``didn't`` is did + n't, ``we're`` is we."""
    stem, _, tail = word.replace("’", "'").partition("'")
    if tail == "t" and stem.endswith("n") and stem[-2:-1] not in ("", *"aeiouy"):
        return _english(stem[:-1]) + 1
    if tail and tail not in _EN_CONTRACTIONS:
        return _english(stem) + _english(tail)
    return _english(stem)


def _english(word: str) -> int:
    if word in _EN_EXCEPTIONS:
        return _EN_EXCEPTIONS[word]
    if len(word) > 3 and word.endswith("es"):
        sibilant = re.search(r"(?:[sxzcg]|[cs]h)es$", word) is not None
        return _english(word[:-1]) + sibilant
    if len(word) > 3 and word.endswith("ed") and word[-3] not in "aeiou" \
            and _has_vowel(stem := word[:-2]):
        if stem[-1] in "td":
            return _english(stem) + 1
        return _english(stem + "e" if re.search(r"[^aeiouylrw]l$", stem) else stem)
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _english(word[:-1])
    for suffix, syllables in _EN_SUFFIXES:
        stem = word[:-len(suffix)]
        if word.endswith(suffix) and len(stem) > 1 and _has_vowel(stem):
            return _english(stem) + syllables
    return _english_core(word)


def _english_core(word: str) -> int:
    # y is a consonant at the start and between a vowel and a vowel (be-yond).
    shape = re.sub(r"^y|(?<=[aeiouw])y(?=[aeiou])", "j", word)
    count = len(re.findall("[aeiouy]+", shape)) + len(_EN_HIATUS.findall(shape))
    if re.search(r"[aeiouy].*[^aeiouy]ea$", shape):
        count += 1  # ar-e-a, i-de-a
    if count > 1 and re.search(r"[^aeiouy]e$", shape) \
            and not re.search(r"[^aeiouylrw][lr]e$", shape):
        count -= 1  # a silent final e, but lit-tle and cen-tre
    return count


def _has_vowel(text: str) -> bool:
    return re.search("[aeiouy]", text) is not None
