import re
from pathlib import Path

import pandas as pd
import pytest

from kit.audit.findings import REMEDIES, REMEDY_OF, audit_findings, describe_findings, remedy_link
from kit.workshop.standards import default_standards

ROOT = Path(__file__).resolve().parents[2]
T = pd.Timestamp


def _log(store, n_email_late, n_email_ok, n_urgent_late, n_urgent_ok, *, open_overdue=0):
    """E-mail (24 h) and urgent phone (30 min) first replies; resolved quickly, one contact."""
    rows = []
    for k, (channel, tier, late, ok, target_min) in enumerate(
        [("email", "normal", n_email_late, n_email_ok, 24 * 60), ("phone", "urgent", n_urgent_late, n_urgent_ok, 30)]
    ):
        for i in range(late + ok):
            created = T("2026-03-02 10:00") + pd.Timedelta(minutes=i)
            wait = target_min + 5 if i < late else target_min
            rows.append(
                dict(
                    store_id=store,
                    channel=channel,
                    tier=tier,
                    category="a",
                    customer_id=f"{store}-{k}-{i}",
                    created_at=created,
                    first_response_at=created + pd.Timedelta(minutes=wait),
                    resolved_at=created + pd.Timedelta(hours=25),
                )
            )
    for i in range(open_overdue):
        rows.append(
            dict(
                store_id=store,
                channel="phone",
                tier="urgent",
                category="a",
                customer_id=f"{store}-o-{i}",
                created_at=T("2026-03-30 10:00"),
                first_response_at=pd.NaT,
                resolved_at=pd.NaT,
            )
        )
    return pd.DataFrame(rows)


def test_sla_findings_ranked_by_shortfall_with_remedy_links():
    store = _log("001", n_email_late=6, n_email_ok=14, n_urgent_late=2, n_urgent_ok=8, open_overdue=1)
    chain = pd.concat([store, _log("002", 0, 20, 0, 10)], ignore_index=True)
    f = audit_findings(store, default_standards(), as_of=T("2026-03-31"), lang="en", chain_complaints=chain)
    sla = f[f["measure"] == "first_response_sla"]
    # e-mail: 14/20 met, short by 0.95 x 20 - 14 = 5; urgent: 8/11 decided (one open overdue), short 0.95 x 11 - 8 = 2.45
    assert sla["impact"].tolist() == pytest.approx([5.0, 2.45])
    assert (
        sla["text"]
        .iloc[0]
        .startswith("E-mail, normal complaint — first reply: 70.0% within 24 h against a 95.0% target")
    )
    assert "; chain 85.0%" in sla["text"].iloc[0]  # (14 + 20) / 40
    assert f["impact"].is_monotonic_decreasing and f["rank"].tolist() == list(range(1, len(f) + 1))
    # resolution took 25 h: every resolved ticket breached the 24 h resolution rule
    res = f[f["measure"] == "resolution_sla"].iloc[0]
    assert res["impact"] == pytest.approx(0.95 * 30) and res["remedy"] == "golden-window"
    overdue = f[f["measure"] == "open_overdue"].iloc[0]
    assert overdue["impact"] == 1 and overdue["link"] == "../playbook/03_complaint_audit.en.md#remedy-early-warning"
    assert f.loc[f["measure"] == "first_response_sla", "link"].iloc[0].endswith("#remedy-tiered-response")


def test_chain_findings_name_the_worst_store_and_zh_text():
    chain = pd.concat([_log("001", 6, 14, 0, 10), _log("002", 2, 18, 0, 10)], ignore_index=True)
    f = audit_findings(chain, default_standards(), as_of=T("2026-03-31"), lang="zh")
    email = f[f["measure"] == "first_response_sla"].iloc[0]
    assert email["impact"] == pytest.approx(0.95 * 40 - 32)
    assert "电子邮件·一般投诉的首次响应：80.0% 在 24 小时内回复，目标 95.0%" in email["text"]
    assert "最差为门店 001（70.0%）" in email["text"]
    assert email["link"] == "../playbook/03_complaint_audit.zh.md#remedy-tiered-response"


def test_measures_with_targets_and_against_the_chain():
    store = _log("001", 0, 20, 0, 10)
    store["resolved_at"] = store["created_at"] + pd.Timedelta(hours=2)
    store["resolution_satisfaction"] = [5] * 15 + [2] * 15  # 50 % top-2-box
    store["compensation_amount"] = [800.0] * 3 + [0.0] * 27
    store["approver_role"] = ["frontline"] * 3 + [""] * 27
    store["contacts_to_resolve"], store["reopened"] = [1] * 10 + [2] * 20, 0
    store["follow_up_at"] = store["resolved_at"] + pd.Timedelta(hours=1)
    other = store.assign(store_id="002", contacts_to_resolve=1, customer_id=store["customer_id"] + "x")
    chain = pd.concat([store, other], ignore_index=True)
    f = audit_findings(store, default_standards(), as_of=T("2026-03-31"), lang="en", chain_complaints=chain).set_index(
        "measure"
    )
    assert f.loc["resolution_satisfaction", "impact"] == pytest.approx(0.95 * 30 - 15)
    assert f.loc["authority_violations", "impact"] == 3
    assert f.loc["authority_violations", "remedy"] == "authority"
    # FCR has no target: the chain (2/3) is the reference -> 2/3 x 30 - 10 = 10
    assert f.loc["fcr", "impact"] == pytest.approx(10) and f.loc["fcr", "remedy"] == "empowerment"
    assert "worse than the chain's 66.7%" in f.loc["fcr", "text"]
    assert "follow_up_on_time" not in f.index and "first_response_sla" not in f.index


def test_nothing_short_gives_an_empty_table_and_a_sentence():
    store = _log("001", 0, 20, 0, 10)
    store["resolved_at"] = store["created_at"] + pd.Timedelta(hours=2)
    f = audit_findings(store, default_standards(), as_of=T("2026-03-31"), lang="en", chain_complaints=store)
    assert f.empty and "rank" in f.columns
    assert describe_findings(f, "zh") == "所有有目标的指标都达到了标准，且不差于全连锁水平。"


def test_describe_findings_lists_links_in_both_languages():
    store = _log("001", 6, 14, 0, 10)
    for lang in ("zh", "en"):
        text = describe_findings(audit_findings(store, default_standards(), as_of=T("2026-03-31"), lang=lang), lang)
        assert f"(../playbook/03_complaint_audit.{lang}.md#remedy-tiered-response)" in text
        assert text.splitlines()[2].startswith("1. ")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_remedy_anchor_exists_in_the_playbook(lang):
    chapter = (ROOT / "playbook" / f"03_complaint_audit.{lang}.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', chapter))
    assert set(REMEDY_OF.values()) <= set(REMEDIES)
    for remedy in REMEDIES:
        assert remedy_link(remedy, lang).split("#")[1] in anchors
