"""Column names of the club's files in Dutch, French and English, and the organiser's own
mapping (``--column lidnummer=id``) for the rest.

A header is normalised (lower case, spaces and dashes as ``_``, accents kept) and then looked
up here; the organiser's mapping wins over the built-in names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from seating.errors import InputError

BUILT_IN: dict[str, str] = {
    # member id (in a members file; in other files an ``id`` column names the member too)
    "lidnummer": "id", "lidnr": "id", "nummer": "id", "nr": "id", "numéro": "id",
    "numero": "id", "n°": "id", "numéro_de_membre": "id", "member_number": "id",
    "member_no": "id",
    # the member in a history, registration or attendee file
    "member": "member_id", "lid": "member_id", "membre": "member_id", "id_membre": "member_id",
    "lid_id": "member_id",
    # name, company, industry, languages, host, status
    "naam": "name", "nom": "name", "volledige_naam": "name", "nom_complet": "name",
    "full_name": "name",
    "bedrijf": "company", "firma": "company", "onderneming": "company", "société": "company",
    "societe": "company", "entreprise": "company", "firme": "company",
    "sector": "industry", "branche": "industry", "secteur": "industry", "industrie": "industry",
    "language": "languages", "taal": "languages", "talen": "languages", "langue": "languages",
    "langues": "languages",
    "is_host": "host", "gastheer": "host", "gastvrouw": "host", "tafelvoorzitter": "host",
    "hôte": "host", "hote": "host", "président": "host", "president": "host",
    "statut": "status",
    # when a member joined; who invited a guest
    "lid_sinds": "joined", "lid_sedert": "joined", "toegetreden": "joined",
    "membre_depuis": "joined", "adhésion": "joined", "adhesion": "joined", "since": "joined",
    "member_since": "joined", "joined_on": "joined", "date_joined": "joined",
    "gast_van": "guest_of", "uitgenodigd_door": "guest_of", "invité_de": "guest_of",
    "invite_de": "guest_of", "invité_par": "guest_of", "invite_par": "guest_of",
    "guest_of": "guest_of", "invited_by": "guest_of",
    # dates, tables, seats
    "datum": "date", "table_id": "table", "tafel": "table",
    "capaciteit": "capacity", "plaatsen": "capacity", "aantal_plaatsen": "capacity",
    "capacité": "capacity", "places": "capacity", "seats": "capacity",
}  # fmt: skip
"""Header (normalised) -> the column it means."""


def normalise(name: str) -> str:
    """A header as compared: stripped, lower case, runs of spaces and dashes as ``_``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def column_of(header: str, mapping: Mapping[str, str] | None = None) -> str:
    """The column a header means: the organiser's mapping first, then :data:`BUILT_IN`."""
    key = normalise(header)
    if mapping and key in mapping:
        return mapping[key]
    return BUILT_IN.get(key, key)


def parse_mapping(specs: Iterable[str], option: str = "--column") -> dict[str, str]:
    """``HEADER=COLUMN`` pairs (``lidnummer=id``) as a normalised mapping.

    Raises
    ------
    InputError
        A pair without ``=`` or with an empty side.
    """
    mapping: dict[str, str] = {}
    for spec in specs:
        header, sep, column = spec.partition("=")
        if not sep or not header.strip() or not column.strip():
            raise InputError(f"{option}: expected HEADER=COLUMN, e.g. lidnummer=id (got {spec!r})")
        mapping[normalise(header)] = normalise(column)
    return mapping
