"""ipywidgets forms that edit a client workspace during the workshop (notebooks 01 and 02, the forms app).

papermill keeps widget state only as a snapshot of the end of a run, so the forms never rely on
it: **Save** validates what was typed through the workspace's pydantic model and writes the YAML
file atomically with :mod:`kit.workshop.workspace` (previous version kept in ``.history/``).  A mistake is
shown in ``form.status`` as one message in the form's language naming the field, and the file is
left unchanged.

What a participant types is what they mean:

* **percentages are typed as percentages** -- "95" in *required %* is 95 %, and "120" is refused
  with "must be at most 100 %" (not with the 0–1 bound of the file, which stores 0.95);
* **dates are typed and shown as YYYY-MM-DD** (a text field, not the browser's date picker,
  whose format follows the browser's locale);
* **key needs are picked from lists** -- the survey feature from the survey's features (or those
  the workspace and the catalogue know), the KANO category from a drop-down; picking a feature
  fills in its name and, when the survey was analysed, its category.

Code around a form can react to a save without re-running cells: ``form.on_save(callback)``
calls ``callback(model)`` with the saved model after every successful save (the forms app
recomputes the SMART verdicts, the standards card and the KANO-linked needs this way).

Both forms expose the same small API, so tests (and notebooks) can drive them without a browser::

    form = CustomerTypesForm(ws, "en")
    form.fields["name_zh"].value = "会员"
    form.save_button.click()          # or form.save() -> True when saved
    form.status.value                 # what happened (HTML)
    form.widget                       # the root widget to display

Examples
--------
>>> import tempfile
>>> from kit.workshop.workspace import create_workspace, load_customer_types
>>> ws = create_workspace(tempfile.mkdtemp(), "demo")
>>> form = CustomerTypesForm(ws, "en")
>>> form.fields["name_en"].value = "shoppers"
>>> form.save()
True
>>> load_customer_types(ws).types[0].name_en
'shoppers'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

import ipywidgets as w
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from kit.core.errors import KitError
from kit.core.i18n import check_lang, label_of, labels, t
from kit.core.validation import invalid, problem_text
from kit.workshop.customer_types import CustomerTypes
from kit.workshop.kano import CATEGORIES, feature_label
from kit.workshop.smart import standard_wording
from kit.workshop.standards import ANY, ROLES, ServiceStandards
from kit.workshop.workspace import (
    Workspace,
    load_customer_types,
    load_standards,
    open_workspace,
    save_customer_types,
    save_standards,
)

__all__ = ["CustomerTypesForm", "StandardsForm", "needs_to_text", "text_to_needs"]

_WIDE = w.Layout(width="95%")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NONE = ""  # the value of the "—" (nothing chosen) entry of a drop-down


def _ws(workspace: Workspace | str) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else open_workspace(workspace)


def _blank_none(text: Any) -> Any:
    """``""`` -> None; other text stripped (pydantic turns ``"0.3"`` into a number or names the field)."""
    if text is None:
        return None
    s = str(text).strip()
    return None if s == "" else s


def _number(text: Any) -> Any:
    """A number typed in a text field (``1,000`` and full-width commas allowed); else the text itself."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    s = _blank_none(text)
    if s is None:
        return None
    try:
        return float(s.replace(",", "").replace("，", ""))
    except ValueError:
        return s  # pydantic names the field and says it is not a number


def _status_html(kind: str, text: str) -> str:
    colour = {"ok": "#1a7f37", "error": "#b42318", "info": "#444444"}[kind]
    return f'<div class="kit-status kit-status-{kind}" style="color:{colour}; white-space:pre-wrap">{text}</div>'


def _as_custom(error: dict[str, Any]) -> PydanticCustomError:
    """A pydantic error (an item of ``errors()``) as a custom error of the same type and context."""
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    message = str(error.get("msg", "")).replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(str(error.get("type", "value_error")), message, context)


