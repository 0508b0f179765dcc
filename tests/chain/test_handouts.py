"""The playbook rendered into a run folder, report links rewritten to it, the card exported."""

import json
import re

from kit.audit.findings import remedy_link
from kit.chain import handouts


def test_playbook_pages_keep_anchors_and_link_to_each_other_as_html(tmp_path):
    pages = {p.name: p for p in handouts.write_playbook(tmp_path, "zh")}
    chapter = pages["03_complaint_audit.en.html"].read_text(encoding="utf-8")
    for remedy in ("four-steps", "early-warning", "authority"):
        assert f'id="remedy-{remedy}"' in chapter
    index = pages["README.html"].read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert links and not [link for link in links if ".md" in link]
    for link in links:
        if not link.startswith(("http", "#", "mailto")):
            assert (tmp_path / "playbook" / link.split("#")[0]).is_file(), link
    assert 'lang="zh-CN"' in pages["03_complaint_audit.zh.html"].read_text(encoding="utf-8")
    assert "<table>" in chapter  # Markdown tables rendered
    assert "http://" not in chapter and "https://cdn" not in chapter


def test_missing_playbook_folder_writes_nothing(tmp_path):
    assert handouts.write_playbook(tmp_path, "en", source=tmp_path / "nowhere") == []


def test_report_links_point_to_rendered_chapter_and_resolve(tmp_path):
    handouts.write_playbook(tmp_path, "en")
    report = tmp_path / "007" / "03_complaint_audit.html"
    report.parent.mkdir()
    link = remedy_link("03_complaint_audit", "remedy-golden-window", "en")
    other = '<a href="notes.md">notes</a>'
    report.write_text(f'<p><a href="{link}">remedy</a> {other}</p>', encoding="utf-8")
    changed = handouts.link_reports_to_playbook(tmp_path, ["007/03_complaint_audit.html", "missing.html"])
    assert changed == [report]
    page = report.read_text(encoding="utf-8")
    href = re.search(r'href="(\.\./playbook/[^"]+)"', page).group(1)
    assert href == "../playbook/03_complaint_audit.en.html#remedy-golden-window"
    target = (report.parent / href.split("#")[0]).resolve()
    assert 'id="remedy-golden-window"' in target.read_text(encoding="utf-8")
    assert other in page  # links outside the playbook are left alone
    assert handouts.link_reports_to_playbook(tmp_path, ["007/03_complaint_audit.html"]) == []  # idempotent


def test_card_of_notebook_02_is_exported_next_to_it(tmp_path):
    from kit.workshop.card import CARD_MIME

    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": "",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {CARD_MIME: "<html>卡片</html>", "text/plain": "card"},
                        "metadata": {CARD_MIME: {"lang": "zh"}},
                    }
                ],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "chain").mkdir()
    (tmp_path / "chain" / "02_service_standards.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    results = [
        {
            "store_id": "chain",
            "notebook": "02_service_standards",
            "status": "ok",
            "output": "chain/02_service_standards.ipynb",
        },
        {"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "output": "001/03.ipynb"},
    ]
    written = handouts.export_run_cards(tmp_path, results)
    assert len(written) == 1 and written[0].parent == tmp_path / "chain"
    assert "卡片" in written[0].read_text(encoding="utf-8")
    failed = [dict(results[0], status="failed")]
    assert handouts.export_run_cards(tmp_path / "x", failed) == []
