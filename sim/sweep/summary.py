"""What a sweep says, per agreement: NPV quantiles, chances of losing, participation.

For each agreement and party: the 5th, 50th and 95th percentiles of NPV; the
probability of doing worse than under the source position (no agreement) and, where
standalone values were computed, worse than standing alone; and the share of
scenarios in which every party does at least as well — as standing alone where
computed (every party would sign), otherwise as under the source position. Where the
agreement splits statistics, the median share of each indicator counted to each party.

Scenarios where an agreement is undefined (its rule has no value for that scenario's
game) are left out of that agreement's statistics and counted; scenarios where a
fair-division target could not be reached by constant shares are counted too (their
NPVs, those of the nearest shares, are included).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim import i18n
from sim.i18n import Reason
from sim.sweep.columns import Coded, Column, coded, numeric

__all__ = ["Kept", "render_summary", "summarize"]

TOL = 1e-9
NUMERIC = ("npv.", "gain_", "statistics.", "decomposition.")
"""The prefixes of the numeric columns the summary reads."""
CODED = ("rule", "status", "reason")


POLICY = "policy"
"""The column of a sweep's named fiscal policy (:mod:`sim.sweep.policies`)."""


def needed(name: str) -> bool:
    """Whether the summary reads the column ``name``."""
    return name.startswith(NUMERIC) or name in CODED or name == POLICY


class Kept:
    """The columns the summary reads, of chunks a sweep computed in this process, kept
    in memory up to ``budget`` bytes: the summary reads back only the other parts."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.chunks: dict[int, dict[str, Column]] = {}
        self._used = 0

    def add(self, k: int, columns: Mapping[str, Column]) -> None:
        """Keep chunk ``k``'s columns if they fit."""
        wanted = {c: v for c, v in columns.items() if needed(c)}
        size = sum(v.codes.nbytes if isinstance(v, Coded) else v.nbytes for v in wanted.values())
        if self._used + size <= self.budget:
            self.chunks[k] = wanted
            self._used += size


Select = slice | np.ndarray
"""Rows of a chunk: a range (an agreement's rows, which a chunk holds together) or indices."""


class _Piece:
    """One chunk's results as the summary reads them: a column at a time, from memory
    (a chunk kept by :class:`Kept`) or from its part file, never the whole table. Of
    the agreement and status of every row it keeps only where each agreement's rows are
    and which rows are not ``ok`` (few), so that what it holds does not grow with the
    chunk."""

    def __init__(self, kept: Mapping[str, Column] | None, path: Path) -> None:
        self.kept, self.path = kept, path
        if kept is not None:
            self.names = [c for c in kept if c.startswith(NUMERIC)]
            rule, status = self.coded("rule"), self.coded("status")
        else:
            import pyarrow.parquet as pq

            part = pq.ParquetFile(path)  # opened once for the names and both label columns
            self.names = [c for c in part.schema_arrow.names if c.startswith(NUMERIC)]
            labels = part.read(columns=["rule", "status"])
            rule, status = coded(labels.column("rule")), coded(labels.column("status"))
        self.rules: dict[str, Select] = {}
        for code, label in enumerate(rule.labels):
            at = np.flatnonzero(rule.codes == code)
            if len(at):
                whole = at[-1] - at[0] + 1 == len(at)
                self.rules[label] = slice(int(at[0]), int(at[-1]) + 1) if whole else at
        self.flagged = np.flatnonzero(~status.rows("ok"))
        self.flag = np.asarray(status.labels, dtype=object)[status.codes[self.flagged]]

    def column(self, name: str) -> np.ndarray:
        """A numeric column of the chunk."""
        if self.kept is not None:
            return np.asarray(self.kept[name])
        import pyarrow.parquet as pq

        return numeric(pq.ParquetFile(self.path).read(columns=[name]).column(name))

    def coded(self, name: str) -> Coded:
        """A text column of the chunk as codes."""
        if self.kept is not None:
            value = self.kept[name]
            assert isinstance(value, Coded)
            return value
        import pyarrow.parquet as pq

        return coded(pq.ParquetFile(self.path).read(columns=[name]).column(name))

    def of(self, rule: str) -> tuple[Select, np.ndarray, np.ndarray]:
        """``rule``'s rows; those of them not ``ok``; and each one's status."""
        rows = self.rules.get(rule, slice(0, 0))
        if isinstance(rows, slice):
            inside = (self.flagged >= rows.start) & (self.flagged < rows.stop)
        else:
            inside = np.isin(self.flagged, rows)
        return rows, self.flagged[inside], self.flag[inside]


