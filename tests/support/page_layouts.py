"""Article pages in the layouts the real news web uses, with what is article and what is not known.

Each `Layout` is one page written for these tests (an invented outlet, invented news) in a shape
found in the wild: an article in plain divs, a page laid out with tables, an article drowned in
comments and related links, a Chinese wire story with its dateline and 「原標題：」 line, a report
carrying a data table, a blog post with headings and lists, a short story with a heavy page
around it, a page whose paragraphs are <br>-separated text. `article` lists the pieces a reader
would call the article (each must survive extraction), `boilerplate` pieces that are not.
The extraction benchmark and tests score extractors on them.
"""

from __future__ import annotations

from dataclasses import dataclass

_NAV_ZH = (
    "<header class='site-header'><div class='logo'><a href='/'>雲端日報</a></div><nav><ul>"
    + "".join(
        f"<li><a href='/{slug}/'>{name}</a></li>"
        for slug, name in [
            ("news", "即時新聞"),
            ("politics", "政治"),
            ("tech", "科技"),
            ("finance", "財經"),
            ("world", "國際"),
            ("life", "生活"),
            ("sports", "體育"),
            ("video", "影音"),
        ]
    )
    + "</ul></nav><div class='login'><a href='/login'>會員登入</a></div></header>"
)
_FOOTER_ZH = (
    "<footer><div class='links'><a href='/about'>關於我們</a> | <a href='/privacy'>隱私權政策</a> | "
    "<a href='/ads'>廣告刊登</a></div><p>雲端日報 © 2026 版權所有，禁止轉載</p></footer>"
)
_NAV_EN = (
    "<header><nav class='menu'><a href='/'>Home</a> <a href='/ai'>AI</a> <a href='/cloud'>Cloud</a> "
    "<a href='/security'>Security</a> <a href='/newsletter'>Subscribe to our newsletter</a></nav></header>"
)
_FOOTER_EN = (
    "<footer><p>Copyright 2026 Signal Ledger Media. All rights reserved.</p>"
    "<p><a href='/terms'>Terms of use</a> · <a href='/privacy'>Privacy policy</a> · "
    "<a href='/cookies'>Cookie settings</a></p></footer>"
)


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    html: str
    article: tuple[str, ...]
    boilerplate: tuple[str, ...]
    url: str = "https://news.example/2026/11/28/story.html"


def _head(title: str, lang: str = "zh-TW", extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}｜雲端日報</title>"
        f"<meta name='viewport' content='width=device-width'>{extra}"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>"
        "<style>.ad{display:block}</style></head>"
    )


def _page(title: str, main: str, lang: str = "zh-TW", extra: str = "", banner: str = "") -> str:
    """A page of the layouts' news site: its head, navigation and footer around the layout's own part."""
    nav, footer = (_NAV_EN, _FOOTER_EN) if lang == "en" else (_NAV_ZH, _FOOTER_ZH)
    return _head(title, lang, extra) + "<body>" + banner + nav + main + footer + "</body></html>"


# --- 1. an article in plain divs ------------------------------------------------------------------

_DIVS_TITLE = "雲雀模型開源 256K 長上下文版本"
_DIVS_ARTICLE = (
    "雲雀模型團隊今天在官方部落格宣布，開源支援 256K 上下文長度的新版本，權重以 Apache 2.0 授權釋出，開發者可以直接下載使用。",
    "團隊表示，新版本在長文件問答的內部評測中，答對率比前一版提高了百分之十八，特別是在法律與醫療文件上進步最明顯。",
    "為了讓一般顯示卡也能執行，團隊同時釋出 4 位元量化版本，在 24GB 記憶體的顯示卡上就能處理十萬字的文件。",
    "多位研究人員在社群平台上指出，長上下文模型的實際表現仍需第三方評測驗證，他們呼籲團隊公開完整的測試資料。",
    "團隊回應，完整的評測資料與程式碼將在下週公開，並歡迎各界提出改進建議。",
)
DIVS = Layout(
    name="article in divs",
    title=_DIVS_TITLE,
    html=_page(
        _DIVS_TITLE,
        "<div id='wrap'><div class='crumbs'><a href='/'>首頁</a> &gt; <a href='/tech/'>科技</a></div>"
        + f"<div class='main'><div class='story-title'><h1>{_DIVS_TITLE}</h1></div>"
        + "<div class='meta'><span class='author'>記者林小雨</span><span class='time'>2026-11-28 10:30</span></div>"
        + "<div class='share'><a href='#'>分享到 Facebook</a><a href='#'>分享到 LINE</a></div>"
        + "<div class='story-body'>"
        + "".join(f"<div class='para'>{text}</div>" for text in _DIVS_ARTICLE)
        + "</div>"
        + "<div class='ad'>【廣告】年終特賣，全館商品下殺五折起，立即搶購！</div>"
        + "</div><div class='aside'><h3>熱門新聞</h3><ul>"
        + "<li><a href='/a1'>颱風外圍環流影響 北部今明兩天有雨</a></li>"
        + "<li><a href='/a2'>年終獎金調查出爐 平均 1.6 個月</a></li>"
        + "<li><a href='/a3'>跨年煙火倒數 交通管制一次看</a></li></ul></div></div>",
    ),
    article=_DIVS_ARTICLE,
    boilerplate=(
        "即時新聞",
        "分享到 Facebook",
        "年終特賣",
        "颱風外圍環流影響",
        "年終獎金調查出爐",
        "禁止轉載",
        "會員登入",
    ),
)

