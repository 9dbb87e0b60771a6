"""Badges: layouts as data, signed offline-verifiable codes, printing and gate check-in."""
