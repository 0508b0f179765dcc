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


# ------------------------------------------------------------------------------- memberships
def test_memberships_come_from_their_own_generator(monkeypatch):
    from kit.intake import sample

    with_members = generate_chain(stores=6, months=3, seed=9)
    empty = pd.DataFrame({c: pd.Series([], dtype="str") for c in with_members["memberships"].columns})
    monkeypatch.setattr(sample, "_memberships", lambda spec, profile, customers: empty)
    without = sample.generate_chain(stores=6, months=3, seed=9)
    for kind in ("stores", "complaints", "surveys", "transactions"):
        pd.testing.assert_frame_equal(with_members[kind], without[kind])
    assert len(with_members["memberships"]) > 0
    monkeypatch.undo()
    again = generate_chain(stores=6, months=3, seed=9)["memberships"]
    pd.testing.assert_frame_equal(with_members["memberships"], again)
    other = generate_chain(stores=6, months=3, seed=10)["memberships"]
    assert not other.equals(with_members["memberships"])


def test_memberships_file_only_when_a_store_has_a_programme(tmp_path):
    paths = write_chain(tmp_path / "two", stores=2, months=1, seed=1)
    assert "memberships" not in paths and not (tmp_path / "two" / "memberships.csv").exists()
    paths = write_chain(tmp_path / "five", stores=5, months=1, seed=1)
    assert paths["memberships"].read_bytes().startswith(b"\xef\xbb\xbf")


def test_memberships_match_the_schema_and_load(tmp_path):
    from kit.intake.load import load_chain
    from kit.intake.schemas import alias_index, get_spec, resolve_headers

    write_chain(tmp_path / "with", stores=5, months=12, seed=7)
    chain = load_chain(tmp_path / "with")
    m = chain.memberships
    assert m is not None and m.rows_read > 0 and m.rows_rejected == 0
    raw = pd.read_csv(tmp_path / "with" / "memberships.csv", dtype=str, encoding="utf-8-sig")
    assert list(raw.columns) == get_spec("memberships").names
    assert set(alias_index("memberships").values()) == set(raw.columns)  # raises on an alias collision
    zh = resolve_headers(["会籍编号", "客户编号", "门店编号", "入会日期", "退会日期"], get_spec("memberships"))
    assert list(zh.mapping.values()) == get_spec("memberships").names
    write_chain(tmp_path / "without", stores=2, months=1, seed=1)
    assert load_chain(tmp_path / "without").memberships is None


def test_memberships_look_like_a_yearly_programme():
    from kit.loyalty.contractual import membership_survival, pooled_survival

    chain = generate_chain(stores=12, months=12, seed=7)
    m = chain["memberships"]
    assert sorted(m["store_id"].unique()) == ["003", "005", "007", "010", "012"]
    assert m["member_id"].is_unique
    joined = pd.to_datetime(m["joined_on"])
    ended = pd.to_datetime(m["ended_on"].replace("", None))
    assert joined.min().year == 2020 and joined.max() <= pd.Timestamp("2026-12-31")
    assert (ended.dropna() <= pd.Timestamp("2026-12-31")).all()
    lapsed = ended.notna()
    # a membership ends on the anniversary it is not renewed (29 February -> 28 February)
    j, e = joined[lapsed], ended[lapsed]
    leap_day = (j.dt.month == 2) & (j.dt.day == 29) & (e.dt.month == 2) & (e.dt.day == 28)
    assert ((e.dt.month == j.dt.month) & (e.dt.day == j.dt.day) | leap_day).all()
    assert (e > j).all()
    # linked members are distinct customers who bought in their own store
    linked = m[m["customer_id"] != ""]
    assert linked["customer_id"].is_unique and len(linked) > 0
    tx = chain["transactions"][["customer_id", "store_id"]].drop_duplicates()
    assert linked.merge(tx, on=["customer_id", "store_id"]).shape[0] == len(linked)
    # several yearly renewal periods; better stores keep more members; retention rises with tenure
    cohorts = membership_survival(m, as_of="2026-12-31", by=("store_id",))
    assert cohorts["period"].max() == 6
    first_year = {s: pooled_survival(g)["retention"].iloc[1] for s, g in cohorts.groupby("store_id")}
    assert first_year["007"] > first_year["005"]  # excellent vs poor store
    pooled = pooled_survival(membership_survival(m[m["store_id"] == "003"], as_of="2026-12-31"))
    assert pooled["retention"].iloc[3] > pooled["retention"].iloc[1]
