"""Digit strings that are names, not amounts: phone numbers, codes, IDs, rooms, addresses
on the net, versions, generation labels. A listener hears them digit by digit; reading
邮编100083 as 十万零八十三 sounds like a sum of money."""

from __future__ import annotations

import re

from ..zh import HAN
from .numbers import LIANG, read_code, read_digits, read_int

# Cues after which the digits (and letters) that follow are a code; phone cues read 1 as 幺.
_PHONE_CUES = ("热线", "电话", "拨打", "专线", "服务号", "号码", "致电", "分机", "传真", "短号", "咨询电话")
_CODE_CUES = (
    "尾号", "编号", "工号", "学号", "账号", "帐号", "卡号", "单号", "订单号", "运单号", "车牌", "车牌号", "牌照",
    "邮编", "邮政编码", "身份证", "身份证号", "证件号", "代码", "股票代码", "证券代码", "房间", "房号", "门牌号",
    "航班", "车次", "批号", "型号", "密码", "验证码", "QQ", "微信号", "宿舍", "编码", "序列号", "识别码",
    "登记号", "案号", "备案号", "许可证号", "注册号", "区号", "邮箱", "航班号", "列车",
    "后四位", "后六位", "末四位", "末位", "尾数",
)
_CUE = re.compile(
    "(" + "|".join(sorted(_PHONE_CUES + _CODE_CUES, key=len, reverse=True)) + r")(是|为|：|:|号|号码|号为)?(\s*)"
    r"((?:[A-Za-z]{1,3}-?)?\d+(?:[-\s]\d{3,})*[A-Za-z]?)(?![\d.]|\s*[万亿千百多余个次人元部台名家件条年月日天%])"
)
_MOBILE = re.compile(r"(?<![\d.])(\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![\d.])")
_LANDLINE = re.compile(r"(?<![\d.])(\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-)(\d{3,4})-?(\d{4})(?![\d.])")
_SHORT_LOCAL = re.compile(r"(?<![\d.])(0\d{2,3})-(\d{5,6})(?![\d.])")  # 0755-12345: an area code, then a short line
_SERVICE = re.compile(r"(?<![\d.])([48]00)-?(\d{3})-?(\d{4})(?![\d.])")
_HOTLINE_BEFORE = re.compile(
    rf"(?<![\d.])(1\d{{2,4}}|9\d{{4}})(?![\d.])(?=[{HAN}]{{0,6}}(热线|专线|报警|急救|火警|服务电话|平台|求助|网站|官网|客户端))")
_ID = re.compile(r"(?<![\d.])(\d{17}[\dXx]|\d{13,})(?![\d.]|\s*[元万亿美欧英日港人个吨千米%])")
_ROOM = re.compile(r"(?<![\d.])(\d{3,5})(?=房间|室(?![内外])|号房|宿舍)")
_PLATE = re.compile(r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-Z])[·\s]?"
                    r"([A-Z0-9]{5,6})(?![A-Za-z0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(r"(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|gov|edu)(?:\.cn)?"
                  r"(?:/[A-Za-z0-9._/-]*)?")
_DOTTED = re.compile(r"(?<![\d.])(?!(?:19|20)\d\d\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])(?![\d.]))"
                     r"(\d+)((?:\.\d+){2,})(?![\d.])")  # 192.168.1.1, 3.10.2
_GENERATION = re.compile(r"(?<![\d.:])(\d0|\d{2})(?=后(?![天年月日]))")
_DOT_DAY = re.compile(r"(?<![\d.])(\d{1,2})[·•・](\d{1,2})(?![\d.])")  # 7·20 暴雨, 3·15 晚会
_FESTIVAL = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?=晚会|消费者|国际|事件|特大|[" + HAN + r"]{0,3}节)")
_ROOM_AFTER = re.compile(r"(?<=[栋座元楼])(\d{3,4})(?![\d.]|\s*[人元个户套间平米])")
_NUMBERED = re.compile(rf"(?<=[{HAN}]号)(为|是|：|:)?(\d{{4,}})(?![\d.])")  # 准考证号为123456789
_FLIGHT = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]|[0-9][A-Z])(\d{3,4})(?![\d.])")  # MU5735, 3U8633
_MODEL_DASH = re.compile(r"(?<![A-Za-z])([A-Z]{1,3})(\d{2,4})-(\d{1,4})(?![\d.])")  # A350-1000
_TICKER = re.compile(r"(?<![\d.])(\d{4,6})\.(SH|SZ|HK|BJ|SS|US)(?![A-Za-z])")  # 600519.SH
# 国发〔2024〕12号, （2024）京01民初123号: a bracketed year heads a document or case number
_DOC_YEAR = re.compile(r"(?<=[〔\[【])(\d{4})(?=[〕\]】])|(?<=[（(])((?:19|20)\d{2})(?=[）)][" + HAN + "])")
_BUS = re.compile(r"(?<![\d.])(\d{3,})(?=路(?:公交|公共汽车|车|电车|线|[，。、）)]|$))")
_SERVICE_NUMBER = re.compile(
    r"(?<![\d.])(95\d{3}|96\d{3}|123\d{2}|10086|10010|10016|12306)(?![\d.]|\s*[万亿千百多余个人元次家件台辆名位户股吨米倍年%])")
