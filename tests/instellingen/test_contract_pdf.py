"""The contract (§3.3) is a real A4 document: PDF/UA metadata, and rendered to PNG once to see it is a page with
text on it (pdftoppm when the machine has it, else WeasyPrint's own layout of the same template drawn with Pillow)."""

import io
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from tests.instellingen.test_schermen import KOSTEN, _doorloop_stappen

A4_BREEDTE_PT = 595


def _png_met_pdftoppm(pdf: bytes, tmp_path) -> Image.Image:
    (tmp_path / "contract.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-singlefile", str(tmp_path / "contract.pdf"), str(tmp_path / "contract")],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "contract.png")


def _png_met_weasyprint(html: str, tmp_path) -> Image.Image:
    """WeasyPrint no longer writes PNG itself; its layout of the first page is drawn box by box instead."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    pagina = HTML(string=html).render().pages[0]
    beeld = Image.new("L", (round(pagina.width), round(pagina.height)), 255)
    teken = ImageDraw.Draw(beeld)
    for box in pagina._page_box.descendants():
        if isinstance(box, TextBox) and box.text.strip():
            teken.rectangle(
                [box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height], fill=0
            )
    beeld.save(tmp_path / "contract.png")
    return Image.open(tmp_path / "contract.png")


def test_r53_contract_is_a_real_a4_page(beheerder_client, organisatie, register, tarieven, tmp_path):
    from gebruikers.models import Aanvraag
    from organisaties.contract import contract_context

    _doorloop_stappen(beheerder_client)
    beheerder_client.post(reverse("instellingen:toevoegen_kosten"), KOSTEN)
    aanvraag = Aanvraag.objects.get()
    pdf = beheerder_client.get(reverse("instellingen:organisatie_contract", args=[aanvraag.pk])).content
    lezer = PdfReader(io.BytesIO(pdf))
    assert round(float(lezer.pages[0].mediabox.width)) == A4_BREEDTE_PT
    assert lezer.metadata.title.startswith("Contract eHerkenning") and "Test NV Katrien" in lezer.metadata.title
    root = lezer.trailer["/Root"]
    # PDF/UA: a tagged PDF (structure tree, marked content) with the PDF/UA identification in its XMP metadata.
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()

    if shutil.which("pdftoppm"):
        beeld = _png_met_pdftoppm(pdf, tmp_path)
    else:
        beeld = _png_met_weasyprint(
            render_to_string("instellingen/contract_pdf.html", contract_context(aanvraag)), tmp_path
        )
    assert beeld.format == "PNG" and beeld.height > beeld.width  # portrait
    donker = beeld.convert("L").point(lambda p: 255 if p < 128 else 0).histogram()[255]
    assert 0.01 < donker / (beeld.width * beeld.height) < 0.5, "the page has text on it, and is not all black"


pytestmark = pytest.mark.django_db
