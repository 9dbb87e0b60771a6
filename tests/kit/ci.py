"""Whether the suite runs in CI, where a missing tool fails a test instead of skipping it."""

from __future__ import annotations

import importlib
import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(what: str, why: str) -> NoReturn:
    """Skip the test, saying what cannot run and why; in CI (CI=true) fail it instead,
    since there every test must run."""
    if IN_CI:
        pytest.fail(f"{what} cannot run, and CI needs it: {why}")
    pytest.skip(f"{what} skipped: {why}")


def import_or_unavailable(module: str, what: str):
    """`pytest.importorskip`, except that in CI a missing module fails the test."""
    try:
        return importlib.import_module(module)
    except ImportError as missing:
        unavailable(what, f"cannot import {module} ({missing})")
