"""The workshop forms app: every workshop form and result on one page, with no code visible.

``kit workshop WORKSPACE`` (:mod:`kit.workshop.serve`) serves the app notebook shipped with the kit
(:data:`APP_NOTEBOOK`) with Voila; the notebook builds one :class:`WorkshopApp` and shows it.  The
page has four tabs:

1. **customer types** -- :class:`~kit.workshop.widgets.CustomerTypesForm` (key needs picked from
   the survey's features, KANO category from a list) and the table of types with the KANO
   category of every linked need (:func:`~kit.workshop.customer_types.attach_kano`);
2. **KANO** -- the table (:func:`~kit.workshop.kano.kano_table`), the Better/Worse chart
   (:func:`~kit.workshop.kano.kano_scatter`) and one sentence per feature, computed from the
   survey, and which customer types count on each feature;
3. **service standards** -- :class:`~kit.workshop.widgets.StandardsForm`, today's attainment
   measured in the complaints and the SMART verdicts (:func:`~kit.workshop.smart.smart_verdicts`);
4. **standards card** -- the card (:func:`~kit.workshop.card.standards_card_html`) with its print
   button, and links to the printable hand-outs (:mod:`kit.workshop.printouts`).

**Saving recomputes what depends on it, on the same page**, through the forms' ``on_save``
callbacks (no cell is re-run): a standards save redraws the measured attainment, the SMART
verdicts and the card (and rewrites the card files); a customer-types save redraws the types
table and the KANO-linked needs.

The attainment measured in the complaint history belongs to the audit stage, which this module
may not import: the app notebook passes :func:`kit.audit.measured_attainment` and
:func:`kit.audit.measured_attainment_table` in as ``measure`` and ``measure_table``.

Examples
--------
>>> import tempfile
>>> from kit.workshop.workspace import create_workspace
>>> ws = create_workspace(tempfile.mkdtemp(), "demo")
>>> app = WorkshopApp(AppSettings(workspace=ws.path, lang="en"))
>>> app.tab_titles
['Customer types', 'KANO', 'Service standards', 'Standards card']
>>> app.standards_form.fields["authority_frontline"].value = "300"
>>> app.standards_form.save(), "300" in app.card.value
(True, True)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from kit.core.i18n import check_lang, label_of, t
from kit.workshop.card import StandardsCard, card_filename, standards_card_html
from kit.workshop.customer_types import CustomerTypes, attach_kano
from kit.workshop.kano import KanoResult, describe_feature, kano_analysis, kano_features, kano_scatter, kano_table
from kit.workshop.printouts import HANDOUTS, handout_filename
from kit.workshop.smart import smart_display, smart_verdicts
from kit.workshop.standards import ServiceStandards
from kit.workshop.workspace import load_customer_types, load_standards, open_workspace

__all__ = [
    "APP_NOTEBOOK",
    "APP_SETTINGS_FILE",
    "AppData",
    "AppSettings",
    "Measure",
    "WorkshopApp",
    "app_settings",
    "load_app_data",
    "open_app",
]

#: The app notebook served by ``kit workshop`` (package data of the kit).
APP_NOTEBOOK = Path(__file__).resolve().parent / "assets" / "workshop.ipynb"
#: The settings file ``kit workshop`` writes next to its copy of the app notebook.
APP_SETTINGS_FILE = "kit_workshop.json"

_TABLE_CSS = """
<style>
.kit-app { font-size: 14px; }
.kit-app table.kit-table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
.kit-app table.kit-table th, .kit-app table.kit-table td { border: 1px solid #c8c8c8; padding: 3px 8px;
  text-align: left; vertical-align: top; }
