from django.db import migrations, models

# Members of active households get their household's commune; the rest stay null.
FILL = """
UPDATE registry_member SET search_commune = (
    SELECT h.commune_id FROM registry_household h
    WHERE h.id = registry_member.household_id AND h.is_active
) WHERE is_active
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_search_indexes"),
    ]

    operations = [
        # the name searches read the commune-led indexes below (see Member.name_key)
        migrations.AlterField(
            model_name="member",
            name="name_key",
            field=models.CharField(editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name="member",
            name="given_key",
            field=models.CharField(default="", editable=False, max_length=40),
        ),
        migrations.RemoveIndex(model_name="member", name="member_name_search"),
        migrations.RemoveIndex(model_name="member", name="member_given_search"),
        migrations.AddField(
            model_name="member",
            name="search_commune",
            field=models.CharField(editable=False, max_length=5, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(search_commune__isnull=False),
                fields=["search_commune", "name_key", "household"],
                name="member_name_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(search_commune__isnull=False),
                fields=["search_commune", "given_key", "household"],
                name="member_given_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ),
    ]