# 拨打110, 119报警: emergency numbers are said digit by digit (幺幺零), never 一百一十
_EMERGENCY = re.compile(
    r"(?:(?<=[拨打])|(?<=[拨打]了)|(?<![\d.])(?=\d{3}(?:报警|急救|指挥中心|接警|出警|救护车|火警)))(110|119|120|122|999)"
    rf"(?![\d.]|\s*[多余来{''.join(sorted(LIANG))}])")
_EVENT = re.compile(r"(?<![\d.])(\d{3,4})(?=事件)")  # 911事件: a name, said digit by digit
_PAGE = re.compile(r"(?<![A-Za-z])([A-Z])0+(\d{1,2})(?=\s*版)")  # A03版 → A三版
_ROAD = re.compile(r"(?<![\d.])(\d{3})(?=国道|省道|县道)")  # 323国道 → 三二三国道
_SHOP_DAY = re.compile(r"(?<![\d.])(618|520|315|818|919|1111)(?=[^\d]{0,2}(大促|购物|促销|晚会|年中|电商|当天|期间))")
_MODEL_AFTER = re.compile(rf"(?<=[{HAN}])(\d{{3,4}})(?![\d.])")
_MODEL_BRANDS = ("波音", "空客", "麒麟", "骁龙", "天玑", "米格", "伊尔", "猎鹰", "型号", "机型", "车型")
_MODEL_HYPHEN = re.compile(
    r"(歼|运|轰|直|东风|巨浪|红旗|鹰击|霹雳|长剑|歼轰|攻|教|彩虹|翼龙|无侦|苏|米格|伊尔|图)[-－](\d)")


def _spell_code(code: str, phone: bool) -> str:
    out = read_code(code)
    if phone:
        out = out.replace("一", "幺")
    return out.replace("-", "").replace(" ", "")


def _cue(m: re.Match) -> str:
    cue, link, space, code = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    phone = cue in _PHONE_CUES
    return cue + link + space + _spell_code(code.strip(), phone)


def _net(m: re.Match) -> str:
    text = re.sub(r"^https?://", "", m.group(0))  # a newsreader skips the scheme
    text = read_code(text)
    return text.replace("@", "艾特").replace(".", "点").replace("/", "斜杠").replace("_", "下划线").replace("-", "杠")


def _dotted(m: re.Match) -> str:
    head = m.group(1)
    first = read_int(head) if len(head) <= 2 and not head.startswith("0") else read_digits(head)
    return first + "".join("点" + read_digits(part) for part in m.group(2).split(".")[1:])


def _model_after(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 2):m.start()]
    if before.endswith(_MODEL_BRANDS):
        return read_digits(m.group(1))
    return m.group(0)


def net_addresses(s: str) -> str:
    """E-mail and web addresses: 艾特, 点, digits one by one (letters are read later)."""
    if "@" in s:
        s = _EMAIL.sub(_net, s)
    if "." in s:
        s = _URL.sub(_net, s)
    return s


def _landline(m: re.Match) -> str:
    """(0571)87654321 keeps its brackets (a pause); 0571-87654321 reads straight through."""
    area = m.group(1)
    area = area[0] + read_digits(area, True) + area[-1] if area[0] in "(（" else read_digits(area, True)
    return area + read_digits(m.group(2) + m.group(3), True)


