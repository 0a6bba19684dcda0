"""Ingest speed of the reference report: parse + map (after start-up, i.e. with
imports and the NLP pipeline loaded once), and parse + map + store on disk."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "000_db8f0e8ff5a3a27e.txt"

from ingest import build_graph  # noqa: E402
from service.loading import ingest_paths  # noqa: E402
from service.store import Store  # noqa: E402

build_graph(SAMPLE)  # warm-up: imports, spaCy pipeline
runs = []
for _ in range(5):
    t0 = time.perf_counter()
    rg = build_graph(SAMPLE)
    runs.append(time.perf_counter() - t0)
median = statistics.median(runs)
print(f"reference report parse+map: median {median * 1000:.0f} ms over {len(runs)} runs "
      f"(target < 1000 ms), {rg.triple_count} triples, {rg.triple_count / median:,.0f} triples/s")

with tempfile.TemporaryDirectory() as tmp:
    store = Store(Path(tmp) / "store")
    t0 = time.perf_counter()
    ingest_paths(store, [str(SAMPLE)], "https://data.fiscalkg.org/", jobs=1)
    elapsed = time.perf_counter() - t0
    print(f"reference report end to end into the on-disk store (with checks): {elapsed * 1000:.0f} ms, "
          f"{len(store)} quads in store")
