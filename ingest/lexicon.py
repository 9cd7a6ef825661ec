"""The Chinese word lists the rules share: numerals, measure words, enumeration markers, stop words,
document and role words. Data only (no jieba, no regex engine state); ingest/text.py builds its
patterns from it, and a rule elsewhere should take its list from here rather than write its own."""
from __future__ import annotations

import re

# -- numerals ---------------------------------------------------------------------------------------
CN_DIGITS = "一二三四五六七八九十"  # the digits of an enumeration (一是, 第三, （二）)
CN_ZEROS = "零〇○"
CN_VALUE = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
            "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = f"[{CN_ZEROS}{CN_DIGITS}两百千万]"  # one character of a Chinese number, as a class
COUNT_WORDS = "几两多"  # how many / a couple / several: counts that name no number

# -- measure words ------------------------------------------------------------------------------------
# What a count is counted in (多少场, 三项): people, times, items, places, money, percentages…
MEASURES = "个家名人次项条场件起所批位万亿%％‰户元支篇辆台套座艘架吨亩米倍岁天年月周日例股只张部"
# Measure words that count the same things: 多少人 is answered by 1.2万名 as well as by 95人.
SAME_MEASURE = {"人": "人名位", "名": "人名位", "位": "人名位", "个": "个家所", "家": "个家所", "所": "个家所",
                "元": "元万亿", "件": "件起", "起": "件起", "次": "次场", "场": "次场"}
# A number in any form a text writes it: 5.5, 1200, 八十, 两, 三十多, 1.2万, 百分之五 (a count's unit follows).
NUMBER = (r"(?:百分之|千分之)?(?:\d+(?:[.,]\d+)*|[零〇○一二三四五六七八九十百千万亿两]+)\s*(?:多|余|来)?"
          r"\s*(?:万|亿|千|百)*")
# What an enumerated list is counted in (三点意见, 五个方面, 哪几项).
LIST_MEASURES = "个项条点种件"

# -- enumeration markers --------------------------------------------------------------------------------
ORDER_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 9}  # 首先… 其次… 最后…: their place in a list
POINT_VERBS = "是要"  # 一是 / 二要: a numbered point

# -- document and role words ----------------------------------------------------------------------------
DOCUMENT_WORDS = tuple("""
讲话 讲话稿 讲稿 发言 发言稿 报告 工作报告 文章 署名文章 说明 致辞 讲座 材料 文件 原文
全文 文中 文稿 稿子 稿 会议 会上 大会 全会 会 座谈会 开幕式 讲话中 报告中 文章中 部分
段 段落 开头 结尾 篇 这篇 那篇 该篇 本篇 各篇 几篇
""".split())  # what a question may call a speech or part of it
DOCUMENT_DEICTICS = ("这篇", "该篇", "本篇", "那篇", "各篇", "这次", "那次", "会上")  # which speech it means
# Words about how a text puts a thing, not what it is about: 用什么比喻来说明…, 这种提法, 讲话的原话.
WORDING_WORDS = tuple("""
比喻 比方 说法 提法 叫法 表述 论述 论断 概括 形容 用语 词语 字眼 原话 口号 名称 称呼 措辞
""".split())
ROLE_WORDS = tuple("""
书记 副书记 总书记 主席 副主席 总理 副总理 委员长 部长 副部长 省长 副省长 市长 副市长
县长 副县长 区长 镇长 乡长 村长 厅长 局长 副局长 处长 科长 主任 副主任 组长 校长
副校长 院长 副院长 所长 行长 董事长 总经理 社长 站长 队长 班主任 负责人
同志 作者 讲话人 报告人 发言人 常委 主持人
""".split())  # a speaker's role, or a title after a (masked) name

# -- stop words -----------------------------------------------------------------------------------------
# Function words and question words: they say how a thing is asked, not what is asked about.
STOPWORDS = frozenset("""
的 了 和 与 及 或 是 在 对 把 被 从 向 于 以 为 就 都 也 还 又 而 并 等 这 那 其 之 个 些 上 下 中 里 着 过 吗 呢 吧 啊
什么 哪些 哪个 哪里 哪 怎样 怎么 怎么样 如何 为何 为什么 是否 有没有 多少 几 几个 谁 何 具体 指 是什么 有何 有哪些
这篇 该篇 本篇 a an the of to in on for and or is are was were be been do does did what which who whom how why when where
whether should shall would could can may might must about with by from as at this that these those it its
speech speeches say says said tell me please there their them they we our you your i what's how's
我们 你们 他们 大家 要 有 提出 提到 说 讲 讲话 讲到 一下 方面 关于 怎么办 应该 应当 可以 需要 能够 哪几 呀 请问
意思 含义
""".split())


def one_of(words) -> str:
    """A regex alternation of the words, longest first (so 副书记 is tried before 书记)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
