"""Translation memory: what the catalogs of a language already say, offered
to the messages still to translate, and exchanged with agencies as TMX 1.4b.

Called by :mod:`leafpress.translation.update` (``leafpress update`` fills
new messages from the memory) and by :mod:`leafpress.pipeline.memory`
(``leafpress memory export`` and ``leafpress memory import``). In: the
``.po`` files of one language as they are on disk, and
``locales/<lang>/memory.tmx`` (translations imported from a TMX file). Out:
a :class:`Memory` that finds the exact and the close matches of a source
text, :func:`fill` (what ``update`` does with them, counted in
:class:`Filled`), and TMX bytes written (:func:`write_tmx`) and read
(:func:`read_tmx`).

What :func:`fill` does with a message whose msgstr is empty:

- an exact match (the same msgid and msgctxt) from another catalog of the
  language, whose numbers, placeholders and markup agree
  (:func:`leafpress.quality.checks.check` finds nothing critical), is filled
  in as translated (else fuzzy, with the finding named). When the catalogs
  translate it in more than one way, the most frequent is filled in fuzzy
  and each other one is named in a translator comment
  (``memory: also “…” (knee.po:12)``);
- otherwise the closest source with the same msgctxt (a difflib ratio of at
  least :data:`CUTOFF`) is filled in fuzzy, with a comment naming where it
  comes from (``memory: 87% from trigger-point-aftercare.po:123``) and its
  source kept as the previous msgid, so that an editor shows the difference;
- the imported memory is only ever a fuzzy suggestion, never translated.

A translation is never written over. A message that is fuzzy with a
translation (its source changed) only gets a comment naming the exact
matches the memory has, once (a message with a ``memory:`` comment is not
looked up again). Plural messages are not in the memory.

TMX files come from outside: :func:`read_tmx` refuses a DOCTYPE (and with it
every entity declaration and external entity) and any file larger than
:data:`MAX_BYTES`, and names the line where a file stops being well-formed
XML.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from babel.messages.catalog import Catalog, Message

from leafpress import __version__
from leafpress.errors import ContentError, Problem
from leafpress.quality import checks
from leafpress.quality.checks import CheckSettings
from leafpress.settings.project import Project
from leafpress.translation.catalogs import message_lines, parse_catalog
from leafpress.translation.pofile import short

#: The imported memory of a language: ``locales/<lang>/memory.tmx``.
NAME = "memory.tmx"
#: The largest TMX file read (a clinic's memory, not an agency's archive).
MAX_BYTES = 50_000_000
#: The least similarity of two sources (difflib's ratio) for a close match.
CUTOFF = 0.75
#: How every translator comment the memory writes starts.
TAG = "memory:"
#: At most this many other translations are named in comments.
OTHERS = 3


@dataclass(frozen=True)
class Unit:
    """One translation in the memory."""

    source: str
    target: str
    #: The msgctxt (``title``, ``summary``; ``None`` for a block). An
    #: imported unit without one is offered to messages of every msgctxt.
    context: str | None
    #: Where it comes from: ``knee.po:12`` (its msgstr's line when read), or
    #: for an imported unit the TMX file and the line of its ``<tu>``.
    origin: str
    #: From an imported TMX file: only ever a fuzzy suggestion.
    imported: bool = False
    #: The file name of the catalog it is in (a catalog is never its own
    #: memory); ``None`` for an imported unit.
    catalog: str | None = None

    @property
    def key(self) -> tuple[str | None, str, str]:
        """What makes two units the same (their origins aside)."""
        return self.context, self.source, self.target

    def fits(self, context: str | None) -> bool:
        """Whether this unit may translate a message with ``context``."""
        return self.context == context or (self.imported and self.context is None)


@dataclass
class Filled:
    """What the memory did to one catalog."""

    #: Messages filled in as translated (exact matches).
    exact: int = 0
    #: Messages filled in fuzzy (close matches, disagreeing or imported ones).
    fuzzy: int = 0
    #: Fuzzy messages that kept their translation and got a comment naming
    #: an exact match.
    suggested: int = 0

    @property
    def total(self) -> int:
        return self.exact + self.fuzzy

    def __bool__(self) -> bool:
        return bool(self.total or self.suggested)

    def __add__(self, other: Filled) -> Filled:
        return Filled(self.exact + other.exact, self.fuzzy + other.fuzzy,
                      self.suggested + other.suggested)

    def describe(self) -> str:
        """``filled 12 messages from memory (9 exact, 3 fuzzy)``."""
        text = (f"filled {self.total} message{'s' * (self.total != 1)} from memory "
                f"({self.exact} exact, {self.fuzzy} fuzzy)")
        if self.suggested:
            text += (f"; named an exact match in {self.suggested} fuzzy "
                     f"message{'s' * (self.suggested != 1)}")
        return text


#: Texts up to this long are compared with every memory text of a fitting
#: length; longer ones only with the texts that share enough of their words.
SHORT = 60
#: The least share of words (Dice's coefficient on distinct words) a longer
#: text must have in common with a memory text to be compared with it.
SHARED_WORDS = 0.4
#: At most this many memory texts (those sharing most words) are compared
#: with a longer text.
COMPARED = 40
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class _Sources:
    """The distinct sources of one context: by length, and by word."""

    def __init__(self, texts: Iterable[str]):
        self.by_length = sorted((len(text), text) for text in set(texts))
        self.texts = [text for _, text in self.by_length]
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = {}
        for index, text in enumerate(self.texts):
            words = _words(text)
            self.sizes.append(len(words))
            for word in words:
                self.postings.setdefault(word, []).append(index)

    def near(self, source: str) -> list[str]:
        """The texts that may be at least :data:`CUTOFF` similar to
        ``source``: of a length that allows it (two texts of lengths ``a``
        and ``b`` are at most ``2 min(a, b) / (a + b)`` similar) and, for a
        text longer than :data:`SHORT`, sharing words with it."""
        size = len(source)
        low, high = size * CUTOFF / (2 - CUTOFF), size * (2 - CUTOFF) / CUTOFF
        start = bisect.bisect_left(self.by_length, (low, ""))
        stop = bisect.bisect_right(self.by_length, (high, "\U0010ffff"))
        if size <= SHORT:
            return self.texts[start:stop]
        words = _words(source)
        shared: Counter[int] = Counter()
        for word in words:
            shared.update(self.postings.get(word, ()))
        scored = sorted(
            (-2 * count / (len(words) + self.sizes[index]), self.texts[index])
            for index, count in shared.items()
            if start <= index < stop
            and 2 * count / (len(words) + self.sizes[index]) >= SHARED_WORDS)
        return [text for _, text in scored[:COMPARED]]


class Memory:
    """The units of one language, indexed by source text (exact matches)
    and by context, length and words (close matches)."""

    def __init__(self, units: Iterable[Unit] = ()):
        self.units = list(units)
        self._by_source: dict[str, list[Unit]] = {}
        for unit in self.units:
            self._by_source.setdefault(unit.source, []).append(unit)
        # The sources of each context; ``loose`` are those of imported units
        # without a context.
        sources: dict[tuple[bool, str | None], list[str]] = {}
        for unit in self.units:
            loose = unit.imported and unit.context is None
            sources.setdefault((loose, None if loose else unit.context),
                               []).append(unit.source)
        self._sources = {key: _Sources(texts) for key, texts in sources.items()}

    def __len__(self) -> int:
        return len(self.units)

    def exact(self, source: str, context: str | None, own: str | None = None
              ) -> list[Unit]:
        """The units with this source and context, but for catalog ``own``'s."""
        return [unit for unit in self._by_source.get(source, ())
                if (unit.catalog is None or unit.catalog != own)
                and unit.fits(context)]

    def close(self, source: str, context: str | None, own: str | None = None
              ) -> tuple[float, list[Unit]] | None:
        """The units of the most similar other source (a difflib ratio of at
        least :data:`CUTOFF`), and the ratio; ``None`` when none is that
        close. Candidates are narrowed by length and words
        (:meth:`_Sources.near`), then by difflib's quick ratios."""
        best, found = CUTOFF, None
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(source)
        for key in ((False, context), (True, None)):
            sources = self._sources.get(key)
            for text in sources.near(source) if sources else ():
                if text == source:
                    continue
                units = self.exact(text, context, own)
                if not units:
                    continue
                matcher.set_seq1(text)
                if matcher.real_quick_ratio() < best or matcher.quick_ratio() < best:
                    continue
                ratio = matcher.ratio()
                if ratio > best or (found is None and ratio >= best):
                    best, found = ratio, units
        return (best, found) if found else None


