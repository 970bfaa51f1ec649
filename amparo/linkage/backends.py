"""Where the engine computes: the records as an Arrow table (built in chunks, so a national file
is never held as Python objects), DuckDB within a memory limit that spills to disk, or Spark
for files one machine cannot hold."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings as django_settings

from amparo.linkage import splink_adapter as splink
from amparo.linkage.comparisons import (
    PEOPLE,
    Spec,
)
from amparo.linkage.records import Record


def table(records: Iterable[Record], spec: Spec = PEOPLE, *, chunk: int = 50_000) -> pa.Table:
    """The records as an Arrow table of the spec's feature columns, empty text as NULL. Built
    `chunk` records at a time, so that a national file is never held as Python objects."""
    schema = pa.schema([("record_id", pa.string())] + [
        (name, pa.int32() if name in spec.int_columns else pa.string())
        for name in spec.columns])
    batches = []

    def flush(ids, columns):
        batches.append(pa.record_batch(
            [pa.array(ids, pa.string())] + [pa.array(columns[name], schema.field(name).type)
                                            for name in spec.columns], schema=schema))

    ids, columns = [], {name: [] for name in spec.columns}
    for record in records:
        ids.append(record.record_id)
        for name in spec.columns:
            value = getattr(record.features, name)
            columns[name].append(value if value not in ("", None) else None)
        if len(ids) >= chunk:
            flush(ids, columns)
            ids, columns = [], {name: [] for name in spec.columns}
    if ids or not batches:
        flush(ids, columns)
    return pa.Table.from_batches(batches, schema=schema)


class _DuckDB:
    """An in-memory DuckDB, within a memory limit that spills to VAR_DIR/linkage-spill."""

    def __init__(self, threads: int | None, memory: str):
        from splink import DuckDBAPI

        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory:
            self.con.execute(f"SET memory_limit = '{_size(memory)}'")
            var = getattr(django_settings, "VAR_DIR", tempfile.gettempdir())
            spill = Path(var) / "linkage-spill"
            spill.mkdir(parents=True, exist_ok=True)
            self.con.execute(f"SET temp_directory = '{spill}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.api = DuckDBAPI(self.con)

    def load(self, name: str, data: pa.Table, display: str):
        self.con.register("incoming_arrow", data)
        self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming_arrow")
        self.con.unregister("incoming_arrow")
        return self.api.register(name, dataset_display_name=display)

    def rows(self, sql: str) -> Iterator[tuple]:
        result = self.con.cursor().execute(sql)
        while batch := result.fetchmany(10_000):
            yield from batch

    def columns(self, name: str) -> set[str]:
        return {c[0] for c in self.con.cursor().execute(f"SELECT * FROM {name} LIMIT 0")
                .description}


_SPARK = None


def spark_session(threads: int | None = None, memory: str = ""):
    """One local Spark per process (AMPARO_SPARK_MASTER to use a cluster), with Splink's
    similarity functions (its jar) and its scratch space under VAR_DIR. Java 17 and `pyspark`
    must be installed; the first call starts the JVM (some seconds)."""
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession

        var = Path(getattr(django_settings, "VAR_DIR", tempfile.gettempdir())) / "spark"
        var.mkdir(parents=True, exist_ok=True)
        master = getattr(django_settings, "AMPARO_SPARK_MASTER", "") or (
            f"local[{int(threads)}]" if threads else "local[*]")
        builder = (SparkSession.builder.appName("amparo-linkage").master(master)
                   .config("spark.jars", splink.spark_similarity_jar())
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "16")
                   .config("spark.local.dir", str(var / "local"))
                   .config("spark.sql.warehouse.dir", str(var / "warehouse"))
                   .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={var}"))
        if memory:
            size = _size(memory)
            builder = builder.config("spark.driver.memory", size[:-1].lower().rstrip("i"))
        _SPARK = builder.getOrCreate()
        _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


class _Spark:
    """Spark through Splink's Spark backend: the same comparisons (`spark_sql`), the same
    model, for files that outgrow one machine's DuckDB."""

    def __init__(self, threads: int | None, memory: str):
        from splink import SparkAPI

        self.spark = spark_session(threads, memory)
        self.api = SparkAPI(spark_session=self.spark, break_lineage_method="persist")

    def load(self, name: str, data: pa.Table, display: str):
        frame = self.spark.createDataFrame(data)
        frame.createOrReplaceTempView(name)
        return self.api.register(name, dataset_display_name=display)

    def rows(self, sql: str) -> Iterator[tuple]:
        for row in self.spark.sql(sql).toLocalIterator():
            yield tuple(row)

    def columns(self, name: str) -> set[str]:
        return set(self.spark.table(name).columns)


def _size(text: str) -> str:
    """A memory size as DuckDB reads it ("3GB", "512MB"); anything else is refused."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B)\s*", str(text), re.IGNORECASE)
    if not found:
        raise ValueError(f"A memory size such as 3GB or 512MB, not {text!r}.")
    return f"{found[1]}{found[2].upper()}"
