"""Splink behind one door (issue 33): the internals Amparo relies on are named only in
`linkage/splink_adapter.py`, and this test fails loudly, naming what moved, when a Splink
release changes any of them."""

import re
from pathlib import Path

import splink

from amparo.linkage import splink_adapter
from amparo.linkage.engine import Engine
from amparo.linkage.tests.test_cli import PEOPLE, REPORTS, _record

PINNED = re.compile(r'"splink==([0-9.]+)"')


def test_every_internal_amparo_uses_is_still_there():
    engine = Engine([_record(v) for v in PEOPLE], [_record(v) for v in REPORTS])
    linker = engine.linker
    assert splink_adapter.contract(linker) == [], (
        "Splink changed what Amparo relies on; update linkage/splink_adapter.py")
    before = splink_adapter.prior(linker)
    splink_adapter.prior_set(linker, before / 2)
    assert splink_adapter.prior(linker) == before / 2
    saved = splink_adapter.snapshot(linker)
    splink_adapter.prior_set(linker, 0.5)
    splink_adapter.restore(linker, saved)
    assert splink_adapter.prior(linker) == before / 2
    names = [c.output_column_name for c in splink_adapter.comparisons(linker)]
    assert "given" in names and "surnames" in names
    for comparison in splink_adapter.comparisons(linker):
        every = splink_adapter.levels(comparison, nulls=True)
        assert len(splink_adapter.levels(comparison)) == len(every) - 1  # one null level
    assert splink_adapter.em_sessions(linker) == []
    assert issubclass(splink_adapter.SplinkException, Exception)
    assert Path(splink_adapter.spark_similarity_jar()).name.endswith(".jar")


def test_splink_is_pinned_to_the_version_the_adapter_was_checked_with():
    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    pinned = PINNED.search(pyproject.read_text(encoding="utf-8"))
    assert pinned, "pin splink to one version in pyproject.toml (splink==X.Y.Z)"
    assert pinned.group(1) == splink.__version__


def test_no_module_but_the_adapter_names_splinks_internals():
    root = Path(__file__).resolve().parents[2]
    private = re.compile(r"splink\.internals|\._settings_obj|\._probability_two_random_records"
                         r"_match|\._em_training_sessions")
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if path.name != "splink_adapter.py" and path.name != Path(__file__).name
             and private.search(path.read_text(encoding="utf-8"))]
    assert found == []
