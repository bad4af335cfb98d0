"""The one upload check every app uses: size, then type by content (never by name), file left rewound."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.uploads import check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
IMAGES = {"image/png", "image/jpeg"}


def check(upload, **extra):
    return check_upload(
        upload,
        allowed_mimes=IMAGES,
        max_bytes=1024,
        too_large_message="too large",
        wrong_type_message="wrong type",
        **extra,
    )


def test_a_png_passes_and_the_file_is_rewound():
    upload = SimpleUploadedFile("photo.png", PNG)
    upload.read(5)  # wherever the caller left it, the check reads from the start
    kind = check(upload)
    assert kind.mime == "image/png" and kind.extension == "png"
    assert upload.tell() == 0
    assert upload.read() == PNG


def test_html_named_png_is_rejected_with_the_callers_message_and_code():
    upload = SimpleUploadedFile("photo.png", b"<!doctype html><html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as caught:
        check(upload, wrong_type_code="type")
    assert caught.value.messages == ["wrong type"] and caught.value.code == "type"
    assert upload.tell() == 0


def test_oversized_is_rejected_before_its_content_is_read():
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048)
    with pytest.raises(ValidationError) as caught:
        check(upload, too_large_code="too_large")
    assert caught.value.messages == ["too large"] and caught.value.code == "too_large"


def test_errors_are_keyed_by_the_field_when_one_is_given():
    upload = SimpleUploadedFile("photo.png", b"plain text")
    with pytest.raises(ValidationError) as caught:
        check(upload, field="photo")
    assert caught.value.message_dict == {"photo": ["wrong type"]}


def test_the_callers_params_fill_the_message():
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048)
    with pytest.raises(ValidationError) as caught:
        check_upload(
            upload,
            allowed_mimes=IMAGES,
            max_bytes=1024,
            too_large_message="%(name)s is too large",
            wrong_type_message="%(name)s is not a picture",
            params={"name": "big.png"},
        )
    assert caught.value.messages == ["big.png is too large"]
