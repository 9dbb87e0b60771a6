"""Every shipped catalogue is complete: a message with an empty translation, or an empty
plural form, shows in English on a French page (French has three plural forms in CLDR;
"Try again in 15 minutes" uses the third)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = sorted(Path(__file__).parents[1].glob("expo_app/translations/*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_and_every_plural_form_is_translated(path):
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            missing.append(message.id)
    assert not missing, f"{len(missing)} untranslated in {path}: {missing[:5]}"


def test_a_french_wait_of_many_minutes_is_in_french(app):
    from flask_babel import force_locale

    from expo_app.accounts.views import too_many_attempts

    with app.test_request_context(), force_locale("fr"):
        assert too_many_attempts(15 * 60) == "Trop de tentatives. Réessayez dans 15 minutes."
        assert too_many_attempts(60) == "Trop de tentatives. Réessayez dans 1 minute."
