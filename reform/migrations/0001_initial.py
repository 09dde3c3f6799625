from django.db import migrations


class Migration(migrations.Migration):
    """The app's starting point; its models come in the migrations that follow."""

    initial = True
    dependencies: list = []
    operations: list = []
