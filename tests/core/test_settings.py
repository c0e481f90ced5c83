"""One home for settings: the CLI and the window scan with the same firm policy and checklist, a
review's items come from the checklist it is created with, and the policy decides self-approval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from desktop import app, paths
from desktop.core.jobs import CancelToken
from desktop.core.settings import Settings, load_settings, save_settings
from desktop.core.store import open_store

ADA = "Ada Lovelace <ada@firm.example>"
BOB = "Bob Approver <bob@firm.example>"


def _firm(tmp_path: Path, *, allow_self_approval: bool = False) -> Settings:
    policy = yaml.safe_load((paths.resources_dir() / "policy" / "default.yaml").read_text(encoding="utf-8"))
    policy["families"]["allowed"].remove("apache")
    policy["families"]["banned"] = ["agpl", "apache"]
    policy["allow_self_approval"] = allow_self_approval
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    builtin = yaml.safe_load((paths.resources_dir() / "checklists" / "default.yaml").read_text(encoding="utf-8"))
    short = {**builtin, "name": "firm-short", "version": "2",
             "items": [i for i in builtin["items"] if i["id"] in ("weights_coverage", "commercial_use", "file_safety")]}
    (checklists / "default.yaml").write_text(yaml.safe_dump(short), encoding="utf-8")
    return Settings(reviewer=ADA, policy_file=str(tmp_path / "policy.yaml"), checklist_folder=str(checklists))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("AIREVIEW_DATA_DIR", str(folder))
    return folder


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=300,
                          env=os.environ.copy())


def test_cli_and_window_scan_with_the_saved_firm_policy(tmp_path: Path, data_dir: Path, sample_dir: Path) -> None:
    save_settings(_firm(tmp_path), data_dir)
    assert load_settings(data_dir).policy_file.endswith("policy.yaml")
    cli = _cli("scan", str(sample_dir), "--json")
    assert cli.returncode == 0, cli.stderr
    from_cli = json.loads(cli.stdout)["findings"]
    from_window = app.scan_job(sample_dir, lambda _p: None, CancelToken()).to_json()["findings"]
    assert from_cli == from_window
    assert any(f["level"] == "block" and "apache" in json.dumps(f).lower() for f in from_cli), from_cli
    flags = _cli("scan", str(sample_dir), "--json", "--policy", str(paths.resources_dir() / "policy" / "default.yaml"))
    assert not any(f["level"] == "block" for f in json.loads(flags.stdout)["findings"]), "a flag wins over settings"


def test_a_review_gets_the_items_of_the_checklist_it_is_created_with(tmp_path: Path, data_dir: Path,
                                                                     sample_dir: Path) -> None:
    save_settings(_firm(tmp_path), data_dir)
    db = f"sqlite:///{tmp_path / 'reviews.db'}"
    created = _cli("review", "create", str(sample_dir), "--db", db, "--json")
    assert created.returncode == 0, created.stderr
    review_id = json.loads(created.stdout)["review"]
    with open_store(db) as store:
        review = store.get_review(review_id)
    assert review["checklist"] == "firm-short/2"
    assert [a["item"] for a in review["answers"]] == ["weights_coverage", "commercial_use", "file_safety"]
    assert review["preparer"] == ADA  # the saved reviewer, when neither --as nor AIREVIEW_REVIEWER is given


@pytest.mark.parametrize("allowed", [False, True])
def test_the_firm_policy_decides_self_approval(tmp_path: Path, data_dir: Path, sample_dir: Path,
                                               allowed: bool) -> None:
    save_settings(_firm(tmp_path, allow_self_approval=allowed), data_dir)
    db = f"sqlite:///{tmp_path / 'reviews.db'}"
    review_id = json.loads(_cli("review", "create", str(sample_dir), "--db", db, "--json").stdout)["review"]
    for item in ("weights_coverage", "commercial_use", "file_safety"):
        done = _cli("review", "answer", str(review_id), item, "--decision", "accept", "--rationale", "checked",
                    "--db", db, "--as", BOB)
        assert done.returncode == 0, done.stderr
    approve = _cli("review", "status", str(review_id), "approved", "--db", db, "--as", ADA)
    if allowed:
        assert approve.returncode == 0, approve.stderr
    else:
        assert approve.returncode == 2 and "four-eyes" in approve.stderr
