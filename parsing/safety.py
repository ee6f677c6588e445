"""Checks a resume file passes before any parser reads it: what it really is (by its content,
never by its name), how big it is, how many pages, and whether a DOCX is a zip bomb.

Every refusal is a :class:`~parsing.result.ResumeError` whose message a recruiter can act on
("legacy Word .doc is not supported; save it as DOCX or PDF") and whose ``code`` is stable:

=================  ===================  ==================================================
class              code                 when
=================  ===================  ==================================================
FileRejected       ``empty``            no bytes (or, for plain text, only whitespace)
FileRejected       ``too_large``        over ``Limits.max_bytes``
FileRejected       ``wrong_type``       an executable, script or compressed archive
FileRejected       ``encrypted``        a PDF needing a password; a password-protected Word file;
                                        an encrypted zip member
FileRejected       ``too_many_pages``   a PDF over ``Limits.max_pages``
FileRejected       ``zip_bomb``         a DOCX over the entry count, the decompressed size or
                                        the compression ratio, or whose sizes lie
ParseFailed        ``corrupt``          claims to be a PDF or DOCX but cannot be read
ParseFailed        ``no_pages``         a PDF with no pages
UnsupportedFormat  ``legacy_doc``       Word 97-2003 .doc (an OLE compound file)
UnsupportedFormat  ``legacy_office``    another OLE file (.xls, .ppt, .msg ...)
UnsupportedFormat  ``rtf``              rich text
UnsupportedFormat  ``odt``              OpenDocument text
UnsupportedFormat  ``other_document``   a spreadsheet, a presentation, Word XML, PostScript ...
UnsupportedFormat  ``archive``          a zip that is not a document
UnsupportedFormat  ``image``            PNG, JPEG, GIF, TIFF, WebP, BMP, HEIC/AVIF, SVG
UnsupportedFormat  ``html``             a web page
UnsupportedFormat  ``unknown``          any other binary content
=================  ===================  ==================================================

Pure Python (no Django). Nothing here writes to disk: DOCX members are decompressed into memory
only, so zip entries with absolute paths or ``..`` ("zip slip") cannot do harm and are not
checked. The checks bound the work a file can cause; the time and memory of the parse itself
are bounded by :mod:`parsing.sandbox`.
"""

from __future__ import annotations

import codecs
import copy
import io
import re
import struct
import zipfile
import zlib

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from .limits import MB, Limits
from .result import FileRejected, ParseFailed, UnsupportedFormat

__all__ = ["check_pdf", "check_size", "decode_text", "detect_kind", "docx_parts"]

# A PDF header may follow some junk; readers look for it within the first 1024 bytes.
PDF_HEADER_WINDOW = 1024
# A decompressed member over this size must not be compressed more than BOMB_RATIO to 1.
BOMB_PART_BYTES = 1 * MB
BOMB_RATIO = 200
_CHUNK = 64 * 1024

SAVE_AS = "save it as PDF or DOCX"

# --------------------------------------------------------------------------- detect_kind


def detect_kind(data: bytes, filename: str, limits: Limits) -> str:
    """ "pdf", "docx" or "text", judged by content (magic bytes), never by the name alone."""
    check_size(data, limits)
    if data.startswith(b"%PDF-"):
        return "pdf"
    _refuse_by_magic(data)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _refuse_ole(data)
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    text = _as_text(data)
    if text is None:
        raise UnsupportedFormat(
            f"unrecognised file type (not PDF, DOCX or plain text); {SAVE_AS}", code="unknown"
        )
    _refuse_markup(text)
    if not text.strip():
        raise FileRejected("the file is empty (it holds only blank space)", code="empty")
    return "text"


def check_size(data: bytes, limits: Limits) -> None:
    """Refuse an empty file or one over ``limits.max_bytes`` (the first step of detect_kind;
    cheap enough to run in the parent before forking)."""
    if not data:
        raise FileRejected("the file is empty", code="empty")
    if len(data) > limits.max_bytes:
        raise FileRejected(
            f"the file is {_mb(len(data))} MB; the limit is {_mb(limits.max_bytes)} MB",
            code="too_large",
        )


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def _wrong_type(what: str) -> FileRejected:
    return FileRejected(
        f"not a resume: the content is {what}, whatever the name says", code="wrong_type"
    )


def _image(what: str) -> UnsupportedFormat:
    return UnsupportedFormat(f"an image ({what}); OCR is not supported", code="image")