# --- 2. a page laid out with tables ---------------------------------------------------------------

_TABLE_TITLE = "學術網路啟用雲雀模型推論服務"
_TABLE_ARTICLE = (
    "國家級學術網路今天起提供雲雀模型的推論服務，全國大專院校的研究人員都可以透過學術帳號申請使用，不需額外付費。",
    "服務首期開放每個研究計畫每月一百萬個詞元的額度，用量較大的計畫可以另外提出申請，由審查小組決定是否加碼。",
    "負責的工程師說明，推論節點設在中部的資料中心，所有資料都留在國內，也不會被拿來訓練模型。",
    "預計明年第二季將加入圖片理解的功能，並開放更多語言的版本，讓人文社會領域的研究也能使用。",
)
TABLE_LAID = Layout(
    name="table-laid page",
    title=_TABLE_TITLE,
    html=_head(_TABLE_TITLE)
    + "<body bgcolor='#ffffff'><table width='100%' border='0' cellpadding='0'><tr><td colspan='2'>"
    + "<table><tr><td><a href='/'><b>學網新聞</b></a></td><td><a href='/news'>最新消息</a> | "
    + "<a href='/service'>服務項目</a> | <a href='/contact'>聯絡我們</a></td></tr></table></td></tr>"
    + "<tr><td width='160' valign='top'><font size='2'><a href='/n1'>網路維護公告</a><br>"
    + "<a href='/n2'>帳號申請說明</a><br><a href='/n3'>常見問題集</a><br><a href='/n4'>下載專區</a></font></td>"
    + f"<td valign='top'><font size='4'><b>{_TABLE_TITLE}</b></font><br><font size='2'>發布日期：2026/11/28</font>"
    + "<br><br><font size='3'>"
    + "<br><br>".join(_TABLE_ARTICLE)
    + "</font><br><br><font size='2'>回上一頁 | 列印本頁 | 轉寄好友</font></td></tr>"
    + "<tr><td colspan='2' align='center'><font size='1'>學術網路中心 版權所有 建議使用 1024x768 解析度瀏覽</font>"
    + "</td></tr></table></body></html>",
    article=_TABLE_ARTICLE,
    boilerplate=("網路維護公告", "帳號申請說明", "常見問題集", "列印本頁", "建議使用 1024x768"),
)

# --- 3. an article drowned in comments and related links ------------------------------------------

