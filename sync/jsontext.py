"""JSON text the county writes for every change it takes in: a change's hash (sorted keys)
and its logged columns. orjson writes it where its text is provably the standard library's
(or, for the logged columns, means the same), and ``json`` writes everything else.

A change's hash must never change: a station sending a record again is recognised by it,
and a different hash is taken for a rewound history. The hash is over
``json.dumps(body, sort_keys=True, ensure_ascii=False)`` (separators ``", "`` and
``": "``). orjson writes the same tokens (keys sorted by code point, the same string
escapes, integers as digits) but only the compact or the indented layout; the indented one
puts a newline, which no string can hold unescaped, after every structural comma and
around every container's contents, so taking the newlines and their indentation out
(a comma keeps one space) gives exactly the standard library's text. That holds for the
shape a change has (scalars, and a dict of lists of scalars); floats, whose shortest form
the two libraries spell differently (``1e+16`` and ``1e16``), and anything else go to
``json``. tests/sync/test_json_text.py checks it for every shape a record can take.
"""

import itertools
import json

import orjson

_SORTED = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False)
_PLAIN = json.JSONEncoder(ensure_ascii=False, check_circular=False)
# Integers beyond 64 bits make orjson refuse (JSONEncodeError), and so go to json too.
_SCALARS = frozenset({str, int, bool, type(None)})
_LISTS = frozenset({list})
_INDENTED = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2


def _columns(changes) -> bool:
    """Whether ``changes`` is a dict of lists of scalars (no floats): a change's columns."""
    if type(changes) is not dict:
        return False
    lists = changes.values()
    return (set(map(type, lists)) <= _LISTS
            and set(map(type, itertools.chain.from_iterable(lists))) <= _SCALARS)


def sorted_text(body: dict, *, plain: bool = False) -> bytes:
    """``json.dumps(body, sort_keys=True, ensure_ascii=False).encode()`` for a change's body
    ``{"t", "k", "h", "c"}``, the same bytes in less time. ``plain``: the caller has
    checked that the body has a change's shape, without floats."""
    if plain or set(map(type, (body.get("t"), body.get("k"), body.get("h")))) <= _SCALARS and (
            len(body) == 4 and _columns(body.get("c"))):
        try:
            raw = orjson.dumps(body, option=_INDENTED)
        except orjson.JSONEncodeError:   # a lone surrogate, an integer beyond 64 bits
            pass
        else:
            # indentation: 2 spaces a level; keys at levels 1 and 2, list items at 3
            return (raw.replace(b",\n", b", \n").replace(b"\n      ", b"")
                    .replace(b"\n    ", b"").replace(b"\n  ", b"").replace(b"\n", b""))
    return _SORTED.encode(body).encode()


def change_text(changes: dict, *, plain: bool = False) -> str:
    """A change's columns as compact JSON for the county's log: what json.loads reads back
    is what was given. Floats (NaN, whose orjson text is null) go to json as before.
    ``plain``: the caller has checked them (a dict of lists of text, whole numbers and
    NULL)."""
    if plain or _columns(changes):
        try:
            return orjson.dumps(changes).decode()
        except orjson.JSONEncodeError:
            pass
    return _PLAIN.encode(changes)
