"""parsing.safety: hostile and odd files are refused by content, with a code and a message a
recruiter can act on. Every file is built here (bytes, reportlab, python-docx, zipfile)."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import docx
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from parsing.limits import MB, Limits
from parsing.result import FileRejected, ParseFailed, UnsupportedFormat
from parsing.safety import check_pdf, check_size, decode_text, detect_kind, docx_parts

LIMITS = Limits()


# --------------------------------------------------------------------------- builders


def make_pdf(pages: int = 1, *, encrypt=None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for number in range(pages):
        pdf.drawString(72, 720, f"Jane Doe, Senior Engineer (page {number + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(text: str = "Jane Doe") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Jane Doe - Resume"
    section.footer.paragraphs[0].text = "page 1"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_zero_docx(name: str, megabytes: int) -> bytes:
    """A DOCX-shaped zip whose ``name`` member is ``megabytes`` MB of zeros, written in chunks
    (the test never holds the decompressed size)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if name != "word/document.xml":
            archive.writestr("word/document.xml", "<w:document/>")
        with archive.open(name, "w") as member:
            chunk = b"\x00" * MB
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """Patch the uncompressed size of ``name`` in its local header and central directory."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, declared)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        (name_length,) = struct.unpack_from("<H", patched, central + 28)
        if patched[central + 46 : central + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, central + 24, declared)
            return bytes(patched)
        central = patched.find(b"PK\x01\x02", central + 4)
    raise AssertionError("central directory entry not found")


def minimal_pe() -> bytes:
    dos = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    struct.pack_into("<I", dos, 0x3C, 0x40)
    return bytes(dos) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def ole(*streams: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return header + directory + b"\x00" * 512


# --------------------------------------------------------------------------- detect_kind


def test_detect_kind_pdf_by_content_whatever_the_name():
    assert detect_kind(make_pdf(), "resume.docx", LIMITS) == "pdf"


def test_detect_kind_pdf_header_after_junk():
    assert detect_kind(b"\r\n" * 100 + make_pdf(), "resume.pdf", LIMITS) == "pdf"


def test_detect_kind_docx_by_content_whatever_the_name():
    assert detect_kind(make_docx(), "resume.pdf", LIMITS) == "docx"


def test_detect_kind_text():
    assert detect_kind(b"Jane Doe\nSenior Engineer\n", "resume.txt", LIMITS) == "text"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (minimal_pe(), "Windows executable"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "Windows executable"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100, "Linux executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100, "macOS executable"),
        (b"#!/bin/sh\nrm -rf ~\n", "script"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 100, "gzip archive"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 100, "7-Zip archive"),
        (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100, "RAR archive"),
    ],
)
def test_detect_kind_refuses_executables_and_archives(data, what):
    with pytest.raises(FileRejected) as caught:
        detect_kind(data, "resume.pdf", LIMITS)
    assert caught.value.code == "wrong_type"
    assert what in caught.value.message
    assert "whatever the name says" in caught.value.message


def test_detect_kind_exe_renamed_pdf_with_pdf_marker_inside():
    # A polyglot: an executable that carries "%PDF-" in its first kilobyte is still refused.
    data = minimal_pe() + b"%PDF-1.4\n"
    with pytest.raises(FileRejected) as caught:
        detect_kind(data, "resume.pdf", LIMITS)
    assert caught.value.code == "wrong_type"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ Consulting Ltd\nJane Doe, consultant\n",
        b"BMW Group, Munich - Software Engineer 2019-2023\n",
        b"#1 ranked sales rep, 2021\n",
        b"GIFTED teacher with ten years of experience\n",
        b"Jane Doe\nSkills: <html>, CSS, JavaScript\n",
    ],
)
def test_detect_kind_text_that_starts_like_a_magic_number(data):
    assert detect_kind(data, "resume.txt", LIMITS) == "text"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50, "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, "JPEG"),
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 50, "GIF"),
        (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 50, "TIFF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 50, "WebP"),
        (
            b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00" + b"\x00" * 50,
            "BMP",
        ),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 50, "HEIC"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
    ],
)
def test_detect_kind_images_need_ocr(data, what):
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.pdf", LIMITS)
    assert caught.value.code == "image"
    assert caught.value.message == f"an image ({what}); OCR is not supported"


def test_detect_kind_legacy_doc():
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(ole("Root Entry", "WordDocument", "1Table"), "resume.doc", LIMITS)
    assert caught.value.code == "legacy_doc"
    assert caught.value.message == "legacy Word .doc is not supported; save it as DOCX or PDF"


def test_detect_kind_password_protected_word_file():
    # An encrypted .docx is an OLE file holding the zip as "EncryptedPackage".
    data = ole("Root Entry", "EncryptionInfo", "EncryptedPackage")
    with pytest.raises(FileRejected) as caught:
        detect_kind(data, "resume.docx", LIMITS)
    assert caught.value.code == "encrypted"
    assert "Word file is password-protected" in caught.value.message


def test_detect_kind_legacy_excel():
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(ole("Root Entry", "Workbook"), "resume.xls", LIMITS)
    assert caught.value.code == "legacy_office"
    assert "Excel" in caught.value.message


def test_detect_kind_rtf():
    data = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Jane Doe\par }"
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.doc", LIMITS)
    assert caught.value.code == "rtf"
    assert "RTF" in caught.value.message and "save it as PDF or DOCX" in caught.value.message


def test_detect_kind_odt():
    data = make_zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
        },
        method=zipfile.ZIP_STORED,
    )
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.docx", LIMITS)
    assert caught.value.code == "odt"
    assert caught.value.message == (
        "OpenDocument text (.odt) is not supported; save it as PDF or DOCX"
    )


def test_detect_kind_xlsx():
    data = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.docx", LIMITS)
    assert caught.value.code == "other_document"
    assert "Excel spreadsheet" in caught.value.message


def test_detect_kind_plain_zip():
    data = make_zip({"resume1.pdf": make_pdf(), "notes.txt": b"hello"})
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resumes.docx", LIMITS)
    assert caught.value.code == "archive"
    assert "zip archive" in caught.value.message


def test_detect_kind_damaged_zip():
    data = make_docx()[:2000]
    with pytest.raises(ParseFailed) as caught:
        detect_kind(data, "resume.docx", LIMITS)
    assert caught.value.code == "corrupt"
    assert "damaged" in caught.value.message


def test_detect_kind_zip_with_too_many_entries_before_reading_them():
    data = make_zip({f"word/media/{i}.xml": b"" for i in range(50)} | {"word/document.xml": b""})
    with pytest.raises(FileRejected) as caught:
        detect_kind(data, "resume.docx", Limits(docx_max_entries=20))
    assert caught.value.code == "zip_bomb"
    assert caught.value.message == (
        "the zip file holds 51 parts; the limit is 20 (a zip bomb?); refused"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html>\n<html><body>Jane Doe</body></html>",
        b"  <html xmlns:o='urn:schemas-microsoft-com:office:office'><body>Jane</body></html>",
        b'<?xml version="1.0"?>\n<!-- saved -->\n<html><body>Jane</body></html>',
    ],
)
def test_detect_kind_html(data):
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.doc", LIMITS)
    assert caught.value.code == "html"
    assert "HTML" in caught.value.message


def test_detect_kind_unknown_binary():
    data = bytes(range(256)) * 4
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind(data, "resume.pdf", LIMITS)
    assert caught.value.code == "unknown"
    assert "unrecognised file type" in caught.value.message


def test_detect_kind_empty():
    with pytest.raises(FileRejected) as caught:
        detect_kind(b"", "resume.pdf", LIMITS)
    assert caught.value.code == "empty"
    assert caught.value.message == "the file is empty"


def test_detect_kind_blank_text():
    with pytest.raises(FileRejected) as caught:
        detect_kind(b" \r\n\t\n", "resume.txt", LIMITS)
    assert caught.value.code == "empty"


def test_detect_kind_too_large():
    limits = Limits(max_bytes=1 * MB)
    data = make_pdf() + b"\n%" + b"x" * (MB + MB // 2)
    with pytest.raises(FileRejected) as caught:
        detect_kind(data, "resume.pdf", limits)
    assert caught.value.code == "too_large"
    assert caught.value.message == "the file is 1.5 MB; the limit is 1 MB"


def test_detect_kind_at_the_size_limit_is_fine():
    data = b"Jane Doe\n" * 100
    assert detect_kind(data, "resume.txt", Limits(max_bytes=len(data))) == "text"


def test_check_size_default_is_ten_megabytes():
    with pytest.raises(FileRejected) as caught:
        check_size(b"x" * (10 * MB + 1), LIMITS)
    assert caught.value.code == "too_large"
    assert "the limit is 10 MB" in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        "Jos\u00e9 M\u00fcller \u2013 Engineer\n".encode(),
        "\ufeffJos\u00e9 M\u00fcller \u2013 Engineer\n".encode(),
        "\ufeffJos\u00e9 M\u00fcller \u2013 Engineer\n".encode("utf-16-le"),
        "\ufeffJos\u00e9 M\u00fcller \u2013 Engineer\n".encode("utf-16-be"),
        "Jos\u00e9 M\u00fcller \u2013 Engineer\n".encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_detect_kind_and_decode_text_encodings(data):
    assert detect_kind(data, "resume.txt", LIMITS) == "text"
    assert decode_text(data) == "Jos\u00e9 M\u00fcller \u2013 Engineer\n"


def test_detect_kind_utf16_without_bom_is_not_text():
    with pytest.raises(UnsupportedFormat) as caught:
        detect_kind("Jane Doe\n".encode("utf-16-le"), "resume.txt", LIMITS)
    assert caught.value.code == "unknown"


def test_decode_text_never_fails():
    assert decode_text(b"Jane \x81 Doe") == "Jane \ufffd Doe"


# --------------------------------------------------------------------------- check_pdf


def test_check_pdf_counts_pages():
    assert check_pdf(make_pdf(3), LIMITS) == 3


def test_check_pdf_refuses_a_user_password():
    data = make_pdf(encrypt=StandardEncryption("secret", "owner"))
    assert detect_kind(data, "resume.pdf", LIMITS) == "pdf"
    with pytest.raises(FileRejected) as caught:
        check_pdf(data, LIMITS)
    assert caught.value.code == "encrypted"
    assert caught.value.message == (
        "the PDF is encrypted with a password; ask for an unprotected copy"
    )


def test_check_pdf_accepts_an_owner_password_only():
    # Word's "restrict editing" writes these: encrypted, but with an empty user password.
    data = make_pdf(2, encrypt=StandardEncryption("", "owner", canPrint=0, canModify=0))
    assert b"/Encrypt" in data
    assert check_pdf(data, LIMITS) == 2


def test_check_pdf_too_many_pages():
    with pytest.raises(FileRejected) as caught:
        check_pdf(make_pdf(31), Limits(max_pages=30))
    assert caught.value.code == "too_many_pages"
    assert caught.value.message == "the PDF has 31 pages; the limit is 30"


def test_check_pdf_at_the_page_limit_is_fine():
    assert check_pdf(make_pdf(30), Limits(max_pages=30)) == 30


def test_check_pdf_truncated():
    data = make_pdf(3)
    with pytest.raises(ParseFailed) as caught:
        check_pdf(data[: len(data) // 3], LIMITS)
    assert caught.value.code == "corrupt"
    assert "PDF is damaged or truncated" in caught.value.message


def test_check_pdf_garbage_after_header():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 20
    assert detect_kind(data, "resume.pdf", LIMITS) == "pdf"
    with pytest.raises(ParseFailed) as caught:
        check_pdf(data, LIMITS)
    assert caught.value.code == "corrupt"


def test_check_pdf_no_pages():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n"
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    with pytest.raises(ParseFailed) as caught:
        check_pdf(bytes(body), LIMITS)
    assert caught.value.code == "no_pages"
    assert "no pages" in caught.value.message


# --------------------------------------------------------------------------- docx_parts


def test_docx_parts_returns_the_parts_a_reader_needs():
    parts = docx_parts(make_docx("Jane Doe, Engineer"), LIMITS)
    assert b"Jane Doe, Engineer" in parts["word/document.xml"]
    assert {
        "word/document.xml",
        "word/styles.xml",
        "word/_rels/document.xml.rels",
    } <= set(parts)
    headers = [name for name in parts if name.startswith("word/header")]
    footers = [name for name in parts if name.startswith("word/footer")]
    assert headers and footers
    assert b"Jane Doe - Resume" in b"".join(parts[name] for name in headers)
    assert not any(name.startswith(("docProps/", "word/theme/", "[Content")) for name in parts)


def test_docx_parts_zip_bomb_by_declared_size_before_decompressing():
    data = make_zero_docx("word/document.xml", 200)
    assert len(data) < 1 * MB
    assert detect_kind(data, "resume.docx", LIMITS) == "docx"
    started = time.monotonic()
    with pytest.raises(FileRejected) as caught:
        docx_parts(data, LIMITS)
    assert time.monotonic() - started < 0.5  # refused from the directory, nothing inflated
    assert caught.value.code == "zip_bomb"
    assert caught.value.message == (
        "the Word file would decompress to 200 MB; the limit is 50 MB (a zip bomb?); refused"
    )


def test_docx_parts_zip_bomb_by_compression_ratio():
    # 20 MB of zeros is under the 50 MB size limit but compressed about 1000 to 1.
    data = make_zero_docx("word/header1.xml", 20)
    with pytest.raises(FileRejected) as caught:
        docx_parts(data, LIMITS)
    assert caught.value.code == "zip_bomb"
    assert "word/header1.xml in the Word file is compressed more than 200 to 1" in (
        caught.value.message
    )


def test_docx_parts_too_many_entries():
    members = {f"word/media/image{i}.xml": b"" for i in range(4999)}
    members["word/document.xml"] = b"<w:document/>"
    data = make_zip(members, method=zipfile.ZIP_STORED)
    with pytest.raises(FileRejected) as caught:
        docx_parts(data, LIMITS)
    assert caught.value.code == "zip_bomb"
    assert caught.value.message == (
        "the Word file holds 5000 parts; the limit is 1000 (a zip bomb?); refused"
    )


def test_docx_parts_directory_lies_about_sizes():
    # 200 MB of zeros recorded as 1 KB: the declared total passes, decompression must not.
    data = lie_about_size(make_zero_docx("word/document.xml", 200), "word/document.xml", 1024)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 1024
    started = time.monotonic()
    with pytest.raises(FileRejected) as caught:
        docx_parts(data, LIMITS)
    assert time.monotonic() - started < 1.0  # stopped at the first chunk
    assert caught.value.code == "zip_bomb"
    assert "sizes recorded in the Word file for word/document.xml are false" in (
        caught.value.message
    )


def test_docx_parts_counts_every_member_against_the_limit():
    # No single member is a bomb (barely compressible), but together they pass the cap; and
    # once the big member's recorded size is falsified, decompression itself catches it.
    text = make_docx("Jane Doe")
    big = bytes(range(256)) * (3 * MB // 256)  # barely compressible
    data = make_zip(
        {
            name: zipfile.ZipFile(io.BytesIO(text)).read(name)
            for name in zipfile.ZipFile(io.BytesIO(text)).namelist()
        }
        | {"word/header7.xml": big}
    )
    with pytest.raises(FileRejected) as caught:
        docx_parts(data, Limits(docx_max_uncompressed=2 * MB))
    assert caught.value.code == "zip_bomb"
    assert caught.value.message.startswith("the Word file would decompress to 3.")
    assert "the limit is 2 MB" in caught.value.message

    lying = lie_about_size(data, "word/header7.xml", 1000)
    with pytest.raises(FileRejected) as caught:
        docx_parts(lying, Limits(docx_max_uncompressed=2 * MB))
    assert caught.value.code == "zip_bomb"
    assert "for word/header7.xml are false" in caught.value.message


def test_docx_parts_missing_document():
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"})
    with pytest.raises(ParseFailed) as caught:
        docx_parts(data, LIMITS)
    assert caught.value.code == "corrupt"
    assert "no document body" in caught.value.message


def test_docx_parts_bad_zip():
    with pytest.raises(ParseFailed) as caught:
        docx_parts(b"PK\x03\x04" + b"\x00" * 100, LIMITS)
    assert caught.value.code == "corrupt"
    assert "damaged" in caught.value.message


def test_docx_parts_damaged_member():
    data = bytearray(make_docx("Jane Doe " * 200))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10 : start + 40] = b"\xff" * 30
    with pytest.raises(ParseFailed) as caught:
        docx_parts(bytes(data), LIMITS)
    assert caught.value.code == "corrupt"
    assert "word/document.xml cannot be read" in caught.value.message


def test_docx_parts_encrypted_member():
    data = bytearray(make_zip({"word/document.xml": b"<w:document/>"}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    data[info.header_offset + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(FileRejected) as caught:
        docx_parts(bytes(data), LIMITS)
    assert caught.value.code == "encrypted"
    assert "password-protected" in caught.value.message
