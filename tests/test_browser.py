"""The rendered reports as a reader's browser sees them: Chromium opens `index.html` and every
page it links, for the committed `reports/` (the seeds) and for a report set rendered from a
corpus that tries to inject markup.

Why Playwright: it reports console messages, page errors and every request the page makes as
events, and waits for a page to finish loading, from a pip package (the `playwright` Python
package) and with no browser download: it drives Debian's `/usr/bin/chromium`, which
`make test` installs through the Makefile's `browser` target. The module is skipped when that
browser is missing.

Checked on every page: each link from the index resolves; each `<img>` decodes
(`naturalWidth > 0`); no console error and no uncaught page error; no request leaves the report
folder (only `file://` URLs inside it and `data:` URLs); and on the injection set,
`window.__injected` stays undefined after the page loaded, with no user interaction at all,
and the live DOM holds no `<script>` but the package's own (`analysis/static/report.js`, the
same text, at most one), no `on*` handler and no `javascript:` URL. The payload
set (tests/conftest.py) carries the same kind of markup in what users control besides corpus
text: a lexicon actor's name (notebook 05's heading), the corpus path (notebook 01's summary,
with a backtick to close a Markdown code span), report titles and descriptions, a document's
title and source, and parameter values (a lexicon path), plus Markdown links and a LaTeX href command.
Full-page screenshots of the index and of one report are written to a temporary folder on
every run; its path is printed.

On seed reports rendered by this checkout (`seed_reports`, tests/conftest.py) a reader's
actions are checked: sorting a column reorders the rows, searching filters them, paging shows
each page in turn, with JavaScript off every row is there; a heatmap cell leads to the evidence
of its pair; and a page whose escaping failed still runs no injected script (its security
policy lets only the package's script run).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis.reports.html import page_html
from analysis.reports.presentation import content_security_policy, page_script

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SETS = ["injection", "payload", "seeds"]
MIN_REPORTS = {"injection": 6, "payload": 4, "seeds": 6}  # the payload set renders 01, 02, 03 and 05

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

# Everything the page's own DOM says about scripts: what a browser built, not what a parser guessed.
# The one script allowed is the package's own (its text is passed in as `own`).
DOM_SCRIPT_REPORT = """(own) => {
  const found = [];
  if (document.scripts.length > 1) found.push(`${document.scripts.length} <script> elements`);
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (tag === 'script' && element.textContent !== own) found.push(`<script> that is not the package's`);
    if (tag === 'iframe' || tag === 'object' || tag === 'embed') found.push(`<${tag}>`);
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.trim().toLowerCase();
      if (name.startsWith('on')) found.push(`<${tag} ${name}=...>`);
      if (value.startsWith('javascript:')) found.push(`<${tag} ${name}="${attribute.value.slice(0, 60)}">`);
    }
  }
  return found;
}"""

# Wait for every image to be decoded; a broken one reports naturalWidth 0 and its error.
IMAGE_REPORT = """async () => Promise.all(Array.from(document.images).map(async (image, index) => {
  let error = null;
  try { await image.decode(); } catch (exception) { error = String(exception); }
  return {index, src: (image.currentSrc || image.src).slice(0, 60), complete: image.complete,
          width: image.naturalWidth, height: image.naturalHeight, error};
}))"""


@dataclass
class Visit:
    """What one page did while it loaded."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    load_error: str | None = None
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)  # typeof window.__injected, after load and later
    dom_scripts: list[str] = field(default_factory=list)


@dataclass
class SetVisit:
    name: str
    folder: Path
    index: Visit
    pages: dict[str, Visit]  # href from the index -> visit (only .html links are opened)
    index_links: list[str]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def injection_set(injection_reports: Path) -> Path:
    """The whole report set rendered for the injection corpus (tests/conftest.py)."""
    return injection_reports


def _folder(name: str, request: pytest.FixtureRequest) -> Path:
    if name == "injection":
        return request.getfixturevalue("injection_set")
    if name == "payload":
        return request.getfixturevalue("payload_reports")
    folder = ROOT / "reports"
    assert (folder / "index.html").exists(), "reports/index.html is missing: run `make reports`"
    return folder


def _inside(url: str, folder: Path) -> bool:
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return False
    return Path(unquote(parsed.path)).resolve().is_relative_to(folder.resolve())


