"""The characters data may not carry raw into a terminal, a JSON document or a calendar.

C0 controls (newline aside), DEL, the C1 controls (U+0080–U+009F, which hold the
one-character CSI and OSC) and the marks that reorder text (bidi embeddings, overrides and
isolates; the invisible direction marks). Declared once: the screen spells them out
(``render.visible``), JSON escapes them (``inert_json``), ``.ics`` files spell them out.
"""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert_json(text: str) -> str:
    """Encoded JSON with every unsafe character as its ``\\uXXXX`` escape: still valid JSON,
    decoding to the same data. Outside strings JSON is plain ASCII, so only strings change."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def spell_out(text: str) -> str:
    """Each unsafe character as its visible ``\\xNN`` or ``\\uNNNN`` spelling; a newline
    stays a newline (``\\r\\n`` becomes one)."""
    return UNSAFE.sub(_spelled, text.replace("\r\n", "\n"))


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
