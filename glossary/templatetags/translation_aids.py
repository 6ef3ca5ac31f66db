"""{% translation_aids text target="zh-hans" box="id_translation" %}: the aids (glossary.aids)
for a text being translated, for any admin page (see glossary/_translation_aids.html)."""

from django import template

from glossary.aids import CHINESE, translator_for

register = template.Library()


@register.inclusion_tag("glossary/_translation_aids.html", takes_context=True)
def translation_aids(context, text, target=CHINESE, box="", current=""):
    """`current`: the translation in the box now (memory offering just that is left out)."""
    translator = translator_for(context.get("request"), target)
    return {"aids": translator.aids(text or "", current=current or ""), "box": box, "target": target}
