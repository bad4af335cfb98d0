import subprocess

from jiedao.pdf import ProjectOnlyFetcher, render_pdf

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_pdf_fetches_only_data_and_own_static_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    html = f"""<html><head><link rel="stylesheet" href="/static/css/portal.css"></head><body>
      <img src="file://{secret}"><img src="http://127.0.0.1:9/x.png"><img src="https://example.invalid/y.png">
      <img src="data:image/png;base64,{PIXEL}">
      <p>党建工作平台</p></body></html>"""
    fetcher = ProjectOnlyFetcher()
    pdf = render_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(
        [f"file://{secret}", "http://127.0.0.1:9/x.png", "https://example.invalid/y.png"]
    )
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "党建工作平台" in text
    assert "CJK" in fonts and " yes " in fonts  # Noto CJK, embedded
