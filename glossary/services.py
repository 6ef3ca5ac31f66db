"""Every change to the glossary goes through these functions (the admin and the seed too),
each checked by the model's rules and recorded in the audit trail."""

from django.db import transaction

from glossary.models import Term
from pti_bridge.audit import audit_record
from pti_bridge.permissions import require_staff

FIELDS = ("term_en", "term_zh_hans", "pinyin", "synonyms_en", "synonyms_zh_hans", "hs_heading", "notes", "is_active")


def _require(actor) -> None:
    # actor=None: the system itself (the seed command); anyone else must be staff.
    if actor is not None:
        require_staff(actor)


def term_create(*, actor=None, **fields) -> Term:
    """A new glossary term; ValidationError when it breaks the model's rules."""
    _require(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown term fields: {sorted(unknown)}")
    with transaction.atomic():
        term = Term(**fields)
        term.full_clean()
        term.save()
        audit_record(obj=term, action="create", actor=actor)
    return term


def term_update(*, term: Term, actor=None, **fields) -> Term:
    """Change a term's fields; the audit row names the fields that changed (none: no row)."""
    _require(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown term fields: {sorted(unknown)}")
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        before = {name: getattr(term, name) for name in FIELDS}
        for name, value in fields.items():
            setattr(term, name, value)
        term.full_clean()
        changed = [name for name in FIELDS if getattr(term, name) != before[name]]
        if changed:
            term.save()
            audit_record(obj=term, action="update", actor=actor, note=", ".join(changed))
    return term