.kit-app table.kit-table th { background: #eef2f6; }
.kit-app .kit-note { color: #555; }
.kit-app .kit-handouts a { margin-right: 18px; color: #0b5cad; text-decoration: underline; }
</style>
"""


@dataclass(frozen=True)
class AppSettings:
    """What one app page works on (``kit workshop`` writes it as JSON next to the app notebook).

    Attributes
    ----------
    workspace : Path
        The client workspace folder.
    lang : {"zh", "en"}
    data_dir : Path, optional
        The chain's data folder (surveys for KANO, complaints for "achievable"); None = no data.
    period : (date, date), optional
        Only rows of these days (both inclusive); None = all the data.
    handouts_url : str, optional
        Where the page links the hand-outs (relative URL ending in ``/``); None = no links.
    card_dirs : tuple of Path
        Folders whose ``standards_card.<lang>.html`` is rewritten after a standards save
        (besides the workspace itself).
    """

    workspace: Path
    lang: str = "zh"
    data_dir: Path | None = None
    period: tuple[date, date] | None = None
    handouts_url: str | None = None
    card_dirs: tuple[Path, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        """The settings as JSON (paths as text, dates as ISO)."""
        return json.dumps(
            {
                "workspace": str(self.workspace),
                "lang": self.lang,
                "data_dir": None if self.data_dir is None else str(self.data_dir),
                "period": None if self.period is None else [d.isoformat() for d in self.period],
                "handouts_url": self.handouts_url,
                "card_dirs": [str(p) for p in self.card_dirs],
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> AppSettings:
        """The inverse of :meth:`to_json`."""
        raw = json.loads(text)
        period = raw.get("period")
        return cls(
            workspace=Path(raw["workspace"]),
            lang=check_lang(raw.get("lang", "zh")),
            data_dir=Path(raw["data_dir"]) if raw.get("data_dir") else None,
            period=(date.fromisoformat(period[0]), date.fromisoformat(period[1])) if period else None,
            handouts_url=raw.get("handouts_url"),
            card_dirs=tuple(Path(p) for p in raw.get("card_dirs") or ()),
        )


def app_settings(
    workspace: str = "", data_dir: str = "", lang: str = "", *, folder: str | Path | None = None
) -> AppSettings:
    """The settings of an app page: the parameters given, else ``kit workshop``'s settings file, else a demo.

    Parameters
    ----------
    workspace, data_dir, lang : str
        The app notebook's parameters; empty = not given.
    folder : path, optional
        Where to look for :data:`APP_SETTINGS_FILE` (default: the current folder, which is the
        app notebook's folder when Voila runs it).

    A page opened without settings (the notebook run on its own, e.g. by the test suite) works on
    the project's demo workspace (created from the seed defaults when missing) and the sample data.
    """
    file = Path(folder or Path.cwd()) / APP_SETTINGS_FILE
    base = AppSettings.from_json(file.read_text(encoding="utf-8")) if file.is_file() else None
    if base is None:
        from kit.run.params import WorkshopParams, validate_params
        from kit.workshop.session import project_root, resolve_workspace

        chosen = lang or "zh"
        ws, _note = resolve_workspace(validate_params(WorkshopParams, workspace=workspace, data_dir=".", lang=chosen))
        sample = project_root() / "data" / "sample"
        base = AppSettings(
            workspace=ws.path, lang=chosen, data_dir=sample if (sample / "stores.csv").exists() else None
        )
    return AppSettings(
        workspace=Path(workspace).expanduser() if workspace else base.workspace,
        lang=check_lang(lang) if lang else base.lang,
        data_dir=Path(data_dir).expanduser() if data_dir else base.data_dir,
        period=base.period,
        handouts_url=base.handouts_url,
        card_dirs=base.card_dirs,
    )


@dataclass(frozen=True)
class AppData:
    """The chain's rows the app uses: surveys (KANO), complaints and stores (attainment today)."""

    surveys: pd.DataFrame
    complaints: pd.DataFrame
    stores: pd.DataFrame
    as_of: pd.Timestamp
    summary: tuple[str, ...] = ()


def load_app_data(data_dir: str | Path, period: tuple[date, date] | None = None, *, lang: str = "zh") -> AppData:
    """Load the chain in ``data_dir`` (:func:`kit.intake.load.load_chain`), optionally only ``period``'s rows.

    ``as_of`` (the moment "open" complaints are judged at) is the latest time in the complaints,
    capped at the end of the period.

    Examples
    --------
    >>> import tempfile
    >>> from kit.intake.sample import write_chain
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_chain(folder, stores=1, months=1, seed=3)
    >>> data = load_app_data(folder)
    >>> len(data.surveys) > 0, str(data.as_of) > "2026-01"
    (True, True)
    """
    from kit.core.periods import filter_period
    from kit.intake.load import load_chain

    chain = load_chain(data_dir)
    complaints, surveys = chain.complaints.data, chain.surveys.data
    end = None
    if period is not None:
        complaints = filter_period(complaints, period[0], period[1])
        surveys = filter_period(surveys, period[0], period[1], time_col="date")
        end = pd.Timestamp(period[1]) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    times = complaints.select_dtypes("datetime")
    latest = times.max().max() if not times.empty else pd.NaT
    candidates = [v for v in (latest, end) if v is not None and pd.notna(v)]
    as_of = min(candidates) if candidates else pd.Timestamp.now().normalize()
    return AppData(surveys, complaints, chain.stores.data, as_of, tuple(chain.summary(lang)))


def _table(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table (every cell escaped)."""
    return frame.to_html(index=False, escape=True, border=0, classes="kit-table", na_rep="—")


Measure = Callable[..., pd.DataFrame]


class WorkshopApp:
    """The forms app page (see the module docstring).

    Parameters
    ----------
    settings : AppSettings
    measure : callable, optional
        ``measure(complaints, standards, as_of=..., stores=...) -> DataFrame`` with columns ``id``
        and ``attainment`` (a share), e.g. :func:`kit.audit.measured_attainment`.  None = "achievable"
        stays unknown.
    measure_table : callable, optional
        ``measure_table(measured, standards, lang) -> DataFrame`` for display, e.g.
        :func:`kit.audit.measured_attainment_table`.
    today : date, optional
        Flags review dates that have passed (default: today).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The page (display it, or show the app itself).
    tabs : ipywidgets.Tab
    types_form, standards_form : the two forms
    types_table, linked_needs, kano_view, measured, verdicts, card, handouts : ipywidgets.HTML
    kano_chart : ipywidgets.Image or None
    kano : KanoResult or None
        The survey's KANO analysis (None without survey data).
    """

    def __init__(
        self,
        settings: AppSettings,
        *,
        measure: Measure | None = None,
        measure_table: Measure | None = None,
        today: date | None = None,
    ) -> None:
        import ipywidgets as w

        from kit.core.errors import set_message_language
        from kit.workshop.widgets import CustomerTypesForm, StandardsForm

        self.settings = settings
        self.lang = check_lang(settings.lang)
        set_message_language(self.lang)
        self.workspace = open_workspace(settings.workspace)
        self.today = today or date.today()
        self.measure = measure
        self.measure_table = measure_table
        self.data = load_app_data(settings.data_dir, settings.period, lang=self.lang) if settings.data_dir else None
        features = kano_features(self.data.surveys) if self.data is not None else []
        self.kano: KanoResult | None = kano_analysis(self.data.surveys, features) if features else None
        categories = None if self.kano is None else self.kano.categories.dropna().to_dict()

        self.types_form = CustomerTypesForm(self.workspace, self.lang, features=features or None, kano=categories)
        self.standards_form = StandardsForm(self.workspace, self.lang)
        self.types_form.on_save(self._types_saved)
        self.standards_form.on_save(self._standards_saved)

        html = lambda name: w.HTML(layout=w.Layout(width="100%")).add_class(name)  # noqa: E731
        self.types_table, self.linked_needs, self.kano_view = (
            html("kit-types-table"),
            html("kit-linked"),
            html("kit-kano"),
        )
        self.measured, self.verdicts, self.card, self.handouts = (
            html("kit-measured"),
            html("kit-verdicts"),
            html("kit-card"),
            html("kit-handouts"),
        )
        self.kano_chart = self._kano_chart(w)
        self._draw_kano()
        self._types_saved(load_customer_types(self.workspace, default_if_missing=True))
        self._standards_saved(load_standards(self.workspace, default_if_missing=True))
        self.handouts.value = self._handout_links()

        def section(key: str) -> Any:
            return w.HTML(f"<h3>{escape(self._tx(f'section.{key}'))}</h3>")

        kano_parts = [self.kano_view] + ([self.kano_chart] if self.kano_chart is not None else [])
        pages = [
            w.VBox([self.types_form.widget, section("types_table"), self.types_table]),
            w.VBox([*kano_parts, section("linked"), self.linked_needs]),
            w.VBox(
                [self.standards_form.widget, section("measured"), self.measured, section("verdicts"), self.verdicts]
            ),
            w.VBox([self.handouts, self.card]),
        ]
        self.tab_titles = [self._tx(f"tab.{k}") for k in ("types", "kano", "standards", "card")]
        self.tabs = w.Tab(children=pages, titles=self.tab_titles)
        self.tabs.add_class("kit-tabs")
        header = w.HTML(
            _TABLE_CSS
            + f"<h2>{escape(self._tx('title'))}</h2>"
            + f'<div class="kit-note">{escape(self._tx("workspace", name=self.workspace.name))}'
            + (f" · {escape(self._tx('no_data'))}" if self.data is None else "")
            + "</div>"
        )
        self.widget = w.VBox([header, self.tabs])
        self.widget.add_class("kit-app")

    def _tx(self, key: str, **values: Any) -> str:
        return t(f"app.{key}", self.lang, **values)

    # -- KANO: from the survey only, drawn once -----------------------------------------------
    def _kano_chart(self, w: Any) -> Any:
        if self.kano is None:
            return None
        import matplotlib.pyplot as plt

        fig = kano_scatter(self.kano, self.lang)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=96)
        plt.close(fig)  # never shown by the inline backend as well
        return w.Image(value=buffer.getvalue(), format="png", layout=w.Layout(max_width="720px")).add_class(
            "kit-kano-chart"
        )

    def _draw_kano(self) -> None:
        if self.kano is None:
            self.kano_view.value = f'<p class="kit-note">{escape(self._tx("no_kano"))}</p>'
            return
        sentences = "".join(
            f"<li>{escape(describe_feature(self.kano, f, self.lang))}</li>" for f in self.kano.table.index
        )
        self.kano_view.value = _table(kano_table(self.kano, self.lang)) + f"<ul>{sentences}</ul>"

    # -- what a customer-types save changes -------------------------------------------------
    def _types_saved(self, types: CustomerTypes) -> None:
        shown = attach_kano(types, self.kano.categories) if self.kano is not None else types
        self.types_table.value = _table(shown.table(self.lang))
        rows = []
        for feature in dict.fromkeys(n.feature for ct in shown.types for n in ct.key_needs if n.feature):
            who = [ct.name(self.lang) for ct in shown.types if any(n.feature == feature for n in ct.key_needs)]
            category = None
            if self.kano is not None and feature in self.kano.table.index:
                category = self.kano.table.loc[feature, "category"]
            rows.append(
                {
                    "feature": label_of("kano.feature", feature, self.lang),
                    "category": "—"
                    if category is None or pd.isna(category)
                    else label_of("kano.category", category, self.lang),
                    "types": ("、" if self.lang == "zh" else ", ").join(who),
                }
            )
        frame = pd.DataFrame(rows, columns=["feature", "category", "types"])
        self.linked_needs.value = _table(frame.rename(columns={c: self._tx(f"column.{c}") for c in frame.columns}))

    # -- what a standards save changes -------------------------------------------------------
    def _standards_saved(self, standards: ServiceStandards) -> None:
        measured = None
        if self.measure is not None and self.data is not None and len(self.data.complaints):
            measured = self.measure(self.data.complaints, standards, as_of=self.data.as_of, stores=self.data.stores)
        history = None
        if measured is not None and len(measured):
            history = measured.set_index("id")["attainment"].dropna()
        must_be = self.kano.must_be() if self.kano is not None else None
        verdicts = smart_verdicts(standards, history, must_be=must_be, today=self.today, lang=self.lang)
        notes = "".join(
            f"<li><b>{escape(r.title)}</b> — {escape(r.note_achievable)}</li>"
            for r in verdicts.itertuples()
            if pd.notna(r.today)
        )
        self.verdicts.value = _table(smart_display(verdicts, self.lang)) + (f"<ul>{notes}</ul>" if notes else "")
        if measured is not None and self.measure_table is not None and len(measured):
            self.measured.value = _table(self.measure_table(measured, standards, self.lang))
        else:
            self.measured.value = f'<p class="kit-note">{escape(self._tx("no_measure"))}</p>'
        page = standards_card_html(standards, self.lang)
        self.card.value = StandardsCard(page, self.lang).frame()
        from kit.core.files import write_text

        for folder in (self.workspace.path, *self.settings.card_dirs):
            write_text(Path(folder) / card_filename(self.lang), page)

    def _handout_links(self) -> str:
        names = {key: self._tx(f"handout.{key}") for key in HANDOUTS}
        if self.settings.handouts_url is None:
            items = "".join(f"<li>{escape(names[k])}: {escape(handout_filename(k, self.lang))}</li>" for k in HANDOUTS)
            return f"<h3>{escape(self._tx('section.handouts'))}</h3><ul>{items}</ul>"
        base = self.settings.handouts_url
        links = "".join(
            f'<a href="{escape(base + handout_filename(k, self.lang), quote=True)}" target="_blank" '
            f'rel="noopener" class="kit-handout-{k}">{escape(names[k])}</a>'
            for k in HANDOUTS
        )
        return (
            f"<h3>{escape(self._tx('section.handouts'))}</h3><p>{escape(self._tx('handouts_help'))}</p><p>{links}</p>"
        )

    def _ipython_display_(self) -> None:  # pragma: no cover - only in a live notebook or Voila
        from IPython.display import display

        display(self.widget)


def open_app(settings: AppSettings, **kwargs: Any) -> Any:
    """:class:`WorkshopApp` for ``settings``; a problem the facilitator can fix is shown as its message instead.

    A workspace file edited by hand with a mistake, a missing workspace or an unreadable data
    folder raises a :class:`~kit.core.errors.KitError`; on a page without code a traceback would
    help nobody, so the page shows the message (what, where, what to do) in the page's language.

    Examples
    --------
    >>> page = open_app(AppSettings(workspace=Path("/no/such/workspace"), lang="en"))
    >>> "the workspace folder does not exist" in page.value
    True
    """
    from kit.core.errors import KitError

    try:
        return WorkshopApp(settings, **kwargs)
    except KitError as exc:
        import ipywidgets as w

        text = escape(exc.message(check_lang(settings.lang)))
        return w.HTML(f'<div class="kit-status kit-status-error" style="color:#b42318">{text}</div>').add_class(
            "kit-app-error"
        )
