"""Lexical readings (citation tones, before tone sandhi) of every character of a sentence.

Which source decides a character, measured on CPP's development split (see
scripts/score_polyphones.py): inside a word that pypinyin's phrase data knows, the phrase
reading (97.9% there vs 97.7% for the model, and far better on everyday news words such as
行长 or 行业, which the model reads xíng); elsewhere g2pM's BiLSTM (97.1% there vs 80% for
pypinyin's single-character default); our own word table (pron_data) and the context rules
below where both are known to fail. "Knows" includes a part of a longer word (理发 in 理发店):
the model, trained on Wikipedia sentences, misreads everyday words (fā in 理发店, cháng in
家长会) far more often than pypinyin's phrases do. On fresh everyday news sentences (see
tests/polyphone_cases.tsv) the context rules matter most for one-character words (长, 差, 得 děi,
种, 为), which neither source reads reliably.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from . import g2pm
from .pron_data import CHARS, PHRASES, WHOLE_WORDS

_PRONOUNS = set("我你他她它们咱谁")
# Before these, a free-standing 得 is děi ("must"): 我们得抓紧, 还得靠大家.
_DEI_BEFORE = set("去来做说花用靠把让等先再重提加抓尽赶跟想有要给按找走留交补考学看管换拿付多好早跑承面"
                  "带买写读听穿吃喝修请问搬送")
_DEI_AFTER = set("还就总都也可家") | _PRONOUNS  # 家: 大家得
_DEI_BEFORE2 = {"一起", "赶紧", "马上", "抓紧", "认真", "好好", "尽快", "及时", "小心", "注意", "提前"}
_DEI_ALWAYS = {"赶紧", "马上", "抓紧", "尽快", "提前"}  # "得 + hurry" is děi whatever comes before
_TITLES = ("先生", "女士", "老师", "教授", "师傅", "同学", "某", "姓", "阿姨", "大爷", "大妈", "医生", "博士")
_SURNAMES = {"单": "shan4", "解": "xie4", "区": "ou1", "查": "zha1", "曾": "zeng1", "仇": "qiu2", "朴": "piao2",
             "盖": "ge3", "缪": "miao4", "翟": "zhai2", "乐": "yue4", "任": "ren2", "覃": "qin2", "纪": "ji3",
             "种": "chong2", "过": "guo1", "尉": "yu4", "繁": "po2", "华": "hua4", "秘": "bi4", "句": "gou1"}
_HUAN = set("钱款债贷账书给清本原乡击手礼")  # 还 before these is huán (return), else hái
_DE5_BEFORE = set("很好更太非十特越比挺真相清不对快慢够")  # 跑得很快, 做得好: the complement marker
_WEI4_AFTER = set("要将会能也都就还正并已又曾愿想可应该努力共同专门主动积极直终在")
_MEASURES = set("积率量额度数价长宽高深值速温重")  # 面积为一万平方米, 增长率为: X为Y is wéi
_DIGITS = set("零〇一二两三四五六七八九十百千万几半0123456789")
_NOT_SOW = set("这那哪各每某此该本同诸别另几多") | _DIGITS  # 这种, 各种: the measure word zhǒng
_CHA1_NEXT = set("校值异额距价分平别")  # 像差校正, 差值: chā, a difference
_VERY = set("很太更最较挺越真好多")  # 很重, 很长: the adjective
_NOT_CARRIED = set("他她我你人大家父母组织群众")  # 背着他: behind his back (bèi), not carrying him
_WEI2_AFTER = set("视成作改称列分变转化选评定认升名译沦誉")  # X为Y: 被视为, 改为, 升为


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


@lru_cache(maxsize=1 << 16)
def _in_phrase(word: str) -> tuple[bool, ...]:
    """Which characters of a word pypinyin reads from its phrase data: the word itself or a part
    its own segmenter finds (理发 in 理发店, 家长 in 家长会). Its data leaves out phrases whose
    reading is each character's default, so a missing word says nothing; a found part does."""
    from pypinyin.seg.mmseg import seg

    if len(word) < 2:
        return (False,)
    if word in _phrases():
        return (True,) * len(word)
    out: list[bool] = []
    for part in seg.cut(word):
        out.extend([len(part) > 1 and part in _phrases()] * len(part))
    return tuple(out) if len(out) == len(word) else (False,) * len(word)


@lru_cache(maxsize=1 << 16)  # news repeats its words; pypinyin is the slowest step here
def _pypinyin(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chars: [""] * len(chars))
    return tuple(out if len(out) == len(word) else (out + [""] * len(word))[: len(word)])


_LONGEST = max(map(len, PHRASES))


_RULED = set("得了还种量为和都长差当背藏数乐重")  # characters the context rules below decide


def _resplit(words: list[tuple[str, str]], lexicon: dict[str, str]) -> list[tuple[str, str]]:
    """jieba's HMM glues unknown runs into words (他种, 来量); the context rules
    need the real words and their POS, so such a word holding a character they decide is cut again
    from the dictionary alone."""
    import jieba.posseg as posseg

    freq = posseg.dt.tokenizer.FREQ
    out: list[tuple[str, str]] = []
    for word, flag in words:
        if (len(word) > 1 and not freq.get(word) and word not in lexicon and not _RULED.isdisjoint(word)
                and not flag.startswith("nr") and not all(_in_phrase(word))):  # names stay whole: 吴数华
            out.extend((p.word, p.flag) for p in posseg.dt.cut(word, HMM=False))
        else:
            out.append((word, flag))
    return out


