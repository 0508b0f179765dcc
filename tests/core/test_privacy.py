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
