"""Record keys: RFC 9562 version-7 UUIDs as text, time-ordered and unique."""

import uuid

from db.ids import uuid7


def test_keys_are_version_7_uuids_in_their_standard_text_form():
    for _ in range(1000):
        key = uuid7()
        parsed = uuid.UUID(key)
        assert str(parsed) == key  # lower-case hex, dashes at 8-4-4-4-12
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_keys_made_one_after_another_sort_in_order_and_never_repeat():
    keys = [uuid7() for _ in range(20_000)]  # several thousand share a millisecond
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