_COMMENTS_TITLE = "Nimbus 3 tops the open leaderboard, then the questions start"
_COMMENTS_ARTICLE = (
    "The Nimbus team released its third-generation model on Friday, and within hours it sat at the top of the most watched open leaderboard for reasoning tasks.",
    "The 70-billion-parameter version scored 82.5 on the combined reasoning suite, two points ahead of the previous leader, while the 8-billion-parameter version beat models four times its size.",
    "Several independent researchers quickly pointed out that two of the benchmark's test sets had been public for over a year, raising the possibility that parts of them leaked into the training data.",
    "The team said it had filtered its training corpus against every test set it knew of and would publish the filtering code next week so that others could check.",
    "For now, the results stand, but the leaderboard's maintainers said they would add a fresh, unpublished test set in January to settle the matter.",
)
_COMMENTS = tuple(
    f"<div class='comment'><span class='user'>{user}</span><p>{text}</p><a href='#'>Reply</a> <a href='#'>Report</a></div>"
    for user, text in [
        ("kernel_panic", "Benchmarks are marketing at this point. Wait for real-world tests before getting excited about any of this."),
        ("mira_t", "I ran the 8B version on my laptop last night and it handled my coding questions better than anything else I have tried this year."),
        ("old_sysadmin", "Leaderboards get gamed every single time. The only question is how long it takes people to notice what happened."),
        ("quantum_cat", "Does anyone know whether the license allows commercial use? The announcement was not clear about that at all."),
        ("j_doe_88", "Two points on a reasoning suite is within noise. Publish the variance across seeds or it did not happen."),
        ("lin_w", "The contamination question is fair, but the team has been more open about their data than most labs so far."),
    ]
)  # fmt: skip
COMMENTS = Layout(
    name="comments and related links",
    title=_COMMENTS_TITLE,
    html=_page(
        _COMMENTS_TITLE,
        f"<main><article><h1>{_COMMENTS_TITLE}</h1><p class='byline'>By Dana Ortiz · November 28, 2026</p>"
        + "".join(f"<p>{text}</p>" for text in _COMMENTS_ARTICLE)
        + "</article>"
        + "<section class='related'><h2>Related stories</h2><ul>"
        + "<li><a href='/r1'>Why open model leaderboards keep getting gamed</a></li>"
        + "<li><a href='/r2'>The quiet rise of small reasoning models</a></li>"
        + "<li><a href='/r3'>Five questions to ask before trusting a benchmark</a></li>"
        + "<li><a href='/r4'>Cloud prices fall again as GPU supply recovers</a></li></ul></section>"
        + "<section id='comments' class='comments'><h2>Comments (6)</h2>"
        + "".join(_COMMENTS)
        + "</section><aside class='newsletter'><p>Get the Ledger in your inbox every morning. Sign up now.</p></aside>"
        + "</main>",
        lang="en",
    ),
    article=_COMMENTS_ARTICLE,
    boilerplate=(
        "Benchmarks are marketing at this point",
        "ran the 8B version on my laptop",
        "Leaderboards get gamed every single time",
        "Why open model leaderboards keep getting gamed",
        "Five questions to ask before trusting a benchmark",
        "Get the Ledger in your inbox",
        "All rights reserved",
        "Subscribe to our newsletter",
    ),
    url="https://ledger.example/ai/nimbus-3-leaderboard",
)

# --- 4. a Chinese wire story: dateline, 原標題 line, short opening sentence --------------------------

_WIRE_TITLE = "雲雀模型擴大開放 中小企業可免費試用"
_WIRE_ARTICLE = (
    "雲端日報記者陳立新／台北報導",
    "原標題：雲雀模型推出企業方案",
    "又有新動作。",
    "雲雀模型團隊今天宣布擴大開放計畫，員工人數在兩百人以下的中小企業，可以免費試用企業版三個月，期間不限使用次數。",
    "團隊指出，試用方案包含中文客服、文件摘要與會議記錄三項功能，企業只要以統一編號申請，審核通過後兩個工作天內即可開通。",
    "經濟部官員表示樂見民間推動人工智慧普及，但也提醒企業在導入前應先確認個人資料的保護措施，避免客戶資料外洩。",
    "（編輯：王美君）",
)
WIRE_ZH = Layout(
    name="chinese wire story with dateline",
    title=_WIRE_TITLE,
    html=_page(
        _WIRE_TITLE,
        f"<div class='container'><div class='news-header'><h1>{_WIRE_TITLE}</h1>"
        + "<div class='updatetime'><span>2026/11/28 14:05</span></div></div>"
        + "<article class='news'><div class='paragraph'>"
        + "".join(f"<p>{text}</p>" for text in _WIRE_ARTICLE)
        + "</div></article>"
        + "<div class='moreNews'><h2>延伸閱讀</h2>"
        + "<a href='/n/1'>央行理監事會 利率維持不變</a><a href='/n/2'>北市公車路線調整 下月上路</a>"
        + "<a href='/n/3'>冬季流感疫苗 開放第二階段接種</a></div></div>",
        extra="<meta property='article:published_time' content='2026-11-28T14:05:00+08:00'>",
    ),
    article=_WIRE_ARTICLE,
    boilerplate=("央行理監事會", "北市公車路線調整", "冬季流感疫苗", "禁止轉載", "即時新聞"),
)

# --- 5. a report carrying a data table ------------------------------------------------------------