def visit(browser, file: Path) -> Visit:
    """Open `file` in a fresh browser context and record everything it does; no interaction."""
    result = Visit(file.resolve().as_uri())
    context = browser.new_context()
    # Recorded before anything else, and anything with a network scheme is refused outright,
    # so a failing page never reaches the network even while it fails the test.
    context.on("request", lambda request: result.requests.append(request.url))
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda route: route.abort())
    page = context.new_page()

    def on_console(message) -> None:
        if message.type == "error":
            where = f"{message.location.get('url', '')}:{message.location.get('lineNumber', '')}"
            result.console_errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: result.page_errors.append(str(error)))
    try:
        page.goto(result.url, wait_until="load", timeout=60_000)
        result.injected.append(page.evaluate("typeof window.__injected"))
        result.images = page.evaluate(IMAGE_REPORT)
        result.links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        result.dom_scripts = page.evaluate(DOM_SCRIPT_REPORT, page_script())
        page.wait_for_timeout(300)  # anything deferred (timers, late image errors) has had its chance
        result.injected.append(page.evaluate("typeof window.__injected"))
    except sync_api.Error as error:
        result.load_error = str(error).splitlines()[0]
    finally:
        context.close()
    return result


@pytest.fixture(scope="module", params=SETS)
def visited(request: pytest.FixtureRequest, browser) -> SetVisit:
    folder = _folder(request.param, request)
    index = visit(browser, folder / "index.html")
    pages = {
        href: visit(browser, folder / href)
        for href in dict.fromkeys(index.links)
        if href.endswith(".html") and href != "index.html" and "://" not in href and (folder / href).is_file()
    }
    return SetVisit(request.param, folder, index, pages, index.links)


def _all(set_visit: SetVisit) -> list[tuple[str, Visit]]:
    return [("index.html", set_visit.index), *set_visit.pages.items()]


def test_index_links_every_report_and_every_link_resolves(visited: SetVisit) -> None:
    folder = visited.folder
    assert visited.index.load_error is None, visited.index.load_error
    reports = dict.fromkeys(href for href in visited.index_links if href.endswith(".ipynb"))
    html_links = [href for href in dict.fromkeys(visited.index_links)
                  if href.endswith(".html") and href not in ("index.html", "actors.html")
                  and not href.startswith("documents-")]
    notebook_links = list(reports)
    assert len(html_links) >= MIN_REPORTS[visited.name], f"index links only {html_links}"
    assert len(notebook_links) == len(html_links), visited.index_links
    broken = []
    for href in visited.index_links:
        target = folder / href
        if "://" in href or href.startswith(("/", "javascript:")) or not target.is_file():
            broken.append(f"index.html -> {href}: no such file in {folder}")
        elif href.endswith(".ipynb"):
            try:
                json.loads(target.read_text(encoding="utf-8"))
            except ValueError as error:
                broken.append(f"index.html -> {href}: not a notebook ({error})")
        elif href.endswith(".html") and href != "index.html" and visited.pages[href].load_error:
            broken.append(f"index.html -> {href}: {visited.pages[href].load_error}")
    # every report page links back, and every relative link on it resolves too
    for name, page in visited.pages.items():
        assert "index.html" in page.links, f"{name} has no link back to the index"
        for href in page.links:
            if href.startswith("#") or href.startswith(("http://", "https://", "mailto:")):
                continue
            if not (folder / href.split("#")[0]).is_file():
                broken.append(f"{name} -> {href}: no such file")
    assert not broken, "\n".join(broken)


def test_pages_load_without_errors_and_every_image_decodes(visited: SetVisit) -> None:
    failures = []
    n_images = 0
    for name, page in _all(visited):
        if page.load_error:
            failures.append(f"{name}: did not load: {page.load_error}")
        failures.extend(f"{name}: console error: {message}" for message in page.console_errors)
        failures.extend(f"{name}: page error: {message}" for message in page.page_errors)
        for image in page.images:
            n_images += 1
            if not image["complete"] or image["width"] <= 0 or image["error"]:
                failures.append(f"{name}: image {image['index']} ({image['src']}...) not decoded: {image}")
    assert not failures, "\n".join(failures)
    assert n_images > 0, "no image in any report"


def test_no_request_leaves_the_report_folder(visited: SetVisit) -> None:
    outside = [
        f"{name}: {url[:200]}"
        for name, page in _all(visited)
        for url in page.requests
        if not _inside(url, visited.folder)
    ]
    assert not outside, "requests outside the report folder:\n" + "\n".join(outside)
    for name, page in _all(visited):  # the recorder saw at least the page itself
        assert page.url in page.requests, f"{name}: request log is missing the page itself: {page.requests}"