def _validate(model: type[BaseModel], data: dict[str, Any], problems: list[dict[str, Any]]) -> Any:
    """``model.model_validate(data)``, with the form's own ``problems`` reported as validation errors too.

    ``problems`` are line errors (``loc``, ``type`` as a :class:`PydanticCustomError`, ``input``) the
    form found before the model (a percentage above 100, a date not written YYYY-MM-DD); pydantic's
    errors at the same place are left out, so each field is named once, in the form's terms.
    """
    if not problems:
        return model.model_validate(data)
    try:
        model.model_validate(data)
        errors: list[dict[str, Any]] = []
    except ValidationError as exc:
        errors = exc.errors()
    places = {tuple(p["loc"]) for p in problems}
    line_errors = list(problems) + [
        {"type": _as_custom(e), "loc": tuple(e["loc"]), "input": e.get("input")}
        for e in errors
        if tuple(e["loc"]) not in places
    ]
    raise ValidationError.from_exception_data(model.__name__, line_errors)


def _percent(value: Any, loc: tuple, problems: list[dict[str, Any]], *, zero_ok: bool = False) -> Any:
    """A percentage typed by a person (95 = 95 %) as a share 0–1; a value outside the range is a problem."""
    number = _number(value)
    if not isinstance(number, float):
        return number  # None or text: the model says what is wrong
    if number > 100:
        problems.append({"type": invalid("widgets.invalid.percent_max"), "loc": loc, "input": value})
    elif number < 0 or (number == 0 and not zero_ok):
        problems.append({"type": invalid("widgets.invalid.percent_min"), "loc": loc, "input": value})
    return number / 100.0


class _Form:
    """Shared parts: language, status line, Save button, error formatting, save callbacks."""

    lang: str

    def __init__(self, workspace: Workspace | str, lang: str) -> None:
        self.lang = check_lang(lang)
        self.workspace = _ws(workspace)
        self.status = w.HTML(value="")
        self.save_button = w.Button(description=t("widgets.button.save", lang), button_style="primary", icon="save")
        self.save_button.add_class("kit-save")
        self.save_button.on_click(lambda _b: self.save())
        #: The message of the last failed save (plain text), or "" after a successful one.
        self.last_error = ""
        self._on_save: list[Callable[[Any], Any]] = []

    def on_save(self, callback: Callable[[Any], Any]) -> None:
        """Call ``callback(model)`` with the saved model after every successful save.

        The status line then says that the page was updated instead of asking to re-run cells.
        An exception in a callback is shown in the status line; the file stays saved.
        """
        self._on_save.append(callback)

    def _tx(self, key: str, **values: Any) -> str:
        return t(f"widgets.{key}", self.lang, **values)

    def _where(self, loc: tuple) -> str:  # overridden by the forms
        return ".".join(str(p) for p in loc)

    def _show_invalid(self, exc: ValidationError) -> None:
        errors = exc.errors()
        lines = [self._tx("status.invalid", count=len(errors))]
        for err in errors[:8]:
            where = self._where(tuple(err["loc"]))
            text = problem_text(err, self.lang)
            lines.append(f"• {where}: {text}" if where else f"• {text}")
        self.last_error = "\n".join(lines)
        self.status.value = _status_html("error", escape(self.last_error))

    def _validated_save(self, model: Any, save: Any) -> tuple[Any, Any] | None:
        """``(validated model, path)`` after ``save(workspace, model())``; None, with the reason shown, if invalid."""
        try:
            value = model()
            return value, save(self.workspace, value)
        except ValidationError as exc:
            self._show_invalid(exc)
        except KitError as exc:
            self._show_kit_error(exc)
        return None

    def _show_kit_error(self, exc: KitError) -> None:
        self.last_error = exc.message(self.lang)
        self.status.value = _status_html("error", escape(self.last_error))

    def _saved(self, value: Any, path: Any) -> None:
        """Run the save callbacks, then say what happened."""
        self.last_error = ""
        text = self._tx("status.saved", file=str(path))
        if not self._on_save:
            self.status.value = _status_html("ok", escape(text + "\n" + self._tx("status.rerun")))
            return
        try:
            for callback in self._on_save:
                callback(value)
        except KitError as exc:
            self.status.value = _status_html("error", escape(text + "\n" + exc.message(self.lang)))
            return
        except Exception as exc:  # a bug in a page's callback: the file is saved, say so
            self.status.value = _status_html(
                "error", escape(text + "\n" + self._tx("status.update_failed", error=f"{type(exc).__name__}: {exc}"))
            )
            return
        self.status.value = _status_html("ok", escape(text + "\n" + self._tx("status.updated")))

    def _ipython_display_(self) -> None:  # pragma: no cover - only in a live notebook
        from IPython.display import display

        display(self.widget)


