"""How GNU gettext writes a string of a ``.po`` file: quoted, escaped and
wrapped.

Called by :mod:`leafpress.translation.layout`. In: a keyword (``msgid``,
``msgstr[1]``, ...), its text, the line prefix (``#| ``, ``#~ ``), the
message's format flags. Out: the lines GNU ``msgcat`` and ``msgmerge``
(gettext 0.21) write for it (:func:`quoted`).

The rules are GNU gettext's. A string is cut after each ``\\n``; each piece
is wrapped so that no line is longer than 79 columns, quotes included; when
the string needs more than one line, the first line is ``msgid ""`` and the
text starts on the next. Where a line may break is GNU libunistring's
choice, which follows the line breaking rules of Unicode Standard Annex #14:
after a space (never before one), after a hyphen, a slash or a full stop
before a letter, between two ideographs; never inside a word or a number,
before closing punctuation or after opening punctuation, inside an escape
(``\\"``, ``\\\\``, ``\\n``, ``\\t``) or inside a ``%(name)s`` directive of a
message flagged ``python-format``. A word longer than the line stays whole.
Wide (East Asian) characters take two columns, combining marks (Arabic vowel
signs, accents) and format characters none, the others one.

Two of gettext's ways are followed to the letter although they look like
slips: for a message flagged ``python-brace-format``, gettext 0.21 keeps
whole the first characters of the string, as many as a ``{placeholder}``
has, instead of the placeholder (see :func:`_brace`); and a line separator
(U+2028) restarts the count of columns without breaking the line. The
directives of other format languages (``c-format``, ...) are not looked
at: a message with such a flag may, rarely, wrap otherwise than in gettext.

The two tables are libunistring 1.0's (Unicode 14.0), the library gettext
0.21 uses in Debian 12: ``_DATA`` gives the line breaking class and the
width of every code point, run by run (each run: its distance from the one
before as a base-128 number, then one byte: the class in the low six bits,
the width plus one in the high two), compressed; ``_PAIRS`` is the pair
table (row: the class before, column: the class after; ``D``: a break,
``I``: a break only after a space, ``P``: no break).
``tests/translation/test_wrapping.py`` compares both with the library itself
wherever it is installed.
"""

from __future__ import annotations

import base64
import bisect
import functools
import itertools
import re
import zlib
from collections.abc import Collection, Iterable

WIDTH = 79  #: GNU gettext's page width

#: What may happen before a character.
PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2

# Line breaking classes, numbered as libunistring numbers them (0-32 index
# the pair table; the others are resolved before it is consulted).
_BA, _HY, _AL, _ID, _HL, _RI, _ZWJ = 3, 5, 20, 23, 28, 29, 30
_BK, _CR, _LF, _CM, _ZW, _SP, _CB, _AI, _SA, _XX = range(33, 43)
_HL_BA = 100  # a Hebrew letter followed by a hyphen or a break-after