def test_no_script_runs_and_injected_markup_stays_text(visited: SetVisit) -> None:
    """Loaded, waited on, never touched: nothing may set window.__injected, and the DOM the
    browser built holds no script but the package's, no event handler and no javascript: URL."""
    failures = []
    for name, page in _all(visited):
        if not page.injected or any(kind != "undefined" for kind in page.injected):
            failures.append(f"{name}: typeof window.__injected is {page.injected}")
        failures.extend(f"{name}: live DOM has {item}" for item in page.dom_scripts)
    assert not failures, "\n".join(failures)
    if visited.name == "payload":  # the payloads are shown, as text, where they were put
        texts = {name: (visited.folder / name).read_text(encoding="utf-8") for name, _ in _all(visited)}
        assert "Evil Corp &lt;img src=x onerror=" in texts["05-profile-evil-corp.html"]
        assert "c`&lt;img src=x onerror=" in texts["01-overview.html"]
        assert "Title &lt;img src=x" in texts["index.html"]
    if visited.name in ("injection", "payload"):
        assert sorted(visited.pages) == sorted(p.name for p in visited.folder.glob("*.html") if p.name != "index.html")
        shown = [name for name, _ in _all(visited)
                 if "&lt;script&gt;window.__injected" in (visited.folder / name).read_text(encoding="utf-8")]
        assert shown, "the injected text should still be shown, escaped, in some report"


@pytest.mark.parametrize("name", SETS)
def test_screenshots_of_the_index_and_one_report(
    name: str, request: pytest.FixtureRequest, browser, tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture,
) -> None:
    folder = _folder(name, request)
    shots = tmp_path_factory.mktemp(f"screenshots-{name}", numbered=True)
    report = next(
        (folder / href for href in visit(browser, folder / "index.html").links
         if href.endswith(".html") and href != "index.html" and (folder / href).is_file()),
        None,
    )
    assert report is not None, "the index links no report"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda route: route.abort())
    page = context.new_page()
    try:
        for file, shot in ((folder / "index.html", shots / "index.png"), (report, shots / f"{report.stem}.png")):
            page.goto(file.resolve().as_uri(), wait_until="load")
            page.evaluate(IMAGE_REPORT)
            page.screenshot(path=str(shot), full_page=True)
            data = shot.read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000, shot
    finally:
        context.close()
    with capsys.disabled():
        print(f"\nscreenshots of the {name} reports: {shots}")


@contextmanager
def reader(browser, file: Path, javascript: bool = True, viewport: dict | None = None):
    """A page opened as a reader would, every request recorded (`page.requests`) and any with a
    network scheme refused."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                  java_script_enabled=javascript)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda route: route.abort())
    page = context.new_page()
    page.requests = requests
    try:
        page.goto(file.resolve().as_uri(), wait_until="load")
        yield page
    finally:
        context.close()


ROWS = "rows => rows.filter(row => !row.hidden).map(row => row.cells[{column}].textContent.trim())"


def _visible(page, table: str, column: int) -> list[str]:
    """The text of one column in the rows a reader sees, top to bottom."""
    return page.eval_on_selector_all(f"#{table} tbody tr", ROWS.format(column=column))


def _column(page, table: str, name: str) -> int:
    headings = page.eval_on_selector_all(f"#{table} thead th", "cells => cells.map(c => c.textContent.trim())")
    return next(number for number, text in enumerate(headings) if text.startswith(name))


def _tools(page, table: str):
    """The search box, page-size list, status line and pager the script put around a table."""
    tools = page.locator(f"div.table-tools:has(+ div.table-scroll > #{table})")
    pager = page.locator(f"div.table-scroll:has(> #{table}) + div.table-pager")
    return tools.locator("input[type=search]"), tools.locator("select"), tools.locator(".table-status"), pager


def _numbers(texts: list[str]) -> list[float]:
    return [float(text) for text in texts]


# The network report's top_n: the rows of its pair table shown first (the table holds every pair).
FIRST_ROWS = 25


def _pairs(reports: Path, report: str = "03-actor-network") -> pd.DataFrame:
    """Every pair of a report's pair table, as its CSV has them (rank as the index)."""
    return pd.read_csv(reports / f"{report}--pairs.csv", index_col=0)


