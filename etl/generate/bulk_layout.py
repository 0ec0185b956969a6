"""The layout for big runs: large UTF-8 CSV files of at most max_rows rows each, streamed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from . import dirty as D
from . import dues_rows, member_rows, tables
from .model import Province
from .writers import write_bulk_csv

SUB = 250_000  # rows rendered at a time


class Sink:
    """Counts files and rows; names files kind/prefix_0001.csv."""

    def __init__(self, out: Path, max_rows: int) -> None:
        self.out, self.max_rows, self.files = out, max_rows, 0

    def parts(self, n: int) -> list[np.ndarray]:
        return [np.arange(a, min(a + self.max_rows, n)) for a in range(0, n, self.max_rows)]

    def write(self, folder: str, stem: str, k: int, header: tuple, cols) -> int:
        self.files += 1
        return write_bulk_csv(self.out / folder / f"{stem}_{k + 1:04d}.csv", header, cols)


def write(p: Province, out: Path, max_rows: int, progress) -> tuple[int, dict]:
    s = Sink(out, max_rows)
    rows: dict[str, int] = {}
    o, m, d = p.orgs, p.members, p.dirty
    rows["orgs"] = sum(
        s.write("组织", "orgs", k, tables.ORG_HEADER, tables.orgs(p, part))
        for k, part in enumerate(s.parts(len(o)))
    )
    # Timestamps keep their seconds in every bulk file, so that copied rows stay identical.
    placed = np.flatnonzero(d.extra_file >= 0)
    copies = np.flatnonzero(d.extra_file < 0)
    n_main = len(m) + len(placed)
    parts = s.parts(n_main)
    rows["members"] = 0
    for k, part in enumerate(parts):
        rows["members"] += s.write("团员", "members", k, tables.MEMBER_HEADER,
                                   _member_chunks(p, part, placed, k % 4))
        progress("members", k + 1, len(parts))
    if len(copies):
        z = np.zeros(len(copies), dtype=np.int64)
        rows["members"] += s.write("团员", "members_supplement", 0, tables.MEMBER_HEADER,
                                   member_rows.extra_members(p, copies, z, z, z == 1))
    c = p.cadres
    rows["cadres"] = 0
    cparts = s.parts(len(c.org))
    for k, part in enumerate(cparts):
        cols = tables.cadres(p, part, np.full(len(part), k % 4))
        if k == len(cparts) - 1:
            ghost = tables.ghost_cadres(p, np.full(len(p.ghost_cadres), k % 4))
            cols = {h: _concat(cols[h], ghost[h]) for h in tables.CADRE_HEADER}
        rows["cadres"] += s.write("团干部", "cadres", k, tables.CADRE_HEADER, cols)
    rows["transfers"] = sum(
        s.write("组织关系转接", "transfers", k, tables.TRANSFER_HEADER,
                tables.transfers(p, part, np.zeros(len(part), dtype=np.int64)))
        for k, part in enumerate(s.parts(len(p.transfers.status)))
    )
    rows["campaigns"] = s.write(
        "报到", "campaigns", 0, tables.CAMPAIGN_HEADER, tables.campaigns(p, 0)
    )
    rows["roster"] = sum(
        s.write("报到", "roster", k, tables.ROSTER_HEADER, tables.roster(p, part))
        for k, part in enumerate(s.parts(len(p.reg.roster_person)))
    )
    rows["dues"] = 0
    header = tables.DUES_LEAN
    for j, mo in enumerate(p.dues.months_iter()):
        y, mm = divmod(mo.month, 12)
        stem = f"dues_{y}-{mm + 1:02d}"
        spoil = D.dues_month(
            np.random.default_rng([p.seed, 900 + j]), len(mo.member), len(d.ghosts)
        )
        for k, part in enumerate(s.parts(len(mo.member))):
            rows["dues"] += s.write("团费", stem, k, header, _dues_chunks(p, mo, part, spoil, j % 4))
        extra = dues_rows.dues(p, mo, spoil["duplicate"], {}, lean=True, mstyle=(j + 1) % 4)
        ghosts = dues_rows.ghost_dues(p, mo, d.ghosts[spoil["ghosts"]], True, j % 4)
        rows["dues"] += s.write("团费", stem + "_supplement", 0, header,
                                {h: _concat(extra[h], ghosts[h]) for h in header})
        for reason, key in (("negative_amount", "negative"), ("unknown_label", "label"),
                            ("identical_duplicate", "duplicate"), ("unmatched_dues", "ghosts")):
            d.count(reason, len(spoil[key]))
        progress("dues", j + 1, len(p.months))
    return s.files, rows


def _member_chunks(p: Province, part: np.ndarray, placed: np.ndarray, mstyle: int):
    """Rows of one members file (own rows, then misplaced extra rows), a slice at a time."""
    n = len(p.members)
    for sub in np.array_split(part, max(1, -(-len(part) // SUB))):
        own, extra = sub[sub < n], placed[sub[sub >= n] - n]
        for rows, render in ((own, member_rows.members), (extra, member_rows.extra_members)):
            if len(rows):
                z = np.zeros(len(rows), dtype=np.int64)
                yield render(p, rows, z, z + mstyle, z == 1)


def _dues_chunks(p: Province, mo, part: np.ndarray, spoil: dict, mstyle: int):
    """Bill lines of one dues file, a slice at a time; spoil positions are month-wide."""
    for sub in np.array_split(part, max(1, -(-len(part) // SUB))):
        local = {key: v[(v >= sub[0]) & (v <= sub[-1])] - sub[0]
                 for key, v in spoil.items() if key != "ghosts"}
        yield dues_rows.dues(p, mo, sub, local, lean=True, mstyle=mstyle)


def _concat(a, b) -> pa.Array:
    """Two columns (Arrow or object arrays) as one Arrow string array."""
    return pa.concat_arrays([x.cast(pa.string()) if isinstance(x, pa.Array) else
                             pa.array(x, type=pa.string()) for x in (a, b)])
