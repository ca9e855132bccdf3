"""The station's bundle lines are written by SQLite; they must read as the lines Python
wrote before, whatever a table name, key or clerk's name holds."""

import json

import pytest

from sync import outgoing

from .helpers import add_person

ODD = ["", "张三", 'a"b\\c', "tab\there", "line\nbreak", "\x01\x1f\x7f", "😀", "\u2028", "null"]


def python_line(site: str, epoch, eseq, hlc, tbl, pk, ch, actor) -> str:
    """How _records wrote a line until SQLite did."""
    dumps = json.dumps
    return (f'{{"e":{epoch},"q":{eseq},"t":{dumps(tbl)},"k":{dumps(pk)},"h":{hlc},'
            f'"s":{dumps(site)},"a":{dumps(actor or "", ensure_ascii=False)},"c":{ch}}}')


@pytest.mark.parametrize("site", ["site-1", 'odd "site" 站'])
def test_exported_lines_read_as_the_lines_python_wrote(stations, site):
    st = stations(1)
    add_person(st, 1, "李四")
    with st.atomic() as db:
        for n, odd in enumerate(ODD):
            db.execute("INSERT INTO sync_outbox (epoch, eseq, hlc, tbl, pk, ch, actor) "
                       "SELECT epoch, next_eseq, hlc + 1, ?, ?, ?, ? FROM sync_state",
                       [odd or "person", odd, json.dumps({"remarks": [None, odd]}),
                        None if n == 0 else odd])
    rows = st.conn.execute(outgoing._AFTER_ACK.format(
        cols="epoch, eseq, hlc, tbl, pk, ch, actor") + " ORDER BY 1, 2",
        outgoing._acked(st)).fetchall()
    lines = list(outgoing._records(st, site))
    assert len(lines) == len(rows) > len(ODD)
    for line, row in zip(lines, rows, strict=True):
        assert json.loads(line) == json.loads(python_line(site, *row))
