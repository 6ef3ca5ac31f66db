"""A translation box with its aids (glossary.aids) under it, for admin forms."""

from django import forms


class WithTranslationAids(forms.Widget):
    """Renders `widget` (a Textarea, a TextInput...) and then the aids for the text it translates.

    `aids`: a function giving them, called when the box is drawn (a form saved and not shown
    again never looks them up)."""

    template_name = "glossary/widgets/with_aids.html"

    def __init__(self, widget: forms.Widget, *, aids, target: str):
        super().__init__(attrs=widget.attrs)
        self.widget, self.aids, self.target = widget, aids, target

    def get_context(self, name, value, attrs):
        context = self.widget.get_context(name, value, attrs)
        box = context["widget"]["attrs"].get("id", "")
        return {**context, "aids": self.aids(), "box": box, "target": self.target}

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def use_required_attribute(self, initial):
        return self.widget.use_required_attribute(initial)

    @property
    def is_hidden(self):
        return self.widget.is_hidden
