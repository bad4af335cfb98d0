"""The one upload check every app uses: size, then type by content (never by name), file left rewound."""

import io
import struct
import time
import zipfile
import zlib
from urllib.parse import quote

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.uploads import check_archive, check_upload

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


# -- archives: inflated size and members (issue 11: a 1 MB zip inflating to 1 GiB was accepted) ----

GIB = 1024**3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zeros (a whole number of MiB) as a raw deflate stream, and their CRC-32. After a full
    flush the compressor starts afresh, so one compressed MiB repeated is the whole stream: a GiB
    costs a CRC, not a minute of compressing."""
    mib = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(mib, crc)
    return block * (size >> 20) + compressor.flush(zlib.Z_FINISH), crc


def deflated(name: str, text: str) -> tuple[str, bytes, int, int]:
    raw = text.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw)


def build_zip(members) -> bytes:
    """A zip written by hand from (name, deflate stream, crc, size stated in the directory), the
    sizes in zip64 extra fields as large members need."""
    out, central = io.BytesIO(), []
    for name, data, crc, size in members:
        encoded, offset = name.encode(), out.tell()
        extra = struct.pack("<HHQQ", 1, 16, size, len(data))
        # version 4.5, no flags, deflated, a fixed time, the sizes in the zip64 extra field
        common = (45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(encoded), len(extra))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *common) + encoded + extra + data)
        header = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, *common, 0, 0, 0, 0, offset)
        central.append(header + encoded + extra)
    start, directory = out.tell(), b"".join(central)
    out.write(
        directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def zip_bomb(size: int = GIB, *, first: str = "[Content_Types].xml", name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A small zip (an XLSX to filetype) whose one big member is `size` zeros."""
    data, crc = deflated_zeros(size)
    return build_zip([deflated(first, '<?xml version="1.0"?><Types/>'), (name, data, crc, size)])


@pytest.fixture(scope="module")
def gib_bomb():
    return zip_bomb()


def test_a_zip_inflating_to_a_gib_is_refused(gib_bomb):
    assert len(gib_bomb) < 2 * 1024 * 1024
    upload = SimpleUploadedFile("明细.xlsx", gib_bomb)
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        check_upload(
            upload, allowed_mimes={XLSX}, max_bytes=10 * 1024 * 1024, too_large_message="big", wrong_type_message="x"
        )
    assert time.perf_counter() - started < 1
    assert caught.value.code == "archive" and "100 MB" in caught.value.messages[0]
    assert upload.tell() == 0


def test_a_zip_that_lies_about_its_sizes_is_refused_while_inflating(settings):
    """The directory says 1000 bytes; inflating finds more (its CRC fails) and the count stops."""
    data, crc = deflated_zeros(4 * 1024 * 1024)
    liar = build_zip([deflated("a.txt", "hi"), ("b.bin", data, crc, 1000)])
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("b.bin").file_size == 1000
    with pytest.raises(ValidationError) as caught:
        check_archive(io.BytesIO(liar))
    assert caught.value.code == "archive"
    settings.UPLOAD_MAX_INFLATED_BYTES = 1024 * 1024  # and a truthful one just over the limit
    with pytest.raises(ValidationError):
        check_archive(io.BytesIO(zip_bomb(2 * 1024 * 1024)))


def test_too_many_members_are_refused(settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(11):
            archive.writestr(f"{i}.txt", "x")
    with pytest.raises(ValidationError):
        check_archive(buffer)


def test_a_real_xlsx_passes_the_archive_check():
    book = openpyxl.Workbook()
    book.active.append(["年度", 2005])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("a.xlsx", buffer.getvalue())
    kind = check_upload(
        upload, allowed_mimes={XLSX}, max_bytes=1024 * 1024, too_large_message="", wrong_type_message=""
    )
    assert kind.extension == "xlsx" and upload.tell() == 0


def test_not_a_zip_is_left_alone():
    upload = SimpleUploadedFile("photo.png", PNG)
    check_archive(upload)
    assert upload.tell() == 0


@pytest.mark.django_db
def test_a_notice_attachment_bomb_is_refused(gib_bomb, secretary_a, community_a):
    from disclosure import services
    from disclosure.models import Attachment
    from tests.disclosure.factories import draft

    notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("明细.xlsx", gib_bomb))
    assert "解压后超过" in caught.value.messages[0]
    assert not Attachment.objects.exists()
    plain_zip = zip_bomb(1024 * 1024, first="a.txt", name="b.txt")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("a.zip", plain_zip))


# -- downloads: the served name carries the extension of the detected type ------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><script>alert(1)</script></html>"
TEXT = "text/plain; charset=utf-8"


def served(tmp_path, content: bytes, stored_as: str, filename: str, content_type=None):
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile

    from jiedao.viewkit import protected_file_response

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save(stored_as, ContentFile(content))
    field = type("F", (), {"storage": storage, "name": "file"})()
    response = protected_file_response(FieldFile(object(), field, name), filename=filename, content_type=content_type)
    body = b"".join(response.streaming_content)
    for closer in response._resource_closers:
        closer()
    return response, body


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "expected_type", "expected_name"),
    [
        (b"<html><script>alert(1)</script></html>", "report.html", None, "text/plain; charset=utf-8", "report.txt"),
        (
            b"<html><script>alert(1)</script></html>",
            "report.html",
            "text/html",
            "text/plain; charset=utf-8",
            "report.txt",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "logo.svg",
            "image/svg+xml",
            "text/plain; charset=utf-8",
            "logo.txt",
        ),
        (PDF, "report.html", None, "application/pdf", "report.pdf"),
        (PDF, "述职报告", None, "application/pdf", "述职报告.pdf"),
        (PNG, "photo.JPG", "image/png", "image/png", "photo.png"),
        (PNG, "photo.png", "image/png", "image/png", "photo.png"),
        (b"\x00\x01\x02\xff\xfe" * 10, "data.html", None, "application/octet-stream", "data.bin"),
    ],
)
def test_a_download_is_named_after_its_detected_type(
    tmp_path, content, filename, content_type, expected_type, expected_name
):
    response, body = served(tmp_path, content, "stored.html", filename, content_type)
    assert response["Content-Type"] == expected_type
    assert "text/html" not in response["Content-Type"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert expected_name in disposition or quote(expected_name) in disposition, disposition
    assert body == content


@pytest.mark.django_db
def test_a_notice_attachment_downloads_under_its_type(client, secretary_a, community_a):
    """Named `.html` but a PDF: refused at upload if the name is not an allowed type, served as .pdf."""
    from disclosure import services
    from tests.disclosure.factories import draft

    notice = draft(author=secretary_a, community=community_a)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("report.html", PDF))
    attachment = services.attachment_add(actor=secretary_a, notice=notice, uploaded=SimpleUploadedFile("明细.pdf", PDF))
    client.force_login(secretary_a)
    from django.urls import reverse

    response = client.get(reverse("disclosure:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert quote("明细.pdf") in response["Content-Disposition"]
