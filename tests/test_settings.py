"""One settings table feeds CLI flags, environment variables, /-/settings.json
and the README: a setting missing from any of them fails here."""
from __future__ import annotations

import re

from conftest import ROOT, run_cli
from service import settings
from service.app import create_app


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| (\w+) \| `(FISCALKG_\w+)` \|", readme, re.M)}
    assert rows == {s.name: s.env for s in settings.SETTINGS}


def test_environment_variable_then_flag(monkeypatch):
    monkeypatch.setenv("FISCALKG_MAX_ROWS", "7")
    assert settings.get("max_rows") == 7
    assert settings.get("max_rows", 9) == 9
    monkeypatch.delenv("FISCALKG_MAX_ROWS")
    assert settings.get("max_rows") == settings.BY_NAME["max_rows"].default


def test_settings_page_lists_every_setting_without_revealing_the_token(tmp_path):
    app = create_app({"store": None, "admin_token": "s3cret"})
    data = app.test_client().get("/-/settings.json").get_json()
    assert [d["name"] for d in data] == [s.name for s in settings.SETTINGS]
    assert "s3cret" not in str(data)
    assert {d["name"]: d["value"] for d in data}["admin_token"] is True


def test_cli_lists_settings_with_their_variables():
    out = run_cli("settings", check=True).stdout
    for s in settings.SETTINGS:
        assert s.env in out
