"""The archive in a real browser: hostile titles stay text, and the pages fit a phone screen.

Headless Chromium loads pages from `build_server` on 127.0.0.1 (loopback only). Each payload would
leave a visible trace if it ran or became markup: a changed document.title, an element with
id="pwned", a data-pwned attribute, or a <script> element in the DOM. A canary page proves scripts
do run in this harness, so "the title did not change" means something. The phone checks measure the
laid-out archive pages from a test-only harness page (the archive itself runs no script).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dailydigest.archive import ArchiveEntry, update_archive
from dailydigest.archive.serve import build_server
from dailydigest.render.image import render_image
from dailydigest.render.post import render_post
from dailydigest.store.local import DirectoryStore
from tests.factories import SAMPLE_DATE, make_digest
from tests.support.serving import serving

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium: apt-get install -y chromium"),
]

TITLE_PAYLOAD = "<script>document.title='PWNED'</script>"
IMG_PAYLOAD = '"><img id="pwned" src=x onerror="document.title=\'PWNED\'">'
ATTR_PAYLOAD = "'><b id='pwned' onmouseover='x'>b</b>"
SCRIPT_PAYLOAD = "</p><script>document.body.setAttribute('data-pwned','1')</script>"
BODY_PAYLOAD = (
    "## 焦點 <script>document.title='PWNED'</script>\n\n"
    '<div id="pwned">raw html</div>\n\n'
    "<img id=pwned src=x onerror=\"document.body.setAttribute('data-pwned','1')\">\n\n"
    "- [點我](javascript:document.title='PWNED')\n"
    "- <svg onload=\"document.title='PWNED'\"></svg> {{ 7*7 }} ]]>\n"
    "\n" + "https://example.com/" + "a" * 240 + "\n"  # one unbreakable run, wider than any phone
)
CANARY = "<!DOCTYPE html><title>before</title><script>document.title = 'RAN'</script>"
PHONE = (390, 844)  # CSS pixels of a common phone screen
# Loads an archive page in a phone-sized frame and records how it laid out.
PHONE_PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body{margin:0}iframe{border:0;width:PHONE_WIDTHpx;height:PHONE_HEIGHTpx}</style></head><body>
<iframe id="page"></iframe>
<script>
var frame = document.getElementById("page");
frame.addEventListener("load", function () {
  var doc = frame.contentDocument, root = doc.documentElement, limit = root.clientWidth + 0.5;
  var wide = [];
  doc.querySelectorAll("body *").forEach(function (el) {
    if (el.getBoundingClientRect().right > limit) { wide.push(el.tagName); }
  });
  var img = doc.querySelector("figure img");
  document.body.setAttribute("data-layout", JSON.stringify({
    width: root.clientWidth, scroll: root.scrollWidth, wide: wide,
    font: parseFloat(getComputedStyle(doc.body).fontSize),
    image: img ? img.getBoundingClientRect().width : null
  }));
});
frame.src = location.hash.slice(1);
</script></body></html>""".replace("PHONE_WIDTH", str(PHONE[0])).replace("PHONE_HEIGHT", str(PHONE[1]))
PWNED_ELEMENT = re.compile(r"<[a-z]+[^>]*\bid=\"?'?pwned", re.IGNORECASE)


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("store")
    store = DirectoryStore(root)
    digest = make_digest()
    entry = ArchiveEntry(
        topic="qwen",
        display_name=f"QWEN {IMG_PAYLOAD}",
        date=SAMPLE_DATE,
        title=f"QWEN 每日動態 {TITLE_PAYLOAD}",
        tagline=f"彙整 4 則 {ATTR_PAYLOAD}",
        locale="zh-TW",
        ai_summary=f"摘要 {SCRIPT_PAYLOAD}",
        source_count=4,
        image_alt=f"資訊圖 {IMG_PAYLOAD}",
    )
    update_archive(store, entry, render_post(digest) + "\n" + BODY_PAYLOAD, render_image(digest))
    # Test-only pages beside the archive (same origin): a script that must run, and the phone probe.
    (root / "archive" / "_canary.html").write_text(CANARY, encoding="utf-8")
    (root / "archive" / "_phone.html").write_text(PHONE_PROBE, encoding="utf-8")
    with serving(build_server(root, "127.0.0.1", 0), "archive") as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


def _title(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert match is not None
    return html.unescape(match.group(1))


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("page", ["index.html", "topics/qwen/index.html", "posts/qwen/2026-03-12.html"])
def test_hostile_titles_stay_text_in_the_browser(archive_url: str, tmp_path: Path, page: str) -> None:
    # When Chromium loads the page and serialises the DOM after scripts would have run
    result = chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", archive_url + page)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "</html>" in dom
    # Then no payload ran: the title is still the one the server sent, nothing was added or changed
    with urllib.request.urlopen(archive_url + page, timeout=10) as response:
        served = response.read().decode()
    assert _title(dom) == _title(served) != "PWNED"
    assert not PWNED_ELEMENT.search(dom)
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<script" not in dom.lower() and "<svg" not in dom.lower()
    # And the payloads are shown as text
    assert "&lt;script&gt;" in dom


def test_the_harness_runs_scripts_so_the_checks_above_mean_something(
    archive_url: str, tmp_path: Path
) -> None:
    # Given a page whose own script changes its title, When Chromium loads it as above
    result = chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", archive_url + "_canary.html")
    # Then the script ran: a payload that ran in an archive page would have shown the same way
    assert result.returncode == 0, result.stderr[-2000:]
    assert _title(result.stdout) == "RAN"


@pytest.mark.parametrize(
    ("page", "has_image"),
    [("index.html", False), ("topics/qwen/index.html", False), ("posts/qwen/2026-03-12.html", True)],
)
def test_pages_fit_a_phone_screen(archive_url: str, tmp_path: Path, page: str, has_image: bool) -> None:
    # When a page is laid out at phone width
    result = chromium(
        tmp_path,
        f"--window-size={PHONE[0]},{PHONE[1]}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        f"{archive_url}_phone.html#{page}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'data-layout="([^"]*)"', result.stdout)
    assert found is not None, "the probe did not measure the page"
    layout = json.loads(html.unescape(found.group(1)))
    # Then nothing is wider than the screen: no sideways scrolling, even for a 260-character URL
    assert 300 <= layout["width"] <= PHONE[0]
    assert layout["scroll"] <= layout["width"], layout
    assert layout["wide"] == [], layout
    # And the text is a readable size, and the infographic shrinks to the screen
    assert layout["font"] >= 16
    if has_image:
        assert 0.8 * layout["width"] <= layout["image"] <= layout["width"]
