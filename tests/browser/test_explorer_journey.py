"""A researcher in the charts explorer: change filters, reload the URL and get the same view, download."""

from __future__ import annotations

import io
import re
import struct
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS_IMG = Path(__file__).parents[2] / "test-results"


@pytest.fixture
def demo_network(transactional_db):
    from icc.web.network.loading import load_demo

    load_demo(datetime(2026, 1, 1, tzinfo=UTC))


def test_filters_live_in_the_url_and_downloads_carry_them(live_server, page, demo_network):
    page.goto(live_server.url + "/explore/")
    page.locator("#chart svg").wait_for()
    page.select_option("select[name=chart]", "scatter")
    page.select_option("select[name=edition]", "2022")
    page.select_option("select[name=size]", "pop-200k-500k")
    page.select_option("select[name=city]", "bilbao")
    page.click("form.explorer-form button")
    page.wait_for_url("**chart=scatter**")
    assert "edition=2022" in page.url and "size=pop-200k-500k" in page.url and "city=bilbao" in page.url
    page.locator("#chart svg").wait_for()
    before = page.locator("figcaption").inner_text()
    page.reload()
    page.locator("#chart svg").wait_for()
    assert page.locator("figcaption").inner_text() == before
    assert page.locator("select[name=size]").input_value() == "pop-200k-500k"

    with page.expect_download() as info:
        page.click("p.downloads a:text('CSV')")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "# Edition: 2022" in text and "size=pop-200k-500k" in text
    df = pd.read_csv(io.StringIO(text), comment="#")
    assert set(df["size_group"]) == {"pop-200k-500k"}

    with page.expect_download() as info:
        page.click("p.downloads a:text('XLSX')")
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    about = {row[0]: row[1] for row in workbook["about"].iter_rows(values_only=True)}
    assert about["Edition"] == "2022" and "size=pop-200k-500k" in about["Filters"] and "CC BY 4.0" in about["Licence"]
    assert workbook["data"].max_row == len(df) + 1  # a header row and the same rows as the CSV

    with page.expect_download() as info:
        page.click("p.downloads a:text('SVG')")
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert "<metadata>" in svg and "Edition: 2022" in svg
    svg_width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))

    with page.expect_download() as info:
        page.click("p.downloads a:text('PNG')")
    png = Path(info.value.path()).read_bytes()
    assert png[:4] == b"\x89PNG"
    png_width, png_height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert abs(png_width - 2 * svg_width) <= 2 and png_height > 100  # drawn at twice the chart's size

    # the text alternative and the data table are there for screen readers and keyboards
    assert page.locator("#chart").get_attribute("aria-label").startswith("Scatter plot of")
    assert page.locator("details table tbody tr").count() == len(df)


def test_the_explorer_and_facts_fit_a_phone(live_server, page, demo_network):
    page.set_viewport_size({"width": 390, "height": 800})
    for url in ("/explore/?chart=city&city=oslo", "/facts/"):
        page.goto(live_server.url + url)
        page.locator(".chart-box svg").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, url