def choose(units: Sequence[Unit]) -> tuple[Unit, list[Unit]]:
    """The translation most units give (the catalogs' before imported ones;
    on a tie the first found), and one unit for each other translation."""
    pool = [unit for unit in units if not unit.imported] or list(units)
    counts = Counter(unit.target for unit in pool)
    first: dict[str, Unit] = {}
    for unit in pool:
        first.setdefault(unit.target, unit)
    best = max(first, key=lambda target: counts[target])
    return first[best], [unit for target, unit in first.items() if target != best]


# -- Filling a catalog -------------------------------------------------------

def _comment(text: str) -> str:
    """A translator comment of the memory: one line."""
    return " ".join(f"{TAG} {text}".split())


def _from(unit: Unit, percent: int) -> str:
    imported = " (imported)" if unit.imported else ""
    return _comment(f"{percent}% from {unit.origin}{imported}")


def _also(others: Sequence[Unit]) -> list[str]:
    return [_comment(f"also {short(unit.target)} ({unit.origin})")
            for unit in others[:OTHERS]]


def _fuzzy(message: Message, unit: Unit, comments: list[str]) -> str:
    message.string = unit.target
    message.flags.add("fuzzy")
    message.user_comments.extend(comments)
    return "fuzzy"


def _fill_one(message: Message, memory: Memory, own: str, settings: CheckSettings,
              source_lang: str, lang: str) -> str | None:
    """Fill one message with an empty msgstr; return ``exact``, ``fuzzy`` or
    ``None`` (nothing close enough)."""
    found = [unit for unit in memory.exact(message.id, message.context, own)
             if not unit.imported]
    if found:
        unit, others = choose(found)
        if others:
            return _fuzzy(message, unit, [_from(unit, 100), *_also(others)])
        critical = [finding for finding in checks.check(
            message.id, unit.target, settings, source_lang, lang)
            if finding.severity == checks.CRITICAL]
        if critical:
            why = "; ".join(f"{finding.rule}: {finding.message}"
                            for finding in critical)
            return _fuzzy(message, unit, [_comment(
                f"100% from {unit.origin}, not taken as translated: {why}")])
        message.string = unit.target
        message.flags.discard("fuzzy")
        message.previous_id = []
        return "exact"
    suggestion = [unit for unit in memory.exact(message.id, message.context, own)
                  if unit.imported]
    ratio = 1.0
    if not suggestion:
        close = memory.close(message.id, message.context, own)
        if close is None:
            return None
        ratio, suggestion = close
    unit, others = choose(suggestion)
    result = _fuzzy(message, unit, [_from(unit, int(ratio * 100)), *_also(others)])
    if unit.source != message.id:
        message.previous_id = [unit.source]
        message.previous_context = unit.context
    return result


