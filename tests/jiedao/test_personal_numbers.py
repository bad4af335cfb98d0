"""The one personal-number detector: formatting does not hide a number, ordinary numbers are left alone."""

import pytest

from jiedao.personal_numbers import find_personal_numbers, has_personal_numbers, mask_personal_numbers

# The formatting variants that once went through verbatim (issue 11), and the plain forms.
VARIANTS = {
    "spaces": ("电话 138 1234 5678", "138****5678"),
    "hyphens": ("电话139-1234-5678。", "139****5678"),
    "full-width digits": ("电话：１３８１２３４５６７８", "138****5678"),
    "zero-width spaces": ("电话 138\u200b1234\u200c5678\u2060", "138****5678"),
    "spaced ID": ("身份证 5101 0819 7001 0100 1X", "**************001X"),
    "plain mobile": ("联系电话13812345678", "138****5678"),
    "plain ID": ("身份证51010819700101001X", "**************001X"),
    "full-width ID with dots": ("５１０１０８．１９７００１０１．００１Ｘ", "**************001X"),
    "BOM and ideographic spaces": ("\ufeff138\u3000１２３４\u30005678", "138****5678"),
    "+86 prefix": ("+8613812345678", "138****5678"),
    "X after a space": ("5101 0819 7001 0100 1 X", "**************001X"),
    "Chinese numerals": ("电话幺三八一二三四五六七八", "138****5678"),
    "Arabic-Indic digits": ("\u0661\u0663\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "138****5678"),
}


@pytest.mark.parametrize("text,masked", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_variant_is_found_and_masked(text, masked):
    assert has_personal_numbers(text)
    shown = mask_personal_numbers(text)
    assert masked in shown
    digits = "".join(c for c in shown if c.isdigit())
    assert "1234" not in digits[:-4] and "19700101" not in digits


@pytest.mark.parametrize(
    "text",
    [
        "金额 1,234,567.89 元",
        "收入 12345678.90 元，支出 98765432.10 元",
        "2024-05-01",
        "2024年5月1日 至 2024.12.31",
        "20240501",
        "电话 028-85123456 转 8001",
        "分机 12345678",
        "银行账号 6222021234567890123",
        "编号 A-2024-0001",
        "第 3 期 12 户 45 人",
        "一九四九年十月一日",
        "二〇二四年第三季度",
        "3 x 4 = 12",
    ],
)
def test_ordinary_numbers_are_not_flagged(text):
    assert not has_personal_numbers(text), find_personal_numbers(text)
    assert mask_personal_numbers(text) == text


def test_the_rest_of_the_text_is_kept():
    assert mask_personal_numbers("请拨 138-1234-5678 或 010-12345678。") == "请拨 138****5678 或 010-12345678。"
    assert mask_personal_numbers("") == "" and mask_personal_numbers(None) == ""
