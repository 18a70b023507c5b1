"""What an uploaded document really is: the whole file parsed, not only its first bytes.

A matching magic number is not enough: a PDF can carry JavaScript that runs when support opens it, and a PNG
can have an HTML page glued behind it (a polyglot a browser may render as a page). Images are decoded in full
by Pillow and must end where their format ends; PDFs are read by pypdf and refused when they hold active
content (scripts, launch actions, embedded files, forms that submit).
"""

from __future__ import annotations

import io
import re

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Markup that has no business inside an image or a scanned document.
_MARKUP = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)\b", re.IGNORECASE)
# Actions that do more than go to a page.
_ACTIEVE_ACTIES = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/Rendition"}
_ACTIEVE_SLEUTELS = ("/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA")
# Pillow refuses images above this many pixels (a decompression bomb); an ID scan is far smaller.
MAX_PIXELS = 60_000_000


class OngeldigBestand(ValueError):
    """The content is not the document its type says, or it is not safe to open."""


def _lees(bestand) -> bytes:
    positie = bestand.tell() if hasattr(bestand, "tell") else 0
    bestand.seek(0)
    inhoud = bestand.read()
    bestand.seek(positie)
    return inhoud


def controleer_afbeelding(bestand, soort: str) -> None:
    """Decode the whole image; refuse trailing data after a PNG's IEND or a JPEG's end marker."""
    inhoud = _lees(bestand)
    if _MARKUP.search(inhoud):
        raise OngeldigBestand("markup in image")
    try:
        with Image.open(io.BytesIO(inhoud)) as beeld:
            if beeld.width * beeld.height > MAX_PIXELS:
                raise OngeldigBestand("image too large")
            beeld.verify()
        with Image.open(io.BytesIO(inhoud)) as beeld:
            beeld.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise OngeldigBestand(str(exc)) from exc
    if soort == "png" and not inhoud.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        raise OngeldigBestand("data after PNG end")
    if soort == "jpeg" and not inhoud.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
        raise OngeldigBestand("data after JPEG end")


def _actief(waarde, gezien: set[int], diepte: int = 0) -> bool:
    """Whether this PDF object (dictionary, array) holds an active action or embedded content."""
    if diepte > 40:
        return False
    if isinstance(waarde, IndirectObject):
        sleutel = (waarde.idnum, waarde.generation)
        if sleutel in gezien:
            return False
        gezien.add(sleutel)
        waarde = waarde.get_object()
    if isinstance(waarde, DictionaryObject):
        if waarde.get("/S") in _ACTIEVE_ACTIES:
            return True
        if any(sleutel in waarde for sleutel in _ACTIEVE_SLEUTELS):
            return True
        # Every entry but the links back up the tree (the seen set stops cycles the other links make).
        return any(
            _actief(waarde.raw_get(sleutel), gezien, diepte + 1)
            for sleutel in waarde
            if sleutel not in ("/Parent", "/P", "/Prev")
        )
    if isinstance(waarde, ArrayObject):
        return any(_actief(item, gezien, diepte + 1) for item in waarde)
    return False


def controleer_pdf(bestand) -> None:
    """Parse the PDF; refuse one that cannot be read, has no page, is encrypted or holds active content."""
    inhoud = _lees(bestand)
    if _MARKUP.search(inhoud):
        raise OngeldigBestand("markup in PDF")
    try:
        reader = PdfReader(io.BytesIO(inhoud), strict=False)
        if reader.is_encrypted:
            raise OngeldigBestand("encrypted PDF")
        if len(reader.pages) == 0:
            raise OngeldigBestand("PDF without pages")
        gezien: set[int] = set()
        if _actief(reader.trailer.raw_get("/Root"), gezien):
            raise OngeldigBestand("active content in PDF")
        for pagina in reader.pages:
            if _actief(pagina, gezien):
                raise OngeldigBestand("active content in PDF page")
    except OngeldigBestand:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise OngeldigBestand(str(exc)) from exc
