import pytest

from audit.models import AuditEntry
from catalogus.importer import catalogus_import
from catalogus.models import CatalogusImport, Dienst, Dienstverlener


@pytest.fixture
def importeer(db):
    """Import XML text (or bytes) as one edition; returns the ImportResultaat."""

    def _importeer(xml, bron="test.xml", actor=None):
        inhoud = xml.encode() if isinstance(xml, str) else xml
        return catalogus_import(inhoud=inhoud, bron=bron, actor=actor)

    return _importeer


@pytest.fixture
def momentopname(db):
    """Everything an import may touch, to show that a refused or repeated import changed nothing."""

    def _momentopname():
        return (
            list(Dienst.objects.order_by("pk").values()),
            list(Dienstverlener.objects.order_by("pk").values()),
            CatalogusImport.objects.count(),
            AuditEntry.objects.count(),
        )

    return _momentopname
