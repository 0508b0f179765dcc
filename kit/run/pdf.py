"""PDF copies of the HTML reports, printed by a headless Chromium when one is installed.

Chromium (Debian: ``apt-get install chromium fonts-noto-cjk``) renders a Chinese report in about
two seconds with ``--headless --print-to-pdf``.  Nothing is downloaded: when no browser is found
the PDFs are skipped with a clear note, never an error (see ``docs/deliverables.md``).  The
binary is looked up as ``$KIT_CHROMIUM`` first, then ``chromium``, ``chromium-browser``,
``google-chrome`` on the ``PATH``.

Examples
--------
>>> import os
>>> os.environ["KIT_CHROMIUM"] = "/no/such/browser"
>>> find_chromium(names=()) is None
True
>>> del os.environ["KIT_CHROMIUM"]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["CHROMIUM_NAMES", "PRINT_TIMEOUT_S", "find_chromium", "html_to_pdf", "pdf_is_current"]

#: Browser names tried on the ``PATH`` after ``$KIT_CHROMIUM``.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: Seconds one page may take to print.
PRINT_TIMEOUT_S = 120


def find_chromium(names: Sequence[str] = CHROMIUM_NAMES) -> str | None:
    """The path of a Chromium / Chrome binary, or None when none is installed.

    ``$KIT_CHROMIUM`` (a path or a command name) wins when it points at an existing program.
    """
    env = os.environ.get("KIT_CHROMIUM", "").strip()
    if env:
        found = shutil.which(env)
        if found:
            return found
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_is_current(html_path: str | Path, pdf_path: str | Path) -> bool:
    """True when ``pdf_path`` exists, is not empty and was written after ``html_path`` last changed.

    Such a PDF need not be printed again (a resumed run re-prints only the reports it re-made).

    Examples
    --------
    >>> pdf_is_current("/no/such/page.html", "/no/such/page.pdf")
    False
    """
    try:
        pdf_stat, html_stat = Path(pdf_path).stat(), Path(html_path).stat()
    except OSError:
        return False
    return pdf_stat.st_size > 0 and pdf_stat.st_mtime_ns > html_stat.st_mtime_ns


def html_to_pdf(
    html_path: str | Path, pdf_path: str | Path, *, chromium: str, timeout: float = PRINT_TIMEOUT_S
) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (written atomically).

    The page size comes from the report's CSS (``@page { size: A4 }`` in
    :func:`kit.run.html.export_html`); headers and footers with the file path are switched off.

    Raises
    ------
    RuntimeError
        Chromium exited with an error, timed out or wrote no PDF (the message has its output).
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{pdf_path.stem}.", suffix=".pdf", dir=pdf_path.parent)
    os.close(fd)
    profile = tempfile.mkdtemp(prefix="kit-chromium-")
    cmd = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        f"--print-to-pdf={tmp}",
        html_path.as_uri(),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if proc.returncode != 0 or Path(tmp).stat().st_size == 0:
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            raise RuntimeError(f"chromium exit {proc.returncode}: {' | '.join(tail)}")
        os.replace(tmp, pdf_path)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"chromium took more than {timeout:.0f} s") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
    return pdf_path
