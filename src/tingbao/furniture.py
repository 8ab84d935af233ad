"""Page furniture: what a page prints around an article and a listener must not hear.

E-paper source lines, web page chrome (navigation, share and font-size widgets, related-news
lists), editor/source/time lines, photo credits and closing credits. Each rule is about how
Chinese papers and news sites set their pages, never about one article; each returns the
reason reported with the skipped line.
"""

from __future__ import annotations

import re

from .zh import ELLIPSIS, FULL_STOPS, HAN

# 《 晨江日报 》（ 2024年05月06日 第 03 版）, 晨江日报 2024年5月6日 第3版, 第03版：要闻
EPAPER = re.compile(
    r"^《\s*[^》]{2,24}\s*》\s*[（(]?\s*\d{4}\s*[年.\-/]\s*\d{1,2}.*[）)]?$|"
    r"^[" + HAN + r"]{2,12}(日报|晚报|早报|时报|商报|报)\s*\d{4}\s*年.*第\s*\d+\s*版|"
    r"^第\s*[A-Za-z]?\s*[0-9０-９]+\s*版\s*[:：]?|^[A-Za-z]?\d{1,2}\s*版\s*[:：]|^(版次|版名|版面|期号)\s*[:：]|"
    r"^[" + HAN + r"]{2,6}\s+\d{4}年\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天].*(编辑|责编)|"
    r"^.{0,16}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(星期|周)[一二三四五六日天].{0,24}$|"
    r"^[（(]\s*(上接|下转|转自|接上|转下)第?\s*[\d一二三四五六七八九十]+\s*版.{0,8}[）)]$"
)
_DATETIME = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}[:：]\d{2}")

# Labels of metadata fields on web pages and e-paper headers: "来源：澄湖新闻网 | 2024-05-06 08:30".
_FIELD = (r"来源|稿源|信息来源|文章来源|本文来源|新闻来源|图片来源|图源|视频来源|出处|发布时间|发布日期|"
          r"发表时间|更新时间|"
          r"浏览|浏览次数|浏览量|阅读|阅读量|阅读数|点击|点击数|点击量|责任编辑|本版编辑|值班编辑|实习编辑|"
          r"编辑|责编|主编|校对|审核|审校|审签|美编|美术编辑|版式|终审|一审|二审|三审|制图|监制|总监制|出品|策划|统筹|"
          r"设计|海报|视觉|摄像|剪辑|配音|字号|字体|标签|关键词|原标题|栏目|供稿")
FIELD_LINE = re.compile(rf"^[【\[（(]?\s*({_FIELD})\s*[:：】\]|｜]")
_FIELD_ANYWHERE = re.compile(rf"({_FIELD})\s*[:：|｜]")
_CHROME_FIELD = re.compile(r"(来源|责任编辑|编辑|责编|审核|校对|浏览|阅读量|点击量|发布时间|网站标识码|备案号|"
                           r"主办|承办|"
                           r"相关附件|本文来源|稿源|相关专题)\s*[:：|｜]|发表于|ICP备")

# Whole-line widgets: every token of the line is one of these.
_CHROME_TOKENS = {
    "订阅", "收藏", "大字号", "中字号", "小字号", "字号", "字体", "大", "中", "小", "默认", "放大", "缩小", "打印",
    "打印本页", "打印文章", "关闭", "关闭窗口", "关闭本页", "返回", "返回顶部", "返回目录", "返回首页", "分享",
    "分享到",
    "分享至", "分享让更多人看到", "微信", "微博", "朋友圈", "QQ", "QQ空间", "复制链接", "点赞", "在看", "转发", "评论",
    "我要评论", "举报", "纠错", "我要纠错", "上一篇", "下一篇", "上一页", "下一页", "首页", "尾页", "扫一扫",
    "手机看", "手机版", "相关新闻", "相关阅读", "推荐阅读", "相关推荐", "热点推荐", "热门推荐", "更多", "查看更多",
    "阅读全文", "展开全文", "收起", "朗读", "听新闻", "全文", "加入收藏", "设为首页", "用微信扫一扫", "上一期",
    "下一期", "版面导航", "本版导航", "往期回顾", "放大镜", "PDF版", "PDF", "图片版", "文字版", "电子版", "前一天",
    "后一天", "参与互动", "关注", "本文二维码", "二维码", "分享本文", "收藏本文", "关注我们", "广告", "END", "完",
}
_TOKEN_SPLIT = re.compile(r"[\s|｜/·•:：【】\[\]()（）<>《》,，、>＞»→-]+")
_CHROME_PHRASE = re.compile(
    r"^(扫一扫|扫码|长按(识别|二维码|扫码)|点击(查看|阅读|进入|上方|下方|这里|链接|图片|蓝字)|识别二维码|"
    r"(欢迎)?关注.{0,12}(我们|公众号|账号|视频号)|本文(为|系|经)|版权所有|版权声明|免责声明|未经授权|转载请|"
    r"分享让更多人看到|用微信扫描|打开微信|更多精彩|下载客户端|网友评论|上一篇|下一篇|上一条|下一条)|"
    r"点个?“?在看|在看.{0,6}点|点击上方|关注我们|转发.{0,10}(更多人|朋友|知道)|打开\s*APP|下载\s*APP|如有侵权|"
    r"转载自|图片由.{2,24}提供|^本版图片|"
    r"在手机(上)?(打开|阅读|查看)|^(首页|当前位置|您的位置|你的位置|位置)\s*[>＞»:：]|\s[>＞»]\s|"
    r"^[-—=]*\s*(END|完|THE END)\s*[-—=]*$|^(（完）|\(完\)|【完】|\[完\])$|^https?://|^www\.|"
    r"\.(com|cn|net)(/|$)|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(:\d{2})?$|"
    r"^\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[:：]\d{2}(:\d{2})?\s*((星期|周)[一二三四五六日天])?$"
)
# · item lines of a "related news" list
RELATED_ITEM = re.compile(r"^[·•◇◆▪▫]\s*\S")
RELATED_HEAD = re.compile(r"^(相关新闻|相关阅读|相关推荐|推荐阅读|热点推荐|热门推荐|更多新闻|猜你喜欢|往期回顾|"
                          r"往期推荐|"
                          r"相关专题|相关报道)\s*[:：]?$")