_DATA = (
    "c-rk*NsOJv5l%1v^8WYUY~IE*_KcUYF<!6%V><~bHV#f$1RPA*B!om0X_P|_AmxyY%|Ed<co"
    "@$NmHbc0#ESAn-s@AONI_g8l!b^)2muYWks=L|kYY^^;gsYA`KtbZCgVjYx%*JB`|qx<uBxu"
    "Cs;>7Xr^ZsFwyUjrn;IK<O--t4MQTpX;&)n2sk8ERUi|>@vYN@xYci9HhNm!!xy@55S7(4T7"
    "H?H!L#MG~R?Qhw9Ssm##}#ReVPpbdooHHh%#@-H9Yv#ncTGo4U<d$2K+>_ilrTzL+(XBdYaB"
    "~llTxqAp2xVilz46xtp$9nTtct$*G^y@I1h%<>N$+KeYtYLbedrjeV<+!_V$7$?dvCFGP4E("
    "X;<gDNke<wx|wWN%|J-3duEc?CMWqf1{PDn%9)J!l~F|_ZWy~g?&{#D2Qyn;jk)BNUOP3XX+"
    "72`j4B7UxCq$2;B})j=rPxIAJHi2X&<|kcDuoo%57;YI^<MaxNjSmwk^JR|AaE9bLOF+N3fp"
    "tq5<pCFZE)`^4_u%JzxR&+ox^T9<MSEqoAT^HAS;>$dHhE)@|l07QFvb)hobQOj&!&G$03b<"
    "rD15J0vsUPqe3eR?({Qet^}qq7@D!oRi?SWq+*eWnBw*;0lzXec)VQ+SRm_Xl#|lJ`u`SN}P"
    "hP(t2WOiutl=b!Aan`aEu^;Vn}EHPbdCbID)aF3-9)$7>=dGoV{axdG5ua^y@KT7ia`EAS#1"
    "OhGS8=o46ZjrW+il0vphu7vj%{b-+no47oQiURZ8gq(Us&o{HB%Gs-BzJX)Oz^bxJ3$<C6e_"
    "5*okan;-DdsMbGqqUByz|+lKE__Wi}H=`fpOK<<B7L(s+)|b1jmqTzoQFUU0`={rrp7+p9yX"
    "aeJ$e{8;^x^-L-xT?m6zqggy<()oC>uodyq+a$bZzDXZ?Vz!aPf1NdNVjll+cFdyZ7$0Jt<w"
    "_{%ASm{JQ(o7Y)jZQOv`^Ie-y8|?M(p}-3Y&S*Uj+<^D=9|K=?#A5CWL?88e2bj5Xy?F3Pe1"
    "X^Cm*AG#dh?HH{$-yRlD^%bA0c=T=kFh%^~<I8iwwNaHikFDD;An&n<q2SWHaapBuP{ga%+t"
    "%GYQOn>3VN!-)0`YL<u2{q8{)X*_{AEJ8ik=b&!T0^p$3xDvI;#GohPM%W`yvRg55vr6V3$6"
    "gVXxy_XVpYR#GCpKm5Y^o~}!!Rtnnn_mCh#YObyVu+95E}{(*+6NBovtpm?j9Ov4xkQcnZFb"
    "&&e+6xUxscEzDE76&caal%Vmz_Qb(>la3ja1atkxAQ4LxU*FhtE?c3tIpj0;Ry|P-f>GK$jJ"
    "f&Uj6poayjmabIhf5C3v79eXLVLhv-KXNDn{9TqmQ9GSPFn&9bn&KgN9jkpJSYh_+@{qLFT*"
    "It?m)}O-6J@P)}ZC9$=4k?d2(9i=2^)06lk;A=lTVSnbUeoO(Q-|^Ot_n<mxBd;Y!S=Jl9d@"
    "K<~U<fpc(Ba<({!+#FRW+0|t191%QI#^4}|U@Cp=-SlQIK_u=0Sb#)jK(E^hmuol(U<J1|4#"
    "jY88F)z1--R}+!n5i$$aXU7?TAxB??|Uyxkp;a$(%E#a(qrQ0j%NmwxYohOB-R#VntT1;C-4"
    "xfpN9KK-D%YoH}45VE>DX2A5p|#hg3@V7;T>QuHge0FM_`p@X8^{YD(_y3R%3_W|s;12p<%k"
    "4!R^1ag*p*p=1@uZ+_NV4XA<fLmCRQj1K$3&1Www=fs68Eq_#$SSfeG^io;IU`a<nH81#=ml"
    "GA7D^o}v?*x!2VFz})3F7{&|*!%>O%Gam`axrsuN>Q%RKhI$Sp>T1hjOa7xhI=L+Eb@Fnzm#"
    "wU?p4>6q_4I5x|gyB>5#unIu|D|-NuXn6E`nDp`&61oQcYb(7i^82cW<hL`2m)Tl}a8tIxS}"
    "(DG)IOSoadSM#)fGPY2<HXJ^m-h}%bNJvF95e?x+hP01t+Yer!~XXyycejHgPd9_!l(qoCB*"
    "|DWh<B*Q`>0TNqkW;qj$L_)skkg~pQoje1K5J&zM&YrGn+9i8W29WrM>(INUog=k*$=`LX=T"
    "n!rmqpQAS0lfs@Hg7Sa|JN14GX7E&_JIAT04J9k^L=3yy<MF&e0qqEh99<h!N1Za6Amxc=oT"
    "p9CAcg(kv`5K{aQF{&T%v3>zW>BXPHNExbu8i%ZXLw2dU2~Ne$VvZYcdV_u+|C_CAO{2PY7h"
    "kfv(7t=$Jto#qm;+yG@0lAvP4O%9{9!PVi_k#>Ky8Oe&NB8INwfT1`yWlD<m@Fd*`F(*T0iX"
    "=gb1&d=rO*l$9PLxRrd(-YFVBap0%1AO0No3{ZWw0AjU1E!7bKv-d2pLzgAYNsPcVge?$^?="
    "jmjtzpz#pg&hi||QxB)ld2Hb%E2Ylm+4c<O^tDm?#oZ?bg1F<!_fY@>&BXt4q!3&6S7Z7tV="
    "n67=&iB#ZHRmhzFv8R!&Ytl0Zp?B(?t2%h$GiG%NlN~pmSWczqU)tC*QPKb0iZ>ig7x7_j1*"
    "~vdSAVV-z7^Nc+VpK9R>2+SS}MK5nU1qbz~$4bHneH-<zve$emFysWW)d7V2D9>^rB6QEv*w"
    "+!Zk1yoc?Ad0$He&Ybxfa$|_w!1s{6!peeCFUETOHu}Dga(>6|Lk99#`9gwP_R~JZ=@%3sv7"
    "lRhuj4nmr7?u|5hOG_9n_5;=Rac@PjgOgcGHiSU)N)TY-tx#po7Rz8r55Hxm;Dh;`=zg&Pm9"
    "6&y}e`c`WXhO3XcyP;lzBx2j9AC>vzoZ-8{oAE*S1Xe*wyEF$N|N0A#_S_|C$t}F~h$j)q48"
    "`>-tJ5Ipx=;gc?mT(l7u!HM)6y@=YTx2)|dI@;akURoiuI@F!@WXVkKaAH@6OhnuXMGBhU(;"
    "M6V7B=!D+Rg-Mf&xwj&0V{fH1I=HX&6+vR)SI=nmJ*X*M%E!zDQ>u=<+ha{IV^#rYZOlSs=s"
    "$2!TBH*$dy`JkaOsSV)mJ(KYZSPD}qZFgninCWnKc>r{3n6r}9bNN=XFfJ`JR&Jz-T&Dpp$#"
    "S_%ay6Etd<1aDc5GD<r#!hV=UjEa6#h~l2}k-1%9Bz*5X#HNNwZQ&j40v}$0fJOpMzSY-m9I"
    "YmSEgg)wQw)X8ec<6^jzBD~l7=IUonFO1{;^1Z0>*mYVkx7i+i4(sY%K$e@|~iKbsed&+_{W"
    "`#KBxGHm~JM6V&!CX4SX(5Nk!>F73H(;5f-m*O6=qT3}VJB%-<4h|B47OvgUY51xvQk?f1Jq"
    "x`7AIuIO(pA&nXe8J>KW$huNcBEW{WHEa&Yp?_55ny&@EE7kvH3ffxeos)w5+$bO+aSydcWc"
    "1n&S`9W%jY#u03Z(_#$C>iNRlyK;6rT`Z+g9_5;lY$>-qt}wQ=qjI*=YE=aHztmEyV->%yq^"
    "P}l)>6N3;-bEi_;1s9J+o4$-zxvdwe$@5y=14%8Cdq2Rc~|p2RE920UnMe52zE$|9+JIB=ht"
    "=|Hg58!{REAdU@yIL?7~H9gpRTa(<f}a0!%><x-NDf-y_C4wkpZ|2(2c#SEUM`^77$_F<pkn"
    "l$~<d3#Lx`X}1=gn#e%X*d-xd}#dcQ1gGgX8~7X0b~{+c=)OI`{s@BpNAQSDdQ&w=sTd!-jp"
    "kA@}^?XfaCqkn7ajx@r(U=e<%Hu`MU}8cghi(HbM{lKtdy6;V!?9?&f-&e}yk;gC51IjsC2n"
    "M?AYg`7@#{rt@Dz_-<79l;t~C6<X8kdsB6Pqv|gb9$VmrY?w2*(JAW=<C5IQPeJ0Ug65kC@6"
    "X5E>;IfW$A2x&s9&yYX%dnDKymy4&x!bd{<Gmt4FQzzr@ao>#Yc0>e_Xx`?Mehv^gCv~21+;"
    "6*V(lAYI!@Q{cKEMoh>VI);|C}{JLB?TrE~rT*xYdW#KWFf5ui9BF$C!SHtq0tyE-J(PP^EI"
    "7Cyatlu95{<JP^P{mCxTew!E=xu3$Dtdy#?~Yd1X%?n4Lb~%6GTghYI{I?f87Nfi$g4xaTxy"
    "2Bmu#qAN`k)B6XHv+sIawYgj%7(2|%)_LQj!$0V}Lq&>>n-AzCy+V;pdi$0OkP7hKsh!F(Kr"
    "uW<>iP>UKE^{{SnO)$W=Sfv0=Q886eQWZozFMS>E<NDx268aW;LX*pNpk@JsMFYFpMOCc3sL"
    "<-7iCy+nS|CPa{yxw)i^vA1%{fChYzNIgjMdOaMZ757fwpNyXzM|@3{+QZ8G63ephpVZN<yO"
    "rWwv?=Egfm4l(k~og?0pL)vX7qQA!=s#Wa8-XlEiRqyh&AFme~9Rst&Yi^R>ajZWfddRov_%"
    "LpW`TG))X&b%y|Ru-^RNL%S5X6R);?!$fudyUp-Fyipp=Vqz;^`}qmf+df*r~N7AK2`od37U"
    "#U"
)
_PAIRS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
)


