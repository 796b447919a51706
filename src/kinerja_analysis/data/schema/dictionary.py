"""The schema for others: pandera models of the canonical tables and the data dictionary of data/README.md."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.data.schema.headers import TABLES

# --- pandera models -------------------------------------------------------------------------------


def pandera_schema(table: str):
    """A pandera ``DataFrameSchema`` for a table as the loader returns it (after mapping and typing).

    It is the contract of the accepted rows: every test that loads data can check it, and users can
    validate frames they built themselves. Extra columns are allowed (they are kept).
    """
    import pandera.pandas as pa

    spec = TABLES[table]
    columns = {}
    for col in spec.columns:
        checks = []
        if col.kind == "category":
            dtype = pd.CategoricalDtype(list(col.categories), ordered=col.ordered)
        elif col.kind in ("str", "nip"):
            dtype = None
            if col.kind == "nip":
                checks.append(pa.Check.str_matches(r"^\d{18}$", error="nip is 18 digits"))
        elif col.kind == "int":
            dtype = "Int64"
        elif col.kind == "float":
            dtype = "Float64"
        elif col.kind == "date":
            dtype = "datetime64[s]"
        else:
            dtype = "boolean"
        if col.min is not None:
            checks.append(pa.Check.ge(col.min))
        if col.max is not None:
            checks.append(pa.Check.le(col.max))
        columns[col.name] = pa.Column(dtype, checks=checks, nullable=col.nullable, required=col.required, coerce=False)
    unique = list(spec.key) if spec.key else None
    return pa.DataFrameSchema(columns, strict=False, unique=unique, name=table)


# --- Data dictionary ------------------------------------------------------------------------------


def data_dictionary() -> str:
    """The data dictionary as Markdown, one section per table (used for ``data/README.md``)."""
    lines: list[str] = []
    for spec in TABLES.values():
        key = ", ".join(spec.key) if spec.key else "(none)"
        lines += [
            f"### `{spec.name}`: one row per {spec.row}",
            "",
            f"Unique key: {key}.",
            "",
            "| column | type | required | meaning | allowed values | also read from headers |",
            "|---|---|---|---|---|---|",
        ]
        for c in spec.columns:
            allowed = ", ".join(c.categories) if c.categories else ""
            if c.min is not None or c.max is not None:
                lo = "" if c.min is None else f"{c.min:g}"
                hi = "" if c.max is None else f"{c.max:g}"
                allowed = f"{lo} to {hi}".strip()
            req = "yes" if c.required else "no"
            aliases = ", ".join(f'"{a}"' for a in c.aliases)
            lines.append(f"| `{c.name}` | {c.kind} | {req} | {c.description} | {allowed} | {aliases} |")
        lines.append("")
    return "\n".join(lines)
