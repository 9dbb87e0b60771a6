"""Reading a PDF back as its reader sees it once printed: pages, and the QR codes shown.
(The programme's text and outline: tests/programme/pdftext.py.)"""

from __future__ import annotations


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def qr_codes_in(pdf: bytes, page: int = 0, dpi: int = 150) -> list[str]:
    """The texts of the QR codes a page shows once printed (rendered, then scanned)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [barcode.text for barcode in found]
