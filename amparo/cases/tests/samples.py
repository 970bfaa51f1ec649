"""Sample input for registering a case in tests."""

from datetime import date

IDENTITY = {
    "given_names": "Rosa Elena",
    "paternal_surname": "Quispe",
    "maternal_surname": "Mamani",
    "sex": "mujer",
    "birth_date": date(2001, 3, 14),
    "nationality": "PE",
    "document_type": "dni",
    "document_number": "45871236",
    "mother_tongue": "quechua",
}
CASE = {"intake_date": date(2026, 5, 4), "arrival": "fiscalia", "victim_status": "presunta"}
