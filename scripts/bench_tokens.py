"""Token benchmark of the LLM summarizer: prompt and completion tokens per digest for 10, 30, 60 and 150
articles, against naive concatenation of the articles' full texts.

The fixtures are synthetic zh-TW news (stories of one to three articles of 900-1,600 characters each;
the outlets covering a story repeat its lead and part of each other's copy, as real coverage does,
and every detail names its own story's product and figures, so no sentence recurs across stories),
generated from sentences written for this script. "share" is our prompt over the naive one; "cited"
counts the stories whose tag, sources and lead are all in the prompt (every one must be).
Nothing is sent anywhere: the summarizer builds its real prompts and the planner decides
between one call and map-reduce; tokens are the summarizer's own estimates (CJK one per character,
other text four characters a token). Map-reduce reduce prompts are measured with four notes per story.

Completion tokens are given twice: the cap the requests carry (the worst case the cost cap reckons
with), and a typical answer: JSON of the shape and lengths the prompts ask for (mid-range paragraph
lengths, the highest highlight count; four 40-character notes per story for a map call). Costs use
the typical answer, for the naive prompt as for ours.

    .venv/bin/python scripts/bench_tokens.py [--context 16000] [--output 4000] [--article 600]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Sequence

from dailydigest.models.article import Article, Story
from dailydigest.models.topic import Topic
from dailydigest.settings import DEFAULT_LLM_PRICES
from dailydigest.summarize.llm import messages as prompt_messages
from dailydigest.summarize.llm.budget import (
    Budget,
    cost_usd,
    estimate_messages,
    estimate_tokens,
    price_for,
)
from dailydigest.summarize.llm.material import build_material
from dailydigest.summarize.llm.messages import MAX_HIGHLIGHTS
from dailydigest.summarize.llm.schema import CitedPoint

DAY = dt.date(2026, 11, 28)
TOPIC = Topic(slug="qwen", name="QWEN", queries=("Qwen",))
MODEL = "gpt-4o-mini"
SIZES = (10, 30, 60, 150)

SUBJECTS = ("通義千問團隊", "阿里雲", "一家台灣新創", "開源社群", "某大型電商", "研究機構", "晶片供應商")
PRODUCTS = ("Qwen4-Plus", "Qwen4-Coder", "Qwen-Lite", "Qwen4-VL", "Qwen-Audio", "Qwen4-235B", "Qwen-Math")
ACTIONS = (
    "發表了新版本的 {p}，重點放在長文本理解與工具呼叫的穩定度",
    "宣布 {p} 的 API 價格調整，輸入費用下修約 {n} 成",
    "公布 {p} 的評測結果，在程式生成項目上比前代高出 {n} 分",
    "把 {p} 導入客服系統，回覆時間縮短了 {n} 成",
    "在開源平台釋出 {p} 的權重與推論範例，授權允許商業使用",
    "說明 {p} 在手機上的離線執行方式，記憶體需求約 {n}GB",
)
# Detail sentences name the story's own product and figures, so two stories never share one; the
# outlets covering one story repeat its lead and part of each other's copy, as real coverage does.
DETAILS = (
    "官方表示，{p} 這次調整主要回應企業客戶對成本與延遲的要求，第{n}季起全面適用。",
    "多位開發者在社群分享 {p} 的實測心得，認為部署流程比上一版少了{n}個步驟。",
    "分析師指出，{p} 的價格競爭可能讓更多中小企業開始試用大型模型，滲透率可望提升{n}成。",
    "團隊也提醒，{p} 用在醫療與法律等高風險領域時，仍需要人工覆核約{n}成的回答。",
    "{p} 的新版文件補充了量化設定與常見錯誤的排除方式，共列出{n}十個案例。",
    "部分使用者反映 {p} 在長對話中仍會出現重複內容，團隊表示會在{n}週內改善。",
    "業界認為，{p} 這類更新讓開源模型與商用模型的差距縮小到{n}分以內。",
    "報導也提到，{p} 的相關功能預計在下個月開放給另外{n}個地區的使用者。",
    "研究人員建議在導入 {p} 前先以自家資料做小規模驗證，至少{n}百筆樣本。",
    "雲端業者同步推出 {p} 的計費方案，企業可以設定每月{n}萬 token 的用量上限。",
    "公司發言人表示，{p} 的完整安全評估報告將在{n}週後公布。",
    "社群志工已將 {p} 的說明文件翻譯成{n}種語言，降低使用門檻。",
)
OUTLETS = ("科技日報", "雲端週刊", "開發者新聞", "財經快訊", "AI 觀察", "數位時代觀點")
COPIED_SHARE = 0.3  # of the first article's detail sentences, repeated by each later outlet


def _details(rng: random.Random, product: str, count: int) -> list[str]:
    return [template.format(p=product, n=rng.randint(2, 9)) for template in rng.sample(DETAILS, count)]


def _article(
    rng: random.Random, story: int, index: int, lead: str, product: str, copied: list[str]
) -> tuple[Article, list[str]]:
    target = rng.randint(900, 1600)
    details = list(copied)
    while sum(len(p) for p in [lead, *details]) < target:
        details.extend(s for s in _details(rng, product, 3) if s not in details)
    paragraphs = [lead, *("".join(details[i : i + 3]) for i in range(0, len(details), 3))]
    outlet = OUTLETS[(story + index) % len(OUTLETS)]
    article = Article(
        url=f"https://news{index}.example.com/{DAY.isoformat()}/story-{story}",  # type: ignore[arg-type]
        title=f"{lead[:28]}｜{outlet}",
        publisher=outlet,
        published=dt.datetime(2026, 11, 28, 6, tzinfo=dt.UTC),
        text="\n".join(paragraphs),
    )
    return article, details


def fixture(articles: int, seed: int = 7) -> list[Story]:
    """`articles` articles in stories of one to three, leads and part of the copy shared within a story."""
    rng = random.Random(seed * 1000 + articles)  # noqa: S311 -- reproducible fixtures, not secrets
    stories: list[Story] = []
    left = articles
    while left:
        size = min(left, rng.choice((1, 1, 2, 3)))
        number = len(stories)
        subject, product = rng.choice(SUBJECTS), rng.choice(PRODUCTS)
        action = rng.choice(ACTIONS).format(p=product, n=rng.randint(2, 6))
        lead = f"{subject}{action}。"
        first, details = _article(rng, number, 0, lead, product, [])
        items = [first]
        for index in range(1, size):
            copied = rng.sample(details, max(1, int(len(details) * COPIED_SHARE)))
            items.append(_article(rng, number, index, lead, product, copied)[0])
        stories.append(
            Story(id=f"story-{number}", title=first.title, articles=tuple(items), is_update=number % 7 == 3)
        )
        left -= size
    return stories


def naive_tokens(stories: Sequence[Story]) -> int:
    """Every article's title and full text concatenated into one prompt, plus the same instructions."""
    joined = "\n\n".join(f"{a.title}\n{a.text}" for s in stories for a in s.articles)
    return estimate_tokens(joined)


