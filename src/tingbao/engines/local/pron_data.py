"""Word readings where pypinyin's phrase data (or its absence) gives a wrong reading.

Every entry is the 现代汉语词典 reading of an ordinary word or name, written by hand; the
entries were found by reading the errors on CPP's development split (Apache-2.0) and on our
own news sentences, and each one was checked against a dictionary rather than copied from
CPP's labels (where the two disagree, e.g. 挣脱 zhèngtuō or 黄陂 Huángpí, the dictionary wins).
The words are also added to the segmenter so that it keeps them whole.
"""

from __future__ import annotations

PHRASES: dict[str, str] = {
    # 差 chā: a difference (pypinyin has chà in most of these)
    "落差": "luo4 cha1", "高差": "gao1 cha1", "温差": "wen1 cha1", "时差": "shi2 cha1", "反差": "fan3 cha1",
    "相差": "xiang1 cha1", "逆差": "ni4 cha1", "顺差": "shun4 cha1", "色差": "se4 cha1", "价差": "jia4 cha1",
    "级差": "ji2 cha1", "偏差": "pian1 cha1", "视差": "shi4 cha1", "利差": "li4 cha1", "汇差": "hui4 cha1",
    "差旅": "chai1 lv3", "差旅费": "chai1 lv3 fei4", "差值": "cha1 zhi2",
    # 为 wéi: "to be, to become, as"
    "视为": "shi4 wei2", "列为": "lie4 wei2", "任命为": "ren4 ming4 wei2", "晋升为": "jin4 sheng1 wei2",
    "评为": "ping2 wei2", "选为": "xuan3 wei2", "定为": "ding4 wei2", "更名为": "geng1 ming2 wei2",
    "命名为": "ming4 ming2 wei2", "译为": "yi4 wei2", "升格为": "sheng1 ge2 wei2", "转化为": "zhuan3 hua4 wei2",
    "划分为": "hua4 fen1 wei2", "认定为": "ren4 ding4 wei2", "确定为": "que4 ding4 wei2", "誉为": "yu4 wei2",
    "称之为": "cheng1 zhi1 wei2", "以此为": "yi3 ci3 wei2", "为人民服务": "wei4 ren2 min2 fu2 wu4",
    # 了 liǎo
    "了无新意": "liao3 wu2 xin1 yi4", "了无生趣": "liao3 wu2 sheng1 qu4", "了无痕迹": "liao3 wu2 hen2 ji4",
    "了无牵挂": "liao3 wu2 qian1 gua4", "了无踪影": "liao3 wu2 zong1 ying3", "了无声息": "liao3 wu2 sheng1 xi1",
    "了无遗憾": "liao3 wu2 yi2 han4", "了无起色": "liao3 wu2 qi3 se4", "了无睡意": "liao3 wu2 shui4 yi4",
    "私了": "si1 liao3",
    # 得 dé / děi
    "夺得": "duo2 de2", "赢得": "ying2 de2", "取得": "qu3 de2", "得亏": "dei3 kui1",
    # 行 háng, 长, 和, 都
    "行长": "hang2 zhang3", "副行长": "fu4 hang2 zhang3", "分行": "fen1 hang2", "支行": "zhi1 hang2",
    "央行": "yang1 hang2", "投行": "tou2 hang2", "商行": "shang1 hang2", "车行": "che1 hang2",
    "行业": "hang2 ye4", "同行业": "tong2 hang2 ye4", "行家": "hang2 jia1", "内行": "nei4 hang2",
    "外行": "wai4 hang2", "本行": "ben3 hang2", "行话": "hang2 hua4", "在行": "zai4 hang2",
    "银行": "yin2 hang2", "这一行": "zhe4 yi1 hang2", "那一行": "na4 yi1 hang2", "干一行": "gan4 yi1 hang2",
    "爱一行": "ai4 yi1 hang2",
    "长势": "zhang3 shi4", "增长": "zeng1 zhang3", "生长": "sheng1 zhang3", "长者": "zhang3 zhe3",
    "和馅": "huo4 xian4", "和泥": "huo2 ni2", "还款": "huan2 kuan3", "还贷": "huan2 dai4", "还债": "huan2 zhai4",
    "还清": "huan2 qing1", "还本": "huan2 ben3",
    "和面": "huo2 mian4", "和牌": "hu2 pai2", "搅和": "jiao3 huo5", "附和": "fu4 he4",
    "都江堰": "du1 jiang1 yan4", "大都会": "da4 du1 hui4",
    # 场 chǎng for events (一场比赛); 空 kòng, 载 zǎi, 宿 xiǔ
    "一场": "yi1 chang3", "这场": "zhe4 chang3", "那场": "na4 chang3", "每场": "mei3 chang3",
    "首场": "shou3 chang3", "空白": "kong4 bai2", "填空": "tian2 kong4", "载入": "zai3 ru4",
    "记载": "ji4 zai3", "一宿": "yi1 xiu3",
    # rarer characters in common words and names
    "吡咯": "bi3 luo4", "质朴": "zhi4 pu3", "厚薄": "hou4 bao2", "夹克": "jia1 ke4", "一撮": "yi1 cuo1",
    "劲歌": "jing4 ge1", "眩晕": "xuan4 yun4", "煞气": "sha4 qi4", "褪去": "tui4 qu4", "劈成": "pi1 cheng2",
    "书吧": "shu1 ba1", "泊地": "bo2 di4", "卷柏": "juan3 bai3", "木杆": "mu4 gan1", "玄参": "xuan2 shen1",
    "率部": "shuai4 bu4", "率队": "shuai4 dui4", "率团": "shuai4 tuan2", "埃塞俄比亚": "ai1 sai4 e2 bi3 ya4",
    "后燕": "hou4 yan1", "南燕": "nan2 yan1", "前燕": "qian2 yan1", "北燕": "bei3 yan1", "燕国": "yan1 guo2",
    "肚子": "du4 zi5", "呵叻": "he1 le4", "分杈": "fen1 cha4", "拚命": "pin1 ming4", "夺得了": "duo2 de2 le5",
    "紧挨": "jin3 ai1", "藉此": "jie4 ci3", "爱好者": "ai4 hao4 zhe3", "变更": "bian4 geng1", "名单": "ming2 dan1",
    "怀揣": "huai2 chuai1", "参将": "can1 jiang4", "加缪": "jia1 miu4", "煞车": "sha1 che1",
    "管涌": "guan3 yong3", "阆中": "lang4 zhong1", "掖县": "ye4 xian4", "奖掖": "jiang3 ye4",
    "单于": "chan2 yu2", "万俟": "mo4 qi2", "尉迟": "yu4 chi2",
    # found on everyday news sentences written for tingbao (helper P): 现汉 readings
    "长三角": "chang2 san1 jiao3", "骨干": "gu3 gan4", "重阳": "chong2 yang2", "双重": "shuang1 chong2",
    "传记": "zhuan4 ji4", "自传": "zi4 zhuan4", "乐于": "le4 yu2", "行情": "hang2 qing2",
    "国有大行": "guo2 you3 da4 hang2",
    "数一数": "shu3 yi1 shu3", "数了数": "shu3 le5 shu3", "运转": "yun4 zhuan3", "背负": "bei1 fu4",
    "白发": "bai2 fa4", "发型": "fa4 xing2",
    "接种": "jie1 zhong4", "堵塞": "du3 se4", "单县": "shan4 xian4", "洪洞": "hong2 tong2", "浚县": "xun4 xian4",
    "正月": "zheng1 yue4", "好面子": "hao4 mian4 zi5", "都柏林": "du1 bo2 lin2", "不得了": "bu4 de2 liao3",
    "了不得": "liao3 bu5 de2", "长满": "zhang3 man3", "长高": "zhang3 gao1", "长出": "zhang3 chu1",
    "削尖": "xiao1 jian1",
    # neutral tones of everyday words (轻声 in 现汉)
    "商量": "shang1 liang5", "明白": "ming2 bai5", "麻烦": "ma2 fan5", "告诉": "gao4 su5",
    "大夫": "dai4 fu5", "士大夫": "shi4 da4 fu1", "暖和": "nuan3 huo5",
}