@functools.cache
def _table() -> tuple[list[int], bytes]:
    """The starts of the runs of ``_DATA`` and the value of each."""
    raw = zlib.decompress(base64.b85decode("".join(_DATA)))
    starts: list[int] = []
    values = bytearray()
    index = start = 0
    while index < len(raw):
        delta = shift = 0
        while raw[index] & 0x80:
            delta |= (raw[index] & 0x7F) << shift
            shift += 7
            index += 1
        delta |= raw[index] << shift
        start += delta
        starts.append(start)
        values.append(raw[index + 1])
        index += 2
    return starts, bytes(values)


@functools.lru_cache(maxsize=4096)
def _lookup(char: str) -> tuple[int, int]:
    """``(line breaking class, columns)`` of a character."""
    starts, values = _table()
    value = values[bisect.bisect_right(starts, ord(char)) - 1]
    return value & 0x3F, (value >> 6) - 1


def columns(char: str) -> int:
    """The columns a character takes: 2 (wide), 1, 0 (combining marks and
    format characters) or -1 (a control character, counted as none)."""
    return _lookup(char)[1]


def line_class(char: str) -> int:
    """The line breaking class of a character, as libunistring numbers it."""
    return _lookup(char)[0]


def possible(text: str) -> list[int]:
    """What may happen before each character of ``text``: a line break is
    :data:`PROHIBITED`, :data:`POSSIBLE` or :data:`MANDATORY` (before a line
    or paragraph separator)."""
    result = [PROHIBITED] * len(text)
    before = last = _BK  # the class of the character before, and of the
    space = False  # last one that is not a space; whether a space followed
    regional = 0  # regional indicators in a row right before
    for index, char in enumerate(text):
        kind = _lookup(char)[0]
        if kind in (_BK, _CR, _LF):
            result[index] = MANDATORY
            before, last, space = kind, _BK, False
        else:
            if kind in (_AI, _SA, _XX):
                kind = _AL
            elif kind == _CB:
                kind = _ID
            if kind == _SP:
                space = True
            elif kind == _ZW:
                last, space = _ZW, False
            elif kind in (_CM, _ZWJ):
                # a combining mark stays with the character it follows,
                # unless that is a space or nothing: then it is a letter
                if last == _BK:
                    last, space = _AL, False
                elif last == _ZW or space:
                    result[index] = POSSIBLE
                    last, space = _AL, False
            else:
                result[index] = _pair(before, last, kind, space, regional)
                last, space = kind, False
            before = _HL_BA if before == _HL and kind in (_HY, _BA) else kind
        regional = regional + 1 if kind == _RI else 0
    return result