# (prefix, what) pairs recognised at offset 0. Each prefix is at least three bytes, or two
# bytes followed by checks below, so a text resume is not taken for one of these.
_EXECUTABLES = (
    (b"\x7fELF", "a Linux executable (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS executable (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS executable (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "an executable (Mach-O universal binary or Java class)"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"MSCF\x00\x00\x00\x00", "a Windows cabinet archive"),
    (b"!<arch>\n", "an ar archive (a Debian package?)"),
)

_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
)

_HEIF_BRANDS = {
    b"heic": "HEIC",
    b"heix": "HEIC",
    b"hevc": "HEIC",
    b"heim": "HEIC",
    b"heis": "HEIC",
    b"mif1": "HEIF",
    b"msf1": "HEIF",
    b"avif": "AVIF",
    b"avis": "AVIF",
}


def _refuse_by_magic(data: bytes) -> None:
    """Raise for executables, archives and images recognised by their first bytes."""
    for prefix, what in _EXECUTABLES:
        if data.startswith(prefix):
            if prefix == b"\x1f\x8b" and (len(data) < 3 or data[2] != 8):
                continue  # gzip is always deflate (method 8); two bytes alone are too weak
            raise _wrong_type(what)
    if _is_windows_executable(data):
        raise _wrong_type("a Windows executable")
    if re.match(rb"#! ?/", data):
        raise _wrong_type("a script (it starts with #!)")
    if len(data) > 262 and data[257:262] == b"ustar":
        raise _wrong_type("a tar archive")
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        raise _wrong_type("a bzip2 archive")
    for prefix, what in _IMAGES:
        if data.startswith(prefix):
            raise _image(what)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise _image("WebP")
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise _image(_HEIF_BRANDS[data[8:12]])
    if _is_bmp(data):
        raise _image("BMP")


def _is_windows_executable(data: bytes) -> bool:
    """``MZ`` alone could start a text resume ("MZ Consulting"); require a PE header where the
    DOS header points, or the NUL bytes no text has."""
    if not data.startswith(b"MZ") or len(data) < 64:
        return False
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    if 64 <= pe_offset <= len(data) - 4 and data[pe_offset : pe_offset + 4] == b"PE\x00\x00":
        return True
    return b"\x00" in data[2:64]  # a DOS executable: binary header fields


def _is_bmp(data: bytes) -> bool:
    # "BM" could start a line of text; the header has reserved zero bytes and a known size.
    if not data.startswith(b"BM") or len(data) < 18:
        return False
    reserved = data[6:10]
    (dib_size,) = struct.unpack_from("<I", data, 14)
    return reserved == b"\x00\x00\x00\x00" and dib_size in (12, 16, 40, 52, 56, 64, 108, 124)


# OLE compound files name their streams in UTF-16LE in the directory sectors.
def _ole_has(data: bytes, stream: str) -> bool:
    return stream.encode("utf-16-le") in data


def _refuse_ole(data: bytes) -> None:
    if _ole_has(data, "EncryptedPackage"):
        raise FileRejected(
            "the Word file is password-protected; ask for an unprotected copy", code="encrypted"
        )
    if _ole_has(data, "WordDocument"):
        raise UnsupportedFormat(
            "legacy Word .doc is not supported; save it as DOCX or PDF", code="legacy_doc"
        )
    for stream, what in (
        ("Workbook", "a legacy Excel spreadsheet (.xls)"),
        ("Book", "a legacy Excel spreadsheet (.xls)"),
        ("PowerPoint Document", "a legacy PowerPoint presentation (.ppt)"),
        ("__substg1.0_", "an Outlook message (.msg)"),
    ):
        if _ole_has(data, stream):
            raise UnsupportedFormat(f"{what} is not supported; {SAVE_AS}", code="legacy_office")
    raise UnsupportedFormat(
        f"a legacy Microsoft Office file is not supported; {SAVE_AS}", code="legacy_office"
    )


# --------------------------------------------------------------------------- zip files


def _zip_kind(data: bytes, limits: Limits) -> str:
    """ "docx" for a zip holding word/document.xml; refuse other zips. Reads only the central
    directory: nothing is decompressed here."""
    archive = _open_zip(data, limits, "the zip file")
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if data[30:38] == b"mimetype" or "mimetype" in names:
        mimetype = _odf_mimetype(archive)
        if mimetype == "application/vnd.oasis.opendocument.text":
            raise UnsupportedFormat(
                f"OpenDocument text (.odt) is not supported; {SAVE_AS}", code="odt"
            )
        if mimetype.startswith("application/epub"):
            raise UnsupportedFormat(
                f"an e-book (EPUB) is not supported; {SAVE_AS}", code="other_document"
            )
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            raise UnsupportedFormat(
                f"an OpenDocument file ({mimetype.rsplit('.', 1)[-1]}) is not a resume document; {SAVE_AS}",
                code="other_document",
            )
    for marker, what in (
        ("xl/workbook.xml", "an Excel spreadsheet (.xlsx)"),
        ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
        ("Index/Document.iwa", "an Apple Pages document"),
        ("index.xml", "an Apple Pages document"),
    ):
        if marker in names:
            raise UnsupportedFormat(f"{what} is not supported; {SAVE_AS}", code="other_document")
    raise UnsupportedFormat(
        "a zip archive, not a resume document; upload each resume on its own as PDF or DOCX",
        code="archive",
    )