def test_sorting_a_column_reorders_the_rows(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        _, size, _, _ = _tools(page, "table-pairs")
        size.select_option("0")  # every row on one page
        documents, actor = _column(page, "table-pairs", "documents"), _column(page, "table-pairs", "actor")
        before = _visible(page, "table-pairs", 0)
        n = len(_pairs(seed_reports))
        assert n > FIRST_ROWS and _numbers(before) == list(range(1, n + 1))  # every pair, ranked as the page has them
        heading = page.locator("#table-pairs thead th").nth(documents)
        heading.locator("button").click()
        assert heading.get_attribute("aria-sort") == "ascending"
        ascending = _numbers(_visible(page, "table-pairs", documents))
        assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
        assert _visible(page, "table-pairs", 0) != before
        heading.locator("button").click()
        assert heading.get_attribute("aria-sort") == "descending"
        assert _numbers(_visible(page, "table-pairs", documents)) == sorted(ascending, reverse=True)
        heading.locator("button").click()  # third click: the page's own order again
        assert heading.get_attribute("aria-sort") == "none" and _visible(page, "table-pairs", 0) == before
        page.locator("#table-pairs thead th").nth(actor).locator("button").click()
        names = _visible(page, "table-pairs", actor)
        assert names == sorted(names, key=str.casefold) and len(set(names)) > 1
        assert all(_inside(url, seed_reports) for url in page.requests), page.requests


def test_searching_filters_the_rows(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        search, _, status, _ = _tools(page, "table-pairs")
        search.fill("JAPAROV")  # case does not matter
        found = page.eval_on_selector_all("#table-pairs tbody tr", "rows => rows.filter(r => !r.hidden)"
                                                                   ".map(r => r.textContent)")
        n = len(_pairs(seed_reports))
        assert 1 <= len(found) < n and all("japarov" in row.lower() for row in found)
        assert f"matching the search ({n} in all)" in status.text_content()
        search.fill("sadyr nations")  # every word must be in the row
        found = page.eval_on_selector_all("#table-pairs tbody tr", "rows => rows.filter(r => !r.hidden)"
                                                                   ".map(r => r.textContent)")
        assert found and all("Sadyr" in row and "Nations" in row for row in found)
        search.fill("no such actor anywhere")
        assert _visible(page, "table-pairs", 0) == []
        assert status.text_content().startswith("No row matches")
        search.fill("")
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(1, FIRST_ROWS + 1))


def test_paging_shows_each_page_in_turn(browser, seed_reports: Path) -> None:
    n = len(_pairs(seed_reports))
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        _, size, status, pager = _tools(page, "table-pairs")
        # the report's top_n rows first, every other pair a page away
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(1, FIRST_ROWS + 1))
        assert status.text_content() == f"Rows 1–{FIRST_ROWS} of {n}." and "Page 1 of 2" in pager.text_content()
        previous, following = pager.locator("button").nth(0), pager.locator("button").nth(1)
        assert previous.is_disabled()
        following.click()
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(FIRST_ROWS + 1, n + 1))
        assert following.is_disabled() and status.text_content() == f"Rows {FIRST_ROWS + 1}–{n} of {n}."
        previous.click()
        assert _numbers(_visible(page, "table-pairs", 0))[0] == 1
        size.select_option("10")
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(1, 11))
        following.click()
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(11, 21))
        size.select_option("0")
        assert len(_visible(page, "table-pairs", 0)) == n and pager.is_hidden()
        assert all(_inside(url, seed_reports) for url in page.requests), page.requests


def test_without_javascript_every_row_is_there(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "03-actor-network.html", javascript=False) as page:
        assert _numbers(_visible(page, "table-pairs", 0)) == list(range(1, len(_pairs(seed_reports)) + 1))
        assert page.locator("div.table-tools").count() == 0
        # every table's CSV, and the evidence CSV, which has no table on the page
        assert page.locator("p.table-download a").count() == page.locator("table.dataframe").count() + 1


def test_a_wide_table_says_it_scrolls_sideways(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "02-entities.html") as page:
        frame = page.locator("div.table-scroll:has(> #table-documents-by-actor)")
        assert frame.evaluate("div => div.scrollWidth > div.clientWidth")
        hint = page.locator("div.table-tools:has(+ div.table-scroll > #table-documents-by-actor) .table-wide-hint")
        assert hint.is_visible() and "scroll sideways" in hint.text_content()
        narrow = page.locator("div.table-tools:has(+ div.table-scroll > #table-categories) .table-wide-hint")
        assert narrow.is_hidden()


