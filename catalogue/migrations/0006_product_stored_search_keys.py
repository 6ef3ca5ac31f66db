from django.db import migrations

# PostgreSQL only, like 0004 and 0005. The search keys as stored tsvector columns, kept by
# PostgreSQL itself (generated columns), instead of expression indexes: a row's match is
# then a look-up in a stored value rather than a tsvector built from its text for every row
# the planner walks, and ANALYZE keeps statistics of the columns' keys, so the planner
# knows how common a term is (a category name matching a quarter of the catalogue is no
# longer misjudged into a parallel scan of the table).
COLUMNS = {
    "search_name_keys": ("search_name", "catalogue_product_name_keys_gin"),
    "search_text_keys": ("search_text", "catalogue_product_search_keys_gin"),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, (source, index) in COLUMNS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"ALTER TABLE catalogue_product ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS (array_to_tsvector(string_to_array({source}, ' '))) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index}_stored ON catalogue_product USING gin ({column})")
    schema_editor.execute("ANALYZE catalogue_product")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, (source, index) in COLUMNS.items():
        schema_editor.execute(f"ALTER TABLE catalogue_product DROP COLUMN IF EXISTS {column}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON catalogue_product USING gin (array_to_tsvector(string_to_array({source}, ' ')))"
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_product_name_keys_index")]

    operations = [migrations.RunPython(forwards, backwards)]
