import pandas as pd

from kit.core.privacy import find_pii, mask_email, mask_frame, mask_id_number, mask_name, mask_phone


def test_masks():
    assert mask_phone(pd.Series(["13812345678", "138-1234-5678", "12345"])).tolist() == [
        "138****5678",
        "138****5678",
        "*****",
    ]
    assert mask_name(pd.Series(["张三丰", "李四", "王"])).tolist() == ["张**", "李*", "王"]
    assert mask_email(pd.Series(["zhang.san@example.com", "oops"])).tolist() == ["z***@example.com", "****"]
    assert mask_id_number(pd.Series(["11010119900307123X"])).tolist() == ["110***********123X"]


def test_missing_values_stay_missing():
    out = mask_phone(pd.Series(["13812345678", None]))
    assert out.iloc[0] == "138****5678" and pd.isna(out.iloc[1])


def test_mask_frame_masks_only_personal_columns():
    frame = pd.DataFrame({"customer_name": ["陆芬秀"], "customer_phone": ["15130159536"], "store_id": ["001"]})
    out = mask_frame(frame)
    assert out.iloc[0].tolist() == ["陆**", "151****9536", "001"]
    assert frame.iloc[0, 0] == "陆芬秀", "the input is not changed"


def test_find_pii():
    text = "call 13812345678 or mail a.b@x.cn, id 11010119900307123X; masked 138****5678; 张三"
    assert find_pii(text, names=["张三", "李四"]) == ["13812345678", "a.b@x.cn", "11010119900307123X", "张三"]
    assert find_pii("138****5678 z***@example.com") == []


def test_phone_numbers_in_every_spelling_are_masked_and_found():
    spelled = ["139 1234 5678", "139-1234-5678", "+86 13912345678", "0086 13912345678", "+86-139-1234-5678"]
    assert mask_phone(pd.Series(spelled)).tolist() == [
        "139****5678",
        "139****5678",
        "+86 139****5678",
        "0086 139****5678",
        "+86 139****5678",
    ]
    for phone in spelled:
        assert find_pii(f"客户 {phone} 来电") == [phone], phone
    masked = mask_phone(pd.Series(spelled))
    assert mask_phone(masked).tolist() == masked.tolist(), "masking twice changes nothing"
    assert find_pii(" ".join(masked)) == []


def test_find_pii_ignores_numbers_that_are_not_phones():
    text = "2026-03-05 13:02:12, total 13912345678901, 139 1234-5678, order 23912345678"
    assert find_pii(text) == []


def test_id_numbers_with_a_trailing_x():
    assert find_pii("身份证 11010119900307123X。") == ["11010119900307123X"]
    assert find_pii("身份证 11010119900307123x") == ["11010119900307123x"]
    assert mask_frame(pd.DataFrame({"customer_id_number": ["11010119900307123X"]})).iloc[0, 0] == "110***********123X"


def test_mask_text_masks_personal_data_inside_free_text():
    from kit.core.privacy import mask_text

    line = "T9,001,王五,+86 139 1234 5678,wang.wu@example.com,11010119900307123X"
    out = mask_text(pd.Series([line, None]))
    assert out.iloc[0] == "T9,001,王五,+86 139****5678,w***@example.com,110***********123X"
    assert pd.isna(out.iloc[1])
    assert find_pii(out.iloc[0]) == []