def _zh(characters: int) -> str:
    return "字" * characters


def typical_answer(stories: int) -> int:
    """Tokens of a zh-TW digest answer at the lengths the prompt asks for (middle of each range)."""
    answer = {
        "trend_overview": _zh(160),
        "highlights": [
            {"story": n, "headline": _zh(20), "body": _zh(140), "source_ids": [n]}
            for n in range(1, min(MAX_HIGHLIGHTS, stories) + 1)
        ],
        "analysis": {"significance": _zh(140), "comparison": _zh(140), "market_impact": _zh(140)},
        "key_points": [{"text": _zh(35), "source_ids": [n]} for n in range(1, 7)],
        "implications": {"developers": [_zh(45)] * 3, "users": [_zh(45)] * 2},
        "tags": [_zh(6)] * 4,
        "ai_summary": _zh(90),
    }
    return estimate_tokens(json.dumps(answer, ensure_ascii=False))


def typical_notes(stories: int) -> int:
    """Tokens of a map call's answer: four 40-character notes per story."""
    notes = {
        "stories": [
            {"story": n, "facts": [{"text": _zh(40), "source_ids": [n]}] * 4} for n in range(1, stories + 1)
        ]
    }
    return estimate_tokens(json.dumps(notes, ensure_ascii=False))