def readings(words: list[tuple[str, str]], lexicon: dict[str, str]) -> list[list[str]]:
    """One reading per character of each (word, POS) pair, e.g. [["hang2", "zhang3"], ["zai4"]]."""
    flat = [py for part in _readings(_resplit(words, lexicon), lexicon) for py in part]
    out, pos = [], 0
    for word, _flag in words:
        out.append(flat[pos : pos + len(word)])
        pos += len(word)
    return out


def _readings(words: list[tuple[str, str]], lexicon: dict[str, str]) -> list[list[str]]:
    text = "".join(w for w, _ in words)
    chars: list[str] = []
    free: list[bool] = []  # not fixed by the user's lexicon, our table or a phrase
    starts: list[int] = []
    for word, _flag in words:
        starts.append(len(chars))
        if word in lexicon or word in WHOLE_WORDS:
            reading = lexicon[word] if word in lexicon else WHOLE_WORDS[word]
            chars.extend((reading.split() + [""] * len(word))[: len(word)])
            free.extend([False] * len(word))
        else:
            chars.extend(_pypinyin(word))
            free.extend(not fixed for fixed in _in_phrase(word))
    locked = {s for (w, _), s in zip(words, starts, strict=True) if w in lexicon}
    _apply_table(text, set(starts) | {len(text)}, chars, free, locked)
    wanted = [i for i, ch in enumerate(text) if free[i] and g2pm.polyphonic(ch)]
    predicted = g2pm.predict(text) if wanted else {}
    for i in wanted:
        chars[i] = predicted.get(i, chars[i]).replace("u:", "v")
    for i, ch in enumerate(text):
        if free[i] and ch in CHARS and not g2pm.polyphonic(ch):
            chars[i] = CHARS[ch]
    _context_rules(text, words, starts, chars, free)
    return [chars[s : s + len(w)] for (w, _), s in zip(words, starts, strict=True)]


def _apply_table(text: str, bounds: set[int], chars: list[str], free: list[bool], locked: set[int]) -> None:
    """Our table's words where one starts or ends at a segmenter boundary (人民银行 yes, 进行|长期 no)."""
    for s in range(len(text) - 1):
        for length in range(min(_LONGEST, len(text) - s), 1, -1):
            entry = PHRASES.get(text[s : s + length])
            if entry and (s in bounds or s + length in bounds) and not locked & set(range(s, s + length)):
                chars[s : s + length] = entry.split()
                free[s : s + length] = [False] * length
                break


def _context_rules(text: str, words: list[tuple[str, str]], starts: list[int], chars: list[str],
                   free: list[bool]) -> None:
    """Fixes for single characters that the model gets wrong in everyday news phrasing."""
    for w, ((word, flag), pos) in enumerate(zip(words, starts, strict=True)):
        for k, ch in enumerate(word):
            i = pos + k
            title = text.startswith(_TITLES, i + 1) and k == len(word) - 1 and (k == 0 or word[:-1] in _BEFORE_NAME)
            if ch in _SURNAMES and title:  # 单先生, 解女士, 采访了|仇女士 (jieba glues 了仇)
                chars[i] = _SURNAMES[ch]
                continue
            if word == "东西" and k == 1 and free[i]:  # 东西 "thing" is dōngxi, the directions dōngxī
                direction = text.startswith(("走向", "方向", "两", "长", "宽", "向", "距", "横", "贯", "南北"), i + 1)
                chars[i] = "xi1" if direction or (i > 1 and text[i - 2] in "横贯") else "xi5"
                continue
            if word in ("上调", "下调") and k == 1:  # prices move tiáo, people are transferred diào
                chars[i] = "tiao2" if _money(text, i) else "diao4"
                continue
            if not free[i] or (len(word) > 1 and ch not in "得了弄涌背"):  # inside words only 做得好, 算不了
                continue
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            after = [f for _, f in words[w + 1 : w + 4]]
            clause = text[:i].replace("，", "。").replace("；", "。").rsplit("。", 1)[-1]
            before = words[w - 1][1] if w and k == 0 else ""
            chars[i] = _rule(ch, flag, text[i + 1 : i + 3], prev, nxt, after, clause, before) or chars[i]


_BEFORE_NAME = {"了", "和", "与", "跟", "给", "向", "对", "的", "是", "找", "请", "让", "叫", "据"}


def _money(text: str, i: int) -> bool:
    """Whether the clause around text[i] speaks of prices, rates or pay."""
    start = max(text.rfind(p, 0, i) for p in "，。；！？")
    ends = [e for e in (text.find(p, i) for p in "，。；！？") if e >= 0]
    return any(c in text[start + 1 : min(ends, default=len(text))] for c in "价率费息金利幅税薪资钱元%")


def _pause_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PZ"