def _size(rows: Select) -> int:
    return rows.stop - rows.start if isinstance(rows, slice) else len(rows)


class _Rows(Mapping[str, np.ndarray]):
    """The numeric columns of the rows ``select`` picks in each piece, each read when it
    is asked for and not kept: the summary holds a column or two of one agreement at a
    time, whatever the sweep's size."""

    def __init__(self, pieces: list[_Piece], select: list[Select]) -> None:
        self.pieces, self.select = pieces, select

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.pieces[0].names:
            raise KeyError(name)
        # a copy of each piece's rows, so that the rest of its column (other agreements'
        # rows, in the part's buffer) is let go at once
        return _join(
            [np.array(p.column(name)[s]) for p, s in zip(self.pieces, self.select, strict=True)]
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.pieces[0].names)

    def __len__(self) -> int:
        return len(self.pieces[0].names)


def _load(
    folder: Path, manifest: Mapping[str, Any], kept: Mapping[int, Mapping[str, Column]]
) -> tuple[list[_Piece], int]:
    """Every chunk done, in order (from memory where kept, else from its part), and the
    number of scenarios done."""
    from sim.errors import ResultsError

    parts = {int(p.stem.split("-")[1]): p for p in (folder / "parts").glob("part-*.parquet")}
    if not parts:
        raise ResultsError(Reason("no_results", folder=folder))
    pieces = [_Piece(kept.get(k), parts[k]) for k in sorted(parts)]
    size, n = int(manifest["chunk_size"]), int(manifest["sweep"]["n"])
    done = sum(min((k + 1) * size, n) - k * size for k in parts)
    return pieces, done


def _join(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _party(rows: Mapping[str, np.ndarray], p: str, standalone: bool) -> dict[str, float | None]:
    npv = rows[f"npv.{p}"]
    if len(npv) == 0:
        return {"npv_p5": None, "npv_p50": None, "npv_p95": None, "p_worse_than_source": None}
    q5, q50, q95 = np.percentile(npv, [5, 50, 95])
    out: dict[str, float | None] = {
        "npv_p5": float(q5),
        "npv_p50": float(q50),
        "npv_p95": float(q95),
        "p_worse_than_source": float(np.mean(rows[f"gain_vs_source.{p}"] < -TOL)),
    }
    if standalone:
        out["p_worse_than_alone"] = float(np.mean(rows[f"gain_vs_standalone.{p}"] < -TOL))
    return out


def _statistics(rows: Mapping[str, np.ndarray], parties: list[str]) -> dict[str, Any] | None:
    indicators = list(dict.fromkeys(c.split(".")[1] for c in rows if c.startswith("statistics.")))
    if not indicators or len(rows[f"npv.{parties[0]}"]) == 0:
        return None
    out: dict[str, Any] = {}
    for name in indicators:
        counted = np.column_stack([rows[f"statistics.{name}.{p}"] for p in parties])
        total = counted.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, counted / total, np.nan)
        out[name] = {
            p: float(np.nanmedian(share[:, i])) if np.isfinite(share[:, i]).any() else None
            for i, p in enumerate(parties)
        }
    return out