# Photo credits: 记者 何远帆 摄 / 李四 摄 / 新华社记者 张三 摄 / （资料图片） / 视觉中国供图
PHOTO_CREDIT = re.compile(
    r"^([" + HAN + r"]{0,8}(记者|通讯员|摄影|特约摄影|见习记者|实习生)\s*)?[" + HAN + r"·]{2,5}"
    r"(\s+[" + HAN + r"·]{2,5}){0,3}\s*(摄|摄影|供图)$|"
    r"^[（(]?(资料图片|资料图|视觉中国|新华社发|图片来源[:：].*|图源[:：].*|IC photo|图/.*)[）)]?$|"
    r"^[（(][^）)]{0,30}(摄|供图|摄影)[）)]$|^(摄影|图|图片|视频|漫画)\s*[/／|｜:：]\s*\S{2,12}$"
)

# Closing credits: （本报记者李四参与采写）（作者为某大学教授）（据新华社）（综合新华社、央视新闻）
CLOSING_CREDIT = re.compile(
    r"[（(]\s*(([" + HAN + r"]{0,8}(记者|通讯员|实习生|见习记者)[^（）()]{1,40})|"
    r"调研组成员[:：][^（）()]{1,40}|作者[^（）()]{1,60}|"
    r"据[^（）()]{1,30}|综合[^（）()]{1,40}|来源[:：][^（）()]{1,30}|本文[^（）()]{1,40}|"
    r"[^（）()]{1,40}(参与采写|对本文亦有贡献|对此文亦有贡献|整理|编译|综合报道|供稿))\s*[）)]$"
)
WIRE_DATELINE = re.compile(r"^[（(]\s*(新华社|中新社|本报|央视|人民日报)[" + HAN + r"\d]{0,16}电\s*[）)]$")


PAGE_NUMBER = re.compile(r"^([-—－–―\s]+\d{1,4}[-—－–―\s]+|第\s*\d{1,4}\s*页(\s*[/,，]?\s*共\s*\d+\s*页)?|"
                         r"\d{1,4}\s*/\s*\d{1,4}|[\[［]\s*\d{1,4}\s*[\]］]|Page\s*\d+)$")


def running_heads(texts: list[str]) -> set[str]:
    """Short lines printed again and again (a PDF's running header or footer)."""
    seen: dict[str, int] = {}
    for t in texts:
        seen[t] = seen.get(t, 0) + 1
    return {t for t, n in seen.items() if n >= 3 and 2 <= len(t) <= 24 and t[-1] not in "。！？…”」"
            and not t.startswith(("“", "「", "——"))}


# The frame of an official document: red header, document number, distribution and print lines.
OFFICIAL = re.compile(
    r"^[" + HAN + r"]{2,24}(文件|简报|快报)$|^[" + HAN + r"]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号$|"
    r"^(抄送|主送|分送|发送|报送|印发)[:：]|^[（(]此件[^）)]{1,20}[）)]$|"
    r"^[" + HAN + r"]{2,40}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$|^(公开方式|信息公开选项)[:：]"
)


def furniture_reason(text: str) -> str | None:
    """Why a whole line is furniture, or None when it may be part of the article."""
    if PAGE_NUMBER.match(text):
        return "page number"
    if RELATED_HEAD.match(text):
        return "related-news list"
    if EPAPER.search(text):
        return "e-paper source line"
    if OFFICIAL.search(text):
        return "official document frame"
    if is_chrome(text):
        return "web page chrome"
    if FIELD_LINE.match(text) or len(_FIELD_ANYWHERE.findall(text)) >= 2 or (
            len(text) <= 80 and "。" not in text and (_CHROME_FIELD.search(text) or _DATETIME.search(text))):
        if not re.match(r"^[【\[（(]?\s*(作者|记者)", text):
            return "editor/source line"
    if PHOTO_CREDIT.search(text):
        return "photo credit"
    return None


def is_chrome(text: str) -> bool:
    if _CHROME_PHRASE.search(text):
        return True
    tokens = [t for t in (t.rstrip("0123456789万+") for t in _TOKEN_SPLIT.split(text)) if t]
    if bool(tokens) and all(t in _CHROME_TOKENS for t in tokens):
        return True
    # 首页 | 滚动 | 国内 | 社会: a navigation bar
    bars = re.split(r"\s*[|｜]\s*", text)
    return len(bars) >= 4 and all(1 <= len(b) <= 10 for b in bars)


def closing_credit(text: str) -> bool:
    """A bracketed credit or wire line that closes an article (never spoken)."""
    return bool(len(text) <= 70 and (CLOSING_CREDIT.fullmatch(text) or WIRE_DATELINE.match(text)))


def trailing_credit(text: str) -> int:
    """Where a closing credit glued to the end of a paragraph starts (…。（本报记者李四参与采写）), or -1."""
    if not text.endswith(("）", ")")):
        return -1
    start = max(text.rfind("（"), text.rfind("("))
    if start <= 0 or text[start - 1] not in FULL_STOPS + ELLIPSIS + "”":
        return -1
    return start if closing_credit(text[start:]) else -1
