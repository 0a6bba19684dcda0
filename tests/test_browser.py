"""The UI in a real browser: Debian's chromium driven by Playwright, against the
real server (waitress) on a free loopback port over a real on-disk store.
Screenshots go to tests/artifacts/ (gitignored)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from live_server import live_server
from test_ui_pages import FLAGSHIP, _tiny_store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VENDOR_ASSETS = ROOT / "service" / "static" / "vendor"


def _ensure(path: Path, installer: list[str]) -> bool:
    if path.exists():
        return True
    subprocess.run(installer, cwd=ROOT, capture_output=True, timeout=900)
    return path.exists()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not _ensure(Path(CHROMIUM), ["bash", "scripts/ensure-browser.sh"]):
        pytest.skip("chromium is not installed at /usr/bin/chromium and could not be installed "
                    "(scripts/ensure-browser.sh needs root and the Debian package index)")
    if not _ensure(VENDOR_ASSETS / "echarts.min.js", ["bash", "scripts/install-assets.sh"]):
        pytest.fail("the UI's front-end assets are missing: run `make assets` (needs npm)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"), full_page=True)


def test_follow_the_money_in_a_browser(page, sample_store_dir):
    with live_server(sample_store_dir) as base:
        outside = []
        page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                else outside.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        # home → search → project
        page.goto(base + "/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("h1").inner_text().startswith("财政预决算")
        shot(page, "home")
        page.fill("input[name=q]", "政务网络运营")
        page.click("form.search button")
        page.click(f"a:text-is('{FLAGSHIP}')")
        page.wait_for_selector("#contracts")
        assert page.locator("h1").inner_text() == FLAGSHIP
        assert page.locator("#subprojects table").first.locator("tr").count() == 6  # header + 5 sub-projects
        assert page.locator("#contracts a.vendor").count() >= 5
        assert page.locator("table.indicators tr").count() >= 11
        # a figure opens its source excerpt
        figure = page.locator("#contracts details.src").first
        figure.locator("summary").click()
        excerpt = figure.locator("blockquote.excerpt").first
        assert excerpt.is_visible() and excerpt.inner_text().strip()
        shot(page, "project")

        # → vendor
        vendor_name = page.locator("#contracts a.vendor").first.inner_text()
        page.locator("#contracts a.vendor").first.click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == vendor_name
        assert page.locator("table").first.locator("tr").count() >= 2  # its contracts
        shot(page, "vendor")

        # → findings, filtered by severity (a plain form: no JavaScript needed)
        page.click("header.site a[href='/findings']")
        total = page.locator("article.finding").count()
        assert total > 0
        page.select_option("select[name=severity]", index=1)
        page.click("form.filters button")
        filtered = page.locator("article.finding").count()
        assert 0 < filtered <= total
        shot(page, "findings")

        # → query page: run a named query in YASGUI
        page.click("header.site a[href='/query']")
        page.wait_for_selector(".yasqe")
        page.click("a.example[data-name='vendor-receipts']")
        page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=30000)
        assert vendor_name in page.locator(".tabPanel.active .yasr").inner_text()
        assert "name=vendor-receipts" in page.url  # a permalink to the example
        shot(page, "query")

        # switch language
        page.click("a.lang-switch")
        page.wait_for_selector("html[lang=en]")
        assert "Example queries" in page.content()
        page.goto(base + "/")
        assert page.locator("html").get_attribute("lang") == "en"  # remembered in a cookie
        assert "Follow the money" in page.locator("h1").inner_text()
        shot(page, "home-en")

        # charts: the Sankey draws its nodes (SVG renderer), the treemap its boxes
        page.goto(base + "/charts")
        page.wait_for_selector("#sankey[data-rendered]")
        assert int(page.get_attribute("#sankey", "data-rendered")) >= 5
        labels = page.locator("#sankey svg text").all_text_contents()
        assert any(vendor_name[:10] in t for t in labels), labels
        assert page.locator("#sankey svg path").count() > 5
        page.wait_for_selector("#treemap[data-rendered]")
        shot(page, "charts")

        assert not errors, errors
        assert not outside, f"requests to other hosts: {outside}"


def test_no_javascript_still_reads(browser, sample_store_dir):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        with live_server(sample_store_dir) as base:
            page.goto(base + "/projects")
            page.click(f"a:text-is('{FLAGSHIP}')")
            summary = page.locator("#contracts details.src summary").first
            summary.click()  # <details> opens without JavaScript
            assert page.locator("#contracts details.src[open] blockquote.excerpt").first.is_visible()
            page.goto(base + "/charts")
            page.click("details.chart-table summary")
            assert page.locator("details.chart-table table tr").count() > 5
    finally:
        context.close()


def test_labels_render_as_text_not_markup(page, tmp_path):
    evil = '<script>window.__pwned = 1; alert("x")</script><img src=x onerror="window.__pwned=2">项目'
    store = _tiny_store(tmp_path / "store", evil)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with live_server(store) as base:
        for path in ("/project/test", "/org/vendor1", "/search?q=script", "/charts", "/projects"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__pwned") is None, path
        # Chart tooltips are HTML to ECharts: show each node's tooltip and check it stays text.
        page.goto(base + "/charts")
        page.wait_for_selector("#sankey[data-rendered]")
        shown = page.evaluate("""() => {
            const chart = echarts.getInstanceByDom(document.getElementById("sankey"));
            const nodes = chart.getOption().series[0].data.length;
            for (let i = 0; i < nodes; i++) {
                chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i});
            }
            return nodes;
        }""")
        assert shown >= 3
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None, "chart tooltip"
        page.goto(base + "/project/test")
        assert evil in page.locator("h1").inner_text()
        shot(page, "escaping")
    assert not dialogs