def _reasons(pieces: list[_Piece], rule: str) -> dict[str, Any]:
    """Why ``rule``'s scenarios are undefined or unreached: each reason and how many."""
    out: dict[str, dict[str, int]] = {}
    for piece in pieces:
        _, flagged, flags = piece.of(rule)
        if not len(flagged):
            continue
        reason = piece.coded("reason")
        for status in ("undefined", "target not reached"):
            picked = reason.codes[flagged[flags == status]]
            for k, c in enumerate(np.bincount(picked, minlength=len(reason.labels))):
                if c:
                    found = out.setdefault(status, {})
                    found[reason.labels[k]] = found.get(reason.labels[k], 0) + int(c)
    return out


def _entry(
    pieces: list[_Piece], rule: str, parties: list[str], policy: int | None = None
) -> dict[str, Any]:
    """One agreement's statistics, over its scenarios where it is defined (``policy``:
    over those of the named fiscal policy at that position alone)."""
    scenarios = undefined = unreached = 0
    counted: list[Select] = []
    for piece in pieces:
        rows, flagged, flags = piece.of(rule)
        if policy is not None:
            every = np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows
            rows = every[piece.column(POLICY)[every] == policy]
            inside = np.isin(flagged, rows)
            flagged, flags = flagged[inside], flags[inside]
        scenarios += _size(rows)
        unreached += int((flags == "target not reached").sum())
        gone = flagged[flags == "undefined"]
        undefined += len(gone)
        if len(gone):  # the rule's rows but these, as indices
            every = np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows
            rows = np.setdiff1d(every, gone, assume_unique=True)
        counted.append(rows)
    rows_of = _Rows(pieces, counted)
    standalone = all(f"gain_vs_standalone.{p}" in rows_of for p in parties)
    entry: dict[str, Any] = {
        "scenarios": scenarios,
        "undefined": undefined,
        "target_not_reached": unreached,
        "reasons": _reasons(pieces, rule),
        "parties": {p: _party(rows_of, p, standalone) for p in parties},
    }
    basis = "gain_vs_standalone" if standalone else "gain_vs_source"
    everyone: np.ndarray | None = None
    for p in parties:  # one column at a time
        gains = rows_of[f"{basis}.{p}"] >= -TOL
        everyone = gains if everyone is None else everyone & gains
    has_rows = everyone is not None and len(everyone) > 0
    entry["p_all_gain"] = float(np.mean(everyone)) if everyone is not None and has_rows else None
    entry["all_gain_basis"] = "standalone" if standalone else "source"
    stats = _statistics(rows_of, parties)
    if stats is not None:
        entry["statistics_share_median"] = stats
    parts = _decomposition(rows_of, parties)
    if parts is not None:
        entry["decomposition_median"] = parts
    return entry


def _decomposition(rows: Mapping[str, np.ndarray], parties: list[str]) -> dict[str, Any] | None:
    """The median of each feature's part of each party's gain, where it was computed."""
    features = list(dict.fromkeys(c.split(".")[1] for c in rows if c.startswith("decomposition.")))
    if not features:
        return None
    first = rows[f"decomposition.{features[0]}.{parties[0]}"]
    if not np.isfinite(first).any():
        return None
    return {
        f: {p: float(np.nanmedian(rows[f"decomposition.{f}.{p}"])) for p in parties}
        for f in features
    }


