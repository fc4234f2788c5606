"""Whether a leaflet in a language has had the review its policy asks for.

Called by :mod:`leafpress.pipeline` for the build, ``status``, the report,
the stale check and ``leafpress sign``. In: every message the leaflet prints
in the language (its own catalog's and the templates', each with its source,
translation and ``po:line``), their review records, and what the policy in
``[review] require`` asks for. Out: a :class:`ReviewState`: the messages not
yet revised, the sign-off that covers the text as it is now (if any), and
what is missing, in words the print room can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from leafpress.review.records import Records, SignOff, message_hash, text_hash
from leafpress.settings.review import REVISED, SIGNED_OFF

#: How many places a note names before it says how many more there are.
NAMED = 5


@dataclass(frozen=True)
class Message:
    """One message as the leaflet prints it in a language."""

    domain: str
    context: str | None
    source: str
    translation: str
    #: Where its msgstr is: the catalog and line.
    shown: str
    line: int | None

    @property
    def hash(self) -> str:
        return message_hash(self.context, self.source, self.translation)

    @property
    def place(self) -> str:
        return f"{self.shown}:{self.line}" if self.line else self.shown


@dataclass(frozen=True)
class ReviewState:
    """The review of one leaflet in one language."""

    required: tuple[str, ...]
    messages: tuple[Message, ...]
    #: The messages no valid revision covers.
    unrevised: tuple[Message, ...]
    #: The sign-off of the text as it is now, if any.
    sign_off: SignOff | None
    #: The latest sign-off of any text (to say since when it is void).
    last_sign_off: SignOff | None
    text_hash: str

    @property
    def revised(self) -> int:
        return len(self.messages) - len(self.unrevised)

    @property
    def missing(self) -> list[str]:
        """What the policy still asks for, one phrase each."""
        found = []
        if REVISED in self.required and self.unrevised:
            count = len(self.unrevised)
            places = _places(self.unrevised[:NAMED])
            if count > NAMED:
                places += f" and {count - NAMED} more"
            found.append(f"{count} message{'s' * (count != 1)} not revised "
                         f"({places})")
        if SIGNED_OFF in self.required and self.sign_off is None:
            last = self.last_sign_off
            found.append(f"not signed off since version {last.version} ({last.date})"
                         if last else "not signed off by the clinician")
        return found

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def note(self) -> str:
        return "waiting for review: " + "; ".join(self.missing)

    def changed(self, message: Message, records: Mapping[str, Records]
                ) -> tuple[bool, str | None]:
        """Whether a message changed since the last sign-off, and its text
        then (when a revision of that text is on record)."""
        last = self.last_sign_off
        if last is None or message.hash in last.messages:
            return False, None
        earlier = records[message.domain].earlier(message.context, message.source)
        old = None
        if earlier is not None and earlier.hash in last.messages:
            old = earlier.translation
        return True, old


def _places(messages: Iterable[Message]) -> str:
    """``po:line`` of each message, the file named once: ``x.po:12, :20``."""
    parts, last = [], None
    for message in messages:
        if message.line is None:
            parts.append(message.shown)
        elif message.shown == last:
            parts.append(f":{message.line}")
        else:
            parts.append(message.place)
        last = message.shown
    return ", ".join(parts)


def review_state(required: Iterable[str], messages: Iterable[Message],
                 records: Mapping[str, Records], leaflet_domain: str,
                 elsewhere: Iterable[Records] = ()) -> ReviewState:
    """The review state of a leaflet's messages (``records`` by domain: the
    leaflet's own catalog and ``ui``); the sign-off is kept with the
    leaflet's own catalog. A message whose exact text was revised in another
    catalog of the language (``elsewhere``: translation memory filled it
    from there) counts as revised."""
    messages = tuple(messages)
    others = tuple(elsewhere)
    unrevised = tuple(
        message for message in messages
        if all(found.revision(message.context, message.source,
                              message.translation) is None
               for found in (records[message.domain], *others)))
    whole = text_hash(message.hash for message in messages)
    own = records[leaflet_domain]
    return ReviewState(tuple(required), messages, unrevised, own.sign_off(whole),
                       own.last_sign_off, whole)