_DATA_TITLE = "雲雀 3 評測成績公布 推理與程式都進步"
_DATA_ARTICLE = (
    "雲雀模型團隊今天公布第三代模型的完整評測成績，在推理、程式與數學三個項目都比上一代進步，其中程式項目的進步幅度最大。",
    "團隊特別說明，所有評測都在相同的硬體與設定下執行，並公開了評測腳本，讓外界可以重現結果。",
)
_DATA_ROWS = (
    ("雲雀 2", "74.1", "61.0", "55.3"),
    ("雲雀 3", "82.5", "73.8", "64.9"),
    ("雲雀 3 小型版", "71.2", "60.4", "52.7"),
)
_DATA_CELLS = tuple(cell for row in _DATA_ROWS for cell in row)
DATA_TABLE = Layout(
    name="report with a data table",
    title=_DATA_TITLE,
    html=_page(
        _DATA_TITLE,
        f"<main><article><h1>{_DATA_TITLE}</h1><p>{_DATA_ARTICLE[0]}</p>"
        + "<table class='scores'><thead><tr><th>模型</th><th>推理</th><th>程式</th><th>數學</th></tr></thead><tbody>"
        + "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in _DATA_ROWS)
        + f"</tbody></table><p>{_DATA_ARTICLE[1]}</p></article></main>"
        + "<div class='recommend'><h3>推薦閱讀</h3><a href='/x1'>手機資費大比拼 吃到飽方案整理</a></div>",
    ),
    article=_DATA_ARTICLE + _DATA_CELLS,
    boilerplate=("手機資費大比拼", "禁止轉載", "會員登入"),
)

# --- 6. a blog post with headings and lists -------------------------------------------------------

_BLOG_TITLE = "What we changed in Nimbus 3's tokenizer"
_BLOG_ARTICLE = (
    "When we started work on Nimbus 3, the tokenizer was the part of the stack we least wanted to touch, and the part that needed it most.",
    "Why change it",
    "Our old vocabulary split Traditional Chinese text into almost twice as many tokens as the same text in Simplified Chinese, which made long documents slower and more expensive for a large share of our users.",
    "What we did",
    "Merged 24,000 new entries learned from a balanced corpus of Traditional and Simplified text.",
    "Kept every old entry so that existing fine-tunes keep working without retraining.",
    "Added byte fallback for rare characters instead of mapping them to an unknown token.",
    "The result is a vocabulary of 152,000 entries that cuts the token count of Traditional Chinese text by 31 percent with no measurable loss on English benchmarks.",
)
BLOG = Layout(
    name="blog post with headings and lists",
    title=_BLOG_TITLE,
    html=_page(
        _BLOG_TITLE,
        f"<div class='post'><h1 class='post-title'>{_BLOG_TITLE}</h1><div class='post-meta'>Posted by the Nimbus team</div>"
        + f"<div class='post-content'><p>{_BLOG_ARTICLE[0]}</p><h2>{_BLOG_ARTICLE[1]}</h2><p>{_BLOG_ARTICLE[2]}</p>"
        + f"<h2>{_BLOG_ARTICLE[3]}</h2><ul>"
        + "".join(f"<li>{text}</li>" for text in _BLOG_ARTICLE[4:7])
        + f"</ul><p>{_BLOG_ARTICLE[7]}</p></div>"
        + "<div class='tags'>Tags: <a href='/t/tokenizer'>tokenizer</a> <a href='/t/chinese'>chinese</a></div>"
        + "<div class='author-box'>The Nimbus team builds open models. Follow us for updates on every release.</div></div>",
        lang="en",
    ),
    article=_BLOG_ARTICLE,
    boilerplate=("Follow us for updates on every release", "All rights reserved", "Cookie settings"),
    url="https://lab.example/blog/tokenizer",
)

# --- 7. a short story inside a heavy page ---------------------------------------------------------

