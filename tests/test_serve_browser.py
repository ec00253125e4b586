"""One full click path through the pages in headless Chromium (Debian's chromium
and chromium-driver, driven by selenium), against the real server: home, a
saved query with a parameter changed, its CSV downloaded, a document page with
its finding linked to the cell, a unit page with its chart. Offline: the pages
load nothing from anywhere but the server. BUDGETKG_SCREENSHOTS=DIR keeps the
screenshots there (docs/screenshots holds the committed ones)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

import serve_support
from serve_support import WANLI

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
FINANCE_BUREAU = "上海市普陀区财政局"

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
                                reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    downloads = Path(tempfile.mkdtemp(prefix="budgetkg-downloads-"))
    profile = tempfile.mkdtemp(prefix="budgetkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1280,1000", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(downloads, ignore_errors=True)


def screenshot(driver, name: str) -> None:
    target = os.environ.get("BUDGETKG_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        driver.set_window_size(1280, min(max(driver.execute_script("return document.body.scrollHeight"), 800), 2400))
        driver.save_screenshot(str(Path(target) / f"{name}.png"))
        driver.set_window_size(1280, 1000)


def wait_for(condition, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_click_path(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    server = serve_support.server()
    d = browser

    # home: every saved query with its form
    d.get(server.url + "/")
    assert d.find_element(By.ID, "query-documents")
    screenshot(d, "serve-home")

    # a saved query with a parameter changed: documents, phase = executed
    form = d.find_element(By.ID, "form-documents")
    Select(form.find_element(By.NAME, "phase")).select_by_value("executed")
    form.find_element(By.NAME, "year").send_keys("2024")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(lambda: "/browse/documents" in d.current_url)
    assert "phase=executed" in d.current_url
    assert d.find_element(By.ID, "row-count").text == "1"
    cells = [td.text for td in d.find_elements(By.CSS_SELECTOR, "#result tbody td")]
    assert FINANCE_BUREAU in cells and "executed" in cells
    screenshot(d, "serve-query")

    # its CSV, downloaded
    d.find_element(By.ID, "csv-download").click()
    downloaded = wait_for(lambda: [p for p in d.downloads.glob("*.csv")])
    rows = list(csv.DictReader(io.StringIO(downloaded[0].read_text(encoding="utf-8"))))
    assert [(r["unit_name"], r["year"], r["budget_phase"], r["violations"]) for r in rows] == [
        (FINANCE_BUREAU, "2024", "executed", "1")]

    # the document page: tables as printed with pages, and the publisher's inconsistency linked to its cell
    d.find_element(By.CSS_SELECTOR, "#result tbody a[href^='/documents/']").click()
    wait_for(lambda: "/documents/" in d.current_url)
    assert FINANCE_BUREAU in d.find_element(By.ID, "document-title").text
    finding = d.find_element(By.ID, "finding-1")
    assert "Violation" in finding.text and "expected 3267100" in finding.text
    finding.find_element(By.CSS_SELECTOR, "a.to-cell").click()
    cell = d.find_element(By.CSS_SELECTOR, "td.flagged")
    assert d.current_url.endswith("#" + cell.get_attribute("id"))
    assert cell.text.startswith("326.72")  # as printed, 万元 to two decimals
    screenshot(d, "serve-document")

    # the unit page with its chart
    d.find_element(By.ID, "unit-link").click()
    wait_for(lambda: "/units/" in d.current_url)
    assert d.find_element(By.ID, "unit-name").text == FINANCE_BUREAU
    assert d.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")

    # and a unit of two years: one bar per year for each 类
    d.get(server.url + "/browse/documents?unit=万里")
    d.find_element(By.CSS_SELECTOR, "#result tbody a[href^='/documents/']").click()
    wait_for(lambda: "/documents/" in d.current_url)
    d.find_element(By.ID, "unit-link").click()
    wait_for(lambda: "/units/" in d.current_url)
    assert d.find_element(By.ID, "unit-name").text == WANLI
    years = [tr.find_elements(By.TAG_NAME, "td")[0].text for tr in d.find_elements(By.CSS_SELECTOR, "#documents tbody tr")]
    assert years == ["2024", "2025"]
    bars = [b.get_attribute("textContent") for b in d.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar title")]
    assert "212 城乡社区支出 · 2025 approved: 15,436.93 万元" in bars
    screenshot(d, "serve-unit")

    # nothing came from anywhere but the server
    origins = d.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {server.url}


def test_yasgui_runs_a_query_on_this_server(browser):
    from selenium.webdriver.common.by import By

    from budgetkg.serve.pages import YASGUI
    if not YASGUI.exists():
        pytest.skip("YASGUI is not bundled (make fetches it from the npm registry)")
    server = serve_support.server()
    d = browser
    d.get(server.url + "/editor")
    wait_for(lambda: d.find_elements(By.CSS_SELECTOR, ".yasqe_queryButton"))
    d.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(lambda: WANLI in d.find_element(By.CSS_SELECTOR, ".yasr").text)
    assert FINANCE_BUREAU in d.find_element(By.CSS_SELECTOR, ".yasr").text
    screenshot(d, "serve-editor")
    origins = d.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {server.url}
