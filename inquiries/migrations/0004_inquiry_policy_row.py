from django.db import migrations


def create_policy(apps, schema_editor):
    # The one policy row, with the safe default: staff screen new inquiries.
    apps.get_model("inquiries", "InquiryPolicy").objects.get_or_create(pk=1, defaults={"screening_required": True})


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0003_inquiry_policy")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
