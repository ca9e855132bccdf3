"""UUIDv7 keys: time-ordered, so new rows land at the end of every index."""

import os
import threading
import time

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new RFC 9562 version-7 UUID as text, monotonic within this process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        if _counter > 0xFFF:  # 4096 ids in one millisecond: borrow the next one
            ms += 1
            _counter = 0
        _last_ms = ms
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms << 80) | (0x7 << 76) | (_counter << 64) | (0b10 << 62) | rand_b
    text = f"{value:032x}"  # as str(uuid.UUID(int=value)), without loading uuid at start
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
