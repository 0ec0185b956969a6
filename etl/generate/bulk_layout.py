"""The layout for big runs: large UTF-8 CSV files of at most max_rows rows each, streamed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import dirty as D
from . import dues_rows, member_rows
from . import tables
from .model import Province
from .writers import write_bulk_csv


class Sink:
    """Counts files and rows; names files kind/prefix_0001.csv."""

    def __init__(self, out: Path, max_rows: int) -> None:
        self.out, self.max_rows, self.files = out, max_rows, 0

    def parts(self, n: int) -> list[np.ndarray]:
        return [np.arange(a, min(a + self.max_rows, n)) for a in range(0, n, self.max_rows)]

    def write(self, folder: str, stem: str, k: int, header: tuple, cols: dict) -> int:
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
        z = np.zeros(len(part), dtype=np.int64)
        own = part[part < len(m)]
        cols = member_rows.members(p, own, z[: len(own)], z[: len(own)] + k % 4, z[: len(own)] == 1)
        extra = placed[part[part >= len(m)] - len(m)]
        if len(extra):
            ecols = member_rows.extra_members(
                p, extra, z[: len(extra)], z[: len(extra)] + k % 4, z[: len(extra)] == 1
            )
            cols = {h: _concat(cols[h], ecols[h]) for h in tables.MEMBER_HEADER}
        rows["members"] += s.write("团员", "members", k, tables.MEMBER_HEADER, cols)
        progress("members", k + 1, len(parts))
    if len(copies):
        z = np.zeros(len(copies), dtype=np.int64)
        rows["members"] += s.write(
            "团员",
            "members_supplement",
            0,
            tables.MEMBER_HEADER,
            member_rows.extra_members(p, copies, z, z, z == 1),
        )
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
        s.write(
            "组织关系转接",
            "transfers",
            k,
            tables.TRANSFER_HEADER,
            tables.transfers(p, part, np.zeros(len(part), dtype=np.int64)),
        )
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
            local = {
                key: v[(v >= part[0]) & (v <= part[-1])] - part[0]
                for key, v in spoil.items()
                if key != "ghosts"
            }
            rows["dues"] += s.write(
                "团费", stem, k, header, dues_rows.dues(p, mo, part, local, lean=True, mstyle=j % 4)
            )
        extra = dues_rows.dues(p, mo, spoil["duplicate"], {}, lean=True, mstyle=(j + 1) % 4)
        ghosts = dues_rows.ghost_dues(p, mo, d.ghosts[spoil["ghosts"]], True, j % 4)
        rows["dues"] += s.write(
            "团费",
            stem + "_supplement",
            0,
            header,
            {h: _concat(extra[h], ghosts[h]) for h in header},
        )
        for reason, key in (
            ("negative_amount", "negative"),
            ("unknown_label", "label"),
            ("identical_duplicate", "duplicate"),
            ("unmatched_dues", "ghosts"),
        ):
            d.count(reason, len(spoil[key]))
        progress("dues", j + 1, len(p.months))
    return s.files, rows


def _concat(a, b):
    import pyarrow as pa

    to = lambda x: x if isinstance(x, pa.Array) else pa.array(x, type=pa.string())
    return pa.concat_arrays([to(a).cast(pa.string()), to(b).cast(pa.string())])