def _suggest(message: Message, memory: Memory, own: str) -> bool:
    """Name the exact matches of a fuzzy message that keeps its translation."""
    if any(comment.startswith(TAG) for comment in message.user_comments):
        return False
    units = [unit for unit in memory.exact(message.id, message.context, own)
             if unit.target != message.string]
    if not units:
        return False
    unit, others = choose(units)
    message.user_comments.extend(
        _comment(f"exact match {short(item.target)} ({item.origin}"
                 f"{', imported' if item.imported else ''})")
        for item in [unit, *others][:OTHERS])
    return True


def fill(catalog: Catalog, memory: Memory, own: str, settings: CheckSettings,
         source_lang: str, lang: str) -> Filled:
    """Fill the messages of ``catalog`` (the catalog file ``own``, e.g.
    ``knee.po``) that have no translation from ``memory`` (see the module
    docstring); never write over a translation."""
    filled = Filled()
    if not memory:
        return filled
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if not message.string:
            done = _fill_one(message, memory, own, settings, source_lang, lang)
            if done == "exact":
                filled.exact += 1
            elif done == "fuzzy":
                filled.fuzzy += 1
        elif message.fuzzy and isinstance(message.string, str):
            filled.suggested += _suggest(message, memory, own)
    return filled


# -- The memory of a language -------------------------------------------------

def catalog_units(catalog: Catalog, lines: Mapping[tuple, int], name: str
                  ) -> Iterator[Unit]:
    """The translated, non-fuzzy singular messages of the catalog file
    ``name``, each with its ``name:line`` (``lines``: the msgstr lines of
    :func:`~leafpress.translation.catalogs.message_lines`)."""
    for message in catalog:
        if (not message.id or not isinstance(message.id, str) or message.fuzzy
                or not isinstance(message.string, str) or not message.string.strip()):
            continue
        line = lines.get((message.context, message.id), message.lineno)
        yield Unit(message.id, message.string, message.context, f"{name}:{line}",
                   catalog=name)


