"""Markdown stored with "\n" line endings, versions to the millisecond, what readers saw of
each revision (EntryRevision), no blocked site name with a "." or ".." segment, a slug help text that shows.

Data: text that browsers stored with "\r\n" is normalised, in the content and in its
revisions (or a revert would bring "\r\n" back); clauses are stored as readable JSON; every
existing revision of an entry gets its public state. What changed in those older revisions
cannot be told apart from what a draft held, so they read "Updated." (the first, for a
published entry, "First published.").
"""

import json

import countries.fields
import django.db.models.deletion
from django.db import migrations, models


MARKDOWN_FIELDS = {
    "country": [
        "summary", "censorship", "website_blocking", "privacy", "internet_access",
        "isp_safe_harbors", "net_neutrality",
    ],
    "constitutionalarticle": ["notes"],
    "blockedsite": ["notes"],
    "metric": ["notes"],
}  # fmt: skip


def lf(text):
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def normalise_stored_text(apps, schema_editor):
    for model_name, fields in MARKDOWN_FIELDS.items():
        model = apps.get_model("countries", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = [f for f in fields if lf(getattr(row, f)) != getattr(row, f)]
            for name in changed:
                setattr(row, name, lf(getattr(row, name)))
            if changed:
                model.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in changed})
    article = apps.get_model("countries", "ConstitutionalArticle")
    for row in article.objects.only("pk", "clauses").iterator():
        article.objects.filter(pk=row.pk).update(clauses=row.clauses)

    version_model = apps.get_model("reversion", "Version")
    content_type = apps.get_model("contenttypes", "ContentType")
    types = content_type.objects.filter(app_label="countries", model__in=MARKDOWN_FIELDS)
    for version in version_model.objects.filter(
        content_type__in=types, serialized_data__contains="\\r"
    ).iterator():
        data = json.loads(version.serialized_data)
        for item in data:
            item["fields"] = {name: lf(value) for name, value in item["fields"].items()}
        version.serialized_data = json.dumps(data)
        version.save(update_fields=["serialized_data"])


def record_public_states(apps, schema_editor):
    version_model = apps.get_model("reversion", "Version")
    country_model = apps.get_model("countries", "Country")
    entry_revision = apps.get_model("countries", "EntryRevision")
    published = dict(country_model.objects.values_list("pk", "is_published"))
    seen = set()
    versions = (
        version_model.objects.filter(
            content_type__app_label="countries", content_type__model="country"
        )
        .select_related("revision")
        .order_by("revision_id")
    )
    for version in versions.iterator():
        country_pk = int(version.object_id)
        is_published = published.get(country_pk, False)
        first = is_published and country_pk not in seen
        if is_published:
            seen.add(country_pk)
        entry_revision.objects.get_or_create(
            revision_id=version.revision_id,
            country_id=country_pk,
            defaults={
                "date": version.revision.date_created,
                "published": is_published,
                "changes": [{"kind": "first_published" if first else "updated"}]
                if is_published
                else [],
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0006_search_documents'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='blockedsite',
            name='notes',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='constitutionalarticle',
            name='notes',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='country',
            name='censorship',
            field=countries.fields.MarkdownField(blank=True, help_text='Write [[Article 20]] as a paragraph of its own to place a quoted article; articles not placed appear at the end of their section.', max_length=20000, verbose_name='censorship and restrictions on speech'),
        ),
        migrations.AlterField(
            model_name='country',
            name='internet_access',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='internet access'),
        ),
        migrations.AlterField(
            model_name='country',
            name='isp_safe_harbors',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='ISP safe harbors'),
        ),
        migrations.AlterField(
            model_name='country',
            name='net_neutrality',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='net neutrality'),
        ),
        migrations.AlterField(
            model_name='country',
            name='privacy',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='privacy'),
        ),
        migrations.AlterField(
            model_name='country',
            name='summary',
            field=countries.fields.MarkdownField(max_length=20000, verbose_name='summary'),
        ),
        migrations.AlterField(
            model_name='country',
            name='updated_at',
            field=countries.fields.VersionStampField(auto_now=True, verbose_name='updated'),
        ),
        migrations.AlterField(
            model_name='country',
            name='website_blocking',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='website blocking'),
        ),
        migrations.AlterField(
            model_name='metric',
            name='notes',
            field=countries.fields.MarkdownField(blank=True, max_length=20000, verbose_name='notes'),
        ),
        migrations.CreateModel(
            name='EntryRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateTimeField()),
                ('published', models.BooleanField()),
                ('changes', models.JSONField(blank=True, default=list, encoder=countries.fields.ReadableJSONEncoder)),
                ('country', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revision_states', to='countries.country')),
                ('revision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entry_states', to='reversion.revision')),
            ],
            options={
                'verbose_name': 'entry revision',
                'verbose_name_plural': 'entry revisions',
                'ordering': ['-date', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('revision', 'country'), name='entry_revision_one_per_entry')],
            },
        ),
        migrations.AlterField(
            model_name='country',
            name='slug',
            field=models.SlugField(help_text="The last part of the page's address: kazakhstan in /countries/kazakhstan/.", max_length=100, unique=True, verbose_name='slug'),
        ),
        migrations.AddConstraint(
            model_name='blockedsite',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '(^|/)\\.\\.?(/|$)'), _negated=True), name='blocked_site_name_not_dots', violation_error_code='dots', violation_error_message="A site's name cannot have “.” or “..” on its own between slashes."),
        ),
        migrations.RunPython(normalise_stored_text, migrations.RunPython.noop),
        migrations.RunPython(record_public_states, migrations.RunPython.noop),
    ]
