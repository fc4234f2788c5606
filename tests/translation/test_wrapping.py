"""How a ``.po`` string is quoted and wrapped: as GNU gettext 0.21 does it.

The line breaking rules and the character widths are checked against GNU
libunistring itself (the library ``msgcat`` uses) where version 1.0 is
installed, and whole strings against ``msgcat`` where GNU gettext is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from leafpress.translation import wrapping
from leafpress.translation.wrapping import breaks, columns, possible, quoted

# Helpers -------------------------------------------------------------------

def libunistring():
    """GNU libunistring 1.0, or a skip: the tables are that version's."""
    name = ctypes.util.find_library("unistring")
    if name is None:
        pytest.skip("GNU libunistring is not installed")
    library = ctypes.CDLL(name)
    try:
        version = ctypes.c_int.in_dll(library, "_libunistring_version").value
    except ValueError:
        pytest.skip("this libunistring does not say its version")
    if version >> 8 != 0x100:
        pytest.skip(f"libunistring {version >> 8:#x}, the tables are 1.0's")
    library.uc_width.restype = ctypes.c_int
    library.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    return library


def line_classes(library) -> list[int]:
    """The line breaking class of every code point, from libunistring 1.0's
    own three-level table (its layout is that version's ``lbrkprop1.h``)."""

    class Table(ctypes.Structure):
        _fields_ = [("level1", ctypes.c_int * 15), ("level2", ctypes.c_int * 2048),
                    ("level3", ctypes.c_ubyte * (246 << 7))]

    try:
        table = Table.in_dll(library, "libunistring_unilbrkprop")
    except ValueError:
        pytest.skip("this libunistring does not show its line breaking table")
    level1, level2 = list(table.level1), list(table.level2)
    level3 = bytes(table.level3)
    found = []
    for code in range(0x110000):
        kind = 42  # unknown
        if code >> 16 < len(level1) and level1[code >> 16] >= 0:
            second = level2[level1[code >> 16] + ((code >> 7) & 511)]
            if second >= 0:
                kind = level3[second + (code & 127)]
        found.append(kind)
    return found


def runs(starts, values) -> list[tuple[int, int]]:
    """``(start, value)`` of each run of equal values."""
    found, last = [], None
    for start, value in zip(starts, values, strict=True):
        if value != last:
            found.append((start, value))
            last = value
    return found


def escaped(text: str) -> str:
    return "".join("\\" + wrapping._ESCAPES[char] if char in wrapping._ESCAPES
                   else char for char in text)


#: Characters of every kind the rules tell apart: Latin, digits, spaces,
#: punctuation, quotes and backslashes, Arabic with its vowel signs, Hebrew,
#: Chinese and Korean (two columns), Thai, emoji with modifiers and joiners,
#: regional indicators (flags), no-break and zero-width spaces, soft hyphens,
#: line separators and control characters.
ALPHABET = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") * 3 + [" "] * 25
            + list("-/.,;:!?()[]{}%'\"\\\t\n_#*+=<>^&@$~|`")
            + list("كتبعلىالمريضأنيأخذالدواء") + ["\u064e", "\u0651", "\u0650"]
            + list("你好世界医院药品。，、「」") + list("안녕하세요")
            + ["\u3000", "\uff01", "\uff08", "\uff09", "\u00a0", "\u00ad", "\u200b",
               "\u200d", "\u2060", "\u0301", "\u2014", "\u2013", "\u2018", "\u2019",
               "\u201c", "\u201d", "\u2026", "\U0001f600", "\U0001f44d", "\U0001f3fb",
               "\U0001f1f3", "\U0001f1f1", "\u05d0", "\u05d1", "\u0e01", "\u0e32",
               "\u2028", "\u0085", "\u00e9", "\u20ac", "\u00b0", "\u00bd", "\u2264",
               "\u00d7", "\u1100", "\u1161", "\u11a8", "\x1b", "\x7f", "\ufeff"])
#: Pieces that format directives, URLs and numbers bring in.
PIECES = ["{name}", "{0}", "{x:>10}", "{a.b}", "{a[0]}", "{{", "}}", "%s", "%(name)s",
          "%d", "%%", "% s", "%(a)5.2f", "{x:{y}}", "{ bad}", "%(",
          "https://example.org/a/b?c=d", "e-mail", "anti-inflammatory", "2,5 ml",
          "10:30", "50%", "(see page 3)", '"quoted"', "don't"]


def random_text(rng: random.Random) -> str:
    size = rng.choice([0, 1, 5, 20, 60, 75, 76, 77, 78, 79, 80, 90, 150, 300])
    parts: list[str] = []
    while len(parts) < size:
        roll = rng.random()
        if roll < 0.1:
            parts.append(rng.choice(PIECES))
        elif roll < 0.25:
            parts.append("x" * rng.randint(1, 100))
        else:
            parts.append(rng.choice(ALPHABET))
    return "".join(parts)


