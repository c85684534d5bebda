"""What a sweep says, per agreement: NPV quantiles, chances of losing, participation.

For each agreement and party: the 5th, 50th and 95th percentiles of NPV; the
probability of doing worse than under the source position (no agreement) and, where
standalone values were computed, worse than standing alone; and the share of
scenarios in which every party gains — over standing alone where computed (every
party would sign), otherwise over the source position.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["render_summary", "summarize"]


def summarize(folder: str | Path) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from sim.errors import ResultsError
    from sim.sweep.execute import read_manifest

    folder = Path(folder)
    manifest = read_manifest(folder)
    parties = manifest["parties"]
    parts = sorted((folder / "parts").glob("part-*.parquet"))
    if not parts:
        raise ResultsError(f"{folder}: no results yet")
    names = pq.ParquetFile(parts[0]).schema_arrow.names
    wanted = ["scenario", "rule", *(c for c in names if c.startswith(("npv.", "gain_")))]
    table = pa.concat_tables([pq.read_table(p, columns=wanted) for p in parts])
    rule = table.column("rule").combine_chunks()
    codes = rule.indices.to_numpy()
    labels = rule.dictionary.to_pylist()
    frame = {c: table.column(c).to_numpy() for c in wanted if c not in ("rule", "scenario")}
    n_scenarios = int(pc.count_distinct(table.column("scenario")).as_py())
    out: dict[str, Any] = {
        "sweep": manifest["sweep"]["file"],
        "scenario": manifest["scenario"]["name"],
        "unit": manifest["unit"],
        "n": n_scenarios,
        "design": manifest["sweep"]["design"],
        "seed": manifest["sweep"]["seed"],
        "complete": manifest["complete"],
        "rules": {},
    }
    standalone = all(f"gain_vs_standalone.{p}" in frame for p in parties)
    for rule in manifest["sweep"]["rules"]:
        if rule not in labels:
            continue
        mask = codes == labels.index(rule)
        rows = {k: v[mask] for k, v in frame.items()}
        entry: dict[str, Any] = {"parties": {}}
        for p in parties:
            npv = rows[f"npv.{p}"]
            q5, q50, q95 = np.percentile(npv, [5, 50, 95])
            party = {
                "npv_p5": float(q5),
                "npv_p50": float(q50),
                "npv_p95": float(q95),
                "p_worse_than_source": float(np.mean(rows[f"gain_vs_source.{p}"] < -1e-9)),
            }
            if standalone:
                party["p_worse_than_alone"] = float(
                    np.mean(rows[f"gain_vs_standalone.{p}"] < -1e-9)
                )
            entry["parties"][p] = party
        basis = "gain_vs_standalone" if standalone else "gain_vs_source"
        gains = np.column_stack([rows[f"{basis}.{p}"] for p in parties])
        entry["p_all_gain"] = float(np.mean((gains >= -1e-9).all(axis=1)))
        entry["all_gain_basis"] = "standalone" if standalone else "source"
        out["rules"][rule] = entry
    return out


def render_summary(doc: dict[str, Any]) -> str:
    from sim.output import table

    head = (
        f"Sweep of [{doc['scenario']}]: {doc['n']:,} scenarios, {doc['design']} design, "
        f"seed {doc['seed']}; NPV in {doc['unit']}"
    )
    out = [head, ""]
    first = next(iter(doc["rules"].values()), None)
    alone = first is not None and "p_worse_than_alone" in next(iter(first["parties"].values()))
    header = [
        "agreement",
        "party",
        "NPV p5",
        "p50",
        "p95",
        "P(< source)",
        *(["P(< alone)"] if alone else []),
        "P(all gain)",
    ]
    rows = []
    for rule, entry in doc["rules"].items():
        for i, (p, s) in enumerate(entry["parties"].items()):
            rows.append(
                [
                    rule if i == 0 else "",
                    p,
                    f"{s['npv_p5']:.3f}",
                    f"{s['npv_p50']:.3f}",
                    f"{s['npv_p95']:.3f}",
                    f"{s['p_worse_than_source']:.1%}",
                    *([f"{s['p_worse_than_alone']:.1%}"] if alone else []),
                    f"{entry['p_all_gain']:.1%}" if i == 0 else "",
                ]
            )
    out.append(table(header, rows, left=2))
    basis = "standing alone" if alone else "the source position"
    out += [
        "",
        f"P(all gain): share of scenarios in which every party does at least as well as {basis}.",
    ]
    return "\n".join(out)
