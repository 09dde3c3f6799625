from django.db import migrations


def load(apps, schema_editor):
    from accounts.admin_units import load_admin_units

    load_admin_units(apps.get_model("accounts", "Province"), apps.get_model("accounts", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