# The rules -----------------------------------------------------------------

def test_a_line_breaks_after_a_space_not_before_it():
    text = "Take one tablet"
    assert breaks(text, 10) == [len("Take one ")]
    assert [text[:9], text[9:]] == ["Take one ", "tablet"]


def test_a_line_breaks_after_a_hyphen_a_slash_and_a_full_stop_before_a_letter():
    assert possible("e-mail")[2] == wrapping.POSSIBLE
    assert possible("and/or")[4] == wrapping.POSSIBLE
    assert possible("thuisarts.nl")[10] == wrapping.POSSIBLE
    assert wrapping.POSSIBLE not in possible("2,5")  # never inside a number
    assert wrapping.POSSIBLE not in possible("(see)")[1:]


def test_ideographs_break_anywhere_but_before_their_punctuation():
    assert possible("医院药品。")[1:] == [wrapping.POSSIBLE] * 3 + [wrapping.PROHIBITED]


def test_wide_characters_take_two_columns_and_marks_none():
    assert [columns(char) for char in "a医안\u3000"] == [1, 2, 2, 2]
    assert [columns(char) for char in "\u0651\u064e\u0301\u200b"] == [0, 0, 0, 0]
    assert columns("\x1b") == -1


def test_arabic_vowel_signs_do_not_count_and_stay_with_their_letter():
    word = "مُرِيض"
    assert sum(max(columns(char), 0) for char in word) == 4
    assert possible(f"{word} {word}") == [0] * 7 + [wrapping.POSSIBLE] + [0] * 5


def test_a_word_longer_than_the_line_stays_whole():
    assert breaks("x" * 100, 10) == []
    assert breaks("a " + "x" * 100 + " b", 10) == [2, 103]


def test_kept_places_do_not_break():
    assert breaks("one two three", 8) == [8]
    assert breaks("one two three", 7) == [4, 8]
    assert breaks("one two three", 7, keep=[4]) == [8]


# Quoting -------------------------------------------------------------------

def test_a_string_that_fits_stays_on_the_keyword_line():
    text = ("ab " * 30)[:79 - len('msgid ""')]
    assert quoted("msgid", text) == [f'msgid "{text}"']
    assert len(quoted("msgid", text)[0]) == 79
    assert quoted("msgid", text + "c") == ['msgid ""', f'"{text}c"']
    assert quoted("msgstr", "") == ['msgstr ""']
    long_word = "x" * 100  # nowhere to break: it stays on the keyword line
    assert quoted("msgid", long_word) == [f'msgid "{long_word}"']


def test_lines_are_at_most_79_columns_with_their_quotes():
    text = ("This leaflet is for people who have been offered a trigger point "
            "injection for back pain. It explains what happens, the risks and your "
            "other choices.")
    lines = quoted("msgid", text)
    assert lines == [
        'msgid ""',
        '"This leaflet is for people who have been offered a trigger point injection "',
        '"for back pain. It explains what happens, the risks and your other choices."']
    assert max(len(line) for line in lines) <= 79


def test_a_string_is_cut_after_each_newline():
    assert quoted("msgstr", "one\ntwo\n") == ['msgstr ""', '"one\\n"', '"two\\n"']
    assert quoted("msgstr", "one\n") == ['msgstr "one\\n"']
    assert quoted("msgstr", "one\n\n") == ['msgstr ""', '"one\\n"', '"\\n"']


def test_escapes_are_written_whole():
    assert quoted("msgid", 'Say "stop" \\ now\tplease') == [
        'msgid "Say \\"stop\\" \\\\ now\\tplease"']
    # two backslashes may break between them, an escaped one never
    lines = quoted("msgid", "\\" * 50)
    assert lines[0] == 'msgid ""' and len(lines) == 3
    assert [len(line) - 2 for line in lines[1:]] == [76, 24]


def test_a_prefix_counts_towards_the_width():
    text = "word " * 15
    lines = quoted("msgid", text, "#| ")
    assert lines[0] == '#| msgid ""'
    assert all(line.startswith("#| ") and len(line) <= 79 for line in lines)
    assert "".join(line[4:-1] for line in lines[1:]) == text


def test_no_wrap_only_cuts_after_newlines():
    text = "word " * 30
    assert quoted("msgid", text, wrap=False) == [f'msgid "{text}"']
    assert quoted("msgid", text + "\nend", wrap=False) == [
        'msgid ""', f'"{text}\\n"', '"end"']


def test_python_format_directives_are_kept_whole():
    text = "x" * 73 + " % sss"
    assert quoted("msgid", text) == ['msgid ""', f'"{"x" * 73} % "', '"sss"']
    assert quoted("msgid", text, language="python") == [
        'msgid ""', f'"{"x" * 73} "', '"% sss"']


