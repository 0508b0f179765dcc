"""``kit workshop WORKSPACE``: the workshop forms as a web app on this computer, with no code visible.

The command prepares a folder for the page and serves the app notebook in it with Voila:

1. it writes the printable hand-outs of the language (:func:`kit.workshop.printouts.write_handouts`)
   to ``<workspace>/handouts/`` -- they stay there for printing later -- and copies them next to
   the page, where Voila serves them (``voila/files/handouts/<file>``, nothing else is served);
2. it copies the app notebook (:data:`kit.workshop.app.APP_NOTEBOOK`) and writes the page's
   settings (:class:`kit.workshop.app.AppSettings`: workspace, language, data folder, period);
3. it runs Voila on ``127.0.0.1:PORT`` with the page's ``lang`` attribute set (``zh`` / ``en``)
   and **idle kernels culled**: every page view starts a kernel, and a kernel whose page was
   closed is shut down after ``--cull-after`` seconds without activity (Voila would otherwise
   keep one kernel per page view until it stops).  A page that stays open keeps its kernel.

Ctrl+C (or SIGTERM) stops Voila, which shuts down every kernel it started; the prepared folder is
removed.  :func:`voila_argv` is the command line used, so it can be read and tested.

JupyterLab itself follows the workshop language through :func:`lab_settings_dir`: a settings
folder of the kit holding an ``overrides.json`` that sets JupyterLab's display language (the
Chinese language pack ``jupyterlab-language-pack-zh-CN`` is a dependency of the kit).  ``make lab``
passes it as ``--LabApp.app_settings_dir``.

Examples
--------
>>> argv = voila_argv(Path("/tmp/app/workshop.ipynb"), port=8870, lang="zh", cull_after=300)
>>> [a for a in argv if "cull" in a or "language" in a]  # doctest: +NORMALIZE_WHITESPACE
['--MappingKernelManager.cull_idle_timeout=300', '--MappingKernelManager.cull_interval=60',
 '--MappingKernelManager.cull_connected=False', '--VoilaExporter.language_code=zh']
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

from kit.core.errors import ParameterError, RunError
from kit.core.i18n import check_lang, t

__all__ = [
    "DEFAULT_CULL_AFTER",
    "DEFAULT_PORT",
    "add_workshop_parser",
    "lab_settings_dir",
    "prepare_app_folder",
    "run_workshop",
    "voila_argv",
]

#: Port of the forms app unless ``--port`` says otherwise.
DEFAULT_PORT = 8866
#: Seconds an idle kernel whose page was closed is kept before it is shut down.
DEFAULT_CULL_AFTER = 300

_ASSETS = Path(__file__).resolve().parent / "assets"


def lab_settings_dir(lang: str) -> Path:
    """The kit's JupyterLab settings folder for ``lang`` (its ``overrides.json`` sets the display language).

    Examples
    --------
    >>> import json
    >>> json.loads((lab_settings_dir("zh") / "overrides.json").read_text())["@jupyterlab/translation-extension:plugin"]
    {'locale': 'zh_CN'}
    """
    return _ASSETS / "lab" / check_lang(lang)


def _period(text: str | None) -> tuple[date, date] | None:
    if not text:
        return None
    start, sep, end = str(text).partition("..")
    try:
        if not sep:
            raise ValueError(text)
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        raise ParameterError.from_key("app.serve.error.bad_period", column="period", value=text) from None
    if last < first:
        raise ParameterError.from_key("app.serve.error.bad_period", column="period", value=text)
    return first, last


def prepare_app_folder(
    folder: str | Path,
    workspace: str | Path,
    lang: str,
    *,
    data_dir: str | Path | None = None,
    period: tuple[date, date] | None = None,
) -> Path:
    """Fill ``folder`` with what Voila serves: the app notebook, its settings and the hand-outs.

    The hand-outs are written to ``<workspace>/handouts/`` first and copied to ``folder/handouts/``.

    Returns
    -------
    Path
        The app notebook in ``folder`` (what Voila is started on).
    """
    from kit.workshop.app import APP_NOTEBOOK, APP_SETTINGS_FILE, AppSettings, load_app_data
    from kit.workshop.kano import kano_features
    from kit.workshop.printouts import write_handouts
    from kit.workshop.workspace import open_workspace

    lang = check_lang(lang)
    ws = open_workspace(Path(workspace).expanduser())
    target = Path(folder)
    served = target / "handouts"
    served.mkdir(parents=True, exist_ok=True)
    features = None
    if data_dir is not None:
        found = kano_features(load_app_data(data_dir, period, lang=lang).surveys)
        features = found or None
    for path in write_handouts(ws.path / "handouts", ws, lang, features=features):
        shutil.copyfile(path, served / path.name)
    settings = AppSettings(
        workspace=ws.path.resolve(),
        lang=lang,
        data_dir=None if data_dir is None else Path(data_dir).expanduser().resolve(),
        period=period,
        handouts_url="voila/files/handouts/",
        card_dirs=(served.resolve(), (ws.path / "handouts").resolve()),
    )
    (target / APP_SETTINGS_FILE).write_text(settings.to_json(), encoding="utf-8")
    notebook = json.loads(APP_NOTEBOOK.read_text(encoding="utf-8"))
    notebook.setdefault("metadata", {})["title"] = t("app.title", lang)  # the browser tab's title
    page = target / "workshop.ipynb"
    page.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
    return page


def voila_argv(
    notebook: Path,
    *,
    port: int = DEFAULT_PORT,
    lang: str = "zh",
    cull_after: int = DEFAULT_CULL_AFTER,
    open_browser: bool = False,
) -> list[str]:
    """Voila's command line for the app page (see the module docstring)."""
    lang = check_lang(lang)
    return [
        str(notebook),
        f"--port={int(port)}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--Voila.open_browser={open_browser}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=handouts/[A-Za-z0-9_.-]+[.]html",
        "--theme=light",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_after)}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, int(cull_after) // 2 or 1))}",
        "--MappingKernelManager.cull_connected=False",
        f"--VoilaExporter.language_code={lang}",
    ]


