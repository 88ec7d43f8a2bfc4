"""Fill the new search key and current digital profiles for households stored before 0002."""

from django.db import migrations

from langso.registry.profile import summarise
from langso.registry.records import DIGITAL_FIELDS, given_key


def fill(apps, schema_editor):
    Member = apps.get_model("registry", "Member")
    Observation = apps.get_model("registry", "DigitalObservation")
    Profile = apps.get_model("registry", "DigitalProfile")
    batch = []
    for pk, key in Member.objects.filter(given_key="").values_list("pk", "name_key").iterator(
        chunk_size=5000
    ):
        batch.append(Member(pk=pk, given_key=given_key(key)))
        if len(batch) == 5000:
            Member.objects.bulk_update(batch, ["given_key"])
            batch = []
    Member.objects.bulk_update(batch, ["given_key"])
    rows: dict[int, list[dict]] = {}
    for row in Observation.objects.values(
        "id", "household_id", "member_id", "observed_on", "recorded_at", *DIGITAL_FIELDS
    ).iterator(chunk_size=5000):
        row["order"] = (row["observed_on"], row["recorded_at"], row["id"])
        rows.setdefault(row["household_id"], []).append(row)
    Profile.objects.bulk_create(
        [
            Profile(
                household_id=hid,
                observed_on=max(r["observed_on"] for r in observed),
                **summarise(observed),
            )
            for hid, observed in rows.items()
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_profiles_duplicates_consents")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