def test_python_brace_directives_keep_gettexts_marks_at_the_start_of_the_string():
    """gettext 0.21 counts a brace directive's marks from the directive's own
    ``{``: what stays whole is the first characters of the string."""
    text = "a.b" + "y" * 80 + " {q}"
    assert quoted("msgid", text) == ['msgid ""', '"a."', f'"b{"y" * 80} "', '"{q}"']
    assert quoted("msgid", text, language="python-brace") == [
        'msgid ""', f'"a.b{"y" * 80} "', '"{q}"']


def test_the_first_format_in_gettexts_order_decides():
    assert wrapping.format_language([("python-brace", "yes"), ("python", "yes")]
                                    ) == "python"
    assert wrapping.format_language([("python", "no"), ("python-brace", "possible")]
                                    ) == "python-brace"
    assert wrapping.format_language([("python", "impossible")]) is None


# Against GNU libunistring and GNU msgcat ---------------------------------------

def test_the_tables_are_libunistrings():
    library = libunistring()
    table = ctypes.c_ubyte * (33 * 33)
    try:
        pairs = table.in_dll(library, "libunistring_unilbrk_table")
    except ValueError:
        pytest.skip("this libunistring does not show its pair table")
    assert ["".join(" DIP"[pairs[row * 33 + column]] for column in range(33))
            for row in range(33)] == list(wrapping._PAIRS)
    starts, values = wrapping._table()
    assert runs(starts, [value & 0x3F for value in values]) == runs(
        range(0x110000), line_classes(library))
    widths = [(value >> 6) - 1 for value in values]
    assert runs(starts, widths) == runs(
        range(0x110000), [library.uc_width(code, b"UTF-8") for code in range(0x110000)])


def test_breaks_are_libunistrings():
    library = libunistring()
    rng = random.Random(14)
    for _ in range(400):
        text = random_text(rng).replace("\n", " ")
        data = text.encode("utf-8")
        if not data:
            continue
        result = ctypes.create_string_buffer(len(data))
        library.u8_possible_linebreaks_v2(data, len(data), b"UTF-8", result)
        starts = [len(text[:index].encode("utf-8")) for index in range(len(text))]
        # unilbrk.h: 1 prohibited, 2 possible, 3 mandatory
        mine = {wrapping.PROHIBITED: 1, wrapping.POSSIBLE: 2, wrapping.MANDATORY: 3}
        assert [result.raw[start] for start in starts] == [
            mine[what] for what in possible(text)], text
        width = rng.choice([10, 40, 77])
        library.u8_width_linebreaks_v2(data, len(data), width, 0, 0, None,
                                       b"UTF-8", result)
        assert [index for index, start in enumerate(starts)
                if result.raw[start] == 2] == breaks(text, width), text


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")
def test_strings_are_quoted_as_msgcat_quotes_them(tmp_path: Path):
    rng = random.Random(2021)
    flags = [[], ["python-format"], ["python-brace-format"], ["no-wrap"],
             ["python-format", "python-brace-format"]]
    entries = []
    lines = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"']
    for number in range(250):
        msgid, msgstr = random_text(rng), random_text(rng) or "x"
        chosen = rng.choice(flags)
        previous = random_text(rng) if rng.random() < 0.3 else None
        entries.append((f"c{number}", msgid, msgstr, chosen, previous))
        lines.append("")
        marks = (["fuzzy"] if previous is not None else []) + chosen
        if marks:
            lines.append("#, " + ", ".join(marks))
        if previous is not None:
            lines.append(f'#| msgid "{escaped(previous)}"')
        lines += [f'msgctxt "c{number}"', f'msgid "{escaped(msgid)}"',
                  f'msgstr "{escaped(msgstr)}"']
    for context, msgid, msgstr, _chosen, _previous in entries[:80]:
        lines += ["", f'#~ msgctxt "o{context}"', f'#~ msgid "{escaped(msgid)}"',
                  f'#~ msgstr "{escaped(msgstr)}"']
    source = tmp_path / "in.po"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(["msgcat", str(source)], capture_output=True)
    assert result.returncode == 0, result.stderr

    expected = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"']
    for context, msgid, msgstr, chosen, previous in entries:
        language = ("python" if "python-format" in chosen else
                    "python-brace" if "python-brace-format" in chosen else None)
        wrap = "no-wrap" not in chosen
        expected.append("")
        marks = (["fuzzy"] if previous is not None else []) + chosen
        if marks:
            expected.append("#, " + ", ".join(marks))
        if previous is not None:
            expected += quoted("msgid", previous, "#| ", language, wrap)
        for keyword, text in (("msgctxt", context), ("msgid", msgid),
                              ("msgstr", msgstr)):
            expected += quoted(keyword, text, "", language, wrap)
    for context, msgid, msgstr, _chosen, _previous in entries[:80]:
        expected.append("")
        for keyword, text in (("msgctxt", "o" + context), ("msgid", msgid),
                              ("msgstr", msgstr)):
            expected += quoted(keyword, text, "#~ ")
    assert result.stdout.decode("utf-8").split("\n") == [*expected, ""]
