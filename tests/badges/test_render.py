"""Printed badges: the QR on the page decodes to a code that verifies, the layouts put one
or four badges on a page, and Turkish and French names print right."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from expo_app.badges import codes, services
from expo_app.badges.layout import SHEETS, Sheet, Text
from expo_app.badges.render import fit_lines
from tests.kit.pdf import page_count, qr_codes_in


def print_badges(expo, ids, layout="a6") -> bytes:
    out = io.BytesIO()
    services.write_badges(expo.event, out, ids, layout)
    return out.getvalue()


def test_the_qr_printed_on_a_badge_scans_back_to_a_code_that_verifies(expo):
    pdf = print_badges(expo, [expo.alice.id])
    (code,) = qr_codes_in(pdf)
    claims = codes.verify(code, services.signing_key(expo.event).public_key)
    assert claims.participant_id == expo.alice.id
    assert claims.zones == (expo.zone.id,)
    gate = services.gate_named(expo.event, str(expo.zone.id))
    assert services.check_in(expo.event, code, gate).admitted


def test_the_scanned_code_altered_by_one_letter_is_refused(expo):
    (code,) = qr_codes_in(print_badges(expo, [expo.bob.id]))
    public_key = services.signing_key(expo.event).public_key
    for position in (0, 10, len(code) // 2, len(code) - 1):
        letter = "Z" if code[position] != "Z" else "Y"
        with pytest.raises(codes.InvalidCode):
            codes.verify(code[:position] + letter + code[position + 1 :], public_key)


def test_a_reissued_badges_printed_code_reads_as_revoked(expo):
    (old,) = qr_codes_in(print_badges(expo, [expo.alice.id]))
    services.reissue(expo.alice)
    (new,) = qr_codes_in(print_badges(expo, [expo.alice.id]))
    gate = services.gate_named(expo.event, "main")
    assert services.check_in(expo.event, old, gate).reason == "revoked"
    assert services.check_in(expo.event, new, gate).admitted


def test_a6_is_one_badge_per_page_and_a4_four_per_page_all_decodable(expo):
    ids = services.holder_ids(expo.event)
    assert len(ids) == 3
    a6 = print_badges(expo, ids, "a6")
    assert page_count(a6) == 3
    assert all(len(qr_codes_in(a6, page)) == 1 for page in range(3))
    a4 = print_badges(expo, ids * 2, "a4-4up")  # six badges: a full sheet and half of one
    assert page_count(a4) == 2
    first = qr_codes_in(a4, 0)
    assert len(first) == 4
    assert len(qr_codes_in(a4, 1)) == 2
    key = services.signing_key(expo.event).public_key
    assert {codes.verify(code, key).participant_id for code in first} == set(ids)


def test_names_print_with_their_turkish_and_french_letters(expo):
    pdf = print_badges(expo, [expo.alice.id, expo.dilek.id])
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Aïssata Coulibaly" in text
    assert "Dilek Şahin Ağaoğlu" in text
    assert "Sarsılmaz" in text  # the exhibitor's name stands for the organisation
    assert "LIVE DEMO ZONE" in text  # the zone as a clear mark
    assert "DELEGATION · DÉLÉGATION" in text and "EXHIBITOR · EXPOSANT" in text
    assert "Badge Expo" in text


def test_sheets_fit_their_cells_inside_the_margins():
    sheet = SHEETS["a4-4up"]
    cells = sheet.cells()
    assert len(cells) == 4
    for x, y, w, h in cells:
        assert x >= sheet.margin and y >= sheet.margin
        assert x + w <= sheet.page_width - sheet.margin + 1e-9
        assert y + h <= sheet.page_height - sheet.margin + 1e-9
    assert Sheet("one", 105, 148).cells() == [(0, 0, 105, 148)]


def test_long_names_shrink_then_wrap_then_end_with_an_ellipsis():
    from expo_app.pdf.fonts import register_fonts

    register_fonts()
    style = Text("DejaVuSans-Bold", 18, min_size=10, max_lines=2)
    lines, size = fit_lines("Ali Veli", style, 180, 45)
    assert (lines, size) == (["Ali Veli"], 18)
    lines, size = fit_lines("General İbrahim Şahin Çağlayan Ağaoğlu de la Peña", style, 180, 45)
    assert len(lines) == 2 and size <= 18
    lines, _ = fit_lines("W" * 200, style, 180, 45)
    assert lines[-1].endswith("…")


def test_a_photo_is_printed_when_there_is_one_and_skipped_when_not(app, expo, tmp_path):
    from PIL import Image

    photo = tmp_path / "photos" / "alice.jpg"
    photo.parent.mkdir()
    Image.new("RGB", (300, 400), (200, 30, 30)).save(photo, "JPEG")
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    try:
        expo.alice.photo_path = "photos/alice.jpg"
        expo.bob.photo_path = "photos/gone.jpg"  # the file is missing: no photo, no failure
        pdf = print_badges(expo, [expo.alice.id, expo.bob.id])
    finally:
        del app.config["UPLOAD_FOLDER"]
    reader = PdfReader(io.BytesIO(pdf))
    # Every page has the QR as an inline image; Alice's also has her photo.
    assert len(reader.pages[0].images) == 2
    assert len(reader.pages[1].images) == 1
    assert len(qr_codes_in(pdf, 0)) == 1 and len(qr_codes_in(pdf, 1)) == 1