@pytest.mark.parametrize("report", ["03-actor-network", "04-actors-and-themes"])
def test_a_heatmap_cell_leads_to_the_evidence_of_its_pair(browser, seed_reports: Path, report: str) -> None:
    with reader(browser, seed_reports / f"{report}.html") as page:
        cells = page.eval_on_selector_all("a.figure-link", "links => links.map(a => ({href: a.getAttribute('href'),"
                                                           " label: a.getAttribute('aria-label')}))")
        assert len(cells) >= 20
        missing = [cell for cell in cells
                   if not page.evaluate("id => document.getElementById(id) !== null", cell["href"][1:])]
        assert not missing, f"heatmap cells lead nowhere: {missing[:5]}"
        # the pair table holds every pair now, so take a pair whose evidence is folded (past the
        # first blocks shown open): the cell must open it
        folded = set(page.eval_on_selector_all("details.evidence:not([open])", "ds => ds.map(d => '#' + d.id)"))
        cell = next(cell for cell in cells if cell["href"] in folded)
        link = page.locator(f"a.figure-link[href='{cell['href']}']").first
        link.scroll_into_view_if_needed()
        image = page.locator("div.linked-figure:has(a.figure-link) img").first.bounding_box()
        box = link.bounding_box()
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= image["x"] + image["width"] + 1
        assert image["y"] <= box["y"] and box["y"] + box["height"] <= image["y"] + image["height"] + 1
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.evaluate("location.hash") == cell["href"]
        target = page.locator(f"[id='{cell['href'][1:]}']")
        assert target.evaluate("element => element.open") is True  # the folded block opened
        assert target.is_visible() and target.locator("p").count() >= 1
        # "A and B, count N: show the evidence" leads to the block titled "A and B (N unit(s))"
        pair, count = cell["label"].removesuffix(": show the evidence").rsplit(", count ", 1)
        title = target.locator(":scope > summary, :scope > h4").first.text_content()
        assert title == f"{pair} ({count} unit(s))", (cell, title)


def test_a_pair_row_leads_to_its_evidence_and_every_unit_can_be_opened(browser, seed_reports: Path) -> None:
    """A pair's unit count links to its evidence, folded or not, and the folded passages open
    to show every unit the count stands for."""
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        _tools(page, "table-pairs")[1].select_option("0")
        links = page.eval_on_selector_all("#table-pairs a[href^='#evidence-']",
                                          "links => links.map(a => a.getAttribute('href'))")
        assert len(links) >= FIRST_ROWS  # the table's first rows, and every pair the matrix draws
        others = page.eval_on_selector_all("#table-pairs td a:not([href^='#evidence-']):not([href^='05-'])",
                                           "links => links.map(a => a.getAttribute('href'))")
        assert all(href.startswith("documents-") and "#doc-" in href for href in others)  # a cited sentence
        for href in (links[0], links[-1]):
            page.click(f"#table-pairs a[href='{href}']")
            target = page.locator(f"[id='{href[1:]}']")
            assert target.count() == 1 and target.is_visible()
            assert target.evaluate("element => element.tagName !== 'DETAILS' || element.open")
            assert page.evaluate(f"document.getElementById({href[1:]!r}).getBoundingClientRect().top") < 900
        closed = page.eval_on_selector_all("details.evidence:not([open])", "blocks => blocks.map(b => b.id)")
        folded = page.locator(f"[id='{closed[0]}']")
        folded.locator(":scope > summary").click()
        assert folded.evaluate("element => element.open") is True
        assert folded.locator("p").count() >= 1
        more = page.locator("div.evidence details").first  # "Show the other N unit(s)" of an open block
        if more.count():
            more.locator(":scope > summary").click()
            assert more.evaluate("element => element.open") is True
        alts = page.eval_on_selector_all("img", "images => images.map(image => image.alt)")
        assert alts and all(alt and "No description" not in alt for alt in alts)
        # the network is SVG now, not an image: its nodes are text a screen reader reads
        labels = page.eval_on_selector_all("#network svg text", "texts => texts.map(text => text.textContent)")
        assert "Sadyr Japarov" in labels and "Vladimir Putin" in labels


def test_every_table_download_is_a_csv_file(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "04-actors-and-themes.html") as page:
        hrefs = page.eval_on_selector_all("p.table-download a", "links => links.map(a => a.getAttribute('href'))")
        assert len(hrefs) == page.locator("table.dataframe").count() + 1 >= 4
        assert "04-actors-and-themes--evidence.csv" in hrefs
        for href in hrefs:
            header = (seed_reports / href).read_text(encoding="utf-8").splitlines()[0]
            assert "," in header, href


def test_a_search_finds_a_pair_beyond_the_first_page(browser, seed_reports: Path) -> None:
    """The page holds every pair of the table, so a pair ranked past the rows shown first is
    found by a search (the report's CSV names it)."""
    pairs = _pairs(seed_reports)
    last = pairs.iloc[-1]
    rank = float(pairs.index[-1])
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        assert rank > FIRST_ROWS and rank not in _numbers(_visible(page, "table-pairs", 0))
        search, _, status, _ = _tools(page, "table-pairs")
        search.fill(f"{last['actor']} {last['with']}")
        assert rank in _numbers(_visible(page, "table-pairs", 0))
        assert "matching the search" in status.text_content()


