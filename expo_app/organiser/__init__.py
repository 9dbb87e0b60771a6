"""The organiser workspace: accreditation, the morning figures, lists and CSV, the schedule
editor, the floor plan, event setup and the audit log, under /e/<slug>/manage/."""
