"""Accent- and case-insensitive text: the normal form stored for search and sort.

`Tromsø`, `TROMSO` and `tromso` share one normal form, so a plain LIKE on the
stored column finds them on PostgreSQL and SQLite alike (no `unaccent`).
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus a combining mark.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ẞ": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ŀ": "l",
        "Ŀ": "l",
        "\u02bb": "",  # okina
        "\u02bc": "",  # modifier apostrophe
        "\u2019": "",  # right single quote
        "'": "",
    }
)
_NOT_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    """Lower-case ASCII-ish words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", stripped.casefold().translate(_FOLD))
    return " ".join(words.replace("_", " ").split())


def search_words(query: str) -> list[str]:
    """The normalized words of a search query (each must appear)."""
    return normalize(query).split()
