"""ipywidgets forms that edit a client workspace during the workshop (notebooks 01 and 02).

papermill keeps widget state only as a snapshot of the end of a run, so the forms never rely on
it: **Save** validates what was typed through the workspace's pydantic model and writes the YAML
file atomically with :mod:`kit.workshop.workspace` (previous version kept in ``.history/``).  A mistake is
shown in ``form.status`` as one message in the form's language naming the field, and the file is
left unchanged.

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
from html import escape
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from kit.core.errors import KitError
from kit.core.i18n import check_lang, label_of, labels, t
from kit.core.validation import problem_text
from kit.workshop.customer_types import CustomerTypes
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


def _ws(workspace: Workspace | str) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else open_workspace(workspace)


def _blank_none(text: Any) -> Any:
    """``""`` -> None; other text stripped (pydantic turns ``"0.3"`` into a number or names the field)."""
    if text is None:
        return None
    s = str(text).strip()
    return None if s == "" else s


def _status_html(kind: str, text: str) -> str:
    colour = {"ok": "#1a7f37", "error": "#b42318", "info": "#444444"}[kind]
    return f'<div style="color:{colour}; white-space:pre-wrap">{text}</div>'


class _Form:
    """Shared parts: language, status line, Save button, error formatting."""

    lang: str

    def __init__(self, workspace: Workspace | str, lang: str) -> None:
        self.lang = check_lang(lang)
        self.workspace = _ws(workspace)
        self.status = w.HTML(value="")
        self.save_button = w.Button(description=t("widgets.button.save", lang), button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save())
        #: The message of the last failed save (plain text), or "" after a successful one.
        self.last_error = ""

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

    def _show_saved(self, path: Any) -> None:
        self.last_error = ""
        text = self._tx("status.saved", file=str(path)) + "\n" + self._tx("status.rerun")
        self.status.value = _status_html("ok", escape(text))

    def _ipython_display_(self) -> None:  # pragma: no cover - only in a live notebook
        from IPython.display import display

        display(self.widget)


# --------------------------------------------------------------------------------------------
# customer types
# --------------------------------------------------------------------------------------------
_NEED_SEP = re.compile(r"\s*\|\s*")


def needs_to_text(needs: list[dict[str, Any]]) -> str:
    """Key needs as lines ``need_zh | need_en | feature | kano`` (empty trailing parts left out)."""
    lines = []
    for n in needs:
        parts = [n.get("need_zh") or "", n.get("need_en") or "", n.get("feature") or "", n.get("kano") or ""]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def text_to_needs(text: str) -> list[dict[str, Any]]:
    """The inverse of :func:`needs_to_text`; blank lines are skipped."""
    needs = []
    for line in str(text).splitlines():
        if not line.strip():
            continue
        parts = _NEED_SEP.split(line.strip()) + ["", "", "", ""]
        needs.append(
            {"need_zh": parts[0], "need_en": parts[1], "feature": parts[2] or None, "kano": parts[3].upper() or None}
        )
    return needs


class CustomerTypesForm(_Form):
    """Add, edit and remove the customer types of a workspace (``customer_types.yaml``).

    Parameters
    ----------
    workspace : Workspace or path
    lang : {"zh", "en"}

    Attributes
    ----------
    widget : ipywidgets.Widget
        The root widget (display it in JupyterLab).
    selector : ipywidgets.Select
        The list of types; its value is the position of the selected type.
    fields : dict[str, ipywidgets.Widget]
        ``id, name_zh, name_en, relation, directness, description_zh, description_en, key_needs``
        (one need per line, see :func:`needs_to_text`), ``share`` (text, empty = none),
        ``share_basis``, ``priority``.
    add_button, remove_button, save_button : ipywidgets.Button
    status : ipywidgets.HTML
    rows : list of dict
        The working copy (what Save validates and writes).
    """

    def __init__(self, workspace: Workspace | str, lang: str = "zh") -> None:
        super().__init__(workspace, lang)
        types = load_customer_types(self.workspace, default_if_missing=True)
        self.version = types.version
        self.rows: list[dict[str, Any]] = [ct.model_dump(mode="json") for ct in types.types]
        self._current: int | None = None
        self._loading = False

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
            "share": w.Text(description=self._tx("field.share"), placeholder="0.25"),
            "share_basis": w.Dropdown(
                options=[(self._tx(f"option.{k}"), k) for k in ("volume", "revenue")],
                description=self._tx("field.share_basis"),
            ),
            "description_zh": w.Textarea(description=self._tx("field.description_zh"), layout=_WIDE),
            "description_en": w.Textarea(description=self._tx("field.description_en"), layout=_WIDE),
            "key_needs": w.Textarea(
                description=self._tx("field.key_needs"),
                placeholder=self._tx("help.key_needs"),
                layout=w.Layout(width="95%", height="8em"),
            ),
        }
        for f in self.fields.values():
            f.style = {"description_width": "9em"}
        self.selector = w.Select(options=[], rows=12, layout=w.Layout(width="18em"))
        self.selector.observe(self._on_select, names="value")
        self.add_button = w.Button(description=self._tx("button.add"), icon="plus")
        self.remove_button = w.Button(description=self._tx("button.remove"), icon="trash")
        self.add_button.on_click(lambda _b: self.add())
        self.remove_button.on_click(lambda _b: self.remove())
        help_line = w.HTML(f"<small>{escape(self._tx('help.key_needs'))}</small>")
        editor = w.VBox([*self.fields.values(), help_line], layout=w.Layout(width="100%"))
        buttons = w.HBox([self.add_button, self.remove_button, self.save_button])
        self.widget = w.VBox([w.HBox([self.selector, editor]), buttons, self.status])
        self._refresh_options(0 if self.rows else None)

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
            elif key == "key_needs":
                field.value = needs_to_text(row.get("key_needs") or [])
            elif key == "share":
                field.value = "" if row.get("share") is None else f"{row['share']:g}"
            else:
                field.value = row.get(key) or (field.options[0][1] if isinstance(field, w.Dropdown) else "")
        self._loading = False

    def _commit(self) -> None:
        """Copy the fields into the working copy of the selected type."""
        if self._current is None or self._current >= len(self.rows):
            return
        row = self.rows[self._current]
        for key, field in self.fields.items():
            if key == "key_needs":
                row["key_needs"] = text_to_needs(field.value)
            elif key == "share":
                row["share"] = _blank_none(field.value)
            elif key in ("id", "name_zh", "name_en"):
                row[key] = str(field.value).strip()
            else:
                row[key] = field.value

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
        self._show_saved(path)
        return True


# --------------------------------------------------------------------------------------------
# service standards
# --------------------------------------------------------------------------------------------
def _float_or_text(text: Any) -> Any:
    s = _blank_none(text)
    if s is None:
        return None
    try:
        return float(s.replace(",", "").replace("，", ""))
    except ValueError:
        return s  # pydantic names the field and says it is not a number


class StandardsForm(_Form):
    """Edit the SLA rules, follow-up window, authority limits and SMART targets (``standards.yaml``).

    Attributes
    ----------
    widget : ipywidgets.Widget
    sla_rows : list of dict[str, Widget]
        One per SLA rule: ``metric``, ``channel`` and ``tier`` (``"*"`` = any), ``target_minutes``,
        ``clock`` (calendar/business), ``required`` (percent, 95 = 95 %), ``remove`` (Checkbox).
    fields : dict[str, Widget]
        ``follow_up_hours``; ``authority_frontline`` / ``_supervisor`` / ``_manager`` (text,
        empty = no limit); ``smart_<id>_target`` (text) and ``smart_<id>_review_date`` (DatePicker).
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
        for s in self.base.smart:
            target = w.Text(
                value="" if s.target is None else f"{s.target:g}",
                description=self._tx("field.target"),
                layout=w.Layout(width="14em"),
            )
            review = w.DatePicker(value=s.review_date, description=self._tx("field.review_date"))
            self.fields[f"smart_{s.id}_target"] = target
            self.fields[f"smart_{s.id}_review_date"] = review
            smart_rows.append(
                w.HBox(
                    [
                        w.Label(s.title(lang), layout=w.Layout(width="24em")),
                        target,
                        w.Label(label_of("standards.unit", s.unit, lang) if s.unit else ""),
                        review,
                    ]
                )
            )
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

    def _where(self, loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "sla" and isinstance(loc[1], int):
            return " · ".join(
                [
                    self._tx("status.rule", n=loc[1] + 1),
                    *(label_of("widgets.field", p, self.lang) for p in loc[2:] if isinstance(p, str)),
                ]
            )
        if loc and loc[0] == "smart" and len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(self.base.smart):
            return " · ".join(
                [
                    self.base.smart[loc[1]].title(self.lang),
                    *(label_of("widgets.field", p, self.lang) for p in loc[2:] if isinstance(p, str)),
                ]
            )
        if loc and loc[0] == "authority":
            if len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(self.base.authority):
                role = self.base.authority[loc[1]].role  # name the role whose limit is wrong
                return " · ".join([self._tx("section.authority"), self._tx(f"role.{role}")])
            return self._tx("section.authority")
        if loc and loc[0] == "follow_up":
            return self._tx("field.follow_up_hours")
        return ".".join(str(p) for p in loc)

    def _data(self) -> dict[str, Any]:
        data = self.base.model_dump(mode="json")
        rules = []
        for row in self.sla_rows:
            if row["remove"].value:
                continue
            required = row["required"].value
            rules.append(
                {
                    "metric": row["metric"].value,
                    "channel": row["channel"].value,
                    "tier": row["tier"].value,
                    "target_minutes": row["target_minutes"].value,
                    "clock": row["clock"].value,
                    "required_attainment": None if required is None else float(required) / 100.0,
                }
            )
        data["sla"] = rules
        data["follow_up"] = data["follow_up"] | {"window_hours": self.fields["follow_up_hours"].value}
        data["authority"] = [
            a | {"up_to": _float_or_text(self.fields[f"authority_{a['role']}"].value)} for a in data["authority"]
        ]
        smart = []
        for s in data["smart"]:
            review = self.fields[f"smart_{s['id']}_review_date"].value
            smart.append(
                s
                | {
                    "target": _float_or_text(self.fields[f"smart_{s['id']}_target"].value),
                    "review_date": None if review is None else review.isoformat(),
                }
            )
        data["smart"] = smart
        return data

    def model(self) -> ServiceStandards:
        """What the form holds, validated as :class:`ServiceStandards` (raises pydantic ValidationError)."""
        return ServiceStandards.model_validate(self._data())

    def save(self) -> bool:
        """Validate and save ``standards.yaml``; True when saved, else the reason is in ``status``."""
        saved = self._validated_save(self.model, save_standards)
        if saved is None:
            return False
        standards, path = saved
        self.base = standards
        self._show_saved(path)
        return True
