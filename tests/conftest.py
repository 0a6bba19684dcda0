"""Shared fixtures: the bundled reference report, and stores built from it once
per session (tests that write get their own store in tmp_path)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "000_db8f0e8ff5a3a27e.txt"
FIXTURES = ROOT / "tests" / "fixtures"
FISCALKG = [sys.executable, "-m", "service.cli"]


def run_cli(*args: str, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real `fiscalkg` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run([*FISCALKG, *map(str, args)], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"fiscalkg {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_graph():
    """The reference report parsed and mapped (no store)."""
    from ingest import build_graph
    return build_graph(SAMPLE)


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory) -> Path:
    """An on-disk store holding the reference report, built once through the loader."""
    from service.loading import ingest_paths
    from service.store import Store
    from ingest import DEFAULT_BASE
    path = tmp_path_factory.mktemp("store") / "store"
    store = Store(path)
    results = ingest_paths(store, [str(SAMPLE)], DEFAULT_BASE, jobs=1)
    assert all(r.ok for r in results), [r.message for r in results]
    store.flush()
    del store
    return path


@pytest.fixture(scope="session")
def sample_store(sample_store_dir):
    """The reference store opened read-only (shared by read-only tests)."""
    from service.store import Store
    return Store(sample_store_dir, read_only=True)


@pytest.fixture
def store_copy(sample_store_dir, tmp_path) -> Path:
    """A private writable copy of the reference store."""
    dest = tmp_path / "store"
    shutil.copytree(sample_store_dir, dest)
    return dest
