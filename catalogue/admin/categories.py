"""Categories as a tree, and certifications."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Certification

# Categories: a small tree, shown in tree order with indentation.


def category_tree() -> list[tuple[int, int, list[int]]]:
    """Every category as `(id, depth, ids of it and its descendants)`, in tree order.

    One query: the tree is small, and walking it in Python keeps the list and the
    filter free of a query per node.
    """
    nodes = {
        pk: (parent_id, (position, name.lower(), pk))
        for pk, parent_id, position, name in Category.objects.values_list("pk", "parent_id", "position", "name_en")
    }
    children: dict[int | None, list[int]] = {}
    for pk, (parent_id, _key) in nodes.items():
        children.setdefault(parent_id if parent_id in nodes else None, []).append(pk)
    ordered: list[tuple[int, int, list[int]]] = []

    def walk(pk, depth, seen):
        if pk in seen:  # a loop in bad data must not hang the page
            return []
        seen = seen | {pk}
        entry = (pk, depth, [pk])
        ordered.append(entry)
        for child in sorted(children.get(pk, []), key=lambda child_pk: nodes[child_pk][1]):
            entry[2].extend(walk(child, depth + 1, seen))
        return entry[2]

    for root in sorted(children.get(None, []), key=lambda root_pk: nodes[root_pk][1]):
        walk(root, 0, frozenset())
    return ordered


# Deeper categories are indented as much as this depth (admin.css has one class per level).
TREE_INDENT_LEVELS = 6


class CategoryChangeList(ChangeList):
    """Orders the page in tree order (parents before their children) and notes each depth."""

    def get_results(self, request):
        super().get_results(request)
        place = {pk: (index, depth) for index, (pk, depth, _ids) in enumerate(category_tree())}
        results = list(self.result_list)
        for category in results:
            category.tree_depth = place.get(category.pk, (0, 0))[1]
        self.result_list = sorted(results, key=lambda category: place.get(category.pk, (len(place), 0))[0])


class CategoryTreeFilter(admin.SimpleListFilter):
    """Filter by a category and everything below it, the choices indented as a tree."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        # Staff working in Chinese read the Chinese names.
        field = "name_zh_hans" if get_language() == "zh-hans" else "name_en"
        names = dict(Category.objects.values_list("pk", field))
        return [(str(pk), " " * depth + names[pk]) for pk, depth, _ids in category_tree()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        subtree = {str(pk): ids for pk, _depth, ids in category_tree()}
        return queryset.filter(category_id__in=subtree.get(self.value(), []))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "name_zh_hans", "slug", "position", "product_count")
    list_display_links = ("tree_name",)
    search_fields = ("name_en", "name_zh_hans", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("parent", ("name_en", "name_zh_hans"), "slug", "position", "icon")
    # The tree decides the order; a page holds the whole (small) tree.
    sortable_by = ()
    list_per_page = 500

    def get_changelist(self, request, **kwargs):
        return CategoryChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products", distinct=True))

    @admin.display(description=_("name (English)"))
    def tree_name(self, obj):
        depth = getattr(obj, "tree_depth", 0)
        # A class per depth (admin.css), not a style attribute: the CSP allows no inline styles.
        return format_html(
            '<span class="pti-tree pti-tree-{}" lang="en">{}{}</span>',
            min(depth, TREE_INDENT_LEVELS),
            "└ " if depth else "",
            obj.name_en,
        )

    @admin.display(description=_("products"))
    def product_count(self, obj):
        return obj.product_total


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh_hans")
    search_fields = ("code", "name_en", "name_zh_hans")
    fields = ("code", ("name_en", "name_zh_hans"))
