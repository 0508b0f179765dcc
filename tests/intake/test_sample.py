import hashlib

import pandas as pd

from kit.intake.sample import generate_chain, write_chain


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path):
    write_chain(tmp_path / "a", stores=3, months=2, seed=5)
    write_chain(tmp_path / "b", stores=3, months=2, seed=5)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    write_chain(tmp_path / "c", stores=3, months=2, seed=6)
    assert _digest(tmp_path / "a")["complaints.csv"] != _digest(tmp_path / "c")["complaints.csv"]


def test_files_are_utf8_with_bom_and_ids_keep_leading_zeros(tmp_path):
    paths = write_chain(tmp_path, stores=2, months=1, seed=1)
    raw = paths["stores"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "上海徐汇店" in raw.decode("utf-8-sig")
    stores = pd.read_csv(paths["stores"], dtype=str, encoding="utf-8-sig")
    assert stores["store_id"].tolist() == ["001", "002"]


def test_complaints_have_every_documented_column_and_open_tickets():
    chain = generate_chain(stores=4, months=3, seed=3)
    complaints = chain["complaints"]
    expected = {
        "complaint_id",
        "store_id",
        "channel",
        "category",
        "category_en",
        "tier",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "contacts_to_resolve",
        "reopened",
        "compensation_amount",
        "approver_role",
        "follow_up_at",
        "resolution_satisfaction",
        "customer_id",
        "customer_name",
        "customer_phone",
    }
    assert expected <= set(complaints.columns)
    assert complaints["complaint_id"].is_unique
    assert set(complaints["channel"]) <= {"phone", "email", "chat", "in_store", "app", "social"}
    assert set(complaints["tier"]) == {"urgent", "normal", "inquiry"}
    assert complaints["resolved_at"].isna().any(), "some tickets must still be open at the end"
    created = pd.to_datetime(complaints["created_at"])
    resolved = pd.to_datetime(complaints["resolved_at"])
    responded = pd.to_datetime(complaints["first_response_at"])
    assert created.max() <= pd.Timestamp("2026-03-31 23:59:59")
    assert (responded.dropna() >= created[responded.notna()]).all()
    assert (resolved.dropna() >= responded[resolved.notna()]).all()
    assert complaints["customer_phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert complaints["resolution_satisfaction"].dropna().between(1, 5).all()


def test_surveys_and_transactions_ranges():
    chain = generate_chain(stores=3, months=2, seed=2)
    s = chain["surveys"]
    assert s["nps"].between(0, 10).all() and s["csat"].between(1, 5).all() and s["ces"].between(1, 7).all()
    sq = s.filter(regex=r"^servqual_[ep]\d\d$")
    assert sq.shape[1] == 44
    assert sq.stack().between(1, 7).all()
    imp = s.filter(like="importance_").dropna()
    assert (imp.sum(axis=1) == 100).all()
    kano = s.filter(regex=r"^kano_.*_(func|dysf)$").stack()
    assert kano.between(1, 5).all()
    t = chain["transactions"]
    assert (t["amount"] > 0).all() and t["transaction_id"].is_unique


def test_stores_differ_in_first_response_performance():
    from kit.audit.measures import first_response_status, sla_attainment
    from kit.workshop.standards import default_standards

    c = generate_chain(stores=6, months=12, seed=7)["complaints"]
    for col in ("created_at", "first_response_at"):
        c[col] = pd.to_datetime(c[col])
    status = first_response_status(c, default_standards(), as_of=pd.Timestamp("2026-12-31 23:59:59"))
    by_store = sla_attainment(status, by=["store_id"]).set_index("store_id")["attainment"]
    assert by_store.max() - by_store.min() > 0.2
    months = status.assign(month=status["created_at"].dt.month)
    trend = sla_attainment(months[months["store_id"] == "004"], by=["month"]).set_index("month")["attainment"]
    assert trend.loc[10:12].mean() - trend.loc[1:3].mean() > 0.15, "store 004 is an improving store"
    trend2 = sla_attainment(months[months["store_id"] == "002"], by=["month"]).set_index("month")["attainment"]
    assert trend2.loc[1:3].mean() - trend2.loc[10:12].mean() > 0.15, "store 002 is a declining store"
