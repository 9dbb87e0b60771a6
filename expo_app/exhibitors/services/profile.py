"""What delegates see of a company: its details, sectors and logo (checked, re-encoded,
stored under a random name), and who may see the logo before approval."""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from expo_app.accounts.permissions import is_organiser_of
from expo_app.audit.services import record, snapshot
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor, ExhibitorSector
from expo_app.exhibitors.services.common import MAX_SECTORS, LogoRejected
from expo_app.exhibitors.services.directory import exhibitor_of_event
from expo_app.extensions import db
from expo_app.images import ImageRefused, TooManyPixels, check_pixels
from expo_app.links import web_address

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 6000  # refuse before decoding: a tiny file can claim a huge canvas
LOGO_STORED_SIDE = 800
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


@dataclass
class CompanyDetails:
    """What an exhibitor says about itself: the registration and profile forms."""

    name: str
    country: str
    sectors: list[str]
    description: str | None = None
    description_fr: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


# What CompanyDetails carries besides the sectors, under the same names as the form's
# fields and the Exhibitor's columns.
DETAIL_FIELDS = (
    "name",
    "country",
    "description",
    "description_fr",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
)
PROFILE_FIELDS = [*DETAIL_FIELDS, "logo_path"]  # what the audit log records


def parse_sectors(text: str | None) -> list[str]:
    """Sectors as typed ("UAVs, Radar; Training"), trimmed, without repeats, in order."""
    seen: set[str] = set()
    sectors = []
    for piece in re.split(r"[,;\n]", text or ""):
        name = " ".join(piece.split())[:100]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            sectors.append(name)
    return sectors


def apply_details(exhibitor: Exhibitor, details: CompanyDetails) -> None:
    """Copy what the company says onto the exhibitor; LinkRefused (field "website") before
    anything changes when the website does not pass the URL rule."""
    website = web_address(details.website)
    exhibitor.name = details.name.strip()
    exhibitor.country = details.country.upper()
    exhibitor.description = details.description or None
    exhibitor.description_fr = details.description_fr or None
    exhibitor.website = website
    exhibitor.contact_name = details.contact_name or None
    exhibitor.contact_email = details.contact_email or None
    exhibitor.contact_phone = details.contact_phone or None
    wanted = details.sectors[:MAX_SECTORS]
    kept = {sector.name: sector for sector in exhibitor.sectors}
    exhibitor.sectors = [
        kept.get(name) or ExhibitorSector(name=name, position=position)
        for position, name in enumerate(wanted)
    ]
    for position, sector in enumerate(exhibitor.sectors):
        sector.position = position


def update_profile(
    exhibitor: Exhibitor,
    details: CompanyDetails,
    *,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> None:
    """Change what delegates see of the company in the directory and the catalogue."""
    before = snapshot(exhibitor, PROFILE_FIELDS)
    before["sectors"] = exhibitor.sector_names
    apply_details(exhibitor, details)
    if logo is not None:
        store_logo(exhibitor, logo)
    elif remove_logo and exhibitor.logo_path:
        _delete_logo_file(exhibitor.logo_path)
        exhibitor.logo_path = None
    after = snapshot(exhibitor, PROFILE_FIELDS)
    after["sectors"] = exhibitor.sector_names
    record("exhibitor.profile", exhibitor, before=before, after=after)
    db.session.flush()


def prepare_logo(stream) -> bytes:
    """Check an uploaded logo and re-encode it as a small PNG (no metadata, no surprises).

    Refuses files over LOGO_MAX_BYTES, anything Pillow does not read as a PNG, JPEG,
    GIF or WebP image (SVG included: it can carry scripts), and giant canvases: more
    than MAX_IMAGE_PIXELS, judged from the header before a single pixel is decoded.
    """
    data = stream.read(LOGO_MAX_BYTES + 1)
    if not data:
        raise LogoRejected(_l("The file is empty."))
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRejected(
            _l("The logo is larger than %(size)s MB.", size=LOGO_MAX_BYTES // (1024 * 1024))
        )
    not_an_image = LogoRejected(_l("The logo must be a PNG, JPEG, GIF or WebP image."))
    try:
        check_pixels(data)
    except TooManyPixels as refusal:
        raise LogoRejected(refusal.message) from None
    except ImageRefused:
        raise not_an_image from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in LOGO_FORMATS:
                    raise not_an_image
                width, height = image.size
                if max(width, height) > LOGO_MAX_SIDE:
                    raise LogoRejected(
                        _l(
                            "The logo is too large: at most %(side)s pixels on each side.",
                            side=LOGO_MAX_SIDE,
                        )
                    )
                image.seek(0)  # first frame of an animation
                image.load()
                image = ImageOps.exif_transpose(image)
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                image = image.convert("RGBA" if has_alpha else "RGB")
                image.thumbnail((LOGO_STORED_SIDE, LOGO_STORED_SIDE))
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
    except LogoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_an_image from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or corrupt files
        raise not_an_image from None
    return out.getvalue()


def upload_folder() -> Path:
    """Where uploads live: UPLOAD_FOLDER if set (tests), else the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def logo_folder() -> Path:
    return upload_folder() / "logos"


def store_logo(exhibitor: Exhibitor, png: bytes) -> None:
    """Write a prepared logo under a fresh random name and point the exhibitor at it."""
    folder = logo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{exhibitor.event_id}-{exhibitor.id}-{secrets.token_hex(8)}.png"
    (folder / name).write_bytes(png)
    if exhibitor.logo_path:
        _delete_logo_file(exhibitor.logo_path)
    exhibitor.logo_path = name


def _delete_logo_file(name: str) -> None:
    path = logo_folder() / Path(name).name
    path.unlink(missing_ok=True)


def visible_logo(event: Event, ref: str, viewer: Any) -> str | None:
    """The stored logo file of this event's exhibitor `ref`, if `viewer` may see it: anyone
    once the company is approved; before, only its own account and the event's organisers.
    None (a 404) for another event's code, a company without a logo, or anyone else."""
    found = exhibitor_of_event(event, ref)
    if found is None or not found.logo_path:
        return None
    if found.is_approved:
        return found.logo_path
    own = getattr(viewer, "is_authenticated", False) and found.user_id == viewer.id
    return found.logo_path if own or is_organiser_of(viewer, event.id) else None
