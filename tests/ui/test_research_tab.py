"""Research tab: folder listing, filter, sort, folders, lazy viewer and scrolling on a temp folder."""

import os

import pygame
import pytest
from ui_events import clear_field, click, key, move, type_text, wheel

from hyper_prime_spiral.ui.views.file_browser import BrowserError, LazyTextFile, list_folder


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "alpha.txt").write_text("one\ntwo\nthree\n")
    (tmp_path / "beta.md").write_text("# title\n" * 50)
    big = tmp_path / "gamma.log"
    with open(big, "w") as handle:
        for i in range(200_000):
            handle.write(f"line {i} of the big log\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").write_text("x")
    os.utime(tmp_path / "alpha.txt", (1_000_000, 1_000_000))
    return tmp_path


def test_listing_filter_and_sort(folder):
    names = [e.name for e in list_folder(folder)]
    assert names == ["sub", "alpha.txt", "beta.md", "gamma.log"]
    assert [e.name for e in list_folder(folder, "A.M")] == ["beta.md"]  # case-insensitive
    assert [e.name for e in list_folder(folder, sort_key="size")][1:] == ["alpha.txt", "beta.md", "gamma.log"]
    by_size_down = [e.name for e in list_folder(folder, sort_key="size", descending=True)]
    assert by_size_down[1:] == ["gamma.log", "beta.md", "alpha.txt"]
    assert [e.name for e in list_folder(folder, sort_key="date")][1] == "alpha.txt"
    assert [e.kind for e in list_folder(folder, sort_key="type")][1:] == ["Log", "Markdown", "Text"]
    with pytest.raises(BrowserError, match="No such folder"):
        list_folder(folder / "missing")
    with pytest.raises(BrowserError, match="Not a folder"):
        list_folder(folder / "alpha.txt")


def test_lazy_reader_indexes_only_what_is_needed(folder):
    doc = LazyTextFile(folder / "gamma.log")
    assert doc.lines(0, 2) == ["line 0 of the big log", "line 1 of the big log"]
    assert not doc.complete and doc.known_lines < 200_000
    assert doc.lines(150_000, 1) == ["line 150000 of the big log"]
    while not doc.index_more():
        pass
    assert doc.known_lines == 200_000
    small = LazyTextFile(folder / "alpha.txt")
    small.ensure(10)
    assert small.known_lines == 3 and small.lines(2, 5) == ["three"]


def test_browser_ui_filter_sort_open_and_scroll(app, folder):
    app.switch_tab("Research")
    tab = app.tab("Research")
    click(app, tab.path_field.rect.center)
    clear_field(app)
    type_text(app, str(folder))
    key(app, pygame.K_RETURN)
    key(app, pygame.K_ESCAPE)
    assert tab.folder == folder.resolve() and len(tab.entries) == 4
    click(app, tab.search_field.rect.center)
    type_text(app, "log")
    assert [e.name for e in tab.entries] == ["gamma.log"]
    clear_field(app)
    key(app, pygame.K_ESCAPE)
    click(app, tab.sort_buttons["size"].rect.center)
    assert tab.sort_key == "size" and not tab.descending
    click(app, tab.sort_buttons["size"].rect.center)
    assert tab.descending and tab.entries[1].name == "gamma.log"
    row_y = tab.list_rect.y + 18 + 2 + 1 * 18 + 5  # second row: gamma.log
    click(app, (tab.list_rect.x + 20, row_y))
    assert tab.selected == folder / "gamma.log"
    move(app, tab.content_rect.center)
    wheel(app, tab.content_rect.center, -2)
    assert tab.view_line == 6
    wheel(app, tab.content_rect.center, 5)
    assert tab.view_line == 0
    key(app, pygame.K_END)
    assert tab.view_line == 200_000 - tab.visible_lines
    surface = pygame.Surface(app.size)
    app.draw(surface)
    click(app, (tab.list_rect.x + 20, tab.list_rect.y + 18 + 2 + 5))  # first row: the sub-folder
    assert tab.folder == (folder / "sub").resolve() and tab.entries == []
    click(app, tab.up_button.rect.center)
    assert tab.folder == folder.resolve()


def test_typing_a_missing_folder_keeps_the_current_one(app, folder):
    app.switch_tab("Research")
    tab = app.tab("Research")
    tab.open_folder(folder)
    click(app, tab.path_field.rect.center)
    clear_field(app)
    type_text(app, str(folder / "nope"))
    key(app, pygame.K_RETURN)
    assert "Not a folder" in app.status and app.status_error
    assert tab.folder == folder.resolve() and tab.path_field.text == str(folder.resolve())


def test_wheel_over_the_list_scrolls_it(app, tmp_path):
    for i in range(120):
        (tmp_path / f"note_{i:03}.txt").write_text(str(i))
    app.switch_tab("Research")
    tab = app.tab("Research")
    tab.open_folder(tmp_path)
    wheel(app, tab.list_rect.center, -3)
    assert tab.list_scroll == 9
    for _ in range(100):
        wheel(app, tab.list_rect.center, -3)
    assert tab.list_scroll == 120 - tab.visible_rows
    click(app, (tab.list_rect.x + 20, tab.list_rect.y + 18 + 2 + 5))
    assert tab.selected == tmp_path / f"note_{tab.list_scroll:03}.txt"
