"""Tables of a PDF page rebuilt from its ruling lines.

The page's drawn rules (thin lines and rectangle edges) are snapped and merged,
grouped into connected frames, and each frame becomes a grid: the distinct x
of its vertical rules are the column boundaries, the distinct y of its
horizontal rules the row boundaries. Neighbouring grid units with no rule
between them belong to one merged cell (a header spanning columns, a label
spanning rows). `ingest.read_pdf` puts the page's characters into the cells.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

SNAP = 2.0        # rules this close (pt) are one rule
MIN_CELL = 3.0    # grid lines closer than this are one boundary


@dataclass
class Rule:
    horizontal: bool
    pos: float        # y of a horizontal rule, x of a vertical one (top-down page space)
    start: float
    end: float


@dataclass
class Grid:
    """One ruled table: boundaries and the merged cells as (r0, c0, r1, c1) inclusive."""
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]
    unit_cell: dict[tuple[int, int], int] = field(default_factory=dict)

    def cell_at(self, x: float, y: float) -> int | None:
        """Index of the cell containing the point, None outside the grid."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        r = min(bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        return self.unit_cell.get((r, c))


def merge_rules(rules: list[Rule]) -> list[Rule]:
    """Snap rules of one orientation lying within SNAP of each other onto one
    position, then join pieces that touch or overlap along it."""
    merged: list[Rule] = []
    for horizontal in (True, False):
        group = sorted((r for r in rules if r.horizontal == horizontal), key=lambda r: r.pos)
        clusters: list[list[Rule]] = []
        for rule in group:
            if clusters and rule.pos - clusters[-1][-1].pos <= SNAP:
                clusters[-1].append(rule)
            else:
                clusters.append([rule])
        for cluster in clusters:
            pos = sum(r.pos for r in cluster) / len(cluster)
            spans = sorted((r.start, r.end) for r in cluster)
            start, end = spans[0]
            for s, e in spans[1:]:
                if s <= end + SNAP:
                    end = max(end, e)
                else:
                    merged.append(Rule(horizontal, pos, start, end))
                    start, end = s, e
            merged.append(Rule(horizontal, pos, start, end))
    return merged


def _root(parent, u):
    """Union-find: the representative of `u` (halving the path on the way)."""
    while parent[u] != u:
        parent[u] = parent[parent[u]]
        u = parent[u]
    return u


def _crosses(h: Rule, v: Rule) -> bool:
    return (h.start - SNAP <= v.pos <= h.end + SNAP) and (v.start - SNAP <= h.pos <= v.end + SNAP)


def find_grids(rules: list[Rule]) -> list[Grid]:
    """The ruled tables among a page's rules, top to bottom."""
    rules = merge_rules(rules)
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    # Connected frames: union horizontal and vertical rules that cross or touch.
    parent = list(range(len(rules)))
    index = {id(r): i for i, r in enumerate(rules)}
    for h in hs:
        for v in vs:
            if _crosses(h, v):
                parent[_root(parent, index[id(h)])] = _root(parent, index[id(v)])
    frames: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        frames.setdefault(_root(parent, i), []).append(r)
    grids = []
    for frame in frames.values():
        grid = _grid(frame)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] < MIN_CELL:
            continue
        out.append(v)
    return out


def _covers(rules: list[Rule], pos: float, at: float) -> bool:
    return any(abs(r.pos - pos) <= MIN_CELL and r.start - SNAP <= at <= r.end + SNAP for r in rules)


def _grid(frame: list[Rule]) -> Grid | None:
    hs = [r for r in frame if r.horizontal]
    vs = [r for r in frame if not r.horizontal]
    if len(hs) < 2 or not vs:
        return None  # a lone underline or rule, not a table
    # Tables drawn without outer side borders still end where their rules end.
    xs = _boundaries([r.pos for r in vs] + [min(r.start for r in hs), max(r.end for r in hs)])
    ys = _boundaries([r.pos for r in hs] + [min(r.start for r in vs), max(r.end for r in vs)])
    if len(xs) < 3 or len(ys) < 2:
        return None  # a framed paragraph, not a table
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}
    for r in range(rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(cols):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < cols and not _covers(vs, xs[c + 1], mid_y):
                parent[_root(parent, (r, c + 1))] = _root(parent, (r, c))
            if r + 1 < rows and not _covers(hs, ys[r + 1], mid_x):
                parent[_root(parent, (r + 1, c))] = _root(parent, (r, c))
    spans: dict[tuple[int, int], list[int]] = {}
    for (r, c) in parent:
        s = spans.setdefault(_root(parent, (r, c)), [r, c, r, c])
        s[0], s[1] = min(s[0], r), min(s[1], c)
        s[2], s[3] = max(s[2], r), max(s[3], c)
    cells = []
    unit_cell = {}
    for _, (r0, c0, r1, c1) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[1][1])):
        k = len(cells)
        cells.append((r0, c0, r1, c1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                unit_cell[(r, c)] = k
    return Grid(xs, ys, cells, unit_cell)