def test_an_evidence_link_opens_its_document_page_at_the_cited_sentence(browser, seed_reports: Path) -> None:
    """A passage's link lands on its sentence: the page's :target is that sentence, outlined
    and shaded, in view, and its marks name the actor they were resolved to."""
    with reader(browser, seed_reports / "03-actor-network.html") as page:
        block = page.locator("div.evidence").first
        actor = block.locator("h4 mark.a").first.get_attribute("title")
        assert actor.startswith("actor: ") and actor.endswith(")")  # 'actor: Name (key)'
        link = block.locator("a[href^='documents-']").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(href) and "#doc-" in href and "-s" in href.rsplit("#", 1)[1]
        found = page.evaluate("""() => {
          const t = document.querySelector(':target');
          if (!t) return null;
          const style = getComputedStyle(t), box = t.getBoundingClientRect();
          return {id: t.id, cls: t.className, background: style.backgroundColor, outline: style.outlineStyle,
                  top: box.top, bottom: box.bottom, height: innerHeight, scrolled: scrollY,
                  at_end: scrollY + innerHeight >= document.documentElement.scrollHeight - 1,
                  marks: Array.from(t.querySelectorAll('mark')).map(m => [m.title, m.getAttribute('aria-label')])};
        }""")
        assert found is not None and found["id"] == unquote(href.rsplit("#", 1)[1]) and found["cls"] == "sentence"
        assert found["background"] == "rgb(255, 243, 176)" and found["outline"] == "solid"
        # brought to the middle of the window, as far as the page can scroll
        middle = (found["top"] + found["bottom"]) / 2
        assert found["top"] >= 0 and found["bottom"] <= found["height"]
        assert abs(middle - found["height"] / 2) < 60 or found["scrolled"] == 0 or found["at_end"], found
        assert actor in [title for title, _ in found["marks"]]  # the pair's actor, named on its mark
        assert all(title == label and title.startswith(("actor: ", "theme: ")) for title, label in found["marks"])


def test_at_900_pixels_the_pair_names_stay_in_view_while_the_table_scrolls(browser, seed_reports: Path) -> None:
    with reader(browser, seed_reports / "03-actor-network.html", viewport={"width": 900, "height": 900}) as page:
        frame = page.locator("div.table-scroll:has(> #table-pairs)")
        frame.scroll_into_view_if_needed()
        assert frame.evaluate("div => div.scrollWidth > div.clientWidth")  # too wide for 900 px
        row = page.locator("#table-pairs tbody tr").first
        row.evaluate("row => row.scrollIntoView({block: 'center'})")  # in the window, where a reader looks
        cells = [row.locator(":scope > *").nth(column) for column in range(5)]
        before = [cell.bounding_box() for cell in cells]
        frame.evaluate("div => { div.scrollLeft = div.scrollWidth; }")
        assert frame.evaluate("div => div.scrollLeft") > 0
        after = [cell.bounding_box() for cell in cells]
        box = frame.bounding_box()
        for column in range(3):  # rank, actor, with: where they were, inside the frame
            assert abs(after[column]["x"] - before[column]["x"]) <= 1.5, column  # the table's border at most
            left, right = after[column]["x"], after[column]["x"] + after[column]["width"]
            assert box["x"] - 1 <= left and right <= box["x"] + box["width"], column
        assert after[4]["x"] < before[4]["x"] - 50  # the other columns did scroll
        # the name cells are drawn over the scrolled ones: what a reader sees at the actor's place
        x, y = after[1]["x"] + 5, after[1]["y"] + after[1]["height"] / 2
        assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('td, th') === "
                             "document.querySelector('#table-pairs tbody tr').children[1]")


def test_a_page_whose_escaping_failed_still_runs_only_its_own_script(browser, tmp_path: Path) -> None:
    """Defence in depth: markup put into a page unescaped (as if a bug bypassed
    analysis.reports.presentation) does not run, while the package's script still works."""
    rows = "".join(f"<tr><td>{number}</td></tr>" for number in range(30))
    payloads = ('<script>window.__injected = 1</script><img src=x onerror="window.__injected = 1">'
                '<a href="javascript:window.__injected = 1">click</a>')
    body = (f"{payloads}<div class=\"table-scroll\"><table id=\"t\" class=\"interactive\">"
            f"<thead><tr><th>n</th></tr></thead><tbody>{rows}</tbody></table></div>")
    page_file = tmp_path / "unescaped.html"
    page_file.write_text(page_html("Unescaped", "", body), encoding="utf-8")
    with reader(browser, page_file) as page:
        page.wait_for_timeout(300)
        page.locator("a", has_text="click").click()
        assert page.evaluate("typeof window.__injected") == "undefined"
        assert page.locator("div.table-tools").count() == 1  # the package's script ran
        assert len(_visible(page, "t", 0)) == 10