def summarize(
    folder: str | Path,
    manifest: dict[str, Any] | None = None,
    kept: Mapping[int, Mapping[str, Column]] | None = None,
) -> dict[str, Any]:
    """The summary of the sweep stored in ``folder`` (``manifest``: as it stands now;
    ``kept``: chunks' columns still in memory, see :class:`Kept`, so as not to read them
    back).

    ``complete`` and ``scenarios_done`` of ``n`` say whether every chunk is in: the
    statistics of an incomplete sweep are of the scenarios done so far.
    """
    from sim.sweep.manifest import read_manifest

    folder = Path(folder)
    manifest = manifest if manifest is not None else read_manifest(folder)
    parties = manifest["parties"]
    pieces, done = _load(folder, manifest, kept or {})
    out: dict[str, Any] = {
        "sweep": manifest["sweep"]["file"],
        "scenario": manifest["scenario"]["name"],
        "unit": manifest["unit"],
        "n": manifest["sweep"]["n"],
        "scenarios_done": done,
        "complete": bool(manifest["complete"]),
        "design": manifest["sweep"]["design"],
        "seed": manifest["sweep"]["seed"],
        "rules": {},
        "names_zh": _names_zh(Path(folder)),
    }
    for rule in manifest["sweep"]["rules"]:
        if any(rule in p.rules for p in pieces):
            out["rules"][rule] = _entry(pieces, rule, parties)
    policies = _policies(manifest)
    if policies:
        out["policies"] = {
            name: {rule: _policy_entry(_entry(pieces, rule, parties, k)) for rule in out["rules"]}
            for k, name in enumerate(policies)
        }
        out["policy_names_zh"] = dict(zip(policies, _policies(manifest, "zh"), strict=True))
    return out


