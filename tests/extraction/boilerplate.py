"""Boilerplate that news sites wrap around an article: navigation, headline
lists, hot rankings, comments, share bars, footers, scripts. Written for the
wirewatch extraction set; every string is invented. Simplified Chinese; the
generator converts it for traditional-script sites."""

import random

HEADLINES = [
    "多地出台措施支持民营企业发展壮大",
    "暑期旅游市场持续升温 热门景区门票预约火爆",
    "新一轮降雨来袭 这些地区需防范山洪地质灾害",
    "我国科研团队在量子通信领域取得新进展",
    "一图读懂今年政府工作报告",
    "城市更新行动推进 老旧小区改造开工逾万个",
    "国产大飞机完成首次商业载客飞行",
    "前七个月全国铁路发送旅客同比增长超过一倍",
    "多家银行下调存款利率 专家解读对居民理财影响",
    "高校毕业生就业季：这些岗位需求旺盛",
    "台风路径最新预报：或于周末登陆沿海",
    "新能源汽车下乡活动启动 多款车型参与",
    "全国夏粮总产量再创历史新高",
    "医保目录调整方案公布 这些药将纳入报销",
    "中欧班列开行数量保持稳定增长",
    "公积金贷款政策调整 首套房首付比例下调",
    "教育部发布预警：警惕各类招生诈骗",
    "今年以来全国新增减税降费超万亿元",
    "博物馆里过暑假 文博游成为新风尚",
    "快递业务量连续多月保持两位数增长",
    "气象台发布高温橙色预警 局地最高气温超40℃",
    "跨境电商综试区再扩围 外贸新业态加速发展",
    "农村电商带动特色农产品走出大山",
    "首届数字经济博览会开幕 百余项成果集中亮相",
    "多地推进养老服务设施建设 社区食堂受欢迎",
    "足球联赛第十八轮：主队主场两球获胜",
    "油价调整窗口今晚开启 加满一箱油将多花7元",
    "儿童青少年近视防控：每天户外活动两小时",
    "全国碳市场运行平稳 累计成交额突破百亿元",
    "地铁新线开通运营 沿线居民出行更便捷",
]

HOT = [
    "这些新规下月起施行，影响你我生活",
    "央行：保持流动性合理充裕",
    "今夏最强降雨过程来了",
    "男子网购手机收到一盒石头，警方介入",
    "专家：今冬或出现阶段性强降温",
    "多地公布中考成绩查询时间",
    "游客在景区走失 民警三小时找回",
    "这种常见水果竟是“维C之王”",
    "网友热议：年轻人为何爱上逛公园",
    "大熊猫幼崽满月 首次公开亮相",
]

COMMENTS = [
    "希望政策能够真正落到实处，不要只停留在纸面上。我们小区去年也说要改造，到现在还没动静，老百姓最关心的就是这些实实在在的事情。",
    "支持！这样的好事应该多报道一些，让更多人知道。前几天我去办事，窗口工作人员态度很好，流程也比以前简单多了，点个赞。",
    "说得容易做起来难，关键还是要看执行。有没有具体的时间表？什么时候能覆盖到我们郊区？",
    "我是本地人，这几年变化确实很大，交通方便了，环境也好了，就是房价涨得有点快，年轻人压力不小。",
    "楼上说得对，配套跟不上的话，再好的规划也白搭。希望有关部门多听听群众的意见。",
    "转发了，给家里老人看看，他们平时不怎么上网，很多好政策都不知道。",
    "作为一线工作人员，我想说大家真的很辛苦，每天加班到很晚，希望社会多一些理解和支持。",
    "文章写得很详细，但是申请入口在哪里？能不能给个链接，或者电话也行。",
]

NAV = ["首页", "新闻", "国内", "国际", "社会", "财经", "科技", "体育", "娱乐", "汽车", "房产", "教育",
       "健康", "旅游", "文化", "视频", "图片", "评论", "专题", "直播"]

FOOT_LINKS = ["关于我们", "联系我们", "广告服务", "招聘信息", "网站地图", "意见反馈", "隐私政策", "法律声明"]

