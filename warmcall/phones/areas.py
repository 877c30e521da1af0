"""The region (ISO 3166-2 subdivision) a fixed number's area code belongs to, where it is
unambiguous (SPEC §1): ``+34 91…`` is ES-MD, ``+34 93…`` ES-CT, ``+1 305…`` US-FL,
``+1 212…`` US-NY. Mobiles, and area codes shared by two regions, tell no region.

The table (``area_table.py``) is generated from the geocoder data phonenumbers ships (Google's
libphonenumber, kept up to date with the numbering plans): each Spanish geographic prefix
names its province, each North American area code its US state. ``build`` makes it again;
``python -m warmcall.phones.areas`` writes it, and a test checks the shipped one against it.
Looking a number up costs a few dictionary reads, with no phonenumbers import.
"""

from __future__ import annotations

from warmcall.phones.area_table import AREAS

# Spain's provinces (as phonenumbers' geocoder names them in English) to their autonomous
# community's ISO 3166-2 code: the level at which Spain's regional holidays are set (the
# ``holidays`` library's subdivisions).
SPANISH_PROVINCES = {
    "AN": ("Almería", "Cádiz", "Cordova", "Granada", "Huelva", "Jaén", "Málaga", "Seville"),
    "AR": ("Huesca", "Teruel", "Zaragoza"),
    "AS": ("Asturias",),
    "CB": ("Cantabria",),
    "CL": ("Ávila", "Burgos", "León", "Palencia", "Salamanca", "Segovia", "Soria",
           "Valladolid", "Zamora"),
    "CM": ("Albacete", "Ciudad Real", "Cuenca", "Guadalajara", "Toledo"),
    "CN": ("Las Palmas", "Tenerife"),
    "CT": ("Barcelona", "Girona", "Lleida", "Tarragona"),
    "EX": ("Badajoz", "Cáceres"),
    "GA": ("A Coruña", "Lugo", "Ourense", "Pontevedra"),
    "IB": ("Balearic Islands",),
    "MC": ("Murcia",),
    "MD": ("Madrid",),
    "NC": ("Navarre",),
    "PV": ("Araba", "Bizkaia", "Guipúzcoa"),
    "RI": ("La Rioja",),
    "VC": ("Alicante", "Castellón", "Valencia"),
}  # fmt: skip
# Prefixes Ceuta and Melilla share with Cádiz (956, 856) and Málaga (952, 852): the geocoder
# names only the province, so the region is not known from the number.
SPANISH_SHARED = ("952", "852", "956", "856")

US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Washington D.C.": "DC", "Washington DC": "DC", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
    "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS",
    "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
    "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "Washington State": "WA", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip
_US_CODES = frozenset(US_STATES.values())


def region_of_number(e164: str | None, country: str | None = None) -> str | None:
    """The ISO 3166-2 region of an E.164 number when its area code names one, else None.
    ``country``: the number's country when known (a +1 number of Canada names no US state)."""
    if not e164 or not e164.startswith("+"):
        return None
    if e164.startswith("+34") and country in (None, "ES"):
        national = e164[3:]
        for length in (3, 2):
            found = AREAS["ES"].get(national[:length])
            if found:
                return found
        return None
    if e164.startswith("+1") and country in (None, "US"):
        return AREAS["US"].get(e164[2:5])
    return None


def _state(place: str) -> str | None:
    """The US state of a geocoder place: ``New York, NY`` or ``Florida``."""
    head, _, tail = place.rpartition(", ")
    if head and tail in _US_CODES:
        return tail
    return US_STATES.get(place)


def build() -> dict[str, dict[str, str]]:
    """The table, from phonenumbers' geocoder data (English names)."""
    from phonenumbers.geodata import GEOCODE_DATA

    community = {p: c for c, names in SPANISH_PROVINCES.items() for p in names}
    spain: dict[str, str] = {}
    states: dict[str, set[str | None]] = {}
    for prefix, names in GEOCODE_DATA.items():
        place = names.get("en")
        if place is None:
            continue
        if prefix.startswith("34"):
            code = community.get(place)
            if code is None:
                raise ValueError(f"phonenumbers names a Spanish province we do not map: {place}")
            national = prefix[2:]
            if not national.startswith(SPANISH_SHARED):
                spain[national] = f"ES-{code}"
        elif prefix.startswith("1") and len(prefix) >= 4:
            states.setdefault(prefix[1:4], set()).add(_state(place))
    us = {npa: f"US-{found.pop()}" for npa, found in states.items() if len(found) == 1}
    us = {npa: code for npa, code in us.items() if code != "US-None"}
    return {"ES": dict(sorted(spain.items())), "US": dict(sorted(us.items()))}


def write() -> None:
    """Write ``area_table.py`` from ``build``."""
    from pathlib import Path

    import phonenumbers

    table = build()
    lines = [
        '"""Generated by ``python -m warmcall.phones.areas`` from phonenumbers '
        f'{phonenumbers.__version__}: do not edit."""',
        "",
        "AREAS: dict[str, dict[str, str]] = {",
    ]
    for country, entries in table.items():
        lines.append(f"    {country!r}: {{")
        lines += [f"        {k!r}: {v!r}," for k, v in entries.items()]
        lines.append("    },")
    lines.append("}")
    Path(__file__).with_name("area_table.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