def _pair(before: int, last: int, kind: int, space: bool, regional: int) -> int:
    """Whether a line may break before a character of class ``kind`` that
    follows one of class ``last`` (``before``: the class of the character
    right before it, a space too; ``space``: whether spaces are between)."""
    if last == _BK:
        return PROHIBITED
    if last == _ZW:
        return POSSIBLE
    if before == _ZWJ:
        return PROHIBITED
    if last == _RI and kind == _RI:
        return POSSIBLE if space or regional % 2 == 0 else PROHIBITED
    if before == _HL_BA:
        return PROHIBITED
    rule = _PAIRS[last][kind]
    return POSSIBLE if rule == "D" or (rule == "I" and space) else PROHIBITED


def breaks(text: str, width: int, start: int = 0,
           keep: Collection[int] = ()) -> list[int]:
    """Where ``text`` breaks into lines of at most ``width`` columns, the
    first line starting at column ``start``: the index of the first
    character of each line after the first. A line never breaks before a
    character whose index is in ``keep``; a word wider than ``width`` stays
    whole."""
    allowed = possible(text)
    for index in keep:
        allowed[index] = PROHIBITED
    found: list[int] = []
    last: int | None = None  # the last place the line may break
    column = start  # the column of that place
    piece = 0  # the width of the text since that place
    for index, char in enumerate(text):
        what = allowed[index]
        if what != PROHIBITED and last is not None and column + piece > width:
            found.append(last)
            column = 0
        if what == MANDATORY:  # a line separator: counting starts anew
            last, column, piece = None, 0, 0
            continue
        if what == POSSIBLE:
            last, column, piece = index, column + piece, 0
        piece += max(_lookup(char)[1], 0)
    if last is not None and column + piece > width:
        found.append(last)
    return found


