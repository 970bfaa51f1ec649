"""Charts read as people read them."""

from amparo.core import charts


def test_a_maps_legend_names_each_whole_number_once(db):
    """The watchdog's map read "0 1 1 2 2" (issue 34)."""
    assert charts.legend_steps([0, 1, 2, 2]) == [1, 2]
    assert charts.legend_steps([3, 40, 7]) == [0, 10, 20, 30, 40]
    assert charts.legend_steps([55, 68, 60]) == [0, 17, 34, 51, 68]  # not crowded at one end
    assert charts.legend_steps([]) == [0]
    made = charts.peru_map("Instrumentos", {"16": 1, "08": 2}, label="Departamento",
                           value="Instrumentos")
    legend = made.spec["encoding"]["color"]["condition"]["legend"]
    assert legend["values"] == [1, 2]
    assert "<svg" in str(made.svg)
