from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jiedao.identity import (
    age_on,
    mask_id_number,
    mask_mobile,
    mask_name,
    validate_id_number,
    validate_mobile,
)
from jiedao.personal_numbers import mask_audit_value, mask_contact


@pytest.mark.parametrize("good", ["11010519491231002X", "510108197001010015"])
def test_valid_id_numbers_pass(good):
    validate_id_number(good)


@pytest.mark.parametrize(
    ("bad", "code"),
    [("110105194912310021", "id_checksum"), ("11010519491331002X", "id_birth"), ("1101051949", "id_shape")],
)
def test_invalid_id_numbers_are_rejected_with_a_reason(bad, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(bad)
    assert exc.value.code == code


@pytest.mark.parametrize("bad", ["12812345678", "1381234567", "138123456789", "abc"])
def test_malformed_mobiles_are_rejected(bad):
    with pytest.raises(ValidationError):
        validate_mobile(bad)


def test_an_id_keeps_only_its_last_four_no_region_no_birth_date():
    assert mask_id_number("51010819900101123X") == "**************123X"
    assert mask_mobile("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("欧阳小明", "欧**明"), ("王小明", "王*明"), ("张", "*"), ("", ""), (None, "")],
)
def test_names_keep_their_first_character_never_only_the_last(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("mask", [mask_id_number, mask_mobile, mask_name, mask_contact, mask_audit_value])
@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_value_stays_empty(mask, empty):
    assert mask(empty) == ""


def test_an_audit_entrys_none_is_empty_not_starred():
    assert mask_audit_value("None") == ""


def test_contacts_are_masked_by_kind():
    assert mask_contact("139-1234-5678") == "139****5678"
    assert mask_contact("zhang@example.com") == "z***@example.com"
    assert mask_contact("028-85123456") == "***-****3456"
    assert mask_contact("微信 小明") == "微***明"


def test_audit_values_hide_ids_and_birth_dates():
    assert mask_audit_value("510108199001011234") == "**************1234"
    assert mask_audit_value("1990-01-01") == "****-**-**"
    assert mask_audit_value("13812345678") == "138****5678"


def test_age_in_whole_years():
    assert age_on(date(1990, 6, 15), date(2026, 6, 14)) == 35
    assert age_on(date(1990, 6, 15), date(2026, 6, 15)) == 36
    assert age_on(None) is None