# Words read this way only where the segmenter yields exactly them: as parts of a longer run they
# mislead (办事处|在北京, 两|行动).
WHOLE_WORDS: dict[str, str] = {"处在": "chu3 zai4", "两行": "liang3 hang2"}

# Characters whose usual reading differs from pypinyin's first one, used when neither a phrase
# nor the model decides (the model knows most of them; these are its gaps).
CHARS: dict[str, str] = {
    "晟": "sheng4", "翟": "zhai2", "剌": "la4", "艮": "gen4", "掺": "chan1", "阆": "lang4",
    "缪": "miao4", "町": "ting3",
}

# Words whose last syllable is neutral (轻声 in 现汉) in speech. Applied after the citation readings,
# where tone sandhi is: polyphone test sets such as CPP label these syllables with their full tone.
NEUTRAL_ENDINGS: tuple[str, ...] = (
    "朋友", "事情", "认识", "时候", "衣服", "休息", "热闹", "清楚", "姑娘", "漂亮", "舒服",
    "打听", "客气", "名字", "先生", "喜欢", "记得", "打扮", "打算", "收拾", "招呼", "糊涂",
    "聪明", "厉害", "便宜", "凉快", "结实", "踏实", "老实", "合同", "功夫", "眼睛", "耳朵",
    "头发", "豆腐", "萝卜", "葡萄", "窗户", "月亮", "行李", "亲戚", "街坊", "消息", "生意",
    "买卖", "笑话", "学问", "道理", "规矩", "力气", "脾气", "玻璃", "部分", "困难",
)
