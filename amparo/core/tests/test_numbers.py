from decimal import Decimal

import pytest

from amparo.core.numbers import number_typed


@pytest.mark.parametrize(("typed", "number"), [
    ("120", "120"), ("12,5", "12.5"), ("12.5", "12.5"), ("3.600.000", "3600000"),
    ("3 600 000", "3600000"), ("3,600,000", "3600000"), ("S/ 1.200,50", "1200.50"),
    ("US$ 1,200.50", "1200.50"), ("1.500", "1500"), ("0,125", "0.125"), ("-4", "-4"),
    (45, "45"), (2.5, "2.5"),
])
def test_numbers_as_people_type_them(typed, number):
    assert number_typed(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["", "   ", "doce", "1-2", None])
def test_what_is_not_a_number_says_so(typed):
    with pytest.raises(ValueError):
        number_typed(typed)