# --------------------------------------------------------------------------------------------
# customer types
# --------------------------------------------------------------------------------------------
_NEED_SEP = re.compile(r"\s*\|\s*")


def needs_to_text(needs: list[dict[str, Any]]) -> str:
    """Key needs as lines ``need_zh | need_en | feature | kano`` (empty trailing parts left out).

    The text form of the needs (for e-mails and quick edits); the form itself edits them as rows.

    Examples
    --------
    >>> needs_to_text([{"need_zh": "快", "need_en": "fast", "feature": "fast_response", "kano": "M"}])
    '快 | fast | fast_response | M'
    """
    lines = []
    for n in needs:
        parts = [n.get("need_zh") or "", n.get("need_en") or "", n.get("feature") or "", n.get("kano") or ""]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def text_to_needs(text: str) -> list[dict[str, Any]]:
    """The inverse of :func:`needs_to_text`; blank lines are skipped.

    Examples
    --------
    >>> text_to_needs("快 | fast")[0]["need_en"]
    'fast'
    """
    needs = []
    for line in str(text).splitlines():
        if not line.strip():
            continue
        parts = _NEED_SEP.split(line.strip()) + ["", "", "", ""]
        needs.append(
            {"need_zh": parts[0], "need_en": parts[1], "feature": parts[2] or None, "kano": parts[3].upper() or None}
        )
    return needs


def _share(text: Any) -> Any:
    """A share typed as ``0.3`` or ``30%`` / ``30 %`` (-> 0.3); empty -> None; anything else as typed."""
    s = _blank_none(text)
    if s is not None and s.endswith(("%", "％")):
        number = _number(s.rstrip("%％").strip())
        return number / 100.0 if isinstance(number, float) else s
    return s


