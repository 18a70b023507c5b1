"""Small catalogue editions for the tests, written with the product's own XML writer."""

from catalogus.generate import DienstSpec, DienstverlenerSpec, catalogus_xml
from common.niveau import Niveau

OIN = "00000001003214345000"


def dienst(service_uuid, naam="Dienst", niveau=Niveau.EH3, instanties=("generalAvailable",), **extra) -> DienstSpec:
    return DienstSpec(
        service_uuid=service_uuid,
        naam=naam,
        naam_en=extra.pop("naam_en", f"{naam} (EN)"),
        omschrijving=extra.pop("omschrijving", f"Omschrijving van {naam}."),
        omschrijving_en=extra.pop("omschrijving_en", ""),
        niveau=niveau,
        url=extra.pop("url", "https://www.example.nl/dienst"),
        instanties=list(instanties),
        **extra,
    )


def editie(*diensten: DienstSpec, oin: str = OIN, naam: str = "Belastingdienst", **kwargs) -> str:
    """A catalogue with one dienstverlener offering the given diensten."""
    return catalogus_xml([DienstverlenerSpec(oin, naam, "", list(diensten))], **kwargs)
