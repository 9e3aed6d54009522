"""One invented day of Qwen news, labelled by event: the set clustering is measured on.

Nine events, each reported by three to six outlets in Traditional Chinese, Simplified Chinese and
English, with their own headlines and their own wording (no copy of another report: the near-copy
filter must not be what joins them), plus eight stories on the same topic that report something else
and must each stay alone. Several of those share a model name, a product or a figure with an event
(Qwen4-Coder, Qwen4-Plus, the Qwen app, handwriting, "200 萬" cars against 2M tokens) so that a
clusterer that joins on any shared name is caught out.

Everything here was written for these tests; companies other than Alibaba, people and figures are
invented. `EVENT_SET` is used by tests/unit/test_clustering.py and scripts/bench_clustering.py;
`HELD_OUT`, a smaller day of DeepSeek news written after the clusterer was tuned, checks that the
figures are not fitted to the first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic

TAIPEI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 28)
TOPIC = Topic.model_validate({"slug": "qwen", "name": "QWEN", "queries": ["Qwen", "通義千問"]})


@dataclass(frozen=True)
class Report:
    event: str
    """The event the report is about; a story of its own when it starts with `solo-`."""
    url: str
    outlet: str
    hour: int
    """Hours after 00:00 of the day before DAY, Taipei time (0-47)."""
    title: str
    text: str

    @property
    def body(self) -> str:
        """The text as the page gives it: the report's first sentence, the outlet's boilerplate
        paragraph, then the rest (the boilerplate lands inside the lead clustering reads)."""
        boilerplate = OUTLET_BACKGROUND.get(self.outlet)
        if not boilerplate:
            return self.text
        cut = _first_sentence_end(self.text)
        return f"{self.text[:cut].strip()}\n{boilerplate}\n{self.text[cut:].strip()}".strip()

    def article(self) -> Article:
        published = dt.datetime.combine(DAY - dt.timedelta(days=1), dt.time(0), tzinfo=TAIPEI)
        return Article.model_validate(
            {
                "url": self.url,
                "title": self.title,
                "text": self.body,
                "publisher": self.outlet,
                "published": published + dt.timedelta(hours=self.hour),
            }
        )


# Outlets repeat a background paragraph of their own in every report on a subject, whatever the
# event: it joins different events of one outlet and sets apart one event's reports by different outlets.
OUTLET_BACKGROUND = {
    "科技新報站": "今年以來，DeepSeek、Kimi 與字節跳動相繼推出新模型，中國大型語言模型的競爭已從比分數轉向"
    "比價格與生態系。",
    "市場觀測站": "阿里巴巴近年把雲端與人工智慧列為集團兩大核心業務，法人普遍以大模型的商業化進度評估其雲端"
    "部門的估值。",
    "科技橘報": "通義千問是阿里巴巴於 2023 年推出的大型語言模型家族，從手機上的小模型到雲端旗艦都有開源版本"
    "。",
    "AI科技评论": "自2023年发布以来，通义千问已开源数百个模型，在Hugging Face上的衍生模型数量位居全球前列。",
    "财经快讯": "阿里巴巴此前表示，未来三年将投入超过3800亿元建设云和AI硬件基础设施。",
    "CloudWire": "Alibaba has made Qwen the centre of its cloud strategy, releasing most of its models as o"
    "pen weights "
    "while charging for the largest ones through its Model Studio platform.",
    "DevDaily": "Open-weight models from Chinese labs have become a common choice for developers who want to "
    "self-host, alongside Meta's Llama and Mistral's models.",
}


def _first_sentence_end(text: str) -> int:
    ends = [
        index + 1 for index, char in enumerate(text) if char in "。！？" or text[index : index + 2] == ". "
    ]
    return ends[0] if ends else len(text)


EVENT_SET: tuple[Report, ...] = (
    # --- Qwen4-Plus reads 2M tokens ------------------------------------------------------------------
    Report(
        "plus-2m",
        "https://qwen-blog.example/blog/qwen4-plus-2m/",
        "Qwen Blog",
        26,
        "Qwen4-Plus now reads 2 million tokens in one go",
        "Starting today, Qwen4-Plus accepts up to 2 million tokens of context through Model Studio, up from "
        "256K. In our needle-in-a-haystack tests it retrieves 99.2% of facts across the full length. Reques"
        "ts "
        "up to 256K keep the current price of $0.4 per million input tokens; longer requests are billed at a "
        "long-context rate.",
    ),
    Report(
        "plus-2m",
        "https://technews.example/2026/11/28/qwen4-plus-2m.html",
        "科技新報站",
        28,
        "Qwen4-Plus 上下文長度擴充至 200 萬 token",
        "（記者王品涵／台北報導）阿里雲宣布旗艦模型 Qwen4-Plus 的上下文長度由 256K 一口氣擴充到 200 萬 toke"
        "n，開發者即日起可在"
        "百鍊平台使用。官方的大海撈針測試顯示，模型在全長度下仍能找回 99.2% 的資訊。256K 以內的請求維持"
        "每百萬輸入 token 0.4 美元的原價。",
    ),
    Report(
        "plus-2m",
        "https://www.aitech-cn.example/news/20261128/qwen4plus.html",
        "AI科技评论",
        29,
        "通义千问Qwen4-Plus支持200万Token超长上下文",
        "AI科技评论 11 月 28 日消息，阿里云通义千问旗舰模型Qwen4-Plus正式支持200万Token上下文，较此前的256K"
        "提升近8倍。"
        "官方称，在“大海捞针”测试中召回率达到99.2%。256K以内的调用价格不变，仍为每百万输入Token 0.4美元，"
        "超出部分按长文本价格计费。",
    ),
    Report(
        "plus-2m",
        "https://devzone.example/posts/qwen-long-context-repo.html",
        "開發者週刊",
        31,
        "一次讀完整個程式碼庫？阿里雲千問長文本再升級",
        "想把整個專案的程式碼一次丟給模型？現在真的可以了。阿里雲今天讓旗下最強的千問模型支援兩百萬 token "
        "的輸入，約等於一套"
        "中型程式碼庫或十幾本小說。我們實際丟入一個 180 萬 token 的開源專案，模型能正確回答跨檔案的呼叫"
        "關係。短請求的價格沒有變動。通義千問是阿里巴巴 2023 年推出的模型家族，目前在開源社群的衍生模型數量"
        "名列前茅。",
    ),
    Report(
        "plus-2m",
        "https://cloudwire.example/2026/11/28/alibaba-qwen4-plus-context",
        "CloudWire",
        33,
        "Alibaba stretches Qwen4-Plus context to 2M tokens, keeps price at $0.4",
        "HANGZHOU, Nov 28 (CloudWire) - Alibaba Cloud has raised the context window of its flagship model e"
        "ightfold, to 2 million tokens, "
        "matching the longest windows offered by US rivals. The company kept the $0.4 per million input "
        "token price for requests under 256K and said retrieval accuracy stays at 99.2% across the window.",
    ),
    # --- API price cut ---------------------------------------------------------------------------------
    Report(
        "price-cut",
        "https://marketwatch-tw.example/markets/2026/11/28/alibaba-cloud-qwen-price.html",
        "市場觀測站",
        20,
        "阿里雲調降通義千問 API 價格，輸入費用最高砍六成",
        "（中央社記者陳怡君台北28日電）阿里雲宣布自 12 月 1 日起調降通義千問 API 價格，旗艦模型 Qwen4-Max "
        "的輸入費用下調六成，降至每百萬"
        "token 0.32 美元，輸出價格降為 1.28 美元。法人認為，這是今年第三波大模型價格戰。",
    ),
    Report(
        "price-cut",
        "https://finance-cn.example/tech/2026-11-28/qwen-api-price.shtml",
        "财经快讯",
        21,
        "阿里云千问大模型API再降价 最高降幅60%",
        "阿里云今日宣布，通义千问系列模型API将于12月1日起降价，其中Qwen4-Max输入价格下调60%至每百万Token"
        "0.32美元，输出价格下调至1.28美元。这是阿里云今年第三次下调大模型价格。",
    ),
    Report(
        "price-cut",
        "https://cloudwire.example/2026/11/28/alibaba-qwen-price-cut",
        "CloudWire",
        23,
        "Alibaba Cloud slashes Qwen4-Max API prices by up to 60%",
        "Alibaba Cloud will cut what it charges developers for its Qwen models from December 1, with the in"
        "put "
        "price of Qwen4-Max falling 60% to $0.32 per million tokens and output to $1.28. Analysts called it "
        "the third round of this year's price war among Chinese cloud providers.",
    ),
    Report(
        "price-cut",
        "https://technews.example/2026/11/28/qwen-api-price-war.html",
        "科技新報站",
        25,
        "雲端 AI 價格戰再起：Qwen API 輸入單價下修至每百萬 token 0.32 美元",
        "中國雲端業者的大模型價格戰又添一筆。通義千問是阿里巴巴的大型語言模型系列，App 月活躍用戶已破億。阿"
        "里雲下月起把 Qwen4-Max 的輸入價格砍到每百萬 token 0.32 美元，"
        "降幅六成；輸出價格則調整為 1.28 美元。業界預期其他業者將在年底前跟進。",
    ),
    # --- Qwen4-Coder open weights ---------------------------------------------------------------------
    Report(
        "coder",
        "https://qwen-blog.example/blog/qwen4-coder/",
        "Qwen Blog",
        9,
        "Qwen4-Coder-32B goes open source with 71.3% on SWE-bench Verified",
        "We are releasing Qwen4-Coder-32B under Apache 2.0. It resolves 71.3% of SWE-bench Verified tasks, "
        "supports a 256K context for whole-repository work, and its 4-bit build runs on a single 24GB GPU.",
    ),
    Report(
        "coder",
        "https://www.aitech-cn.example/news/20261127/qwen4-coder.html",
        "AI科技评论",
        10,
        "阿里开源Qwen4-Coder-32B 编程能力逼近闭源模型",
        "阿里通义千问团队开源代码模型Qwen4-Coder-32B，采用Apache 2.0协议。该模型在SWE-bench Verified上的"
        "得分为71.3%，支持256K上下文，4比特量化版本可在单张24GB显卡上运行。",
    ),
    Report(
        "coder",
        "https://techorange.example/2026/11/27/qwen4-coder-single-gpu/",
        "科技橘報",
        12,
        "千問開源程式模型 Qwen4-Coder，單張顯卡就能跑",
        "繼上月的旗艦模型之後，阿里巴巴的千問團隊再開源 320 億參數的程式模型，量化後只要一張 24GB 記憶體的"
        "顯示卡就能"
        "在本機執行，對想把程式碼留在公司內部的企業很有吸引力。官方公布的 SWE-bench Verified 成績為 71.3%。",
    ),
    Report(
        "coder",
        "https://devzone.example/posts/qwen4-coder-hands-on.html",
        "開發者週刊",
        15,
        "開發者實測 Qwen4-Coder-32B：修 bug 能力超乎預期",
        "我們用 Qwen4-Coder-32B 跑了三個內部專案的積壓 issue，多數能一次給出可合併的修正。模型以 Apache 2.0 "
        "授權開放下載，256K 的上下文讓它能讀完整個 repo；官方數據為 SWE-bench Verified 71.3%。",
    ),
    Report(
        "coder",
        "https://theregister-like.example/2026/11/27/alibaba_open_coding_model/",
        "The Byte Ledger",
        17,
        "Alibaba's new open coding model rivals closed rivals on bug-fixing benchmark",
        "Alibaba has published the weights of a 32-billion-parameter coding model that it says fixes 71.3% "
        "of "
        "the real GitHub issues in SWE-bench Verified. Qwen4-Coder is licensed under Apache 2.0 and, quanti"
        "zed "
        "to 4 bits, fits on one 24GB graphics card.",
    ),
    Report(
        "coder",
        "https://opensource-cn.example/article/2026/qwen4-coder-leaderboard",
        "开源中国资讯",
        19,
        "Qwen4-Coder登顶开源编程榜单",
        "通义千问新发布的Qwen4-Coder-32B以71.3%的SWE-bench Verified成绩位列开源模型第一。社区开发者表示，"
        "单卡即可部署的体积让它很适合接入本地IDE插件。",
    ),
    # --- Qwen-VL 5 --------------------------------------------------------------------------------------
    Report(
        "vl5",
        "https://technews.example/2026/11/27/qwen-vl5.html",
        "科技新報站",
        11,
        "Qwen-VL 5 登場，文件辨識 DocVQA 拿下 96.2 分",
        "通義千問團隊發布視覺語言模型 Qwen-VL 5，在文件理解評測 DocVQA 取得 96.2 分，能直接讀取手寫表格"
        "與發票。新模型支援 4K 圖片輸入，影片理解長度延長到兩小時，並開放 7B 與 72B 權重。",
    ),
    Report(
        "vl5",
        "https://devdaily.example/posts/qwen-vl-5.html",
        "DevDaily",
        13,
        "Alibaba's Qwen-VL 5 reads handwritten invoices and scores 96.2 on DocVQA",
        "The Qwen team released Qwen-VL 5, a vision-language model that scores 96.2 on DocVQA and reads "
        "handwritten tables and invoices. It accepts 4K images and two-hour videos; 7B and 72B weights are "
        "open.",
    ),
    Report(
        "vl5",
        "https://www.aitech-cn.example/news/20261127/qwen-vl5.html",
        "AI科技评论",
        14,
        "看懂手写发票！通义千问发布第五代视觉模型",
        "IT之家 11 月 27 日消息，通义千问今日发布第五代视觉语言模型，DocVQA成绩为96.2分，手写表格和发票识别"
        "能力大幅提升。"
        "模型可处理4K图片和长达两小时的视频，7B版本可在单张显卡上运行。",
    ),
    # --- Qwen in cars -----------------------------------------------------------------------------------
    Report(
        "car",
        "https://auto-cn.example/news/2026/11/28/orion-qwen.html",
        "汽车之声",
        30,
        "猎户汽车与阿里云合作 千问大模型上车",
        "猎户汽车今日在上海宣布与阿里云达成合作，将把通义千问大模型接入新一代智能座舱。双方计划从2027年起，"
        "在约200万辆新车上搭载基于千问的语音助手，支持离线导航问答和车辆故障解释。",
    ),
    Report(
        "car",
        "https://technews.example/2026/11/28/orion-auto-qwen-cockpit.html",
        "科技新報站",
        32,
        "獵戶汽車導入通義千問，明年起 200 萬輛車搭載 AI 助理",
        "中國車廠獵戶汽車與阿里雲簽約，將在智慧座艙導入通義千問模型。雙方預計自 2027 年起，約 200 萬輛新車"
        "配備以千問為核心的語音助理，可在離線狀態回答導航問題、解釋故障燈號。",
    ),
    Report(
        "car",
        "https://cloudwire.example/2026/11/28/orion-auto-alibaba-qwen",
        "CloudWire",
        34,
        "Orion Auto picks Alibaba's Qwen for its in-car assistant",
        "Chinese carmaker Orion Auto will build Alibaba Cloud's Qwen models into the cockpit of its next "
        "vehicles, the companies said in Shanghai. About 2 million cars from 2027 on are to ship with a Qwe"
        "n-based "
        "voice assistant that answers navigation questions and explains warning lights, even offline.",
    ),
    Report(
        "car",
        "https://drive.example/news/qwen-dashboard-orion",
        "Drive Notes",
        38,
        "Qwen heads to the dashboard: Orion Auto signs Alibaba Cloud deal",
        "Orion Auto's next cockpit will talk through Qwen. Under a deal signed with Alibaba Cloud, the "
        "assistant is due in roughly two million Orion vehicles starting in 2027 and can work without a "
        "network connection.",
    ),
    # --- the Qwen app's users -------------------------------------------------------------------------
    Report(
        "mau",
        "https://finance-cn.example/tech/2026-11-27/qwen-app-mau.shtml",
        "财经快讯",
        6,
        "千问App月活突破3亿 三个月增长七成",
        "阿里巴巴在财报电话会上披露，千问App月活跃用户已突破3亿，较8月的1.8亿增长约七成。管理层表示，"
        "AI助手正成为淘宝和高德之外的新流量入口。",
    ),
    Report(
        "mau",
        "https://marketwatch-tw.example/markets/2026/11/27/qwen-app-300m.html",
        "市場觀測站",
        8,
        "阿里：千問 App 月活躍用戶破 3 億",
        "阿里巴巴財報會議透露，千問 App 的月活躍用戶數已超過 3 億，8 月時還只有 1.8 億。管理層把 AI 助理"
        "視為電商與地圖之外的下一個流量入口。",
    ),
    Report(
        "mau",
        "https://cloudwire.example/2026/11/27/qwen-app-300-million-users",
        "CloudWire",
        9,
        "Alibaba says its Qwen app has passed 300 million monthly users",
        "HANGZHOU, Nov 27 (CloudWire) - Alibaba told analysts on its earnings call that the Qwen app now ha"
        "s more than 300 million monthly "
        "active users, up from 180 million in August, making it one of the largest AI assistants in China.",
    ),
    # --- a Qwen-Agent vulnerability -------------------------------------------------------------------
    Report(
        "cve",
        "https://secnews.example/2026/11/28/qwen-agent-cve-2026-41234",
        "SecNews",
        35,
        "Prompt-injection flaw in Qwen-Agent let web pages run code (CVE-2026-41234)",
        "Researchers at Halcyon Security disclosed CVE-2026-41234, a flaw in Qwen-Agent's code interpreter "
        "tool: a web page read by the agent could slip in instructions that ran Python on the user's machin"
        "e. "
        "The bug is fixed in Qwen-Agent 0.0.31; users should upgrade.",
    ),
    Report(
        "cve",
        "https://ithome-like.example/news/2026/11/28/qwen-agent-vuln",
        "資安人週報",
        37,
        "Qwen-Agent 程式執行工具有漏洞，惡意網頁可注入指令",
        "資安公司 Halcyon Security 揭露 Qwen-Agent 的程式碼直譯器工具存在提示注入漏洞（CVE-2026-41234），"
        "代理程式讀取惡意網頁後，可能在使用者電腦上執行任意 Python 程式。漏洞已在 0.0.31 版修補。",
    ),
    Report(
        "cve",
        "https://sec-cn.example/vuln/2026/11/qwen-agent.html",
        "安全内参",
        40,
        "通义千问智能体框架曝高危漏洞 请尽快升级至0.0.31",
        "安全研究人员披露，Qwen-Agent框架的代码解释器存在提示词注入漏洞，编号CVE-2026-41234。攻击者可借助"
        "恶意网页让智能体执行任意代码。官方已在0.0.31版本中修复。",
    ),
    # --- an independent safety evaluation ------------------------------------------------------------
    Report(
        "safety",
        "https://aiweekly.example/news/2026/11/qwen4-safety-eval.html",
        "AI 週報",
        16,
        "獨立評測：Qwen4 抗越獄能力提升，但醫療建議仍容易出錯",
        "非營利評測機構流明評測公布 Qwen4 的安全報告：面對 1,200 種越獄手法，模型的拒答率達 94%，比上一代"
        "高出 11 個百分點；但在醫療諮詢題中，仍有 14% 的回答含有錯誤建議。",
    ),
    Report(
        "safety",
        "https://policy-ai.example/reports/lumen-qwen4",
        "Policy AI",
        18,
        "Lumen Evals: Qwen4 resists 94% of jailbreaks but errs on medical advice",
        "The nonprofit Lumen Evals tested Qwen4 against 1,200 jailbreak techniques and found it refused 94%"
        " of "
        "them, 11 points better than its predecessor. In medical questions, however, 14% of its answers "
        "contained wrong advice, the group said.",
    ),
    Report(
        "safety",
        "https://techorange.example/2026/11/27/qwen4-safety-report/",
        "科技橘報",
        22,
        "Qwen4 安全嗎？第三方報告：越獄擋得住，醫療問題要小心",
        "第三方機構流明評測針對 Qwen4 做了 1,200 種越獄攻擊，拒答率 94%；不過醫療相關問題有 14% 答錯，"
        "報告建議醫療業者導入前再加一層審核。",
    ),
    # --- a team lead leaves ---------------------------------------------------------------------------
    Report(
        "exec",
        "https://latepost-like.example/news/2026-11-28/chen-yuxuan",
        "晚点科技",
        41,
        "通义千问技术负责人陈宇轩离职 将创办具身智能公司",
        "原标题：阿里大模型再现人事变动\n据知情人士透露，通义千问大模型技术负责人陈宇轩已于本周离职，计划创"
        "办一家具身智能公司。陈宇轩2019年"
        "加入阿里，主导了Qwen系列多个版本的预训练工作。阿里方面确认了人事变动。",
    ),
    Report(
        "exec",
        "https://technews.example/2026/11/28/qwen-lead-chen-leaves.html",
        "科技新報站",
        43,
        "千問技術負責人陳宇軒離開阿里，傳將投入機器人創業",
        "阿里巴巴證實，帶領通義千問預訓練團隊的陳宇軒已在本週離職。消息人士指出，他將成立具身智能新創，"
        "專注機器人的基礎模型。陳宇軒 2019 年加入阿里。",
    ),
    Report(
        "exec",
        "https://cloudwire.example/2026/11/28/qwen-lead-chen-yuxuan-departs",
        "CloudWire",
        44,
        "Qwen's pretraining lead Chen Yuxuan leaves Alibaba to start a robotics company",
        "Chen Yuxuan, who led pretraining for several generations of Alibaba's Qwen models, left the company "
        "this week, Alibaba confirmed. People familiar with the matter say he is founding an embodied-AI st"
        "artup.",
    ),
    # --- same topic, other stories: each stands alone --------------------------------------------------
    Report(
        "solo-kestrel",
        "https://devdaily.example/posts/2026/11/28/kestrel-qwen-agent.html",
        "DevDaily",
        27,
        "Kestrel IDE adds a coding agent that runs on local Qwen4-Coder models",
        "Kestrel IDE 5.2 ships an agent mode that can use a local Qwen4-Coder model or any OpenAI-compatible "
        "endpoint. The agent edits files across a repository and runs the test suite in a sandbox before it "
        "proposes a change.",
    ),
    Report(
        "solo-logistics",
        "https://marketwatch-tw.example/industry/2026/11/27/harborline-qwen.html",
        "市場觀測站",
        7,
        "港聯物流導入 Qwen4-32B 地端部署，報關文件處理時間縮短七成",
        "港聯物流把 Qwen4-32B 部署在自家機房，用來讀取報關單與提單，每份文件的處理時間從 12 分鐘降到 3 分鐘"
        "半。"
        "資訊長表示，資料不出公司是選擇開源模型的主因。",
    ),
    Report(
        "solo-dialects",
        "https://tech-cn.example/app/2026/11/28/qwen-app-dialects.html",
        "科技日报网",
        36,
        "千问App上线方言语音功能 支持粤语和四川话",
        "千问App今日更新语音对话功能，新增粤语、四川话和闽南语三种方言，用户可直接用方言提问。"
        "团队表示，方言识别准确率已超过95%。",
    ),
    Report(
        "solo-japan",
        "https://asia-cloud.example/2026/11/27/qwen4-plus-japan-region",
        "Asia Cloud Report",
        5,
        "Qwen4-Plus arrives in Japan with a Tokyo data center region",
        "Alibaba Cloud opened Qwen4-Plus to customers in Japan through a new Tokyo region, so that Japanese "
        "companies can keep prompts and data in the country. Japanese-language benchmarks improved after "
        "additional tuning, the company said.",
    ),
    Report(
        "solo-taigi",
        "https://campus.example/news/2026/11/ntu-taigi-qwen",
        "校園科技報",
        24,
        "台大團隊用 Qwen 微調台語翻譯模型，開源給教育現場",
        "台灣大學語言所團隊以 Qwen 開源模型為基礎，微調出華語與台語互譯的模型，並把權重和十萬句平行語料"
        "開放給中小學教師使用。團隊說，台語漢字與羅馬字兩種寫法都能輸出。",
    ),
    Report(
        "solo-opinion",
        "https://opinion.example/2026/11/28/china-open-models",
        "The Long View",
        39,
        "Opinion: China's open models are quietly winning over developers",
        "Download counts tell the story: Qwen and other Chinese open-weight families now account for most n"
        "ew "
        "fine-tunes published each month. The reasons are permissive licences and small models that run on "
        "ordinary hardware, not benchmark wins.",
    ),
    Report(
        "solo-gpu-price",
        "https://finance-cn.example/tech/2026-11-28/aliyun-gpu-price.shtml",
        "财经快讯",
        42,
        "阿里云上调部分GPU云服务器价格 最高涨幅15%",
        "阿里云通知客户，自明年1月起部分GPU云服务器实例价格上调，最高涨幅15%，原因是高端算力芯片供应紧张。"
        "通义千问等大模型API的价格不受影响。",
    ),
    Report(
        "solo-archive",
        "https://museum.example/news/palace-archive-handwriting",
        "文博新聞",
        4,
        "故宮檔案數位化：用 Qwen2.5-VL 辨識百年手寫公文",
        "博物院與大學合作，以 Qwen2.5-VL 模型辨識清代與日治時期的手寫公文，目前已轉錄三萬頁，人工校對的"
        "錯字率低於 2%。計畫預計明年開放線上查詢。",
    ),
)


def articles() -> list[Article]:
    return [report.article() for report in EVENT_SET]


def labels() -> dict[str, str]:
    """URL -> event."""
    return {report.url: report.event for report in EVENT_SET}


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise_scores(clusters: list[list[str]], truth: dict[str, str]) -> PairScores:
    """Pairwise precision and recall of clusters of URLs against the true events.

    A pair of reports is predicted when both land in one cluster, true when both report one event.
    """
    predicted = {frozenset(pair) for cluster in clusters for pair in combinations(sorted(cluster), 2)}
    urls = sorted(truth)
    true = {frozenset((a, b)) for a, b in combinations(urls, 2) if truth[a] == truth[b]}
    correct = len(predicted & true)
    return PairScores(
        precision=correct / len(predicted) if predicted else 1.0,
        recall=correct / len(true) if true else 1.0,
        true_pairs=len(true),
        predicted_pairs=len(predicted),
        correct_pairs=correct,
    )


# --- a second day, held out: written after the clusterer was tuned on EVENT_SET, never tuned on ------

DEEPSEEK_TOPIC = Topic.model_validate(
    {"slug": "deepseek", "name": "DeepSeek", "queries": ["DeepSeek", "深度求索"], "max_articles": 50}
)

HELD_OUT: tuple[Report, ...] = (
    Report(
        "v41",
        "https://api-docs.deepseek.example/news/v4-1",
        "DeepSeek",
        10,
        "DeepSeek-V4.1 Release: 1M context, open weights under MIT",
        "Today we release DeepSeek-V4.1, a 685B-parameter mixture-of-experts model with 37B active "
        "parameters. It extends the context window to 1M tokens and scores 92.4 on AIME 2026. The weights "
        "are available under the MIT license.",
    ),
    Report(
        "v41",
        "https://technews.example/2026/11/28/deepseek-v4-1.html",
        "科技新報站",
        12,
        "DeepSeek 發表 V4.1：上下文達百萬 token，權重以 MIT 授權開源",
        "深度求索推出新版模型 DeepSeek-V4.1，總參數 6850 億、每次推論啟用 370 億參數，上下文長度擴充到"
        "100 萬 token，AIME 2026 測驗拿下 92.4 分。模型權重採 MIT 授權釋出。",
    ),
    Report(
        "v41",
        "https://www.aitech-cn.example/news/20261128/deepseek-v41.html",
        "AI科技评论",
        13,
        "深度求索开源V4.1 百万上下文数学成绩再创新高",
        "深度求索今日开源DeepSeek-V4.1模型，采用MoE架构，总参数6850亿，激活参数370亿，支持100万Token上下文，"
        "在AIME 2026中得分92.4。",
    ),
    Report(
        "v41",
        "https://devzone.example/posts/deepseek-new-model-math.html",
        "開發者週刊",
        16,
        "數學考試 92.4 分的開源模型來了，深度求索新版實測",
        "深度求索這次的新模型在 AIME 2026 拿到 92.4 分，而且整包權重以 MIT 授權公開。我們用一百萬 token 的"
        "上下文丟進整份財報，模型能正確找出附註裡的數字。",
    ),
    Report(
        "offpeak",
        "https://finance-cn.example/tech/2026-11-27/deepseek-offpeak.shtml",
        "财经快讯",
        8,
        "DeepSeek API推出夜间优惠 错峰时段最高降价75%",
        "DeepSeek宣布，北京时间每日00:30至08:30调用API可享错峰优惠，价格最高下调75%。DeepSeek-V4.1与"
        "DeepSeek-R2均适用。",
    ),
    Report(
        "offpeak",
        "https://cloudwire.example/2026/11/27/deepseek-off-peak-pricing",
        "CloudWire",
        9,
        "DeepSeek cuts API prices by up to 75% at night",
        "DeepSeek will charge up to 75% less for API calls made between 00:30 and 08:30 Beijing time, the "
        "company said, covering both DeepSeek-V4.1 and DeepSeek-R2.",
    ),
    Report(
        "offpeak",
        "https://marketwatch-tw.example/markets/2026/11/27/deepseek-night-discount.html",
        "市場觀測站",
        11,
        "深夜用 AI 更便宜：DeepSeek 錯峰時段 API 打 2.5 折",
        "DeepSeek 推出離峰優惠，北京時間凌晨 00:30 到早上 08:30 呼叫 API，價格最多降 75%，V4.1 與 R2 "
        "兩款模型都適用。",
    ),
    Report(
        "singapore",
        "https://cloudwire.example/2026/11/28/deepseek-singapore-office",
        "CloudWire",
        20,
        "DeepSeek opens its first office outside China, in Singapore",
        "DeepSeek has opened an office in Singapore, its first outside mainland China, and plans to hire "
        "about 200 engineers and researchers there over the next year.",
    ),
    Report(
        "singapore",
        "https://technews.example/2026/11/28/deepseek-singapore.html",
        "科技新報站",
        22,
        "深度求索首度出海設點，新加坡辦公室將招募 200 人",
        "深度求索在新加坡成立辦公室，是公司第一個中國以外的據點，預計一年內招募約 200 名工程師與研究人員。",
    ),
    Report(
        "singapore",
        "https://sg-tech.example/news/deepseek-office-one-north",
        "SG Tech Notes",
        25,
        "Chinese AI lab DeepSeek sets up shop in Singapore",
        "The Hangzhou-based lab behind the R-series reasoning models is hiring roughly 200 people for its n"
        "ew "
        "Singapore office, its first base abroad.",
    ),
    Report(
        "outage",
        "https://technews.example/2026/11/28/deepseek-outage.html",
        "科技新報站",
        30,
        "DeepSeek 服務中斷近 3 小時，官方：流量暴增所致",
        "DeepSeek 網頁版與 App 今天下午無法登入，中斷將近 3 小時，官方狀態頁面說明原因是流量暴增，"
        "服務已在 14:20 恢復。",
    ),
    Report(
        "outage",
        "https://cloudwire.example/2026/11/28/deepseek-outage",
        "CloudWire",
        31,
        "DeepSeek chat goes down for three hours after traffic surge",
        "DeepSeek's chatbot and app were unavailable for close to three hours on Saturday afternoon. The "
        "company's status page blamed a surge in traffic and reported the service restored at 14:20.",
    ),
    Report(
        "outage",
        "https://tech-cn.example/app/2026/11/28/deepseek-down.html",
        "科技日报网",
        32,
        "DeepSeek宕机近3小时 官方称因访问量激增",
        "今日下午，DeepSeek网页端与App出现大面积无法登录，持续近3小时。官方状态页显示，故障原因为访问量激增，"
        "已于14:20恢复。",
    ),
    Report(
        "solo-ollama",
        "https://devdaily.example/posts/2026/11/28/ollama-deepseek-distill.html",
        "DevDaily",
        27,
        "Ollama adds a 32B distilled DeepSeek-V4.1 for laptops",
        "Ollama now ships a 32B model distilled from DeepSeek-V4.1 that runs on a laptop with 32GB of "
        "memory. The distilled model keeps a 128K context.",
    ),
    Report(
        "solo-bank",
        "https://marketwatch-tw.example/industry/2026/11/27/bank-deepseek-onprem.html",
        "市場觀測站",
        6,
        "北部銀行地端導入 DeepSeek-R2，客服回覆時間縮短一半",
        "一家北部銀行在自家機房部署 DeepSeek-R2，處理信用卡客服的常見問題，平均回覆時間從 4 分鐘縮短到 2 分"
        "鐘。",
    ),
    Report(
        "solo-opinion",
        "https://opinion.example/2026/11/27/deepseek-pricing-pressure",
        "The Long View",
        18,
        "Opinion: DeepSeek's prices keep US labs honest",
        "Every time DeepSeek cuts a price, American labs follow within weeks. The open weights matter less "
        "than the pressure they put on everyone else's margins.",
    ),
    Report(
        "solo-flowfs",
        "https://opensource-cn.example/article/2026/deepseek-flowfs",
        "开源中国资讯",
        40,
        "DeepSeek开源分布式文件系统FlowFS 读取带宽达6.6TB/s",
        "DeepSeek在GitHub开源了为训练集群设计的分布式文件系统FlowFS，官方称在180个节点上的聚合读取带宽达"
        "6.6TB/s。",
    ),
)


def held_out_articles() -> list[Article]:
    return [report.article() for report in HELD_OUT]


def held_out_labels() -> dict[str, str]:
    return {report.url: report.event for report in HELD_OUT}
