"""PostgreSQL only: a stored full-text document per content language (migration 0006 made one,
in English), each from that language's columns (0010) with its own text-search configuration:
english, russian, and simple for Kazakh, which has no stemmer (settings.SEARCH_CONFIGS)."""

from django.db import migrations

CONFIGS = {"en": "english", "ru": "russian", "kk": "simple"}  # as settings.SEARCH_CONFIGS was
PROSE = [
    "censorship",
    "website_blocking",
    "privacy",
    "internet_access",
    "isp_safe_harbors",
    "net_neutrality",
]


def documents(language):
    config = CONFIGS[language]

    def vector(sql):
        return f"to_tsvector('{config}', {sql})"

    name = "coalesce(name, '')"
    summary = f"coalesce(summary_{language}, '')"
    prose = " || ' ' || ".join(f"coalesce({field}_{language}, '')" for field in PROSE)
    return {
        "countries_country": (
            f"setweight({vector(name)}, 'A') || "
            f"setweight({vector(summary)}, 'B') || "
            f"setweight({vector(prose)}, 'C')"
        ),
        "countries_blockedsite": vector("coalesce(name, '') || ' ' || coalesce(url, '')"),
        "countries_constitutionalarticle": vector(f"coalesce(clauses_{language}::text, '')"),
    }


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in documents("en"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
    for language in CONFIGS:
        for table, document in documents(language).items():
            column = f"search_document_{language}"
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
                f"GENERATED ALWAYS AS ({document}) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX {table}_search_{language} ON {table} USING gin ({column})"
            )


def remove_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in CONFIGS:
        for table in documents(language):
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document_{language}")
    for table, document in documents("en").items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_document)")


class Migration(migrations.Migration):
    dependencies = [("countries", "0010_translations")]

    operations = [migrations.RunPython(add_documents, remove_documents)]
