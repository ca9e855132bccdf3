"""Name pinyin read character by character from a cache must equal pypinyin's own reading."""

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from db import demo, pinyin

# Common name characters, polyphones (长 重 行 乐 曾 单 朴 解 区 查), characters that form
# dictionary phrases with their neighbours (长江 重庆 银行 音乐), and what else ends up in
# names typed by clerks: the middle dot of minority names, Latin letters, a space.
CHARACTERS = ("张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾"
              "彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康"
              "秀英华明国建军伟芳娜敏静丽强磊洋艳勇杰娟涛超霞平刚桂兰红玉春梅海燕云飞龙凤"
              "长重行乐单朴解区查江庆银音都会长生重阳行长乐天·Ab 〇")


def _reference(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [c.lower() for c in chars])


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=CHARACTERS, min_size=1, max_size=6))
def test_cached_reading_equals_pypinyin(text):
    assert pinyin._syllables(text) == _reference(text)


def test_every_demo_name_reads_as_pypinyin_reads_it():
    given = sorted(set(demo.GIVEN_NAMES_MALE) | set(demo.GIVEN_NAMES_FEMALE))
    for surname in demo.SURNAME_WEIGHTS:
        for name in given:
            assert pinyin._syllables(surname + name) == _reference(surname + name), name


def test_surnames_keep_their_surname_reading():
    assert pinyin.initials("单雄信") == "sxx" and pinyin.full_pinyin("曾国藩") == "zengguofan"
    assert pinyin.full_pinyin("长江") == "changjiang"  # a phrase, read by pypinyin as a whole
