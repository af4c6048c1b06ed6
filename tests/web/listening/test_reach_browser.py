"""The monthly report as Chromium prints it: A4, one or two pages, the figures as text."""

from __future__ import annotations

import subprocess

from builders import STAFF_PASSWORD

A4_POINTS = (595.3, 841.9)  # 210 x 297 mm


def test_the_monthly_report_prints_on_one_or_two_a4_pages(browser, report_server, tmp_path):
    import pypdfium2

    server, month = report_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/admin/login?lang=vi")
    page.fill("#name", "admin")
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{server.url}/admin/")
    response = page.goto(f"{server.url}/admin/reach/report?area=021&month={month}&lang=vi")
    assert response.status == 200
    target = tmp_path / "report.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    context.close()

    pdf = pypdfium2.PdfDocument(str(target))
    try:
        assert 1 <= len(pdf) <= 2
        for number in range(len(pdf)):
            width, height = pdf[number].get_size()
            assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
    finally:
        pdf.close()
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Lượt tiếp cận của Quận Bắc Từ Liêm" in text
    assert "112" in text  # 28 days x (3 scans + 1 typed)
    assert "84" in text and "28" in text
    assert "Địa điểm số 3" in text and "cổng đình" in text  # the silent plaque
    assert "Biển im lặng" in text
    assert "Chưa in biển (13):" in text  # the sites without a plaque, in one paragraph
    # The workspace's menu and the sign-out button are not printed.
    assert "Đăng xuất" not in text
