"""The glossary's first terms: data/product_terms.csv (English, Chinese, pinyin, HS heading,
notes), with the synonyms staff named in the issue added. Idempotent: a term already in the
glossary (same English and Chinese) is left as staff keep it; only missing ones are created."""

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction

from glossary import services
from glossary.models import Term

CSV_PATH = Path(__file__).resolve().parent / "data" / "product_terms.csv"

# (English, Chinese) -> synonyms the CSV lacks; a pair not in the CSV is added as a term.
EXTRA = {
    ("kava", "卡瓦"): {"synonyms_en": "kava root, awa", "synonyms_zh_hans": "卡法胡椒、卡瓦胡椒"},
    ("noni", "诺丽"): {"synonyms_en": "morinda citrifolia", "synonyms_zh_hans": "海巴戟、诺丽果", "hs_heading": "0810"},
    ("noni juice", "诺丽果汁"): {"synonyms_zh_hans": "海巴戟果汁"},
    # The CSV's note: 香草 alone is also used.
    ("vanilla beans", "香草荚"): {"synonyms_en": "vanilla", "synonyms_zh_hans": "香草"},
}


def rows() -> list[dict]:
    """The seed's terms, as term_create's fields."""
    out = []
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            fields = {
                "term_en": row["term_en"].strip(),
                "term_zh_hans": row["term_zh_hans"].strip(),
                "pinyin": row.get("pinyin", "").strip(),
                "hs_heading": row.get("hs_heading", "").strip(),
                "notes": row.get("notes", "").strip(),
            }
            fields.update(EXTRA.get((fields["term_en"], fields["term_zh_hans"]), {}))
            out.append(fields)
    named = {(fields["term_en"], fields["term_zh_hans"]) for fields in out}
    for (english, chinese), extra in EXTRA.items():
        if (english, chinese) not in named:
            out.append({"term_en": english, "term_zh_hans": chinese, **extra})
    return out


def load_glossary() -> Counter:
    """Create the seed's missing terms; returns Counter({"glossary terms": how many created})."""
    created = 0
    with transaction.atomic():
        for fields in rows():
            exists = Term.objects.filter(
                term_en__iexact=fields["term_en"], term_zh_hans=fields["term_zh_hans"]
            ).exists()
            if not exists:
                services.term_create(actor=None, **fields)
                created += 1
    return Counter({"glossary terms": created})