class CustomerTypesForm(_Form):
    """Add, edit and remove the customer types of a workspace (``customer_types.yaml``).

    Parameters
    ----------
    workspace : Workspace or path
    lang : {"zh", "en"}
    features : iterable of str, optional
        The survey's KANO feature codes (e.g. :func:`kit.workshop.kano.kano_features` of the
        survey), offered in each need's *feature* list.  Default: the features of the catalogue.
        Features already linked in the workspace are always offered.
    kano : mapping, optional
        Feature code -> KANO category found by the survey analysis (``KanoResult.categories``):
        a need linked to such a feature whose category is empty shows that category (written on
        Save), and picking a feature fills it in.
    names : mapping, optional
        Display names of features the catalogue does not know (feature code -> name).

    Attributes
    ----------
    widget : ipywidgets.Widget
        The root widget (display it in JupyterLab).
    selector : ipywidgets.Select
        The list of types; its value is the position of the selected type.
    fields : dict[str, ipywidgets.Widget]
        ``id, name_zh, name_en, relation, directness, description_zh, description_en``,
        ``share`` (text: ``0.3`` or ``30 %``, empty = none), ``share_basis``, ``priority``.
    need_rows : list of dict[str, ipywidgets.Widget]
        The key needs of the selected type, one row each: ``need_zh``, ``need_en`` (Text),
        ``feature`` and ``kano`` (Dropdown, ``""`` = none), ``remove`` (Button).
    add_button, remove_button, add_need_button, save_button : ipywidgets.Button
    status : ipywidgets.HTML
    rows : list of dict
        The working copy (what Save validates and writes).
    """

    def __init__(
        self,
        workspace: Workspace | str,
        lang: str = "zh",
        *,
        features: Iterable[str] | None = None,
        kano: Mapping[str, Any] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(workspace, lang)
        types = load_customer_types(self.workspace, default_if_missing=True)
        self.version = types.version
        self.rows: list[dict[str, Any]] = [ct.model_dump(mode="json") for ct in types.types]
        self._current: int | None = None
        self._loading = False
        self.names = dict(names or {})
        self.kano = {str(k): str(v) for k, v in dict(kano or {}).items() if v is not None and str(v) in CATEGORIES}
        linked = [n.get("feature") for r in self.rows for n in r.get("key_needs") or [] if n.get("feature")]
        offered = list(features) if features is not None else list(labels("kano.feature", self.lang))
        self.features: list[str] = list(dict.fromkeys([*map(str, offered), *linked]))

        def dd(group: str, key: str) -> w.Dropdown:
            return w.Dropdown(
                options=[(v, k) for k, v in labels(group, lang).items()], description=self._tx(f"field.{key}")
            )

        self.fields: dict[str, w.Widget] = {
            "id": w.Text(description=self._tx("field.id")),
            "name_zh": w.Text(description=self._tx("field.name_zh")),
            "name_en": w.Text(description=self._tx("field.name_en")),
            "relation": dd("customers.relation", "relation"),
            "directness": dd("customers.directness", "directness"),
            "priority": dd("customers.priority", "priority"),
            "share": w.Text(description=self._tx("field.share"), placeholder=self._tx("help.share")),
            "share_basis": w.Dropdown(
                options=[(self._tx(f"option.{k}"), k) for k in ("volume", "revenue")],
                description=self._tx("field.share_basis"),
            ),
            "description_zh": w.Textarea(description=self._tx("field.description_zh"), layout=_WIDE),
            "description_en": w.Textarea(description=self._tx("field.description_en"), layout=_WIDE),
        }
        for key, f in self.fields.items():
            f.style = {"description_width": "9em"}
            f.add_class(f"kit-field-{key}")
        self.need_rows: list[dict[str, w.Widget]] = []
        self._needs_box = w.VBox([])
        self.add_need_button = w.Button(description=self._tx("button.add_need"), icon="plus")
        self.add_need_button.add_class("kit-add-need")
        self.add_need_button.on_click(lambda _b: self.add_need())
        self.selector = w.Select(options=[], rows=12, layout=w.Layout(width="18em"))
        self.selector.add_class("kit-type-list")
        self.selector.observe(self._on_select, names="value")
        self.add_button = w.Button(description=self._tx("button.add"), icon="plus")
        self.remove_button = w.Button(description=self._tx("button.remove"), icon="trash")
        self.add_button.on_click(lambda _b: self.add())
        self.remove_button.on_click(lambda _b: self.remove())
        needs_head = w.HTML(
            f"<b>{escape(self._tx('field.key_needs'))}</b> <small>{escape(self._tx('help.key_needs'))}</small>"
        )
        editor = w.VBox(
            [*self.fields.values(), needs_head, self._needs_box, self.add_need_button], layout=w.Layout(width="100%")
        )
        buttons = w.HBox([self.add_button, self.remove_button, self.save_button])
        self.widget = w.VBox([w.HBox([self.selector, editor]), buttons, self.status])
        self.widget.add_class("kit-customer-types-form")
        self._refresh_options(0 if self.rows else None)

    # -- the key needs of the selected type ------------------------------------------------
    def _feature_options(self, current: str | None) -> list[tuple[str, str]]:
        codes = list(self.features)
        if current and current not in codes:  # keep a code the list does not know
            codes.append(current)
        return [("—", _NONE), *((feature_label(f, self.lang, self.names), f) for f in codes)]

    def add_need(
        self, need_zh: str = "", need_en: str = "", feature: str | None = None, kano: str | None = None
    ) -> dict[str, w.Widget]:
        """Add a key-need row to the selected type (written to the file only on Save)."""
        row: dict[str, w.Widget] = {
            "need_zh": w.Text(value=need_zh or "", placeholder=self._tx("field.need_zh"), layout=w.Layout(width="30%")),
            "need_en": w.Text(value=need_en or "", placeholder=self._tx("field.need_en"), layout=w.Layout(width="30%")),
            "feature": w.Dropdown(
                options=self._feature_options(feature), value=feature or _NONE, layout=w.Layout(width="16em")
            ),
            "kano": w.Dropdown(
                options=[("—", _NONE), *((label_of("kano.category", c, self.lang), c) for c in CATEGORIES)],
                value=kano if kano in CATEGORIES else self.kano.get(feature or "", _NONE),
                layout=w.Layout(width="11em"),
            ),
            "remove": w.Button(description=self._tx("button.remove_need"), icon="trash", layout=w.Layout(width="8em")),
        }
        for key, widget in row.items():
            widget.add_class(f"kit-need-{key}")
        box = w.HBox(list(row.values()))
        box.add_class("kit-need-row")
        row["feature"].observe(lambda change, r=row: self._on_feature(r, change["new"]), names="value")
        row["remove"].on_click(lambda _b, r=row, b=box: self._remove_need(r, b))
        self.need_rows.append(row)
        self._needs_box.children = (*self._needs_box.children, box)
        return row

    def _on_feature(self, row: dict[str, w.Widget], feature: str) -> None:
        """A feature was picked: fill in its name and its survey category where they are empty."""
        if self._loading or not feature:
            return
        if not str(row["need_zh"].value).strip():
            row["need_zh"].value = self.names.get(feature) or label_of("kano.feature", feature, "zh")
        if not str(row["need_en"].value).strip():
            row["need_en"].value = label_of("kano.feature", feature, "en")
        if not row["kano"].value and feature in self.kano:
            row["kano"].value = self.kano[feature]

    def _remove_need(self, row: dict[str, w.Widget], box: w.Widget) -> None:
        if row in self.need_rows:
            self.need_rows.remove(row)
        self._needs_box.children = tuple(c for c in self._needs_box.children if c is not box)

    def _needs(self) -> list[dict[str, Any]]:
        needs = []
        for row in self.need_rows:
            need = {
                "need_zh": str(row["need_zh"].value).strip(),
                "need_en": str(row["need_en"].value).strip(),
                "feature": row["feature"].value or None,
                "kano": row["kano"].value or None,
            }
            if need["need_zh"] or need["need_en"] or need["feature"]:
                needs.append(need)
        return needs

    def _load_needs(self, needs: list[dict[str, Any]]) -> None:
        self.need_rows = []
        self._needs_box.children = ()
        for n in needs:
            self.add_need(n.get("need_zh") or "", n.get("need_en") or "", n.get("feature"), n.get("kano"))

    # -- moving between the list and the fields --------------------------------------------
    def _label(self, row: dict[str, Any]) -> str:
        name = row.get("name_zh") if self.lang == "zh" else row.get("name_en")
        return f"{name or row.get('id') or '?'}"

    def _refresh_options(self, select: int | None) -> None:
        self._loading = True
        self.selector.options = [(self._label(r), i) for i, r in enumerate(self.rows)]
        self.selector.value = select
        self._loading = False
        self._current = select
        self._load(select)

    def _load(self, index: int | None) -> None:
        self._loading = True
        row = self.rows[index] if index is not None else None
        for key, field in self.fields.items():
            if row is None:
                field.value = field.options[0][1] if isinstance(field, w.Dropdown) else ""
            elif key == "share":
                field.value = "" if row.get("share") is None else f"{row['share']:g}"
            else:
                field.value = row.get(key) or (field.options[0][1] if isinstance(field, w.Dropdown) else "")
        self._load_needs(row.get("key_needs") or [] if row is not None else [])
        self._loading = False

    def _commit(self) -> None:
        """Copy the fields into the working copy of the selected type."""
        if self._current is None or self._current >= len(self.rows):
            return
        row = self.rows[self._current]
        for key, field in self.fields.items():
            if key == "share":
                row["share"] = _share(field.value)
            elif key in ("id", "name_zh", "name_en"):
                row[key] = str(field.value).strip()
            else:
                row[key] = field.value
        row["key_needs"] = self._needs()

    def _on_select(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._commit()
        self._current = change["new"]
        self._load(self._current)
        self._refresh_labels()

    def _refresh_labels(self) -> None:
        self._loading = True
        current = self.selector.value
        self.selector.options = [(self._label(r), i) for i, r in enumerate(self.rows)]
        self.selector.value = current
        self._loading = False

    def select(self, type_id: str) -> None:
        """Select the type with id ``type_id`` (as a click in the list would)."""
        index = next(i for i, r in enumerate(self.rows) if r.get("id") == type_id)
        self.selector.value = index

    # -- buttons -------------------------------------------------------------------------
    def add(self) -> None:
        """Add a new (custom) type and select it."""
        self._commit()
        ids = {r.get("id") for r in self.rows}
        n = 1
        while f"new_type_{n}" in ids:
            n += 1
        name = self._tx("status.new_name")
        self.rows.append(
            {
                "id": f"new_type_{n}",
                "name_zh": t("widgets.status.new_name", "zh"),
                "name_en": t("widgets.status.new_name", "en"),
                "relation": "external",
                "directness": "direct",
                "description_zh": "",
                "description_en": "",
                "key_needs": [],
                "share": None,
                "share_basis": "volume",
                "priority": "medium",
                "source": "custom",
            }
        )
        self._refresh_options(len(self.rows) - 1)
        self.status.value = _status_html("info", escape(self._tx("status.added", name=name)))

    def remove(self) -> None:
        """Remove the selected type (written to the file only on Save)."""
        if self._current is None:
            self.status.value = _status_html("info", escape(self._tx("status.nothing_selected")))
            return
        removed = self.rows.pop(self._current)
        self._current = None
        self._refresh_options(min(len(self.rows) - 1, self.selector.index or 0) if self.rows else None)
        self.status.value = _status_html("info", escape(self._tx("status.removed", name=self._label(removed))))

    def _where(self, loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "types" and isinstance(loc[1], int) and loc[1] < len(self.rows):
            head = self._tx("status.type", name=self._label(self.rows[loc[1]]))
            rest = [label_of("widgets.field", p, self.lang) if isinstance(p, str) else str(p + 1) for p in loc[2:]]
            return " · ".join([head, *rest])
        return ".".join(str(p) for p in loc if p != "types")

    def model(self) -> CustomerTypes:
        """The working copy validated as :class:`CustomerTypes` (raises pydantic ValidationError)."""
        self._commit()
        return CustomerTypes.model_validate({"version": self.version, "types": self.rows})

    def save(self) -> bool:
        """Validate and save ``customer_types.yaml``; True when saved, else the reason is in ``status``."""
        saved = self._validated_save(self.model, save_customer_types)
        if saved is None:
            return False
        types, path = saved
        self.rows = [ct.model_dump(mode="json") for ct in types.types]
        self._refresh_labels()
        self._saved(types, path)
        return True


# --------------------------------------------------------------------------------------------
# service standards
# --------------------------------------------------------------------------------------------
def _pct_text(share: float | None) -> str:
    """A share 0–1 as the percentage a person types (0.95 -> "95"; None -> "")."""
    return "" if share is None else f"{round(share * 100, 4):g}"


class StandardsForm(_Form):
    """Edit the SLA rules, follow-up window, authority limits and SMART standards (``standards.yaml``).

    Attributes
    ----------
    widget : ipywidgets.Widget
    sla_rows : list of dict[str, Widget]
        One per SLA rule: ``metric``, ``channel`` and ``tier`` (``"*"`` = any), ``target_minutes``,
        ``clock`` (calendar/business), ``required`` (a percentage, 95 = 95 %; above 100 is refused),
        ``remove`` (Checkbox).
    fields : dict[str, Widget]
        ``follow_up_hours``; ``authority_frontline`` / ``_supervisor`` / ``_manager`` (text,
        empty = no limit); per SMART standard ``smart_<id>_target`` (text; at most 100 for a
        percent unit), ``smart_<id>_required`` (text, a percentage; empty = none) and
        ``smart_<id>_review_date`` (text, ``YYYY-MM-DD``).
    add_rule_button, save_button : ipywidgets.Button
    status : ipywidgets.HTML
    """

    def __init__(self, workspace: Workspace | str, lang: str = "zh") -> None:
        super().__init__(workspace, lang)
        self.base = load_standards(self.workspace, default_if_missing=True)
        self.sla_rows: list[dict[str, w.Widget]] = []
        self._sla_box = w.VBox([])
        for rule in self.base.sla:
            self._add_rule_row(rule.model_dump())
        self.add_rule_button = w.Button(description=self._tx("button.add_rule"), icon="plus")
        self.add_rule_button.on_click(lambda _b: self.add_rule())

        self.fields: dict[str, w.Widget] = {
            "follow_up_hours": w.FloatText(
                value=self.base.follow_up.window_hours,
                description=self._tx("field.follow_up_hours"),
                style={"description_width": "14em"},
            ),
        }
        limits = {a.role: a.up_to for a in self.base.authority}
        for role in ROLES:
            value = limits.get(role)
            self.fields[f"authority_{role}"] = w.Text(
                value="" if value is None else f"{value:g}",
                description=t(f"widgets.role.{role}", lang),
                disabled=role not in limits,
                style={"description_width": "10em"},
            )
        smart_rows = []
        self._smart_labels: dict[str, Any] = {}
        for s in self.base.smart:
            # A standard linked to a rule takes its number from that rule (one place to set it):
            # its fields show the rule's number and are set in the rule's row above.
            stated = self.base.stated(s)
            target = w.Text(
                value="" if stated.target is None else f"{stated.target:g}",
                description=self._tx("field.target"),
                layout=w.Layout(width="13em"),
                disabled=stated.from_rule,
            )
            required = w.Text(
                value=_pct_text(stated.required_attainment),
                description=self._tx("field.required"),
                placeholder="—",
                layout=w.Layout(width="13em"),
                style={"description_width": "7em"},
                disabled=stated.from_rule,
            )
            review = w.Text(
                value="" if s.review_date is None else s.review_date.isoformat(),
                description=self._tx("field.review_date"),
                placeholder="YYYY-MM-DD",
                layout=w.Layout(width="16em"),
            )
            self.fields[f"smart_{s.id}_target"] = target
            self.fields[f"smart_{s.id}_required"] = required
            self.fields[f"smart_{s.id}_review_date"] = review
            unit = label_of("standards.unit", stated.unit, lang) if stated.unit else ""
            label = w.Label(standard_wording(s, self.base, lang), layout=w.Layout(width="24em"))
            self._smart_labels[s.id] = (label, w.Label(unit, layout=w.Layout(width="4em")))
            smart_rows.append(w.HBox([label, target, self._smart_labels[s.id][1], required, review]))
        for key, f in self.fields.items():
            f.add_class(f"kit-field-{key}")
        head = lambda key: w.HTML(f"<b>{escape(self._tx(key))}</b>")  # noqa: E731
        self.widget = w.VBox(
            [
                head("section.sla"),
                self._sla_box,
                self.add_rule_button,
                head("section.follow_up"),
                self.fields["follow_up_hours"],
                head("section.authority"),
                *[self.fields[f"authority_{r}"] for r in ROLES],
                head("section.smart"),
                *smart_rows,
                self.save_button,
                self.status,
            ]
        )
        self.widget.add_class("kit-standards-form")

    def _add_rule_row(self, rule: dict[str, Any]) -> dict[str, w.Widget]:
        lang = self.lang
        any_label = self._tx("option.any")
        small = lambda width: w.Layout(width=width)  # noqa: E731
        channels = [(any_label, ANY), *((v, k) for k, v in labels("channel", lang).items())]
        tiers = [(any_label, ANY), *((v, k) for k, v in labels("tier", lang).items())]
        for opts, key in ((channels, "channel"), (tiers, "tier")):  # keep codes the lists do not know
            if rule.get(key) not in [v for _, v in opts]:
                opts.append((str(rule.get(key)), rule.get(key)))
        row = {
            "metric": w.Dropdown(
                options=[(self._tx(f"option.{m}"), m) for m in ("first_response", "resolution")],
                value=rule.get("metric", "first_response"),
                layout=small("9em"),
            ),
            "channel": w.Dropdown(options=channels, value=rule.get("channel", ANY), layout=small("9em")),
            "tier": w.Dropdown(options=tiers, value=rule.get("tier", ANY), layout=small("9em")),
            "target_minutes": w.FloatText(value=float(rule.get("target_minutes", 120)), layout=small("7em")),
            "clock": w.Dropdown(
                options=[(self._tx(f"option.{c}"), c) for c in ("calendar", "business")],
                value=rule.get("clock", "calendar"),
                layout=small("9em"),
            ),
            "required": w.FloatText(
                value=round(float(rule.get("required_attainment", 0.95)) * 100, 2), layout=small("6em")
            ),
            "remove": w.Checkbox(value=False, description=self._tx("field.remove"), indent=False, layout=small("6em")),
        }
        for key, widget in row.items():
            widget.add_class(f"kit-rule-{key}")
        self.sla_rows.append(row)
        if len(self.sla_rows) == 1 or not self._sla_box.children:
            header = w.HBox([w.HTML(f"<b>{escape(self._tx(f'field.{k}'))}</b>", layout=row[k].layout) for k in row])
            self._sla_box.children = (header,)
        self._sla_box.children = (*self._sla_box.children, w.HBox(list(row.values())))
        return row

    def add_rule(self, **rule: Any) -> dict[str, w.Widget]:
        """Add an SLA rule row (default: first response, any channel and tier, 120 minutes)."""
        return self._add_rule_row(
            {
                "metric": "first_response",
                "channel": ANY,
                "tier": ANY,
                "target_minutes": 120,
                "clock": "calendar",
                "required_attainment": 0.95,
            }
            | rule
        )

    def _field_names(self, loc: tuple) -> list[str]:
        # the file's 0–1 share is typed as a percentage in the form: name the form's field
        alias = {"required_attainment": "required"}
        return [label_of("widgets.field", alias.get(p, p), self.lang) for p in loc if isinstance(p, str)]

    def _where(self, loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "sla" and isinstance(loc[1], int):
            return " · ".join([self._tx("status.rule", n=loc[1] + 1), *self._field_names(loc[2:])])
        if loc and loc[0] == "smart" and len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(self.base.smart):
            return " · ".join([self.base.smart[loc[1]].title(self.lang), *self._field_names(loc[2:])])
        if loc and loc[0] == "authority":
            if len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(self.base.authority):
                role = self.base.authority[loc[1]].role  # name the role whose limit is wrong
                return " · ".join([self._tx("section.authority"), self._tx(f"role.{role}")])
            return self._tx("section.authority")
        if loc and loc[0] == "follow_up":
            return self._tx("field.follow_up_hours")
        return ".".join(str(p) for p in loc)

    def _data(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """What the form holds as the content of ``standards.yaml``, and the problems found on the way."""
        problems: list[dict[str, Any]] = []
        data = self.base.model_dump(mode="json")
        rules = []
        kept = [row for row in self.sla_rows if not row["remove"].value]
        for i, row in enumerate(kept):
            rules.append(
                {
                    "metric": row["metric"].value,
                    "channel": row["channel"].value,
                    "tier": row["tier"].value,
                    "target_minutes": row["target_minutes"].value,
                    "clock": row["clock"].value,
                    "required_attainment": _percent(row["required"].value, ("sla", i, "required_attainment"), problems),
                }
            )
        data["sla"] = rules
        data["follow_up"] = data["follow_up"] | {"window_hours": self.fields["follow_up_hours"].value}
        data["authority"] = [
            a | {"up_to": _number(self.fields[f"authority_{a['role']}"].value)} for a in data["authority"]
        ]
        smart = []
        for i, s in enumerate(data["smart"]):
            if self.fields[f"smart_{s['id']}_target"].disabled:  # its number is its rule's
                review = _blank_none(self.fields[f"smart_{s['id']}_review_date"].value)
                if review is not None and not _ISO_DATE.match(review):
                    problems.append(
                        {"type": invalid("widgets.invalid.date"), "loc": ("smart", i, "review_date"), "input": review}
                    )
                smart.append(s | {"review_date": review})
                continue
            target = _number(self.fields[f"smart_{s['id']}_target"].value)
            if s.get("unit") == "percent" and isinstance(target, float):
                _percent(target, ("smart", i, "target"), problems, zero_ok=True)
            review = _blank_none(self.fields[f"smart_{s['id']}_review_date"].value)
            if review is not None and not _ISO_DATE.match(review):
                problems.append(
                    {"type": invalid("widgets.invalid.date"), "loc": ("smart", i, "review_date"), "input": review}
                )
            required = self.fields[f"smart_{s['id']}_required"].value
            smart.append(
                s
                | {
                    "target": target,
                    "required_attainment": _percent(required, ("smart", i, "required_attainment"), problems),
                    "review_date": review,
                }
            )
        data["smart"] = smart
        return data, problems

    def model(self) -> ServiceStandards:
        """What the form holds, validated as :class:`ServiceStandards` (raises pydantic ValidationError)."""
        data, problems = self._data()
        return _validate(ServiceStandards, data, problems)

    def save(self) -> bool:
        """Validate and save ``standards.yaml``; True when saved, else the reason is in ``status``."""
        saved = self._validated_save(self.model, save_standards)
        if saved is None:
            return False
        standards, path = saved
        self.base = standards
        for std in standards.smart:  # the linked standards show their rule's new number
            stated = standards.stated(std)
            if stated.from_rule and std.id in self._smart_labels:
                self.fields[f"smart_{std.id}_target"].value = "" if stated.target is None else f"{stated.target:g}"
                self.fields[f"smart_{std.id}_required"].value = _pct_text(stated.required_attainment)
                label, unit = self._smart_labels[std.id]
                label.value = standard_wording(std, standards, self.lang)
                unit.value = label_of("standards.unit", stated.unit, self.lang) if stated.unit else ""
        self._saved(standards, path)
        return True
