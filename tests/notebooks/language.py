"""What a reader sees of a report, and the words in it that are not in the report's language.

Used by the language tests: the visible text of an exported page (headings, paragraphs, table
headers and cells, link texts, image alternative texts) and the texts of its charts (recorded by
:func:`kit.core.charts.show`).  A Chinese report may carry codes and names that are the same in
both languages -- KPI codes (NPS, CSAT, SLA), model and method names, authors cited, file and
column names -- and nothing else in Latin letters; an English report carries no Chinese character.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["chart_texts_of", "foreign", "page_texts"]

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Codes, method and model names that a Chinese report writes as they are.
CODES = {
    "NPS",
    "CSAT",
    "CES",
    "SLA",
    "FCR",
    "SERVQUAL",
    "KANO",
    "Kano",
    "CLV",
    "PDCA",
    "SMART",
    "RFM",
    "DERL",
    "BG",
    "NBD",
    "Gamma",
    "sBG",
    "LMG",
    "Shapley",
    "Wald",
    "Welch",
    "Fisher",
    "Wilson",
    "Agresti",
    "Coull",
    "Jeffreys",
    "Pareto",
    "PDF",
    "Excel",
    "CSV",
    "YAML",
    "ID",
    "App",
    "app",
    "Student",
    "Beta",
    "GG",
    "bootstrap",
}
# Authors the reports cite (a citation is a name in every language).
CITED = {
    "Rocks",
    "Gupta",
    "Lehmann",
    "Fader",
    "Hardie",
    "Lee",
    "Lindeman",
    "Merenda",
    "Gold",
    "Reichheld",
    "Dixon",
    "Parasuraman",
    "Zeithaml",
    "Berry",
    "Kano",
    "Schmittlein",
    "Morrison",
    "Colombo",
    "Jerath",
    "Berger",
    "Nasr",
    "Card",
    "Krueger",
    "Abadie",
    "Cohen",
    "Newcombe",
    "Coull",
    "Agresti",
    "Iglewicz",
    "Fong",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# File names, column names, URLs and the like: written as they are in both languages.
_CODE_TOKEN = re.compile(r"\S*(?:[_/\\@]|\.[A-Za-z]{2,5}\b)\S*")


class _Visible(HTMLParser):
    """The text nodes a reader sees, with the alternative text of images."""

    _HIDDEN = {"style", "script", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self.hidden += 1
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.texts.append(alt)

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(page: str) -> list[str]:
    """The visible texts of an HTML page (and its images' alternative texts)."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return parser.texts


def chart_texts_of(notebook: dict) -> list[str]:
    """Every text of every chart in an executed notebook (``kit.texts`` of the outputs' metadata)."""
    return [
        text
        for cell in notebook.get("cells", [])
        for out in cell.get("outputs", [])
        for text in ((out.get("metadata") or {}).get("kit") or {}).get("texts", [])
    ]


def foreign(texts: list[str], lang: str, *, allowed: set[str] = frozenset()) -> list[str]:
    """The texts holding words of the other language (``allowed``: names from the data, e.g. a workspace)."""
    found = []
    for text in texts:
        if lang == "en":
            if CJK.search(text) and text not in allowed:
                found.append(text)
            continue
        plain = _CODE_TOKEN.sub(" ", text)
        words = [w for w in _WORD.findall(plain) if w not in CODES | CITED | set(allowed) and len(w) > 1]
        if words:
            found.append(f"{text}  <- {words}")
    return found
