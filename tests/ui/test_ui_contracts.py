"""The contracts between the app, its tabs and its modal windows are code: checked here."""

from __future__ import annotations

import ast
from pathlib import Path

import pygame
from ui_events import key

from hyper_prime_spiral.ui.tabs.base import TabHost
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker
from hyper_prime_spiral.ui.widgets.modal import Modal

TABS = Path(__file__).resolve().parents[2] / "hyper_prime_spiral" / "ui" / "tabs"


def _protocol_members(protocol: type) -> set[str]:
    names = set(getattr(protocol, "__annotations__", {}))
    names |= {n for n in vars(protocol) if not n.startswith("_")}
    return names


def test_tabs_use_the_app_only_through_tab_host():
    """No tab module imports the app (no import cycle) or looks another tab up by name."""
    for path in TABS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "hyper_prime_spiral.ui.app", path.name
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                is_app = isinstance(owner, ast.Attribute) and owner.attr == "app"
                assert not (is_app and node.func.attr == "tab"), f"{path.name}: app.tab(...)"


def test_the_app_provides_everything_tab_host_promises(app):
    missing = [name for name in _protocol_members(TabHost) if not hasattr(app, name)]
    assert missing == []
    assert all(tab.model is app.view_model for tab in app.tabs if hasattr(tab, "model"))
    assert {t.name for t in app.tabs if getattr(t, "model", None) is app.view_model} == {
        "Visualization",
        "Calculator",
        "Spheres",
    }


def test_dialog_and_folder_picker_are_modals(app, tmp_path):
    for modal in (Dialog("Title", "Message"), FolderPicker(tmp_path, on_choose=lambda path: None)):
        missing = [name for name in _protocol_members(Modal) if not hasattr(modal, name)]
        assert missing == [], type(modal).__name__
        app.open_dialog(modal)
        assert modal.close_hook is not None and app.dialog is modal
        key(app, pygame.K_ESCAPE)
        assert modal.closed and app.dialog is None
