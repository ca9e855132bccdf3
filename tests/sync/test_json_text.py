"""The county's change hashes must stay byte for byte what they were (json.dumps with sorted
keys), or a station resending a record is taken for a rewound history; its logged
columns must read back as they were given."""

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.county.ingest import record_hash
from sync.jsontext import change_text, sorted_text


def old_text(body) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode()


def same_or_same_error(made, expected) -> None:
    try:
        want = expected()
    except Exception as exc:  # noqa: BLE001 - the fast path must fail alike
        with pytest.raises(type(exc)):
            made()
        return
    assert made() == want


# Every character, lone surrogates too (json.loads makes them from "\ud800").
characters = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
text = st.text(characters, max_size=12) | st.sampled_from(
    ["", ":", ",", ", ", '": "', "],", "\n", "\\", '"', "\u2028", "\x7f", "\x00", "\x1f",
     "2026-11-29T10:15:24.938+00:00", "张三，李四：王五", "😀", "\ud800", "a\udfffb"])
integers = st.integers() | st.sampled_from(
    [0, -1, 2**53, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, 10**30])
floats = st.floats() | st.sampled_from(
    [0.0, -0.0, 0.1, 1e16, 1e-7, 123456789012345678.0, 1.5, float("nan"), float("inf")])
plain = st.none() | st.booleans() | integers | text     # what orjson writes
scalars = plain | floats
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(text, inner, max_size=3), max_leaves=8)
# A change's columns as stations send them: [old, new] of scalars; and what a damaged or
# foreign record may hold instead.
plain_columns = st.dictionaries(text, st.lists(plain, min_size=2, max_size=2), max_size=8)
columns = plain_columns | st.dictionaries(text, st.lists(scalars, min_size=2, max_size=2),
                                          max_size=8)
odd_columns = st.dictionaries(text, st.lists(scalars, max_size=4) | values, max_size=4) | values
plain_bodies = st.fixed_dictionaries({"t": text, "k": text, "h": integers, "c": plain_columns})
bodies = plain_bodies | st.fixed_dictionaries(
    {"t": scalars | values, "k": scalars, "h": scalars, "c": columns | odd_columns})


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_sorted_text_is_byte_for_byte_the_old_canonical_form(body):
    same_or_same_error(lambda: sorted_text(body), lambda: old_text(body))


@settings(max_examples=1000, deadline=None)
@given(plain_bodies)
def test_plain_changes_hash_as_before(body):
    record = {"e": 1, "q": 1, "s": "site", "a": "clerk", **body}
    same_or_same_error(lambda: record_hash(record),
                       lambda: hashlib.sha256(old_text(body)).hexdigest())


def test_a_stored_person_hashes_as_before():
    record = json.loads(
        '{"e":1,"q":7,"t":"person","k":"01a2","h":1795951352679,"s":"x","a":"演示数据",'
        '"c":{"id":[null,"01a2"],"name":[null,"李阳"],"poverty_alleviated":[null,0],'
        '"remarks":["旧：a, b","新\\"值\\\\\\n"],"created_at":[null,"2026-11-29T10:15:24+00:00"],'
        '"monthly_income":[3800,4200.5],"empty":[]}}')
    body = {k: record[k] for k in ("t", "k", "h", "c")}
    assert record_hash(record) == hashlib.sha256(old_text(body)).hexdigest()
    del record["c"]["monthly_income"]
    body = {k: record[k] for k in ("t", "k", "h", "c")}
    assert sorted_text(body) == old_text(body)


@settings(max_examples=2000, deadline=None)
@given(columns | odd_columns)
def test_logged_columns_read_back_as_given(changes):
    def read_back(made):
        return json.dumps(json.loads(made()), sort_keys=True)

    same_or_same_error(lambda: read_back(lambda: change_text(changes)),
                       lambda: read_back(lambda: json.dumps(changes, ensure_ascii=False)))