def _odf_mimetype(archive: zipfile.ZipFile) -> str:
    # The ODF "mimetype" member is a few stored bytes; refuse to read a big one.
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return ""
    if info.file_size > 200 or info.compress_size > 200:
        return ""
    try:
        with archive.open(info) as member:
            return member.read(200).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, ValueError):
        return ""


def _declared_entries(data: bytes) -> int | None:
    """The entry count in the end-of-central-directory record, read before zipfile builds a
    ZipInfo per entry (a hostile 10 MB zip can declare ~200,000 of them)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, at + 10)
    if total == 0xFFFF:  # Zip64: the count is in the Zip64 end record
        locator = at - 20
        if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
            (end64,) = struct.unpack_from("<Q", data, locator + 8)
            if end64 + 56 <= len(data) and data[end64 : end64 + 4] == b"PK\x06\x06":
                (total,) = struct.unpack_from("<Q", data, end64 + 32)
    return total


def _too_many_entries(count: int, limits: Limits, what: str) -> FileRejected:
    return FileRejected(
        f"{what} holds {count} parts; the limit is {limits.docx_max_entries} "
        "(a zip bomb?); refused",
        code="zip_bomb",
    )


def _open_zip(data: bytes, limits: Limits, what: str = "the Word file") -> zipfile.ZipFile:
    declared = _declared_entries(data)
    if declared is not None and declared > limits.docx_max_entries:
        raise _too_many_entries(declared, limits, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseFailed(
            "the file looks like a Word (.docx) or zip file but is damaged; ask for a new copy",
            code="corrupt",
        ) from exc
    count = len(archive.infolist())
    if count > limits.docx_max_entries:
        raise _too_many_entries(count, limits, what)
    return archive


_DOCX_PARTS = re.compile(
    r"word/(?:document|styles|numbering|header\d*|footer\d*)\.xml|word/_rels/document\.xml\.rels"
)


def docx_parts(data: bytes, limits: Limits) -> dict[str, bytes]:
    """The XML parts a DOCX reader needs, decompressed within the limits."""
    archive = _open_zip(data, limits)
    infos = archive.infolist()
    declared = sum(info.file_size for info in infos)
    if declared > limits.docx_max_uncompressed:
        raise FileRejected(
            f"the Word file would decompress to {_mb(declared)} MB; the limit is "
            f"{_mb(limits.docx_max_uncompressed)} MB (a zip bomb?); refused",
            code="zip_bomb",
        )
    wanted = {info.filename: info for info in infos if _DOCX_PARTS.fullmatch(info.filename)}
    if "word/document.xml" not in wanted:
        raise ParseFailed(
            "the Word file has no document body (word/document.xml); ask for a new copy",
            code="corrupt",
        )
    parts: dict[str, bytes] = {}
    budget = limits.docx_max_uncompressed
    # The document first, so a bomb in a header cannot starve it of budget unnoticed.
    for name in sorted(wanted, key=lambda name: name != "word/document.xml"):
        parts[name] = _read_member(archive, wanted[name], budget)
        budget -= len(parts[name])
    return parts


def _bomb(message: str) -> FileRejected:
    return FileRejected(f"{message} (a zip bomb?); refused", code="zip_bomb")


# What reading a damaged member raises: zipfile's own errors, zlib's, bz2's (OSError), lzma's,
# NotImplementedError for an unknown compression method.
_MEMBER_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)
try:
    import lzma

    _MEMBER_ERRORS += (lzma.LZMAError,)
except ImportError:  # Python built without lzma: zipfile cannot open such members either
    pass


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """One member's bytes, never more than ``budget``, whatever the zip declares.

    zipfile stops a member's output at its declared size, so a member declaring 1 KB while
    holding 200 MB would just be cut short. We open a copy whose declared size is the budget
    plus one: decompression then stops at our cap, and more output than the original declared
    size proves the directory lies."""
    if info.flag_bits & 0x1:
        raise FileRejected(
            "the Word file is password-protected; ask for an unprotected copy", code="encrypted"
        )
    capped = copy.copy(info)
    capped.file_size = budget + 1
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(capped) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                chunks.append(chunk)
                if total > budget:
                    raise _bomb(
                        f"the Word file decompresses to more than {_mb(budget)} MB (its size limit)"
                    )
                if total > info.file_size:
                    raise _bomb(
                        f"the sizes recorded in the Word file for {info.filename} are false"
                    )
                if total > BOMB_PART_BYTES and total > BOMB_RATIO * max(info.compress_size, 1):
                    raise _bomb(
                        f"{info.filename} in the Word file is compressed more than "
                        f"{BOMB_RATIO} to 1"
                    )
    except _MEMBER_ERRORS as exc:
        raise ParseFailed(
            f"the Word file is damaged ({info.filename} cannot be read); ask for a new copy",
            code="corrupt",
        ) from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise FileRejected(
            "the Word file is password-protected; ask for an unprotected copy", code="encrypted"
        ) from exc
    if total != info.file_size:
        raise ParseFailed(
            f"the Word file is damaged ({info.filename} is shorter than recorded); "
            "ask for a new copy",
            code="corrupt",
        )
    return b"".join(chunks)


# --------------------------------------------------------------------------- PDF


def check_pdf(data: bytes, limits: Limits) -> int:
    """The page count of a PDF that may be read; raises otherwise.

    PDFs encrypted with an empty user password (an owner password only, as Word's "restrict
    editing" writes them) open without a password and are accepted. Counting stops one page
    past the limit, so a PDF declaring a million pages costs no more than ``max_pages + 1``."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        pages = 0
        for _page in PDFPage.create_pages(document):
            pages += 1
            if pages > limits.max_pages:
                break
    except PDFPasswordIncorrect as exc:
        raise FileRejected(
            "the PDF is encrypted with a password; ask for an unprotected copy", code="encrypted"
        ) from exc
    except PDFEncryptionError as exc:
        raise FileRejected(
            "the PDF is encrypted in a way we cannot open; ask for an unprotected copy",
            code="encrypted",
        ) from exc
    except MemoryError:
        raise
    except (
        Exception
    ) as exc:  # pdfminer raises many types (PSEOF, KeyError, TypeError...) on bad input
        raise ParseFailed(
            "the PDF is damaged or truncated and cannot be read; ask for a new copy",
            code="corrupt",
        ) from exc
    if pages > limits.max_pages:
        declared = _declared_page_count(document)
        if declared and declared > limits.max_pages:
            count = str(declared)
        else:
            count = f"more than {limits.max_pages}"
        raise FileRejected(
            f"the PDF has {count} pages; the limit is {limits.max_pages}", code="too_many_pages"
        )
    if pages == 0:
        raise ParseFailed(
            "the PDF has no pages (it may be damaged); ask for a new copy", code="no_pages"
        )
    return pages


def _declared_page_count(document) -> int | None:
    """/Count of the page tree, for the message only (it can lie; counting does not trust it)."""
    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except Exception:
        return None
    return count if isinstance(count, int) else None


# --------------------------------------------------------------------------- text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """A plain-text file's text (BOM-aware UTF-8/UTF-16, else UTF-8, else cp1252)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# Control characters text files do not hold (tab, newlines and form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_MAX_CONTROL_SHARE = 0.01


def _as_text(data: bytes) -> str | None:
    """The text, when the bytes are plausibly a text file; else None."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        text = decode_text(data)
    elif b"\x00" in data:
        return None  # UTF-16 without a BOM is not worth guessing; binary formats hold NULs
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")  # strict: bytes cp1252 leaves undefined mean binary
            except UnicodeDecodeError:
                return None
    controls = len(_CONTROL.findall(text))
    if controls > len(text) * _MAX_CONTROL_SHARE or "\x00" in text:
        return None
    return text


# Markup at the start (after an XML prolog or comments): a text resume may mention "<html>".
_HTML = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)


def _refuse_markup(text: str) -> None:
    head = text[:4096]
    if head.startswith("{\\rtf"):
        raise UnsupportedFormat(f"RTF (rich text) is not supported; {SAVE_AS}", code="rtf")
    if _HTML.match(head):
        raise UnsupportedFormat(f"a web page (HTML) is not supported; {SAVE_AS}", code="html")
    stripped = head.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith("<svg"):
        if "<svg" in head:
            raise _image("SVG")
        if "<w:wordDocument" in head or 'progid="Word.Document"' in head:
            raise UnsupportedFormat(
                f"Word 2003 XML is not supported; {SAVE_AS}", code="other_document"
            )
        raise UnsupportedFormat(f"an XML file is not a resume document; {SAVE_AS}", code="unknown")
    if head.startswith("%!PS"):
        raise UnsupportedFormat(f"PostScript is not supported; {SAVE_AS}", code="other_document")