# Format directives ---------------------------------------------------------

_START, _END, _ERROR = 1, 2, 4

#: The format languages of GNU gettext 0.21, in the order it writes their
#: flags (``#, c-format, python-format``).
FORMATS = ("c", "objc", "python", "python-brace", "java", "java-printf",
           "csharp", "javascript", "scheme", "lisp", "elisp", "librep", "ruby",
           "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural",
           "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php",
           "gcc-internal", "gfc-internal", "ycp")


class _Reader:
    """GNU gettext's reading of a format string, byte by byte: it marks where
    each directive starts and ends, and where it found an error (where it
    stopped)."""

    def __init__(self, text: bytes):
        self.text = text
        self.marks = bytearray(len(text))

    def at(self, index: int) -> int:
        return self.text[index] if index < len(self.text) else 0

    def mark(self, index: int, what: int) -> None:
        if index < len(self.text):
            self.marks[index] |= what

    def fail(self, index: int) -> None:
        self.mark(index, _ERROR)
        raise _Stop

    def digits(self, index: int) -> int:
        while self.at(index) and self.at(index) in b"0123456789":
            index += 1
        return index


class _Stop(Exception):
    """gettext stopped reading a format string at an error."""


def _python(reader: _Reader) -> None:
    """``%(name)s``, ``%d``, ``%%``: Python's ``%`` format directives."""
    at, index, named, unnamed = reader.at, 0, 0, 0
    while at(index):
        index += 1
        if at(index - 1) != ord("%"):
            continue
        reader.mark(index - 1, _START)
        name = at(index) == ord("(")
        if name:
            depth, index = 0, index + 1
            while at(index) and not (at(index) == ord(")") and depth == 0):
                depth += {ord("("): 1, ord(")"): -1}.get(at(index), 0)
                index += 1
            if not at(index):
                reader.fail(index - 1)
            index += 1
        while at(index) and at(index) in b"-+ #0":
            index += 1
        for first in (True, False):  # the width, then the precision
            if not first:
                if at(index) != ord("."):
                    break
                index += 1
            if at(index) == ord("*"):
                index += 1
                if named:
                    reader.fail(index - 1)
                unnamed += 1
            else:
                index = reader.digits(index)
        if at(index) and at(index) in b"hlL":
            index += 1
        if not at(index) or at(index) not in b"%crsiduoxXeEfgG":
            reader.fail(index if at(index) else index - 1)
        if name:
            if unnamed:
                reader.fail(index)
            named += 1
        elif at(index) != ord("%"):
            if named:
                reader.fail(index)
            unnamed += 1
        reader.mark(index, _END)
        index += 1