def _folded_evidence_page(tmp_path: Path, a_key: str, b_key: str) -> tuple[Path, str]:
    """A page with a folded evidence block of the pair and a link to it (the markup
    `evidence_block` and a pair table write)."""
    from analysis.reports.presentation import escape_html, evidence_anchor

    anchor = evidence_anchor(a_key, b_key)
    body = (f'<p><a id="to-evidence" href="#{escape_html(anchor)}">evidence</a></p>'
            + "<p>filler</p>" * 200
            + f'<details class="evidence" id="{escape_html(anchor)}"><summary>A and B (1 unit(s))</summary>'
            "<p>the passage</p></details>")
    page_file = tmp_path / "evidence.html"
    page_file.write_text(page_html("Evidence", "", body), encoding="utf-8")
    return page_file, anchor


def _is_open(page, anchor: str) -> bool:
    return page.evaluate("id => document.getElementById(id).open", anchor)


@pytest.mark.parametrize("b_key", ["kgz", "садыр-жапаров"])
def test_evidence_of_a_pair_opens_from_the_address_and_from_a_link(browser, tmp_path: Path, b_key: str) -> None:
    """Evidence ids are percent-encoded; a pair with a non-ASCII key must open like any other."""
    page_file, anchor = _folded_evidence_page(tmp_path, "vladimir-putin", b_key)
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{page_file.resolve().as_uri()}#{anchor}", wait_until="load")
        assert _is_open(page, anchor), "the block the address names stayed folded"
        page.evaluate("id => { document.getElementById(id).open = false; }", anchor)
        page.click("#to-evidence")
        assert _is_open(page, anchor), "the link did not open its block"
    finally:
        context.close()
    assert not errors, errors


def test_a_malformed_percent_in_the_address_does_not_stop_the_script(browser, tmp_path: Path) -> None:
    page_file, anchor = _folded_evidence_page(tmp_path, "vladimir-putin", "kgz")
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{page_file.resolve().as_uri()}#evidence-%E0%A4%A", wait_until="load")
        page.click("#to-evidence")  # the script went on: its click handler opens the block
        assert _is_open(page, anchor)
    finally:
        context.close()
    assert not errors, errors


# ---------------------------------------------------------------- the network a reader can change

NETWORK = "#network"


