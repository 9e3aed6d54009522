"""A real language identifier for each article, not "CJK or else English"."""

from __future__ import annotations

import pytest

from dailydigest.news.text import guess_language
from dailydigest.ports import WebResponse
from dailydigest.sources.feed import feed_articles, with_page_text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Das Nimbus-Team hat am Freitag ein neues Sprachmodell veröffentlicht, das schneller arbeitet.",
            "de",
        ),
        ("Neues Modell von Nimbus veröffentlicht", "de"),
        ("The Nimbus team released its third-generation model on Friday.", "en"),
        ("Qwen trims its API prices", "en"),
        ("A equipe Nimbus lançou nesta quarta-feira um novo modelo de linguagem com contexto longo.", "pt"),
        ("L'équipe Nimbus a publié vendredi un nouveau modèle capable de lire de longs documents.", "fr"),
        ("El equipo de Nimbus presentó el viernes un nuevo modelo que funciona en portátiles.", "es"),
        ("雲雀模型團隊今天在官方部落格宣布，開源支援 256K 上下文長度的新版本。", "zh"),
        ("云雀模型团队今天在官方博客宣布，开源支持 256K 上下文长度的新版本。", "zh"),
        ("Qwen3 推出 235B-A22B 模型", "zh"),
        ("通義千問", "zh"),
        ("ニンバスチームは金曜日、新しいモデルを公開した。", "ja"),
        ("삼성전자가 새로운 모델을 발표했다", "ko"),
        ("", ""),
        ("2026 · 11 · 28", ""),
        ("API", ""),  # too short to tell: unknown, not English
        ("bad\x00bytes\x85 in a sentence that is plainly written in English today", "en"),
    ],
)
def test_guess_language(text: str, language: str) -> None:
    assert guess_language(text) == language


GERMAN_PAGE = (
    "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Nimbus 3</title></head><body><article>"
    "<h1>Nimbus 3 erscheint mit offenen Gewichten</h1>"
    "<p>Das Nimbus-Team hat am Freitag die dritte Generation seines Sprachmodells veröffentlicht. "
    "Die Gewichte stehen unter einer offenen Lizenz zum Herunterladen bereit.</p>"
    "<p>Nach Angaben des Teams verarbeitet das Modell Dokumente mit bis zu 256.000 Token und läuft in einer "
    "kleineren Variante auch auf handelsüblichen Grafikkarten.</p></article></body></html>"
)


def test_a_german_page_in_an_english_feed_is_labelled_german() -> None:
    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>AI Wire</title><language>en-us</language>"
        "<item><title>Nimbus 3 erscheint mit offenen Gewichten</title><link>https://zeitung.example/nimbus</link>"
        "<pubDate>Sat, 28 Nov 2026 09:00:00 +0100</pubDate></item></channel></rss>"
    )
    (item,) = feed_articles(feed.encode(), "https://wire.example/rss")
    page = WebResponse("https://zeitung.example/nimbus", 200, "text/html", GERMAN_PAGE.encode())

    article = with_page_text(item, page)

    assert article.language == "de"
    assert article.text.startswith("Das Nimbus-Team")