def _python_brace(reader: _Reader) -> None:
    """``{name}``, ``{0}``, ``{name:>10}``: Python's ``str.format``
    directives (``{{`` is a brace)."""
    index = 0
    while reader.at(index):
        if reader.at(index) == ord("{"):
            index = _brace(reader, index, True)
        else:
            index += 1


def _field(reader: _Reader, index: int, numeric: bool) -> int | None:
    """The end of a name (or, when ``numeric``, of a number) at ``index``."""
    char = reader.at(index)
    if char and (chr(char).isascii() and (chr(char).isalpha() or char == ord("_"))):
        while reader.at(index) and (chr(reader.at(index)).isascii() and (
                chr(reader.at(index)).isalnum() or reader.at(index) == ord("_"))):
            index += 1
        return index
    if numeric and char and char in b"0123456789":
        return reader.digits(index)
    return None


def _brace(reader: _Reader, index: int, top: bool) -> int:
    """Read the directive at ``index`` (its ``{``); return where it ends.

    gettext 0.21 marks a brace directive's start, end and errors counting
    from the directive's own ``{``, not from the start of the string: the
    marks land on the first characters of the string, and so do these."""
    at, base = reader.at, index

    def fail(where: int) -> None:
        reader.fail(where - base)

    index += 1
    if at(index) == ord("{"):
        return index + 1
    start = index
    end = _field(reader, index, True)
    if end is None:
        fail(index)
    index = end
    while at(index) in (ord("."), ord("[")):
        opener, index = at(index), index + 1
        end = _field(reader, index, opener == ord("["))
        if end is None:
            fail(index)
        index = end
        if opener == ord("["):
            index += 1
            if at(index - 1) != ord("]"):
                fail(index)
    if at(index) == ord(":"):
        if not top:
            fail(index)
        index += 1
        if at(index) == ord("{"):
            index = _brace(reader, index, False)
        else:
            if at(index + 1) and at(index + 1) in b"<>=^":
                index += 2
            elif at(index) and at(index) in b"<>=^":
                index += 1
            for signs in (b"+- ", b"#", b"0"):
                if at(index) and at(index) in signs:
                    index += 1
            index = reader.digits(index)
            if at(index) == ord("."):
                index = reader.digits(index + 1)
            if at(index) and at(index) in b"bcdoxXneEfFgG%":
                index += 1
        if at(index) != ord("}"):
            fail(index)
    if at(index) != ord("}"):
        fail(index)
    if top:
        reader.mark(start - 1 - base, _START)
        reader.mark(index - base, _END)
    return index + 1