def run_workshop(args: argparse.Namespace) -> int:
    """The ``kit workshop`` command: prepare the page, serve it until Ctrl+C, clean up."""
    try:
        from voila.app import Voila
    except ImportError:
        raise RunError.from_key("app.serve.error.no_voila") from None

    lang = check_lang(args.lang)
    period = _period(args.period)
    folder = Path(tempfile.mkdtemp(prefix="kit-workshop-"))
    try:
        page = prepare_app_folder(folder, args.workspace, lang, data_dir=args.data, period=period)
        print(t("app.serve.handouts", lang, folder=Path(args.workspace).expanduser() / "handouts"), flush=True)
        print(t("app.serve.started", lang, url=f"http://127.0.0.1:{args.port}/", workspace=args.workspace), flush=True)
        argv = voila_argv(page, port=args.port, lang=lang, cull_after=args.cull_after, open_browser=not args.no_browser)
        Voila.launch_instance(argv=argv)
        Voila.clear_instance()
        print(t("app.serve.stopped", lang), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def add_workshop_parser(sub: argparse._SubParsersAction, default_lang: str = "zh") -> argparse.ArgumentParser:
    """Register ``kit workshop`` on the ``kit`` command line's sub-parsers."""
    p = sub.add_parser("workshop", help="open the workshop forms as a web app (no code visible) for a workspace")
    p.add_argument("workspace", help="the client workspace folder, e.g. workspaces/acme")
    p.add_argument("--lang", choices=["zh", "en"], default=default_lang, help="language of the page (default zh)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    p.add_argument("--data", help="the client's data folder (surveys for KANO, complaints for 'achievable')")
    p.add_argument("--period", help="only the rows of YYYY-MM-DD..YYYY-MM-DD (default: all the data)")
    p.add_argument(
        "--cull-after",
        type=int,
        default=DEFAULT_CULL_AFTER,
        help=f"seconds before the kernel of a closed page is shut down (default {DEFAULT_CULL_AFTER})",
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=run_workshop)
    return p