def _rule(ch: str, flag: str, nxt2: str, prev: str, nxt: str, after: list[str], clause: str,
          before: str = "") -> str | None:
    """after: the POS of the next three words; before: the POS of the word before a one-character
    word; clause: the text before ch in its clause."""
    if ch == "得":
        if (prev in _DEI_AFTER and (nxt in _DEI_BEFORE or nxt2 in _DEI_BEFORE2)) or nxt2 in _DEI_ALWAYS:
            return "dei3"
        if nxt == "了" and after[:1] == ["ul"]:
            return "de2"  # 得了第一名
        if (flag == "ud" and before[:1] in ("n", "t", "r") and nxt and nxt not in "了过到" and nxt not in _DE5_BEFORE
                and not (before[:1] == "r" and after[:1] == ["m"])):
            return "dei3"  # a complement 得 follows a verb or adjective; after a subject it is "must"
        return "de5" if flag == "ud" or nxt in _DE5_BEFORE else None
    if ch == "为":
        if prev in _WEI2_AFTER or "以" in clause or (prev in _MEASURES and nxt in _DIGITS):  # 被视为; 以学生为中心
            return "wei2"
        if prev in _WEI4_AFTER or (flag == "p" and after[:1] and after[0][:1] in "nr"
                                   and any(f[:1] == "v" for f in after[1:])):
            return "wei4"  # 要为群众办实事; 志愿者为老人测量血压
        return None
    if ch == "弄":  # lòng only for lanes: 弄堂, 里弄, 杨柳弄社区; the model says lòng too often
        lane = nxt in "堂口号" or nxt2 == "社区" or prev == "里" or prev.isdigit() or prev in "零〇二三四五六七八九十百"
        return "long4" if lane else "nong4"
    if ch == "涌" and nxt in "、，。；河镇村口尾边站":
        return "chong1"  # Cantonese place names: 葵涌, 麻涌, 鸭涌河 (汹涌, 涌入 are phrases)
    if ch == "长" and nxt and nxt in "得着出到高大满成":
        return "zhang3"  # 长得很像, 长着, 长出, 长到腰间
    if ch == "长" and ((prev and prev in _VERY) or flag == "a"):
        return "chang2"  # 时间很长, 全线长一百公里: a free-standing adjective
    if ch == "重" and prev and prev in _VERY:
        return "zhong4"  # 很重
    if ch == "差" and nxt and (nxt in _DIGITS or nxt == "点" or (flag in ("a", "v") and nxt not in _CHA1_NEXT)):
        return "cha4"  # 还差两分钟, 差点儿, 服务太差: chā only in compounds (差距, 温差)
    if ch == "削" and nxt and nxt in "了着过皮尖好成完个":
        return "xiao1"  # 削了一个梨, 削皮: the everyday verb (xuē in 削减, 剥削 and classical 削爵)
    if ch == "藏" and nxt and nxt in "起在着了好进入":
        return "cang2"  # 藏起来 (jieba tags a lone 藏 as Tibet)
    if ch == "乐" and nxt not in "团队器曲章坛谱声":
        return "le4"  # a lone 乐 is glad: 他乐了
    if ch == "量" and nxt and nxt in "一了过着好体身血":
        return "liang2"  # 量一下身高
    if ch == "当" and "把" in clause:
        return "dang4"  # 把我当朋友, 把房子拿去当了
    if ch == "背" and nxt and nxt in "着起" and nxt2[1:2] not in _NOT_CARRIED:
        return "bei1"  # 背着孩子, 背起行囊
    if ch == "血" and flag == "n" and (not nxt or _pause_char(nxt) or nxt == "了"):
        return "xie3"  # a free-standing 血 is the spoken xiě: 全是血。
    if ch == "藏" and flag == "v":
        return "cang2"
    if ch == "数" and (flag == "v" or nxt2 in ("一数", "了数")
                      or (prev and prev in "在来去再要先" and nxt and nxt not in _DIGITS and nxt not in "次倍")):
        return "shu3"  # 正在数选票: the verb (shù in 在数十年间 and 数次)
    sown = prev not in _NOT_SOW and flag != "q" and ((nxt and nxt in "了着过的下") or after[:1] and after[0][:1] == "n")
    if ch == "种" and (flag == "v" or prev in "在要来去多抢播补" or sown):
        return "zhong4"  # 种水稻, 他种的西红柿 (jieba often tags a lone 种 as a numeral)
    if ch == "教" and flag == "v":
        return "jiao1"
    if ch == "了" and prev == "不" and nxt != "解":
        return "liao3"
    if ch == "都" and flag == "d":
        return "dou1"
    if ch == "和" and flag in ("c", "p"):
        return "he2"
    if ch == "还" and nxt and (nxt in "你我" or (nxt in "他她" and nxt2[1:2] in _DIGITS)):
        return "huan2"  # 先还你一百块钱, 还我河山
    if ch == "还":
        if ("把" in clause and nxt and nxt in "了给回") or not nxt or _pause_char(nxt):
            return "huan2"  # 把书还了回去; 欠款要按时还。
        return "huan2" if nxt and nxt in _HUAN else ("hai2" if flag == "d" else None)
    return None