def _errors(page) -> list[str]:
    """Console errors and uncaught exceptions of a page, collected from now on."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _drawn(page) -> dict:
    """What the network shows: node keys in the SVG, pairs in the SVG and rows of the table view."""
    return page.evaluate("""(view) => {
      const root = document.querySelector(view);
      const pairs = Array.from(root.querySelectorAll('svg .network-pair'));
      return {
        nodes: Array.from(root.querySelectorAll('svg .network-node')).map(n => n.getAttribute('data-key')),
        pairs: pairs.map(p => [p.getAttribute('data-a'), p.getAttribute('data-b')]),
        titles: pairs.map(p => p.querySelector('title').textContent),
        labels: Array.from(root.querySelectorAll('svg .network-node text')).map(t => t.textContent),
        box: root.querySelector('svg.network-svg').getAttribute('viewBox'),
        discs: Array.from(root.querySelectorAll('svg .network-node circle')).map(c =>
          [c.parentNode.getAttribute('data-key'), Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]),
        rows: Array.from(root.querySelectorAll('.network-table tbody tr')).map(r =>
          Array.from(r.cells).map(c => c.textContent)),
      };
    }""", NETWORK)


def _involving(drawn: dict, key: str, name: str) -> tuple[int, int, int]:
    return (drawn["nodes"].count(key), sum(key in pair for pair in drawn["pairs"]),
            sum(name in row[1:3] for row in drawn["rows"]))


def test_a_reader_removes_and_adds_an_actor_of_the_network(browser, seed_reports: Path) -> None:
    page_file = seed_reports / "03-actor-network.html"
    with reader(browser, page_file, javascript=False) as page:  # the static view: start nodes and their pairs
        static = _drawn(page)
        assert len(static["nodes"]) >= 20 and "vladimir-putin" in static["nodes"]
        assert len(static["rows"]) >= 20 and page.locator(f"{NETWORK} .network-search").count() == 0
    with reader(browser, page_file) as page:
        errors = _errors(page)
        page.reload(wait_until="load")
        start = _drawn(page)
        assert sorted(start["nodes"]) == sorted(static["nodes"])  # the script draws what the page drew,
        assert start["box"] == static["box"] and start["labels"] == static["labels"]  # in the same layout
        assert all(a[0] == b[0] and abs(a[1] - b[1]) < 0.11 and abs(a[2] - b[2]) < 0.11
                   for a, b in zip(sorted(start["discs"]), sorted(static["discs"]), strict=True))
        assert len(start["rows"]) == len(static["rows"]) == len(start["pairs"])
        with_putin = _involving(start, "vladimir-putin", "Vladimir Putin")
        assert with_putin[0] == 1 and with_putin[1] == with_putin[2] >= 1

        page.locator(f"{NETWORK} li.network-actor[data-key='vladimir-putin'] button").click()
        removed = _drawn(page)
        assert _involving(removed, "vladimir-putin", "Vladimir Putin") == (0, 0, 0)
        assert len(removed["pairs"]) == len(start["pairs"]) - with_putin[1]

        page.locator(f"{NETWORK} .network-search").fill("putin")
        match = page.locator(f"{NETWORK} .network-matches button", has_text="Vladimir Putin")
        assert match.count() == 1
        match.click()
        added = _drawn(page)
        assert _involving(added, "vladimir-putin", "Vladimir Putin") == with_putin
        assert "Vladimir Putin" in added["labels"]
        assert any(title.startswith(("Vladimir Putin \u2013", "Russia \u2013 Vladimir Putin")) and "npmi" in title
                   for title in added["titles"])
        assert page.locator(f"{NETWORK} .network-search").input_value() == ""

        page.locator(f"{NETWORK} .network-pair").first.dispatch_event("click")  # a click says the pair's values
        assert "document(s)" in page.locator(f"{NETWORK} .network-detail").inner_text()

        page.locator(f"{NETWORK} li.network-actor[data-key='vladimir-putin'] button").click()
        assert _involving(_drawn(page), "vladimir-putin", "Vladimir Putin") == (0, 0, 0)
        page.locator(f"{NETWORK} .network-reset").click()
        assert sorted(_drawn(page)["nodes"]) == sorted(start["nodes"])
        policy = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        assert policy == content_security_policy()
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert errors == []
        assert all(_inside(url, seed_reports) for url in page.requests), page.requests


def test_an_actor_whose_name_is_markup_is_added_as_text(browser, tmp_path: Path) -> None:
    """A constructed network whose start leaves one actor out, named with markup: found by the
    search, added, drawn and listed as text; nothing it carries runs."""
    import pandas as pd

    from analysis.reports import network
    from analysis.reports.presentation import network_view

    evil = 'Evil "</script><script>window.__injected = 1</script><img src=x onerror="window.__injected=1">'
    counts = pd.DataFrame({"key": ["kgz", "un", "evil-co"], "name": ["Kyrgyzstan", "United Nations", evil],
                           "kind": "actor", "category": ["country", "organization", "organization"],
                           "units": [9, 5, 2], "mentions": [9, 5, 2], "documents": [4, 3, 1]})
    pairs = pd.DataFrame({"a_key": ["kgz", "evil-co"], "b_key": ["un", "kgz"], "a_name": ["Kyrgyzstan", evil],
                          "b_name": ["United Nations", "Kyrgyzstan"], "npmi": [0.5, 0.3], "count": [4, 2],
                          "documents": [3, 1]})
    start = network.start_nodes(counts, 2)
    data = network.network_data(counts, pairs, start, 2, "npmi", None, "sentence",
                                pd.Series({"evil-co": "Злая компания"}))
    placed, drawn = network.picture(data, data["start"])
    body = str(network_view(data, placed, drawn, network.edge_table(drawn, data), "caption").data)
    page_file = tmp_path / "network.html"
    page_file.write_text(page_html("Network", "", body), encoding="utf-8")
    with reader(browser, page_file) as page:
        errors = _errors(page)
        page.reload(wait_until="load")
        assert sorted(_drawn(page)["nodes"]) == ["kgz", "un"]
        page.locator(f"{NETWORK} .network-search").fill("злая")  # a spelling read in the texts, another script
        assert page.locator(f"{NETWORK} .network-matches button").count() == 1
        page.locator(f"{NETWORK} .network-search").press("Enter")  # Enter adds the first match
        shown = _drawn(page)
        assert sorted(shown["nodes"]) == ["evil-co", "kgz", "un"] and len(shown["rows"]) == 2
        assert evil[:27] + "\u2026" in shown["labels"]  # a long name is cut on the drawing, as text
        assert [evil, "Kyrgyzstan"] == shown["rows"][1][1:3]
        assert page.evaluate("typeof window.__injected") == "undefined"
        assert page.locator("img").count() == 0 and errors == []