_SHORT_TITLE = "雲雀模型 API 調降價格"
_SHORT_ARTICLE = (
    "雲雀模型今天宣布 API 全面降價，輸入價格每百萬詞元從 2 美元降到 1.2 美元，即日起生效。",
    "既有用戶不需要重新申請，下個帳單週期就會自動套用新價格。",
)
SHORT_HEAVY = Layout(
    name="short story in a heavy page",
    title=_SHORT_TITLE,
    html=_page(
        _SHORT_TITLE,
        f"<main><article><h1>{_SHORT_TITLE}</h1>"
        + "".join(f"<p>{text}</p>" for text in _SHORT_ARTICLE)
        + "</article>"
        + "<div class='newsletter'><h3>訂閱電子報</h3><p>每天早上八點，把最重要的科技新聞送到你的信箱，完全免費，隨時可以取消訂閱。</p></div>"
        + "<div class='ranking'><h3>24 小時排行</h3><ol>"
        + "".join(
            f"<li><a href='/rank/{n}'>{text}</a></li>"
            for n, text in enumerate(
                [
                    "年終獎金調查出爐 科技業平均四個月",
                    "新款手機開賣首日 門市大排長龍",
                    "房貸利率再升半碼 首購族壓力大",
                    "寒流下週報到 平地最低探十度",
                    "跨年晚會卡司公布 十組歌手同台",
                ]
            )
        )
        + "</ol></div></main>",
        banner="<div class='cookie-banner'>本網站使用 Cookie 以提供更好的瀏覽體驗，繼續瀏覽即表示您同意我們的 Cookie 政策。<button>我同意</button></div>",
    ),
    article=_SHORT_ARTICLE,
    boilerplate=(
        "Cookie 政策",
        "每天早上八點",
        "年終獎金調查出爐",
        "新款手機開賣首日",
        "寒流下週報到",
        "禁止轉載",
    ),
)

# --- 8. paragraphs as <br>-separated text ---------------------------------------------------------

_BR_TITLE = "地方政府導入雲雀模型 處理陳情案件"
_BR_ARTICLE = (
    "南部一個縣政府今天宣布，導入雲雀模型協助處理民眾的陳情案件，系統會先將案件分類，再交由承辦人員回覆。",
    "縣府資訊處長表示，過去每件陳情平均要三天才能分派到正確的單位，導入後縮短到半天，承辦人員也能把時間留給複雜的案件。",
    "議員則提醒，民眾的陳情內容常包含個人資料，縣府必須說明資料存放的位置與保存期限，並定期接受外部稽核。",
    "縣府回應，系統部署在縣府自己的機房，資料不會傳到外部，也已委託第三方進行資安檢測。",
)
BR_TEXT = Layout(
    name="br-separated paragraphs",
    title=_BR_TITLE,
    html=_page(
        _BR_TITLE,
        f"<div id='content'><h1>{_BR_TITLE}</h1><div class='text'>"
        + "<br/><br/>".join(_BR_ARTICLE)
        + "</div><div class='keywords'>關鍵字：<a href='/k/ai'>人工智慧</a> <a href='/k/gov'>數位政府</a></div></div>"
        + "<div class='sidebar'><h3>最新影音</h3><a href='/v/1'>直擊！跨年煙火試放畫面曝光</a>"
        + "<a href='/v/2'>街頭訪問：你的年終獎金有多少？</a></div>",
    ),
    article=_BR_ARTICLE,
    boilerplate=("跨年煙火試放畫面", "街頭訪問", "禁止轉載", "即時新聞"),
)

# --- 9. a theme that classes the article's container like a comment thread -------------------------

_THEME_TITLE = "雲雀模型推出台語語音版本"
_THEME_ARTICLE = (
    "雲雀模型團隊今天推出台語語音辨識與合成的測試版本，使用者可以用台語下指令，模型也能以台語回答。",
    "團隊說明，訓練資料來自公共電視與多個社區大學合作錄製的節目，總長度超過三千小時，並經過語言學者逐段校對。",
    "測試版本先開放給教育單位申請，團隊希望收集更多使用回饋，再決定正式版本的推出時間。",
)
THEMED = Layout(
    name="article in a comment-classed container",
    title=_THEME_TITLE,
    html=_page(
        _THEME_TITLE,
        f"<div class='entry'><h1 class='entry-title'>{_THEME_TITLE}</h1>"
        + "<div class='comment-body entry-content'>"
        + "".join(f"<p>{text}</p>" for text in _THEME_ARTICLE)
        + "</div></div>"
        + "<div class='widget'><h3>熱門標籤</h3><a href='/tag/1'>颱風動態</a> <a href='/tag/2'>股市行情</a></div>",
    ),
    article=_THEME_ARTICLE,
    boilerplate=("颱風動態", "股市行情", "禁止轉載", "即時新聞"),
)

LAYOUTS = (DIVS, TABLE_LAID, COMMENTS, WIRE_ZH, DATA_TABLE, BLOG, SHORT_HEAVY, BR_TEXT, THEMED)


def _squash(text: str) -> str:
    return "".join(text.split())


def kept_share(text: str, pieces: tuple[str, ...]) -> float:
    """The share of the pieces' characters found in the text (whitespace ignored)."""
    squashed = _squash(text)
    total = sum(len(_squash(piece)) for piece in pieces)
    found = sum(len(_squash(piece)) for piece in pieces if _squash(piece) in squashed)
    return found / total if total else 1.0
