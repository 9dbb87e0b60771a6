"""The organiser workspace: accreditation, approvals of exhibitors and demos, the morning
figures, lists and CSV, the schedule editor, the meeting scheduler, the floor plan, event
setup and the audit log, under /e/<slug>/manage/."""
