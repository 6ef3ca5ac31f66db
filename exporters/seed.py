"""Reference data every installation needs, demo or production: the Pacific countries."""

import csv
from pathlib import Path

from exporters.models import Country

COUNTRIES_CSV = Path(__file__).resolve().parent / "data" / "pacific_countries.csv"


def seed_countries(*, path: Path = COUNTRIES_CSV) -> int:
    """Create the countries of `path` (iso_code, name_en, name_zh_hans) that are missing.

    Rows already in the database are left as they are, so names staff corrected in
    the admin and countries they switched off stay that way. Returns how many were created.
    """
    created = 0
    existing = set(Country.objects.values_list("code", flat=True))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["iso_code"].strip().upper()
            if code in existing:
                continue
            country = Country(code=code, name_en=row["name_en"].strip(), name_zh_hans=row["name_zh_hans"].strip())
            country.full_clean()
            country.save(force_insert=True)
            existing.add(code)
            created += 1
    return created
