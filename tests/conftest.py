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
def seed():
    """The reference report parsed into records (no mapping, no store)."""
    from ingest.parse import parse_document
    from ingest.read import read_document
    return parse_document(read_document(SAMPLE))


@pytest.fixture(scope="session")
def sample_graph():
    """The reference report parsed and mapped (no store)."""
    from ingest import build_graph
    return build_graph(SAMPLE)


def ingest_into_new_store(path: Path, files: list, jobs: int = 1) -> Path:
    """A new on-disk store at `path` holding `files`, built through the real loader."""
    from ingest import DEFAULT_BASE
    from service.loading import ingest_paths
    from service.store import Store
    store = Store(path)
    results = ingest_paths(store, [str(f) for f in files], DEFAULT_BASE, jobs=jobs)
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    store.flush()
    del store  # closes the store so others may open it
    return path


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory) -> Path:
    """An on-disk store holding the reference report, built once through the loader."""
    return ingest_into_new_store(tmp_path_factory.mktemp("store") / "store", [SAMPLE])


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