def measure(budget: Budget, stories: list[Story]) -> dict[str, object]:
    material = build_material(stories)
    plan = prompt_messages.plan(TOPIC, DAY, material, budget)
    cap = budget.max_output_tokens
    if plan.mode == "single":
        trimmed = material.trimmed(range(len(material.stories)), plan.article_tokens)
        text = prompt_messages.digest_messages(TOPIC, DAY, material, trimmed)
        prompt = estimate_messages(text)
        # Every story and every source can still be cited: each has its tag, each story its lead.
        user = text[-1]["content"]
        covered = sum(
            1
            for story in trimmed
            if f"[E{story.number}]" in user
            and story.sources[0].text
            and all(f"[S{source.id}]" in user for source in story.sources)
        )
        completion_cap, calls = cap, 1
        completion = typical_answer(len(stories))
    else:
        notes = {
            story.number: [
                CitedPoint(
                    text="某公司發表新版本模型，重點放在長文本與工具呼叫的改進。",
                    source_ids=[story.sources[0].id],
                )
            ]
            * 4
            for story in material.stories
        }
        reduce = estimate_messages(
            prompt_messages.digest_messages(TOPIC, DAY, material, material.stories, notes)
        )
        maps = sum(
            estimate_messages(
                prompt_messages.notes_messages(TOPIC, DAY, material, material.trimmed(batch, size))
            )
            for batch, size in zip(plan.batches, plan.batch_article_tokens, strict=True)
        )
        prompt = maps + reduce
        completion_cap = cap + sum(budget.notes_output_tokens(len(batch)) for batch in plan.batches)
        calls = len(plan.batches) + 1
        completion = typical_answer(len(stories)) + sum(typical_notes(len(batch)) for batch in plan.batches)
        covered = len(material.stories)  # every story has notes (the model's, or its articles' leads)
    return {
        "mode": plan.mode,
        "calls": calls,
        "article_tokens": plan.article_tokens if plan.mode == "single" else min(plan.batch_article_tokens),
        "prompt": prompt,
        "completion_cap": completion_cap,
        "completion": completion,
        "stories_covered": covered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--context", type=int, default=16_000, help="DIGEST_LLM_CONTEXT_TOKENS")
    parser.add_argument("--output", type=int, default=4_000, help="DIGEST_LLM_MAX_OUTPUT_TOKENS")
    parser.add_argument("--article", type=int, default=600, help="DIGEST_LLM_ARTICLE_TOKENS")
    args = parser.parse_args()
    budget = Budget(args.context, args.output, args.article)
    price = price_for(MODEL, DEFAULT_LLM_PRICES)
    if price is None:
        raise SystemExit(f"no price for {MODEL}")
    print(
        f"context {args.context}, output cap {args.output}, article budget {args.article} tokens; "
        f"cost at {MODEL} list prices (${price[0]}/${price[1]} per 1M in/out), typical answers"
    )
    header = (
        f"{'articles':>8} {'stories':>7} {'naive prompt':>12} {'mode':>10} {'calls':>5} {'per-art':>7} "
        f"{'prompt':>7} {'share':>6} {'cited':>5} {'compl.':>6} {'compl.cap':>9} {'naive $':>8} {'ours $':>8}"
    )
    overhead = estimate_messages(prompt_messages.digest_messages(TOPIC, DAY, build_material(fixture(1)), []))
    print(f"fixed prompt (system, instructions, answer shape): {overhead} tokens")
    print(header)
    print("-" * len(header))
    for size in SIZES:
        stories = fixture(size)
        naive = naive_tokens(stories) + overhead
        ours = measure(budget, stories)
        prompt = int(str(ours["prompt"]))
        completion = int(str(ours["completion"]))
        cap = int(str(ours["completion_cap"]))
        naive_cost = cost_usd(price, naive, typical_answer(len(stories)))
        our_cost = cost_usd(price, prompt, completion)
        print(
            f"{size:>8} {len(stories):>7} {naive:>12} {ours['mode']!s:>10} {ours['calls']!s:>5} "
            f"{ours['article_tokens']!s:>7} {prompt:>7} {prompt / naive:>6.1%} "
            f"{ours['stories_covered']!s:>5} {completion:>6} {cap:>9} "
            f"{naive_cost:>8.5f} {our_cost:>8.5f}"
        )


if __name__ == "__main__":
    main()