_PARSERS = {"python": _python, "python-brace": _python_brace}


def _kept(text: str, language: str | None) -> set[int]:
    """The characters of ``text`` (by index) a line may not break before:
    those inside a format directive of ``language`` (not its first one)."""
    parse = _PARSERS.get(language or "")
    if parse is None:
        return set()
    data = text.encode("utf-8")
    reader = _Reader(data)
    try:
        parse(reader)
    except _Stop:
        pass
    marks, inside = reader.marks, set()
    index = 0
    while index < len(marks):
        if marks[index] & _START:
            end = index
            while end < len(marks) and not marks[end] & (_END | _ERROR):
                end += 1
            if end < len(marks) and not marks[end] & _ERROR:
                inside.update(byte for byte in range(index, end + 1)
                              if not marks[byte] & _START)
            index = end
        index += 1
    kept, offset = set(), 0
    for number, char in enumerate(text):
        if offset in inside:
            kept.add(number)
        offset += len(char.encode("utf-8"))
    return kept


# Quoting -------------------------------------------------------------------

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t",
            "\v": "v", "\\": "\\", '"': '"'}
_PIECE = re.compile(r"[^\n]*\n|[^\n]+")
_UNLIMITED = 2**31 - 1  # the page width of a no-wrap message


def quoted(keyword: str, text: str, prefix: str = "", language: str | None = None,
           wrap: bool = True) -> list[str]:
    """The lines of ``keyword "text"`` (without line ends), as GNU gettext
    writes them: every line starts with ``prefix`` (``#| ``, ``#~ ``); the
    text is cut after each ``\\n`` and wrapped at :data:`WIDTH` columns
    (``wrap=False``: only cut), never inside a format directive of
    ``language`` (``python``, ``python-brace``; see :func:`format_language`)."""
    kept = _kept(text, language)
    after_break = len(prefix) + 1  # a continuation line's text starts here
    width = (WIDTH if wrap else _UNLIMITED) - 1 - after_break
    pieces = _PIECE.findall(text) or [""]
    lines: list[str] = []
    first, index = True, 0
    for number, piece in enumerate(pieces):
        chars: list[str] = []
        keep: list[int] = []
        for char in piece:
            if index in kept:
                keep.append(len(chars))
            index += 1
            if char in _ESCAPES:
                keep.append(len(chars) + 1)
                chars += ["\\", _ESCAPES[char]]
            else:
                chars.append(char)
        if piece.endswith("\n"):
            keep.append(len(chars) - 2)  # no break right before the \n
        line = "".join(chars)
        start = len(keyword) + 1 if first else 0
        found = breaks(line, width, start, keep)
        if first and line and (number < len(pieces) - 1 or start > width or found):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            found = breaks(line, width, 0, keep)
        cuts = [0, *found, len(line)]
        for part, (begin, end) in enumerate(itertools.pairwise(cuts)):
            head = f"{prefix}{keyword} " if first and not part else prefix
            lines.append(f'{head}"{line[begin:end]}"')
        first = False
    return lines


def format_language(states: Iterable[tuple[str, str]]) -> str | None:
    """The format language whose directives a line keeps whole: of the
    ``(language, state)`` pairs of a message's flags, the first language in
    :data:`FORMATS` order whose state is ``yes`` or ``possible``."""
    found = {language for language, state in states if state in ("yes", "possible")}
    return next((language for language in FORMATS if language in found), None)
