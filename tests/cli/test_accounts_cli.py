"""`pcs users`, `pcs tokens`, `pcs backup` and `pcs restore`, run as an administrator types them.

    pcs users add chef@gerpinnes.be --role editor --commune Gerpinnes    # prints a one-time link
    pcs backup DIR && pcs restore DIR --store NEW                          # same N-Quads, same sign-ins
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from databases import EditableStore, editable_store, store_template  # noqa: F401 - fixtures
from pcs_graph.accounts import Accounts, Database
from pcs_graph.contrib.backup import nquads_digest
from pcs_graph.store.workspace import Workspace

PASSWORD = "une phrase de passe assez longue"
pytestmark = pytest.mark.slow  # a dozen `pcs` processes (a few seconds each to start)


def pcs(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", "from pcs_graph.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("PCS_")}, "COLUMNS": "200"})
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def test_an_administrator_manages_accounts_and_tokens(editable_store: EditableStore):  # noqa: F811
    store = ["--store", editable_store.settings.store]
    added = pcs("users", "add", "Chef@Gerpinnes.be", "--role", "editor", "--commune", "Gerpinnes",
                "--url", "https://pcs.example.be/", *store).stdout
    link = re.search(r"^https://pcs\.example\.be/invitation/([\w-]{40,})$", added, re.M)
    assert link and "Compte créé (editor, communes 52025)" in added
    listed = json.loads(pcs("users", "list", "--json", *store).stdout)
    assert [(a["email"], a["public_name"], a["communes"], a["has_password"]) for a in listed] == [
        ("chef@gerpinnes.be", "PCS de Gerpinnes", ["52025"], False)]
    assert "password" not in json.dumps(listed).replace("has_password", "")

    token = pcs("tokens", "add", "--commune", "52025", "--name", "Plateforme X", *store).stdout.strip().splitlines()[-1]
    db_url = f"sqlite:///{editable_store.settings.store}.sqlite3"
    db = Database.open(db_url)
    accounts = Accounts(db)
    assert accounts.actor_for_token(token).public_name == "Plateforme X"
    assert token not in pcs("tokens", "list", *store).stdout
    pcs("tokens", "revoke", "1", *store)
    assert accounts.actor_for_token(token) is None
    again = pcs("users", "invite", "chef@gerpinnes.be", "--url", "https://pcs.example.be", *store).stdout
    accounts.accept_invitation(again.strip().rsplit("/", 1)[1], PASSWORD)  # a new link (the first one unused)
    assert accounts.sign_in("chef@gerpinnes.be", PASSWORD).secret
    pcs("users", "disable", "chef@gerpinnes.be", *store)
    assert json.loads(pcs("users", "list", "--json", *store).stdout)[0]["active"] is False
    db.close()

    refused = pcs("users", "add", "x@y.be", "--role", "editor", "--commune", "Atlantis", *store, ok=False)
    assert refused.returncode == 2 and "commune inconnue : 'Atlantis'" in refused.stderr


def test_backup_then_restore_into_an_empty_folder(editable_store: EditableStore, tmp_path: Path):  # noqa: F811
    store = ["--store", editable_store.settings.store]
    link = pcs("users", "add", "chef@gerpinnes.be", "--commune", "52025", *store).stdout.strip().splitlines()[-1]
    db = Database.open(f"sqlite:///{editable_store.settings.store}.sqlite3")
    Accounts(db).accept_invitation(link.rsplit("/", 1)[1], PASSWORD)
    db.close()
    with Workspace(editable_store.settings) as ws:
        original = nquads_digest(ws.store.dump("application/n-quads"))

    saved = pcs("backup", str(tmp_path / "sauvegarde"), *store).stdout
    assert "Sauvegarde dans" in saved and (tmp_path / "sauvegarde" / "manifest.json").exists()
    assert oct((tmp_path / "sauvegarde" / "database.json").stat().st_mode & 0o777) == "0o600"
    restored_store = tmp_path / "vide" / "store"
    assert "identiques à la sauvegarde" in pcs("restore", str(tmp_path / "sauvegarde"), "--store",
                                                str(restored_store)).stdout
    with Workspace(editable_store.settings.with_(store=str(restored_store))) as ws:
        assert nquads_digest(ws.store.dump("application/n-quads")) == original
    again = Database.open(f"sqlite:///{restored_store}.sqlite3")
    assert Accounts(again).sign_in("chef@gerpinnes.be", PASSWORD).secret
    again.close()
    second = pcs("restore", str(tmp_path / "sauvegarde"), "--store", str(restored_store), ok=False)
    assert second.returncode == 2 and "restaurer dans un dossier vide" in second.stderr