def _policies(manifest: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The names of the sweep's named fiscal policies, in the order of their column's
    values (empty for a sweep without them)."""
    from sim.sweep.policies import policy_names

    table = manifest["sweep"].get("table", {})
    if POLICY not in table.get("parameters", {}):
        return []
    return policy_names(table, lang)


def _policy_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """What the summary shows of an agreement under one named policy."""
    keep = ("npv_p5", "npv_p50", "npv_p95", "p_worse_than_source", "p_worse_than_alone")
    return {
        "scenarios": entry["scenarios"],
        "undefined": entry["undefined"],
        "parties": {p: {k: s[k] for k in keep if k in s} for p, s in entry["parties"].items()},
        "p_all_gain": entry["p_all_gain"],
    }


def _names_zh(folder: Path) -> dict[str, str]:
    """The Chinese name (``label_zh``) of each ``[[compare]]`` alternative of the scenario
    the sweep ran, from the copy it keeps (``inputs/scenario.toml``)."""
    import tomllib

    try:
        data = tomllib.loads((folder / "inputs" / "scenario.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    tables = data.get("compare", [])
    return {
        t["label"]: t["label_zh"]
        for t in (tables if isinstance(tables, list) else [])
        if isinstance(t, dict)
        and isinstance(t.get("label"), str)
        and isinstance(t.get("label_zh"), str)
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def _agreement(rule: str, doc: dict[str, Any], lang: str) -> str:
    """An agreement's name in ``lang``: an alternative's ``label_zh`` in Chinese."""
    name = i18n.name(rule, lang)
    return i18n.pick(lang, name, doc.get("names_zh", {}).get(rule) or name)


def render_summary(doc: dict[str, Any], lang: str = "en") -> str:
    """The summary as a text table, with a line for every agreement's undefined scenarios
    (in ``lang``: an agreement is named by its label, or the catalogue's name of a
    built-in row)."""
    from sim.style import indicator_label
    from sim.tables import table

    def t(key: str, **params: object) -> str:
        return i18n.t(key, lang, **params)

    done = doc["scenarios_done"]
    head = t(
        "sweep_head",
        name=doc["scenario"],
        n=f"{done:,}",
        scenarios=t("scenario_one" if done == 1 else "scenario_many"),
        design=i18n.name(doc["design"], lang),
        seed=doc["seed"],
        unit=i18n.unit(doc["unit"], lang),
    )
    if not doc["complete"]:
        head += "\n" + t("sweep_incomplete", done=f"{done:,}", n=f"{doc['n']:,}")
    out = [head, ""]
    first = next(iter(doc["rules"].values()), None)
    alone = first is not None and first["all_gain_basis"] == "standalone"
    header = [t("agreement_col"), t("party_col"), t("npv_p5"), t("p50"), t("p95")]
    worse = [i18n.phrase(k, lang) for k in ("p_worse_source", "p_worse_alone")]
    header += worse[: 2 if alone else 1]
    header += [t("p_all_alone") if alone else t("p_all_source")]
    rows = []
    for rule, entry in doc["rules"].items():
        for i, (p, s) in enumerate(entry["parties"].items()):
            rows.append(
                [
                    _agreement(rule, doc, lang) if i == 0 else "",
                    p,
                    _num(s["npv_p5"]),
                    _num(s["npv_p50"]),
                    _num(s["npv_p95"]),
                    _pct(s["p_worse_than_source"]),
                    *([_pct(s.get("p_worse_than_alone"))] if alone else []),
                    _pct(entry["p_all_gain"]) if i == 0 else "",
                ]
            )
    out.append(table(header, rows, left=2))
    out += ["", t("p_all_basis", basis=t("basis_alone" if alone else "basis_source"))]
    out += _policy_table(doc, lang, alone)
    pids = "/".join(entry["parties"]) if doc["rules"] else ""
    for rule, entry in doc["rules"].items():
        name = i18n.name(rule, lang)
        n = f"{entry['scenarios']:,}"
        if entry["undefined"]:
            why = i18n.semicolon(lang).join(
                i18n.translate(r, lang) for r in entry.get("reasons", {}).get("undefined", {})
            )
            why = f"{i18n.colon(lang)}{why}" if why else ""
            out.append(t("undefined_in", rule=name, k=f"{entry['undefined']:,}", n=n, why=why))
        if entry["target_not_reached"]:
            out.append(t("unreached_in", rule=name, k=f"{entry['target_not_reached']:,}", n=n))
        if "decomposition_median" in entry:
            parts = i18n.semicolon(lang).join(
                f"{_feature(feature, lang)} " + "/".join(_signed(v) for v in shares.values())
                for feature, shares in entry["decomposition_median"].items()
            )
            out.append(t("gain_by_clause", rule=name, pids=pids, parts=parts))
        if "statistics_share_median" in entry:
            parts = i18n.semicolon(lang).join(
                f"{indicator_label(key, lang)} " + ":".join(_pct(v) for v in shares.values())
                for key, shares in entry["statistics_share_median"].items()
            )
            out.append(t("stats_counted", rule=name, pids=pids, parts=parts))
    return "\n".join(out)


def _signed(v: float) -> str:
    """A median part of a gain to 3 decimals with its sign, and 0 as 0.000, never −0.000
    (a clause that moves nothing in the median scenario)."""
    text = f"{v:+.3f}"
    return "+0.000" if text == "-0.000" else text


def _policy_table(doc: dict[str, Any], lang: str, alone: bool) -> list[str]:
    """Each agreement's NPV and chances under each named fiscal policy (none without)."""
    from sim.tables import table

    if "policies" not in doc:
        return []
    head = [i18n.t(k, lang) for k in ("policy_col", "agreement_col", "party_col")]
    head += [i18n.t("p50", lang), i18n.phrase("p_worse_source", lang)]
    head += [i18n.phrase("p_worse_alone", lang)] if alone else []
    rows = []
    for name, rules in doc["policies"].items():
        label = i18n.pick(lang, name, doc.get("policy_names_zh", {}).get(name) or name)
        for r, (rule, entry) in enumerate(rules.items()):
            for i, (p, s) in enumerate(entry["parties"].items()):
                rows.append(
                    [
                        label if r == 0 and i == 0 else "",
                        _agreement(rule, doc, lang) if i == 0 else "",
                        p,
                        _num(s["npv_p50"]),
                        _pct(s["p_worse_than_source"]),
                        *([_pct(s.get("p_worse_than_alone"))] if alone else []),
                    ]
                )
    return ["", i18n.t("policy_summary_head", lang), table(head, rows, left=3)]


def _feature(feature: str, lang: str) -> str:
    from sim.style import feature_label

    return i18n.pick(lang, feature, feature_label(feature, lang))
