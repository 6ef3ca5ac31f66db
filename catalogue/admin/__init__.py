"""Back office for the catalogue: review, translate, publish and feature listings; curate collections.

Status changes never happen by editing a field: the bulk actions and the change
page's buttons call catalogue.services, and each refusal becomes a message that
names the product.
"""

from catalogue.admin.categories import CategoryAdmin, CertificationAdmin
from catalogue.admin.collections import CollectionAdmin
from catalogue.admin.products import ProductAdmin

__all__ = ["CategoryAdmin", "CertificationAdmin", "CollectionAdmin", "ProductAdmin"]
