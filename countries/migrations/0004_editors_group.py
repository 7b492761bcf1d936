"""The "Editors" group: add, change and view content, publish and review; no deleting countries,
no managing users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["country", "constitutionalarticle", "blockedsite", "metric", "isp", "source"]
ROW_MODELS = ["constitutionalarticle", "blockedsite", "metric", "isp"]


def editor_permissions():
    for model in CONTENT_MODELS:
        for action in ("add", "change", "view"):
            yield f"{action}_{model}"
    for model in ROW_MODELS:  # removing a row is part of editing an entry; it stays in history
        yield f"delete_{model}"
    yield "publish_country"
    yield "review_country"


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        Permission.objects.filter(
            content_type__app_label="countries", codename__in=list(editor_permissions())
        )
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("countries", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
