"""R14 uploads: the whole file is parsed, so active content and polyglots behind a right name are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from common.bestanden import OngeldigBestand, controleer_afbeelding, controleer_pdf
from common.errors import DomainError
from gebruikers.services.validatie import valideer_upload
from tests.gebruikers.helpers import BMP, JPEG, PDF, PNG, TIFF


def _pdf(bewerk=None) -> bytes:
    schrijver = PdfWriter()
    schrijver.add_blank_page(width=595, height=842)
    if bewerk:
        bewerk(schrijver)
    uit = io.BytesIO()
    schrijver.write(uit)
    return uit.getvalue()


def _open_action(schrijver):
    schrijver._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _names_javascript(schrijver):
    actie = schrijver._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
        )
    )
    schrijver._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("a"), actie])}
            )
        }
    )


def _launch_on_page(schrijver):
    schrijver.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/Launch")})}
    )


@pytest.mark.parametrize(
    "naam,inhoud", [("a.pdf", PDF), ("a.png", PNG), ("a.jpg", JPEG), ("a.tif", TIFF), ("a.bmp", BMP)]
)
def test_r14_real_documents_pass(naam, inhoud):
    assert valideer_upload(SimpleUploadedFile(naam, inhoud))


@pytest.mark.parametrize(
    "inhoud",
    [
        _pdf(_open_action),
        _pdf(_names_javascript),
        _pdf(_launch_on_page),
        b"%PDF-1.4\n%garbage that is no PDF at all\n%%EOF\n",
    ],
    ids=["openaction-javascript", "names-javascript", "page-launch-action", "not-a-pdf"],
)
def test_r14_a_pdf_with_active_content_or_no_structure_is_refused(inhoud):
    with pytest.raises(OngeldigBestand):
        controleer_pdf(io.BytesIO(inhoud))
    with pytest.raises(DomainError) as fout:
        valideer_upload(SimpleUploadedFile("paspoort.pdf", inhoud))
    assert fout.value.code == "upload_inhoud"


def test_r14_a_png_html_polyglot_is_refused():
    polyglot = PNG + b"<html><script>alert(document.cookie)</script></html>"
    with pytest.raises(OngeldigBestand):
        controleer_afbeelding(io.BytesIO(polyglot), "png")
    with pytest.raises(DomainError):
        valideer_upload(SimpleUploadedFile("paspoort.png", polyglot))


def test_r14_html_inside_an_image_is_refused_even_without_trailing_data():
    uit = io.BytesIO()
    beeld = Image.new("RGB", (4, 4))
    beeld.save(uit, format="PNG", pnginfo=_tekst_chunk("<script>alert(1)</script>"))
    with pytest.raises(OngeldigBestand):
        controleer_afbeelding(io.BytesIO(uit.getvalue()), "png")


def _tekst_chunk(tekst: str):
    info = PngInfo()
    info.add_text("Comment", tekst)
    return info


@pytest.mark.parametrize("inhoud", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, PNG[: len(PNG) // 2]], ids=["header", "cut"])
def test_r14_an_image_that_does_not_decode_is_refused(inhoud):
    with pytest.raises(DomainError):
        valideer_upload(SimpleUploadedFile("paspoort.png", inhoud))


def test_r14_a_jpeg_with_data_after_its_end_is_refused():
    with pytest.raises(OngeldigBestand):
        controleer_afbeelding(io.BytesIO(JPEG + b"PK\x03\x04 a zip behind the picture"), "jpeg")