def memory_path(project: Project, lang: str) -> Path:
    return project.locales / lang / NAME


def for_language(project: Project, lang: str) -> tuple[Memory, list[Problem]]:
    """The memory of a language: every catalog of ``locales/<lang>/`` that
    reads, and its imported memory. A broken imported memory is left out and
    reported; a broken catalog is left out (``update`` reports it)."""
    units: list[Unit] = []
    folder = project.locales / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        try:
            data = path.read_bytes()
            catalog = parse_catalog(data, project.show(path), lang)
        except (OSError, ContentError):
            continue
        units.extend(catalog_units(catalog, message_lines(catalog, data), path.name))
    path = memory_path(project, lang)
    shown = project.show(path)
    try:
        data = read_limited(path, shown)
        units.extend(read_tmx(data, shown, project.settings.source_language, [lang],
                              NAME, keep_origins=True)[0][lang])
    except FileNotFoundError:
        pass
    except ContentError as error:
        return Memory(units), [Problem(problem.path, problem.line, "memory: not "
                                       "used: " + problem.message)
                               for problem in error.problems]
    return Memory(units), []


# -- TMX 1.4b -----------------------------------------------------------------

#: Characters XML 1.0 cannot hold, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def writable(unit: Unit) -> bool:
    """Whether XML can hold every text of a unit."""
    return not any(_NOT_XML.search(text or "")
                   for text in (unit.source, unit.target, unit.context, unit.origin))


def unique(units: Iterable[Unit]) -> list[Unit]:
    """The units, each translation once (the first found)."""
    return list({unit.key: unit for unit in reversed(list(units))}.values())[::-1]


def xml_text(value: str) -> str:
    """``value`` as XML text (the TMX and XLIFF files leafpress writes); a
    carriage return is kept as a character reference, which XML would
    otherwise read as a line end."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def xml_attribute(value: str) -> str:
    """``value`` as an XML attribute value in double quotes, its line ends
    and tabs kept (an XML reader would turn them into spaces)."""
    return (xml_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


def language_tag(lang: str) -> str:
    """A project's language code as TMX writes it: ``fa_AF`` → ``fa-AF``."""
    return lang.replace("_", "-")


