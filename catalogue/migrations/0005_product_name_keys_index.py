from django.db import migrations

NAME_INDEX = "catalogue_product_name_keys_gin"


def create_name_index(apps, schema_editor):
    # PostgreSQL only, like the search index of 0004: the keys of the product's own name,
    # so that name matches are found (and counted by the planner) without the other texts.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {NAME_INDEX} ON catalogue_product "
            "USING gin (array_to_tsvector(string_to_array(search_name, ' ')))"
        )


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_product_search")]

    operations = [migrations.RunPython(create_name_index, drop_name_index)]
