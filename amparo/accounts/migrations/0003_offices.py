from django.db import migrations

OFFICES = [
    # code, name, case prefix, UBIGEO department, district of the office
    ("lima", "Lima", "LIM", "15", "150101"),
    ("iquitos", "Iquitos", "IQT", "16", "160101"),
    ("cusco", "Cusco", "CUS", "08", "080101"),
    ("puno", "Puno", "PUN", "21", "210101"),
    ("maldonado", "Puerto Maldonado", "PMA", "17", "170101"),
]


def create_offices(apps, schema_editor):
    Office = apps.get_model("accounts", "Office")
    for code, name, prefix, department, district in OFFICES:
        Office.objects.get_or_create(
            code=code,
            defaults={"name": name, "case_prefix": prefix, "department_id": department,
                      "district_id": district},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("reference", "0002_load_reference_data")]
    operations = [migrations.RunPython(create_offices, migrations.RunPython.noop)]
