"""The one PDF helper: a Django template rendered to PDF/UA by WeasyPrint (activation letters, forms, contracts).

WeasyPrint is imported on first use so web processes that never make a PDF do not pay for loading it.
Templates should set `<html lang>`, a `<title>` and use the DejaVu fonts (installed with the system), which
cover every character of Dutch and English text.
"""

from django.conf import settings
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    from weasyprint import HTML  # lazy: heavy import

    html = render_to_string(template_name, context or {})
    # Only our own static files may be referenced; a relative URL resolves against the project directory.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)
