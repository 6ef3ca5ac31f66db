from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from catalogue import services, translations
        from glossary import aids
        from pti_bridge import hooks

        hooks.register("renditions_saved", services.on_renditions_saved)
        hooks.register("exporter_renamed", services.on_exporter_renamed)
        aids.register_memory(translations.product_pairs)
