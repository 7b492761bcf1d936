"""The content version moves from the cache into the database (countries.cache); links must be
http(s) addresses (or, for a blocked site, a bare domain) in the database itself.

A link that is neither (only a fixture loaded without validation could have stored one) is
emptied before the rule applies: it was never safe to show.
"""

import time

from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("countries", "ContentVersion").objects.get_or_create(
        pk=1, defaults={"value": int(time.time() * 1000)}
    )


def empty_unsafe_links(apps, schema_editor):
    def safe(url, or_domain):
        lowered = url.lower()
        return (
            not url
            or lowered.startswith(("http://", "https://"))
            or (or_domain and ":" not in url)
        )

    for model_name, or_domain in (("Source", False), ("BlockedSite", True)):
        model = apps.get_model("countries", model_name)
        for pk, url in model.objects.values_list("pk", "url").iterator():
            if not safe(url, or_domain):
                model.objects.filter(pk=pk).update(url="")


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0007_line_endings_versions_public_history'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField()),
            ],
            options={
                'verbose_name': 'content version',
            },
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
        migrations.RunPython(empty_unsafe_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='blockedsite',
            constraint=models.CheckConstraint(condition=models.Q(('url', ''), ('url__lower__startswith', 'http://'), ('url__lower__startswith', 'https://'), models.Q(('url__contains', ':'), _negated=True), _connector='OR'), name='blocked_site_url_is_web_address', violation_error_code='invalid_url', violation_error_message='Enter a web address starting with http:// or https://, or a bare domain.'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('url', ''), ('url__lower__startswith', 'http://'), ('url__lower__startswith', 'https://'), _connector='OR'), name='source_url_is_web_link', violation_error_code='invalid_url', violation_error_message='A link starts with http:// or https://.'),
        ),
    ]
