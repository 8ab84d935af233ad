import pytest

from tingbao.lexicon import apply_lexicon
from tingbao.speech.normalize import NORMALIZER_VERSION, normalize, unknown_latin_words
from tingbao.speech.numbers import read_int

CASES = [
    ("2025年", "二零二五年"), ("1.2万余名", "一点二万余名"), ("7月1日", "七月一日"), ("84家", "八十四家"),
    ("十五五", "十五五"), ("二十大", "二十大"), ("930多万元", "九百三十多万元"), ("328次", "三百二十八次"),
    ("9000多名", "九千多名"), ("3.5%", "百分之三点五"), ("3-5天", "三到五天"), ("第21届", "第二十一届"),
    ("2024—2025年", "二零二四到二零二五年"), ("8:30", "八点三十分"), ("9:05", "九点零五分"), ("8:00", "八点"),
    ("2个", "两个"), ("2名", "两名"), ("12个", "十二个"), ("22个", "二十二个"), ("2月", "二月"), ("第2名", "第二名"),
    ("2万元", "两万元"), ("2000多人", "两千多人"), ("1/3", "三分之一"), ("30%—40%", "百分之三十到百分之四十"),
    ("1,286亿元", "一千二百八十六亿元"), ("拨打12345热线", "拨打幺二三四五热线"), ("电话13812345678", "电话幺三八幺二三四五六七八"),
    ("5G", "五吉"), ("G20", "吉二十"), ("C919", "西九一九"), ("42.6公里", "四十二点六公里"), ("100km", "一百公里"),
    ("0.05", "零点零五"), ("□ 记者 张三", "记者 张三"), ("——交通更畅通。", "交通更畅通。"),
    ("“第一议题”", "“第一议题”"), ("事迹短片+主题访谈", "事迹短片加主题访谈"), ("10月", "十月"), ("1月至10月", "一月至十月"),
]


@pytest.mark.parametrize("text, speech", CASES)
def test_readings(text, speech):
    assert normalize(text) == speech


def test_latin_kept_for_engines_that_speak_it():
    assert normalize("5G和AI", speaks_latin=True) == "五G和AI"
    assert normalize("5G和AI", speaks_latin=False) == "五吉和诶艾"
    assert normalize("C919和iPhone 16", speaks_latin=True) == "C九一九和iPhone十六"
    assert normalize("PM2.5浓度", speaks_latin=True) == "PM二点五浓度"
    assert normalize("航班CA1234", speaks_latin=True) == "航班CA一二三四"


def test_punctuation_is_kept_for_its_pauses():
    assert normalize("学习《条例》精神") == "学习《条例》精神"
    assert normalize("他说：“好。”") == "他说：“好。”"
    assert normalize("疏堵点、聚人气……荆州") == "疏堵点、聚人气，荆州"


def test_unknown_latin_words_are_reported_known_ones_are_not():
    text = "用微信hello支付宝，打开Wi-Fi和APP，GDP增长，B站，重50kg，iPhone 16，Blockchain技术，hello"
    assert unknown_latin_words(text) == ["hello", "Blockchain"]
    assert normalize("hello") == "艾尺伊艾勒艾勒欧"  # spelled, since no reading is known
    assert unknown_latin_words("没有外文") == []


def test_zero_inside_large_numbers():
    assert read_int("200000003000") == "二千亿零三千"
    assert read_int("100010") == "十万零一十"
    assert read_int("1005") == "一千零五"
    assert read_int("10") == "十" and read_int("110") == "一百一十"


def test_chunk_keys_change_with_the_rules():
    assert NORMALIZER_VERSION != "norm-1"


def test_lexicon_whole_words_only():
    lexicon = {"长江": "长江大河"}
    assert apply_lexicon("长江边", lexicon) == "长江大河边"
    # "江" alone is not the word 长江: no partial replacement
    assert apply_lexicon("江边", {"江": "河"}) == "河边"
    assert apply_lexicon("长江边", {"江": "河"}) == "长江边"


def test_lexicon_pinyin_entries_are_left_for_the_frontend():
    assert normalize("重庆", lexicon={"重庆": "chong2 qing4"}) == "重庆"
