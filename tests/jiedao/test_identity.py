import pytest
from django.core.exceptions import ValidationError

from jiedao.identity import mask_id_number, mask_mobile, validate_id_number, validate_mobile


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


def test_masks_hide_the_middle():
    assert mask_id_number("51010819900101123X") == "510108********123X"
    assert mask_mobile("13812345678") == "138****5678"
