"""The pixel limit of uploaded images: judged from the header, before any pixel is decoded."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from expo_app.exhibitors.models import Exhibitor
from expo_app.exhibitors.services import LogoRejected, prepare_logo
from expo_app.extensions import db
from expo_app.images import MAX_IMAGE_PIXELS, ImageRefused, TooManyPixels, check_pixels
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


def png(size: tuple[int, int], mode: str = "1") -> bytes:
    """A 1-bit image compresses to almost nothing whatever its canvas: a small file."""
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def giant() -> bytes:
    data = png((6000, 6000))  # 36 Mpx, about 140 MB once decoded as RGBA
    assert len(data) < 100_000
    return data


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """Every decode Pillow starts (ImageFile.load reads the pixels of a file)."""
    started: list[str] = []
    real = ImageFile.ImageFile.load

    def spy(self):
        started.append(self.format)
        return real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return started


def test_the_limit_admits_a_scanned_page_and_a_camera_photo():
    assert MAX_IMAGE_PIXELS >= 2480 * 3508  # A4 at 300 dpi
    assert MAX_IMAGE_PIXELS >= 6000 * 4000  # a 24-megapixel photo
    assert MAX_IMAGE_PIXELS < 6000 * 6000
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS  # Pillow's own guard agrees


def test_an_image_within_the_limit_passes_without_being_decoded(app, decodes):
    check_pixels(png((5000, 5000)))
    assert decodes == []


def test_too_many_pixels_are_refused_before_decoding(app, giant, decodes):
    with pytest.raises(TooManyPixels) as refused:
        check_pixels(giant, field="photo")
    assert refused.value.field == "photo"
    assert "at most 25 million" in str(refused.value)
    assert decodes == []


def test_pillows_own_bomb_guard_is_a_refusal_too(app, decodes):
    with pytest.raises(TooManyPixels):
        check_pixels(png((8000, 8000)))  # above twice the limit Pillow raises itself
    assert decodes == []


@pytest.mark.parametrize("data", [b"", b"not an image", png((10, 10))[:30]], ids=repr)
def test_what_is_not_a_readable_image_is_refused(app, data):
    with pytest.raises(ImageRefused) as refused:
        check_pixels(data)
    assert not isinstance(refused.value, TooManyPixels)
    assert str(refused.value) == "The file is not an image that can be read."


def test_a_giant_logo_in_a_small_file_is_refused_and_never_decoded(app, giant, decodes):
    with pytest.raises(LogoRejected) as refused:
        prepare_logo(io.BytesIO(giant))
    assert refused.value.field == "logo"
    assert "too many pixels" in str(refused.value)
    assert decodes == []


def test_the_profile_form_says_so_next_to_the_logo(app, giant, decodes, uploads):
    event = f.make_event()
    company = f.make_exhibitor(event, "Anka Systems")
    company.approval = "approved"
    company.user_id = make_account("anka@example.org", "exhibitor").id
    db.session.commit()
    client = new_client(app, "anka@example.org")
    data = {
        "name": "Anka Systems",
        "country": "TR",
        "contact_name": "Ayşe",
        "action": "save",
        "logo": (io.BytesIO(giant), "logo.png"),
    }
    response = client.post(
        f"/e/{event.slug}/exhibitor/profile", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="logo-error"' in page and "too many pixels" in page
    assert decodes == []
    db.session.expire_all()
    assert db.session.get(Exhibitor, company.id).logo_path is None
    assert not (uploads / "logos").exists()