def write_tmx(units: Iterable[Unit], source_lang: str, lang: str) -> bytes:
    """A TMX 1.4b document of ``units`` (each :func:`writable`): one
    ``<tu>`` each, with its msgctxt and origin as ``<prop>``\\ s."""
    source, target = xml_attribute(language_tag(source_lang)), xml_attribute(
        language_tag(lang))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tmx version="1.4">',
             f'  <header creationtool="leafpress" creationtoolversion='
             f'"{xml_attribute(__version__)}" datatype="plaintext" segtype="block" '
             f'adminlang="en" srclang="{source}" o-tmf="gettext"/>',
             "  <body>"]
    for unit in units:
        if not writable(unit):
            raise ValueError(f"{unit.origin}: XML cannot hold this text")
        lines.append("    <tu>")
        if unit.context is not None:
            lines.append('      <prop type="x-context">'
                         f'{xml_text(unit.context)}</prop>')
        lines.append(f'      <prop type="x-origin">{xml_text(unit.origin)}</prop>')
        lines.append(f'      <tuv xml:lang="{source}"><seg>{xml_text(unit.source)}'
                     "</seg></tuv>")
        lines.append(f'      <tuv xml:lang="{target}"><seg>{xml_text(unit.target)}'
                     "</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


def read_limited(path: Path, shown: str) -> bytes:
    """A TMX file's bytes; refused when larger than :data:`MAX_BYTES`.
    Raises :class:`FileNotFoundError` for a missing file."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ContentError([Problem(shown, None, f"cannot read: {error.strerror}")]
                           ) from None
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(shown, None, "refused: the file is larger than "
                                    f"{MAX_BYTES // 1_000_000} MB")])
    return data


@dataclass
class _Tu:
    line: int
    props: dict[str, str]
    tuvs: list[tuple[str, str]]


class _Reader:
    """The ``<tu>`` elements of a TMX document, read with expat."""

    def __init__(self, parser: expat.XMLParserType, shown: str):
        self.parser, self.shown = parser, shown
        self.stack: list[str] = []
        self.units: list[_Tu] = []
        self.tu: _Tu | None = None
        self.lang: str | None = None
        self.prop: str | None = None
        self.text: list[str] | None = None
        self.seg_depth = 0

    def fail(self, message: str) -> None:
        raise ContentError([Problem(self.shown, self.parser.CurrentLineNumber,
                                    message)])

    def refuse(self, what: str) -> None:
        self.fail(f"refused: the file has {what}; a TMX file needs none, and "
                  "leafpress reads no DTD or entity")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is None and name != "tmx":
            self.fail(f"not a TMX file: the first element is <{name}>, not <tmx>")
        self.stack.append(name)
        if self.seg_depth:  # inline codes (<ph>, <bpt>…): their text is kept
            return
        if name == "tu" and parent == "body":
            self.tu = _Tu(self.parser.CurrentLineNumber, {}, [])
        elif name == "prop" and parent == "tu" and self.tu is not None:
            self.prop, self.text = attributes.get("type", ""), []
        elif name == "tuv" and parent == "tu" and self.tu is not None:
            self.lang = attributes.get("xml:lang") or attributes.get("lang") or ""
        elif name == "seg" and parent == "tuv" and self.lang is not None:
            self.text, self.seg_depth = [], len(self.stack)

    def end(self, name: str) -> None:
        depth = len(self.stack)
        self.stack.pop()
        if self.seg_depth:
            if depth == self.seg_depth:
                self.seg_depth = 0
                if self.tu is not None and self.lang is not None:
                    self.tu.tuvs.append((self.lang, "".join(self.text or ())))
                self.text = None
            return
        if name == "prop" and self.prop is not None and self.tu is not None:
            self.tu.props.setdefault(self.prop, "".join(self.text or ()))
            self.prop, self.text = None, None
        elif name == "tuv":
            self.lang = None
        elif name == "tu" and self.tu is not None:
            self.units.append(self.tu)
            self.tu = None

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def _matches(code: str, lang: str) -> bool:
    """Whether a TMX language code is the project's language ``lang``
    (``nl-NL`` is ``nl``; ``pt`` is not ``pt_BR``)."""
    code, want = code.strip().replace("_", "-").lower(), language_tag(lang).lower()
    return code == want or ("-" not in want and code.split("-")[0] == want)


def _parse_tmx(data: bytes, shown: str) -> list[_Tu]:
    """The ``<tu>`` elements of a TMX file; :class:`ContentError` at the
    line of a DOCTYPE, an entity or where the XML is not well-formed."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    reader = _Reader(parser, shown)
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    for handler, what in (("StartDoctypeDeclHandler", "a DOCTYPE"),
                          ("EntityDeclHandler", "an entity declaration"),
                          ("UnparsedEntityDeclHandler", "an entity declaration"),
                          ("ExternalEntityRefHandler", "an external entity")):
        setattr(parser, handler, lambda *args, what=what: reader.refuse(what))
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ContentError([Problem(shown, error.lineno, "refused: not well-formed "
                                    f"XML ({expat.ErrorString(error.code)}, column "
                                    f"{error.offset + 1})")]) from None
    return reader.units


def read_tmx(data: bytes, shown: str, source_lang: str, langs: Sequence[str],
             name: str, keep_origins: bool = False
             ) -> tuple[dict[str, list[Unit]], int]:
    """The units of a TMX file that pair ``source_lang`` with one of
    ``langs``, by language, as imported units, and how many ``<tu>``\\ s
    paired none. Each unit's origin is ``name:line`` of its ``<tu>`` (with
    ``keep_origins``: its ``x-origin`` property, when it has one)."""
    found: dict[str, list[Unit]] = {lang: [] for lang in langs}
    skipped = 0
    for tu in _parse_tmx(data, shown):
        source = next((seg for code, seg in tu.tuvs if _matches(code, source_lang)),
                      "")
        context = tu.props.get("x-context") or None
        origin = (tu.props.get("x-origin") if keep_origins else None) or (
            f"{name}:{tu.line}")
        origin = " ".join(origin.split())[:200]
        paired = False
        for lang in langs:
            target = next((seg for code, seg in tu.tuvs if _matches(code, lang)), "")
            if source.strip() and target.strip():
                found[lang].append(Unit(source, target, context, origin,
                                        imported=True))
                paired = True
        skipped += not paired
    return found, skipped