def _mobile(m: re.Match) -> str:
    return ("加八六" if m.group(1) else "") + read_digits(m.group(2) + m.group(3) + m.group(4), True)


_SHOP_WORD = re.compile("大促|购物|促销|晚会|年中|电商|当天|期间")
_UPPER = re.compile("[A-Z]")
_RUN3 = re.compile(r"\d{3}")
_CUE_WORD = re.compile("|".join(_PHONE_CUES + _CODE_CUES))
_HOTLINE_WORD = re.compile("热线|专线|报警|急救|火警|服务电话|平台|求助|网站|官网|客户端")


def apply(s: str) -> str:
    """Most news sentences have no code at all: each rule first checks for its cue."""
    run3 = _RUN3.search(s)
    if run3:
        s = _MOBILE.sub(_mobile, s)
        if "0" in s:
            s = _LANDLINE.sub(_landline, s)
            s = _SHORT_LOCAL.sub(lambda m: read_digits(m.group(1) + m.group(2), True), s)
        if "00" in s:
            s = _SERVICE.sub(lambda m: read_digits(m.group(1) + m.group(2) + m.group(3), True), s)
    if _CUE_WORD.search(s):
        s = _CUE.sub(_cue, s)
    if run3 and _HOTLINE_WORD.search(s):
        s = _HOTLINE_BEFORE.sub(lambda m: read_digits(m.group(1), True), s)
    if run3:
        s = _ID.sub(lambda m: read_digits(m.group(1)) + ("艾克斯" if m.group(1)[-1] in "Xx" else ""), s)
        if "室" in s or "房" in s or "宿舍" in s:
            s = _ROOM.sub(lambda m: read_digits(m.group(1)), s)
        if "栋" in s or "座" in s or "单元" in s or "号楼" in s:
            s = _ROOM_AFTER.sub(lambda m: read_digits(m.group(1)), s)
        if any(brand in s for brand in _MODEL_BRANDS):
            s = _MODEL_AFTER.sub(_model_after, s)
    if "号" in s:
        s = _NUMBERED.sub(lambda m: (m.group(1) or "") + read_digits(m.group(2)), s)
    if _UPPER.search(s):
        s = _PLATE.sub(lambda m: m.group(1) + m.group(2) + _spell_code(m.group(3), False), s)
        s = _FLIGHT.sub(lambda m: _spell_code(m.group(1), False) + read_digits(m.group(2)), s)
        s = _MODEL_DASH.sub(lambda m: m.group(1) + read_digits(m.group(2)) + read_digits(m.group(3)), s)
    if "." in s:
        s = _TICKER.sub(lambda m: read_digits(m.group(1)) + "点" + m.group(2), s)
        s = _DOTTED.sub(_dotted, s)
        s = _FESTIVAL.sub(lambda m: read_digits(m.group(1) + m.group(2)), s)
    if "后" in s:
        s = _GENERATION.sub(lambda m: read_digits(m.group(1)), s)
    if "·" in s or "•" in s or "・" in s:
        s = _DOT_DAY.sub(lambda m: read_digits(m.group(1) + m.group(2)), s)
    if run3:
        if "95" in s or "96" in s or "123" in s or "100" in s:
            s = _SERVICE_NUMBER.sub(lambda m: read_digits(m.group(1), True), s)
        if "〔" in s or "[" in s or "【" in s or "（" in s or "(" in s:
            s = _DOC_YEAR.sub(lambda m: read_digits(m.group(1) or m.group(2)), s)
        if "拨" in s or "打" in s or "警" in s or "急救" in s or "救护车" in s:
            s = _EMERGENCY.sub(lambda m: read_digits(m.group(1), True), s)
        if "事件" in s:
            s = _EVENT.sub(lambda m: read_digits(m.group(1)), s)
        if "道" in s:
            s = _ROAD.sub(lambda m: read_digits(m.group(1)), s)
        if "路" in s:
            s = _BUS.sub(lambda m: read_digits(m.group(1)), s)
        if _SHOP_WORD.search(s):
            s = _SHOP_DAY.sub(lambda m: read_digits(m.group(1)), s)
    if "版" in s and _UPPER.search(s):
        s = _PAGE.sub(lambda m: m.group(1) + m.group(2), s)
    if "-" in s or "－" in s:
        s = _MODEL_HYPHEN.sub(lambda m: m.group(1) + m.group(2), s)
    return s
