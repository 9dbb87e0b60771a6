"""Identity documents in the event interchange format (expo-event/1.1), only when asked.

An export carries them unsealed, so it is as sensitive as the documents themselves: it
is made only on an explicit flag, says so at the top level, and is audited. An import
seals them again with this installation's key.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from sqlalchemy import select

from expo_app.audit.services import record
from expo_app.delegations.models import Participant
from expo_app.events.models import Event
from expo_app.extensions import db
from expo_app.modelkit import utcnow
from expo_app.vetting.models import IdentityDocument, Vetting
from expo_app.vetting.sealing import seal, seal_bytes, unseal, unseal_bytes


def exported_documents(event: Event) -> dict[int, dict[str, Any]]:
    """participant id -> its identity document as the format writes it (unsealed);
    the export is audited, with how many documents left the installation."""
    documents = db.session.execute(
        select(IdentityDocument)
        .join(Participant, Participant.id == IdentityDocument.participant_id)
        .where(Participant.event_id == event.id)
        .order_by(IdentityDocument.participant_id)
    ).scalars()
    found = {
        document.participant_id: {
            "kind": document.kind,
            "number": unseal(document.number_sealed),
            "issuing_country": document.issuing_country,
            "expires_on": document.expires_on.isoformat(),
            "birth_date": unseal(document.birth_date_sealed),
            "vetting": document.vetting,
            "vetting_reason": document.vetting_reason,
            "scan_type": document.scan_type,
            "scan": (
                base64.b64encode(unseal_bytes(document.scan_sealed)).decode("ascii")
                if document.scan_sealed is not None
                else None
            ),
        }
        for document in documents
    }
    record("identity.exported", event, after={"documents": len(found)})
    return found


def imported_rows(items: list[dict[str, Any]], participant_ids: dict[str, int]) -> list[dict]:
    """The identity_documents rows of a validated document's participants, sealed."""
    rows = []
    for item in items:
        document = item.get("identity_document")
        if document is None:
            continue
        scan = document.get("scan")
        rows.append(
            {
                "participant_id": participant_ids[item["id"]],
                "kind": document["kind"],
                "number_sealed": seal(document["number"]),
                "birth_date_sealed": seal(document["birth_date"]),
                "issuing_country": document["issuing_country"],
                "expires_on": date.fromisoformat(document["expires_on"]),
                "scan_sealed": seal_bytes(base64.b64decode(scan)) if scan else None,
                "scan_type": document.get("scan_type") if scan else None,
                "vetting": document.get("vetting") or Vetting.PENDING.value,
                "vetting_reason": document.get("vetting_reason"),
                "updated_at": utcnow(),
            }
        )
    return rows