SCRIPT = """var _hmt = _hmt || [];(function(){var hm = document.createElement("script");
hm.src = "https://stats.example.com/hm.js?a1b2c3";var s = document.getElementsByTagName("script")[0];
s.parentNode.insertBefore(hm, s);})();
window.__CONFIG__ = {"channel":"news","pageType":"article","adSlots":["top","right1","right2","bottom"],
"share":{"weibo":true,"wechat":true,"qzone":false},"text":"请勿在页面中展示：点击加载更多评论"};
function loadMore(){ if (document.readyState !== 'complete') { return; } /* 加载中，请稍候…… */ }"""

STYLE = """.article p{font-size:16px;line-height:2em;margin:0 0 1em}.nav a{padding:0 10px}
.share-bar{float:right}.hot-list li{height:28px;overflow:hidden}.qr-box{border:1px solid #e6e6e6}
@media (max-width:768px){.side{display:none}}"""


class Box:
    """Random choices for one page, seeded so the set is reproducible."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def pick(self, pool, n):
        return self.rng.sample(pool, min(n, len(pool)))

    def num(self, lo, hi):
        return self.rng.randint(lo, hi)


def nav_links(box, conv, cls="nav", n=14):
    items = "".join(f'<a href="https://news.example.com/{i}/">{conv(w)}</a>\n' for i, w in enumerate(box.pick(NAV, n)))
    return f'<div class="{cls}">\n{items}</div>\n'


def headline_list(box, conv, n, with_time=False, cls=None, summary=False):
    out = []
    for i, h in enumerate(box.pick(HEADLINES, n)):
        url = f"https://news.example.com/a/2023{box.num(1000, 9999)}{i}.html"
        extra = f' <span class="time">{box.num(1, 12):02d}-{box.num(1, 28):02d}</span>' if with_time else ""
        summ = ""
        if summary:
            summ = f"<p>{conv(h)}。记者从有关部门了解到，相关工作正在有序推进，" \
                   f"预计年内将取得阶段性成果，更多详情请点击查看。</p>"
        out.append(f'<li><a href="{url}" target="_blank">{conv(h)}</a>{extra}{summ}</li>')
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "\n".join(out) + "\n</ul>\n"


def hot_list(box, conv, title="热点排行", cls="hot-list"):
    items = "".join(f'<li><em>{i + 1}</em><a href="https://news.example.com/hot/{i}.html">{conv(h)}</a></li>\n'
                    for i, h in enumerate(box.pick(HOT, 8)))
    return f'<div class="{cls}"><h3>{conv(title)}</h3><ol>\n{items}</ol></div>\n'


def comment_block(box, conv, cls="comment", n=4, long=False):
    out = []
    for c in box.pick(COMMENTS, n):
        user = f"网友{box.num(1000, 99999)}"
        text = conv(c + ("我觉得这件事情还需要继续观察，等有了结果再来评论。" if long else ""))
        out.append(f'<div class="{cls}-item"><div class="user">{conv(user)} <span class="time">'
                   f'{box.num(1, 23):02d}:{box.num(0, 59):02d}</span></div>'
                   f'<div class="{cls}-text"><p>{text}</p></div>'
                   f'<div class="{cls}-act"><a>{conv("回复")}</a> <a>{conv("赞")}({box.num(0, 999)})</a></div></div>')
    return (f'<div class="{cls}s" id="{cls}-box"><h3>{conv("网友评论")}</h3>'
            f'<div class="{cls}-count">{conv("已有")}{box.num(10, 900)}{conv("条评论")}</div>\n'
            + "\n".join(out) + f'\n<a class="more">{conv("查看更多评论")}</a></div>\n')


def share_bar(conv, cls="share"):
    return (f'<div class="{cls}-bar">{conv("分享到")}：<a class="weixin">{conv("微信")}</a>'
            f'<a class="weibo">{conv("微博")}</a><a class="qzone">QQ{conv("空间")}</a></div>\n')


def footer(box, conv, site, icp=True):
    links = " | ".join(f'<a href="https://www.example.com/{i}">{conv(w)}</a>' for i, w in enumerate(FOOT_LINKS))
    lic = f'<p>{conv("京ICP证")}0{box.num(10000, 99999)}{conv("号")} {conv("违法和不良信息举报电话")}：0000-12345678</p>' if icp else ""
    return (f'<div class="footer"><p>{links}</p>'
            f'<p>Copyright © 1998-2023 {conv(site)} All Rights Reserved {conv("版权所有")}</p>{lic}</div>\n')


def script_block(extra=""):
    return f'<script type="text/javascript">{SCRIPT}{extra}</script>\n'


def style_block():
    return f"<style>{STYLE}</style>\n"
