"""The application window: tab bar, right control panel, status line, event routing, frame loop.

Every pygame event goes through `App.handle_event`, which stops at the first taker:

1. `QUIT` and window events (resize re-lays out every tab).
2. An open modal dialog (`app.dialog`) takes all keyboard and mouse input.
   Then the app-wide keys that work from every tab, even while a field has focus:
   Ctrl+Tab / Ctrl+Shift+Tab, Ctrl+PageDown / Ctrl+PageUp, F1..F6 switch tabs; Ctrl+Q quits.
   A mouse press outside the focused field drops focus and continues (the click still
   reaches what is under it); a press on the tab bar switches tab; a press on a field of
   the active tab focuses it.
3. The focused text field takes KEYDOWN / KEYUP / TEXTINPUT (see `ui/focus.py`).
4. The active tab's `handle_event` (buttons, sliders, lists, wheel).
5. Hotkeys, only when no field has focus: the tab's `handle_hotkey`, then the app's own:
   Escape / Q ask whether to quit (a bare key never quits at once: the user may have meant to
   type), P shows/hides the control panel (visual tabs), Tab focuses the first field.

Public API used by tests and tabs: `App(size=(w, h), model_path=None)`, `handle_event`,
`update(dt)`, `draw(surface)`, `run()`; `active_tab` (name), `tabs` (ordered), `tab(name)`,
`current_tab`, `switch_tab(name_or_index)`, `focus` (the focused TextInput or None),
`focus_field(field)`, `dialog`, `open_dialog(dialog)`, `status`, `status_error`,
`set_status(text, error=False)`, `running`, `panel_visible`, `fps`, `size`, `model_path`,
`mouse_pos` (last pointer position seen in an event), `model` / `set_model(bundle)` (the loaded
model shared by the tabs; every tab's `on_model_changed` is told), `view_model` (the visual
tabs' shared view),
`run_in_background(fn, *args, on_done=None, on_error=None, lane="work")` and `call_soon(fn, *args)`
(thread-safe: `fn` runs on the UI thread during the next `update`).

Constructing an App needs no window: only pygame's display and font modules are
initialised; `run()` opens the window.
"""

from __future__ import annotations

import math
import os
import queue
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pygame

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.primes.view_model import ViewModel
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.display import (
    NO_DISPLAY_MESSAGE,
    display_problem,
    driver_problem,
    fit_to_screen,
    ui_scale,
)
from hyper_prime_spiral.ui.focus import FocusManager
from hyper_prime_spiral.ui.recording import Recorder, RecordingError
from hyper_prime_spiral.ui.tabs import TAB_CLASSES
from hyper_prime_spiral.ui.tabs.base import BACKGROUND_LANES, WORK_LANE, Tab
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.keys import command_held
from hyper_prime_spiral.ui.widgets.modal import Modal
from hyper_prime_spiral.ui.widgets.text_input import TextInput

_WINDOW_EVENTS = {
    getattr(pygame, name)
    for name in (
        "VIDEORESIZE",
        "VIDEOEXPOSE",
        "ACTIVEEVENT",
        "WINDOWSHOWN",
        "WINDOWHIDDEN",
        "WINDOWEXPOSED",
        "WINDOWMOVED",
        "WINDOWRESIZED",
        "WINDOWSIZECHANGED",
        "WINDOWMINIMIZED",
        "WINDOWMAXIMIZED",
        "WINDOWRESTORED",
        "WINDOWENTER",
        "WINDOWLEAVE",
        "WINDOWFOCUSGAINED",
        "WINDOWFOCUSLOST",
        "WINDOWCLOSE",
        "WINDOWTAKEFOCUS",
        "WINDOWHITTEST",
        "WINDOWICCPROFCHANGED",
        "WINDOWDISPLAYCHANGED",
    )
    if hasattr(pygame, name)
}
IDLE_AFTER_S = 1.5
PANEL_WHEEL_STEP = 40  # pixels a wheel notch scrolls a panel taller than the window
WINDOW_SECTION = "window"
_TAB_KEYS = {getattr(pygame, f"K_F{i}"): i - 1 for i in range(1, 13)}


class App:
    """The whole UI: owns the tabs, the focus manager, the dialog and the status line."""

    def __init__(self, size: tuple[int, int] = theme.DEFAULT_SIZE, model_path: str | None = None) -> None:
        pygame.display.init()
        pygame.font.init()
        self.model_path = model_path
        self.running = True
        self.status = "Ready. F1-F6 switch tabs, Ctrl+Q quits."
        self.status_error = False
        self._in_event = False
        self._error_in_event = False
        self.dialog: Modal | None = None
        self.panel_visible = True
        self.fps = 0.0
        self.size = (0, 0)
        self.focus_manager = FocusManager(self.set_status)
        self._calls: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
        self._executors: dict[str, ThreadPoolExecutor] = {}  # per lane, made on first use
        self._quit_dialog: Dialog | None = None
        self.mouse_pos = (-1, -1)
        self.model: Any = None  # the loaded ModelBundle (or None), shared app-wide; change it with set_model
        self.tab_bar_rects: list[pygame.Rect] = []
        self.status_rect = pygame.Rect(0, 0, 0, 0)
        # The visual tabs' shared view (mode, zoom, pan, animation, analysed numbers).
        self.view_model = ViewModel(report=self.set_status, run_in_background=self.run_in_background)
        self.tabs: list[Tab] = [cls(self) for cls in TAB_CLASSES]
        self._active = 0
        self._closed = False
        self.recorder: Recorder | None = None  # `R` in a visual tab: the view is being recorded
        self._scroll_drag: tuple[int, int] | None = None  # (pointer y, scroll) when a scrollbar drag began
        self.resize(size)
        for tab in self.tabs:
            tab.start()
        self.window_position: tuple[int, int] | None = None
        self.start_position: tuple[int, int] | None = None  # where run() opens the window
        self.scale = 1  # screen pixels per layout pixel (2 on a HiDPI screen): run() magnifies
        self._restore_last_tab()
        self._show(self.tabs[self._active])

    # --- tabs -------------------------------------------------------------------------------
    @property
    def active_tab(self) -> str:
        return self.tabs[self._active].name

    @active_tab.setter
    def active_tab(self, name: str) -> None:
        self.switch_tab(name)

    @property
    def current_tab(self) -> Tab:
        return self.tabs[self._active]

    def tab(self, name: str) -> Tab:
        """The tab called `name` (KeyError if none)."""
        for tab in self.tabs:
            if tab.name == name:
                return tab
        raise KeyError(name)

    def switch_tab(self, target: str | int) -> None:
        """Activate a tab by name or index (focus is dropped and committed first)."""
        index = target if isinstance(target, int) else [t.name for t in self.tabs].index(target)
        index %= len(self.tabs)
        if index == self._active:
            return
        self.focus_manager.blur()
        if self.recorder is not None:
            self.stop_recording()  # a recording shows one tab's view
        self.tabs[self._active].on_hide()
        self._active = index
        self._show(self.tabs[index])

    def _show(self, tab: Tab) -> None:
        self.focus_manager.want_typed_text(tab.wants_typed_text)
        tab.on_show()

    # --- focus, dialogs, status -------------------------------------------------------------
    @property
    def focus(self) -> TextInput | None:
        return self.focus_manager.focused

    def focus_field(self, field: TextInput | None) -> None:
        """Give `field` the keyboard (None drops focus)."""
        if field is None:
            self.focus_manager.blur()
        else:
            self.focus_manager.focus(field)

    def open_dialog(self, dialog: Modal) -> None:
        """Show a modal window (Dialog, FolderPicker); it takes all input until it closes."""
        self.focus_manager.blur()
        self.dialog = dialog
        dialog.close_hook = self._dialog_closed
        dialog.layout(pygame.Rect((0, 0), self.size))
        if dialog.text_field is not None:
            self.focus_manager.focus(dialog.text_field)

    def _dialog_closed(self, dialog: Modal) -> None:
        if self.dialog is dialog:
            if self.focus is dialog.text_field:
                self.focus_manager.blur()
            self.dialog = None

    def set_status(self, text: str, error: bool = False) -> None:
        """Show `text` in the status line (red when `error`).

        Within one user action (from a key or mouse press to the next) an error wins over
        later plain messages: a refused field value reported when a click drops focus must
        not be hidden by what the click then does.
        """
        if not error and self._error_in_event and self._in_event:
            return
        self.status = " ".join(str(text).split())  # one line, whatever the message (e.g. tracebacks)
        self.status_error = error
        if error and self._in_event:
            self._error_in_event = True

    def set_model(self, bundle: Any, message: str | None = None) -> None:
        """Make `bundle` (a ModelBundle, or None) the app's model; every tab's `on_model_changed` is told."""
        self.model = bundle
        for tab in self.tabs:
            tab.on_model_changed(bundle)
        if message:
            self.set_status(message)

    # --- background work --------------------------------------------------------------------
    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` on the UI thread at the next update (safe to call from any thread)."""
        self._calls.put((fn, args))

    def run_in_background(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        lane: str = WORK_LANE,
    ) -> Future:
        """Run `fn(*args)` on a worker thread; `on_done(result)` / `on_error(exc)` run on the UI thread.

        Without `on_error`, an exception is shown on the status line. `lane` picks the thread
        pool (see BACKGROUND_LANES), so a slow model load never delays a token count.
        """
        executor = self._executors.get(lane)
        if executor is None:
            if lane not in BACKGROUND_LANES:
                raise ValueError(f"unknown background lane {lane!r} (one of {', '.join(BACKGROUND_LANES)})")
            executor = ThreadPoolExecutor(max_workers=BACKGROUND_LANES[lane], thread_name_prefix=f"ui-{lane}")
            self._executors[lane] = executor
        future = executor.submit(fn, *args)

        def finished(done: Future) -> None:
            exc = done.exception()
            if exc is not None:
                self.call_soon(on_error or (lambda e: self.set_status(f"Error: {e}", error=True)), exc)
            elif on_done is not None:
                self.call_soon(on_done, done.result())

        future.add_done_callback(finished)
        return future

    # --- layout -----------------------------------------------------------------------------
    def resize(self, size: tuple[int, int]) -> None:
        """Lay out the tab bar, panel, status line and every tab for a window of `size`."""
        w = max(int(size[0]), theme.MIN_SIZE[0])
        h = max(int(size[1]), theme.MIN_SIZE[1])
        self.size = (w, h)
        left_w = w - theme.PANEL_WIDTH
        count = len(self.tabs)
        self.tab_bar_rects = [
            pygame.Rect(
                i * left_w // count, 0, (i + 1) * left_w // count - i * left_w // count, theme.TAB_BAR_HEIGHT
            )
            for i in range(count)
        ]
        self.status_rect = pygame.Rect(0, h - theme.STATUS_HEIGHT, w, theme.STATUS_HEIGHT)
        self._layout_tabs()
        if self.dialog is not None:
            self.dialog.layout(pygame.Rect(0, 0, w, h))

    def _layout_tabs(self) -> None:
        w, h = self.size
        panel = pygame.Rect(w - theme.PANEL_WIDTH, 0, theme.PANEL_WIDTH, h - theme.STATUS_HEIGHT)
        for tab in self.tabs:
            content_w = w if not tab.panel_shown else w - theme.PANEL_WIDTH
            content = pygame.Rect(
                0, theme.TAB_BAR_HEIGHT, content_w, h - theme.TAB_BAR_HEIGHT - theme.STATUS_HEIGHT
            )
            tab.place(content, panel)

    def toggle_panel(self) -> None:
        """Show or hide the right control panel of the visual tabs (the `P` key)."""
        if self.focus is not None and self.current_tab.panel_rect.colliderect(self.focus.rect):
            self.focus_manager.blur()
        self.panel_visible = not self.panel_visible
        self._layout_tabs()

    # --- quitting ---------------------------------------------------------------------------
    def request_quit(self, confirm: bool = False) -> None:
        """Quit, asking first when a tab would lose work or `confirm` (a bare Escape or Q: the user
        may have been typing); a second request while the question is open quits at once."""
        warning_tabs = [(t, w) for t in self.tabs if (w := t.quit_warning())]
        if self._quit_dialog is not None or not (warning_tabs or confirm):
            self.running = False
            return
        if warning_tabs:
            # The last tab's words: tabs further right hold the longer work (Training after LLM).
            quit_label, stay_label = warning_tabs[-1][0].quit_buttons
            message = " ".join(w for _, w in warning_tabs)
        else:
            quit_label, stay_label = Tab.quit_buttons
            message = "Nothing will be lost (Ctrl+Q quits without asking)."

        def answer(label: str | None, _text: str | None) -> None:
            self._quit_dialog = None
            if label == quit_label:
                self.running = False

        self._quit_dialog = Dialog(
            "Quit?", message, (quit_label, stay_label), default=1, cancel=1, on_result=answer
        )
        self.open_dialog(self._quit_dialog)

    # --- remembered window ------------------------------------------------------------------
    def _restore_last_tab(self) -> None:
        section = saved_window_settings()
        names = [t.name for t in self.tabs]
        if section.get("tab") in names:
            self._active = names.index(section["tab"])

    def window_settings(self) -> dict[str, Any]:
        """What the next start restores: the window's size and position and the tab shown."""
        values: dict[str, Any] = {"size": list(self.size), "tab": self.active_tab}
        if self.window_position is not None:
            values["position"] = list(self.window_position)
        return values

    def close(self) -> None:
        """Stop every tab's background work and remember the window (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self.recorder is not None:
            self.stop_recording()
        problem = app_settings.update_section(WINDOW_SECTION, self.window_settings())
        if problem:
            self.set_status(problem, error=True)
        for tab in self.tabs:
            tab.shutdown()
        for executor in self._executors.values():
            executor.shutdown(wait=False, cancel_futures=True)

    # --- event routing ----------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Route one event (see the module docstring). Returns True when something took it."""
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN):
            self._error_in_event = False  # a new user action: its own messages may show
        self._in_event = True
        focused_before = self.focus
        if self.focus_manager.before_event(event):
            self._in_event = False
            return True
        try:
            return self._route(event)
        finally:
            self._in_event = False
            self.focus_manager.after_event(event, focused_before)

    def _route(self, event: pygame.event.Event) -> bool:
        kind = event.type
        if kind == pygame.QUIT:
            self.request_quit()
            return True
        if kind in _WINDOW_EVENTS:
            resized = (getattr(pygame, "WINDOWSIZECHANGED", -1), getattr(pygame, "WINDOWRESIZED", -1))
            if self.scale > 1 and kind in (pygame.VIDEORESIZE, *resized):
                pass  # a magnified window keeps its layout size: resizing it scales the picture
            elif kind == pygame.VIDEORESIZE:
                self.resize((event.w, event.h))
            elif kind in resized:
                self.resize((event.x, event.y))
            elif kind == getattr(pygame, "WINDOWMOVED", -1):
                self.window_position = (int(event.x), int(event.y))
            elif kind == getattr(pygame, "WINDOWCLOSE", -1):
                self.request_quit()
            return True
        if kind in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse_pos = event.pos
        dialog = self.dialog
        if dialog is not None:
            dialog.handle_event(event)
            if dialog.closed:
                self._dialog_closed(dialog)  # (idempotent) also for a modal that closed without its hook
            return True
        if kind == pygame.KEYDOWN and self._app_key(event):
            return True
        tab = self.current_tab
        if kind == pygame.MOUSEBUTTONDOWN and self._press(event, tab):
            return True
        focus = self.focus
        if focus is not None and not focus.enabled:
            self.focus_manager.blur()  # the tab disabled it (e.g. while training runs)
            focus = None
        if focus is not None:
            if kind in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP) and focus.handle_mouse(event):
                return True
            if kind in (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT):
                return self.focus_manager.handle_key(event, tab.focusable_fields())
        if self._scrollbar_drag(event, tab):
            return True
        if tab.handle_event(event):
            return True
        if kind == pygame.MOUSEWHEEL and self._wheel_over_panel(event, tab):
            return True
        if kind == pygame.KEYDOWN:
            return tab.handle_hotkey(event) or self._hotkey(event)
        return False

    def _wheel_over_panel(self, event: pygame.event.Event, tab: Tab) -> bool:
        """The wheel over a panel too tall for the window scrolls it (when no control took the wheel)."""
        if not tab.panel_shown or tab.panel_overflow <= 0 or not tab.panel_view.collidepoint(self.mouse_pos):
            return False
        tab.scroll_panel(-int(event.y) * PANEL_WHEEL_STEP)
        return True

    def _scrollbar_drag(self, event: pygame.event.Event, tab: Tab) -> bool:
        """A press on the panel's scrollbar (right edge) and the drag that follows move the panel."""
        thumb = tab.scrollbar_rect() if tab.panel_shown else None
        if event.type == pygame.MOUSEBUTTONUP:
            dragging, self._scroll_drag = self._scroll_drag, None
            return dragging is not None
        if thumb is None:
            return False
        view = tab.panel_view
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            track = pygame.Rect(thumb.x - 4, view.y, thumb.width + 8, view.height)
            if not track.collidepoint(event.pos):
                return False
            if not thumb.collidepoint(event.pos):  # a click on the track jumps the thumb there
                per_pixel = (tab.panel_overflow + view.height) / view.height
                tab.scroll_panel(int((event.pos[1] - thumb.centery) * per_pixel))
            self._scroll_drag = (event.pos[1], tab.panel_scroll)
            return True
        if event.type == pygame.MOUSEMOTION and self._scroll_drag is not None:
            start_y, start_scroll = self._scroll_drag
            per_pixel = (tab.panel_overflow + view.height) / view.height
            target = start_scroll + int((event.pos[1] - start_y) * per_pixel)
            tab.scroll_panel(target - tab.panel_scroll)
            return True
        return False

    def _app_key(self, event: pygame.event.Event) -> bool:
        """Keys that work from every tab, even while a field has focus."""
        ctrl = command_held(event.mod)  # Cmd on macOS too
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if ctrl and event.key == pygame.K_q:
            self.request_quit()
        elif ctrl and event.key == pygame.K_TAB:
            self.switch_tab(self._active + (-1 if shift else 1))
        elif ctrl and event.key == pygame.K_PAGEDOWN:
            self.switch_tab(self._active + 1)
        elif ctrl and event.key == pygame.K_PAGEUP:
            self.switch_tab(self._active - 1)
        elif event.key in _TAB_KEYS and _TAB_KEYS[event.key] < len(self.tabs) and not (ctrl or shift):
            self.switch_tab(_TAB_KEYS[event.key])
        else:
            return False
        return True

    def _press(self, event: pygame.event.Event, tab: Tab) -> bool:
        """Mouse press: drop focus if outside the field (and go on), tab bar, field clicks."""
        if event.button in (4, 5, 6, 7):
            return False  # pygame's legacy wheel "buttons": scrolling never moves focus
        focus = self.focus
        if focus is not None and not focus.rect.collidepoint(event.pos):
            self.focus_manager.blur()
        if event.button != 1:
            return False
        for index, rect in enumerate(self.tab_bar_rects):
            if rect.collidepoint(event.pos):
                self.switch_tab(index)
                return True
        for field in tab.focusable_fields():
            hidden = tab.panel_rect.colliderect(field.rect) and not tab.panel_view.collidepoint(event.pos)
            if field.rect.collidepoint(event.pos) and not hidden:
                self.focus_manager.focus(field)
                field.handle_mouse(event)
                return True
        return False

    def _hotkey(self, event: pygame.event.Event) -> bool:
        """App-wide hotkeys (nothing focused, no dialog, the tab did not use the key)."""
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        if event.key in (pygame.K_ESCAPE, pygame.K_q):
            self.request_quit(confirm=True)
        elif event.key == pygame.K_p and self.current_tab.panel_hideable:
            self.toggle_panel()
        elif event.key == pygame.K_r and self.current_tab.panel_hideable:
            self.toggle_recording()
        elif event.key == pygame.K_TAB:
            self.focus_manager.cycle(self.current_tab.focusable_fields(), bool(event.mod & pygame.KMOD_SHIFT))
        else:
            return False
        return True

    # --- frame ------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        """Advance one frame: run queued UI-thread calls, update every tab. `dt` in seconds."""
        self.focus_manager.end_of_events()  # update() follows each batch of events
        if dt > 0:
            self.fps = 1.0 / dt if self.fps == 0 else 0.9 * self.fps + 0.1 / dt
        for _ in range(1000):
            try:
                fn, args = self._calls.get_nowait()
            except queue.Empty:
                break
            fn(*args)
        for tab in self.tabs:
            tab.update(dt)
        focus, tab = self.focus, self.current_tab
        if focus is not None and tab.panel_overflow > 0 and tab.panel_rect.colliderect(focus.rect):
            tab.reveal_in_panel(focus.rect)  # Tab moved focus to a field scrolled out of view

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole window onto `surface` (the display, or any Surface for screenshots)."""
        if surface.get_size() != self.size and surface.get_width() >= theme.MIN_SIZE[0]:
            self.resize(surface.get_size())
        surface.fill(theme.BACKGROUND)
        self.current_tab.draw(surface)
        if self.recorder is not None:
            self.recorder.capture(surface, self.current_tab.content_rect)  # before the marker
            self._draw_recording_marker(surface)
        self._draw_tab_bar(surface)
        self._draw_status(surface)
        if self.dialog is not None:
            self.dialog.draw(surface)

    # --- recording ----------------------------------------------------------------------------
    def toggle_recording(self) -> None:
        """`R` in a visual tab: start recording its view, or stop and save."""
        if self.recorder is not None:
            self.stop_recording()
            return
        try:
            self.recorder = Recorder(self.current_tab.content_rect.size)
        except RecordingError as exc:
            self.set_status(str(exc), error=True)
            return
        kind = "MP4" if self.recorder.video else "PNG frames (install the 'video' extra for MP4)"
        self.set_status(f"Recording {kind} to {self.recorder.path}; R stops.")

    def stop_recording(self) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        try:
            path = recorder.stop()
        except RecordingError as exc:
            self.set_status(str(exc), error=True)
            return
        dropped = f", {recorder.dropped} dropped" if recorder.dropped else ""
        length = f"{recorder.frames} frames, {recorder.seconds:.1f} s{dropped}"
        self.set_status(f"Saved the recording ({length}): {path}")

    def _draw_recording_marker(self, surface: pygame.Surface) -> None:
        view = self.current_tab.content_rect
        pygame.draw.rect(surface, theme.RED, view, 2)
        label = f"RECORDING  {self.recorder.seconds:.1f} s" if self.recorder is not None else "RECORDING"
        width = theme.text_width(label, bold=True) + 34
        box = pygame.Rect(view.x + 8, view.y + 8, width, 26)
        pygame.draw.rect(surface, theme.STATUS_BG, box, border_radius=4)
        pygame.draw.circle(surface, theme.RED, (box.x + 13, box.centery), 6)
        theme.draw_text(surface, label, (box.x + 25, box.centery), theme.RED, bold=True, anchor="midleft")

    def tab_label(self, index: int) -> str:
        """The tab's name as drawn: shortened with "…" when the tab bar is narrow."""
        rect = self.tab_bar_rects[index]
        return theme.fit_text(self.tabs[index].name, rect.width - 14, bold=index == self._active)

    def _draw_tab_bar(self, surface: pygame.Surface) -> None:
        for index, (tab, rect) in enumerate(zip(self.tabs, self.tab_bar_rects, strict=True)):
            active = index == self._active
            fill = theme.TAB_ACTIVE if active else theme.TAB_INACTIVE
            if not active and rect.collidepoint(self.mouse_pos):
                fill = theme.TAB_HOVER
            pygame.draw.rect(surface, fill, rect)
            pygame.draw.rect(surface, theme.TAB_BORDER, rect, 1)
            colour = theme.TEXT_BRIGHT if active else theme.TEXT
            theme.draw_text(
                surface,
                self.tab_label(index),
                (rect.x + 10, rect.centery),
                colour,
                bold=active,
                anchor="midleft",
            )
            if rect.width > theme.text_width(tab.name, bold=True) + 50:
                theme.draw_text(
                    surface,
                    f"F{index + 1}",
                    (rect.right - 8, rect.centery),
                    theme.TEXT_DIM,
                    size=theme.SMALL_FONT_SIZE,
                    anchor="midright",
                )
            if active:
                pygame.draw.line(
                    surface, theme.YELLOW, (rect.x + 1, rect.bottom - 2), (rect.right - 2, rect.bottom - 2), 2
                )

    def _draw_status(self, surface: pygame.Surface) -> None:
        rect = self.status_rect
        surface.fill(theme.STATUS_BG, rect)
        pygame.draw.line(surface, theme.STATUS_BORDER, rect.topleft, rect.topright)
        fps_text = f"{self.fps:4.0f} FPS"
        fps_rect = theme.draw_text(
            surface, fps_text, (rect.right - 10, rect.centery), theme.TEXT_DIM, anchor="midright"
        )
        if self.focus is not None and self.dialog is None:
            hint = "Esc leaves the field · Tab next field"
        else:
            hint = "F1-F6 tabs · Ctrl+Q quit"
        hint_rect = theme.draw_text(
            surface,
            hint,
            (fps_rect.x - 20, rect.centery),
            theme.TEXT_DIM,
            size=theme.SMALL_FONT_SIZE,
            anchor="midright",
        )
        old_clip = surface.get_clip()
        surface.set_clip(pygame.Rect(rect.x, rect.y, hint_rect.x - 20 - rect.x, rect.height).clip(old_clip))
        colour = theme.RED if self.status_error else theme.TEXT
        theme.draw_text(surface, self.status, (rect.x + 10, rect.centery), colour, anchor="midleft")
        surface.set_clip(old_clip)

    def screenshot(self, path: str) -> None:
        """Draw one frame into an off-screen surface and save it as an image (PNG by extension)."""
        surface = pygame.Surface(self.size)
        self.draw(surface)
        pygame.image.save(surface, path)

    def _frame_cap(self, seconds_since_input: float) -> int:
        """60 FPS, or the active tab's `idle_fps` once the user has left the app alone a moment.

        A slower idle frame rate leaves the CPU to training (the machine may have only 2 cores).
        """
        idle_fps = self.current_tab.idle_fps
        if idle_fps and self.dialog is None and seconds_since_input > IDLE_AFTER_S:
            return min(theme.FPS_CAP, idle_fps)
        return theme.FPS_CAP

    def run(self) -> int:
        """Open the window and run the frame loop (capped at 60 FPS) until quit. Returns 0."""
        pygame.display.set_caption(theme.WINDOW_TITLE)
        pygame.display.set_icon(_window_icon())
        if self.start_position is not None:  # pygame reads it when the window is created
            os.environ["SDL_VIDEO_WINDOW_POS"] = "{},{}".format(*self.start_position)
            self.window_position = self.start_position
        if self.scale > 1:  # a HiDPI screen: the usual layout, magnified (see ui/display.py)
            pygame.display.set_mode(self.size, pygame.RESIZABLE | pygame.SCALED)
        else:
            pygame.display.set_mode(self.size, pygame.RESIZABLE)
        try:
            with warnings.catch_warnings():  # deprecated, but keeps pygame.display working for the tabs
                warnings.simplefilter("ignore", DeprecationWarning)
                pygame.Window.from_display_module().minimum_size = theme.MIN_SIZE
        except (AttributeError, pygame.error):
            pass  # without it the layout still clamps to MIN_SIZE
        clock = pygame.time.Clock()
        last_input = time.perf_counter()
        try:
            while self.running:
                for event in pygame.event.get():
                    self.handle_event(event)
                    if event.type not in _WINDOW_EVENTS:
                        last_input = time.perf_counter()
                dt = clock.tick(self._frame_cap(time.perf_counter() - last_input)) / 1000.0
                self.update(dt)
                self.fps = clock.get_fps() or self.fps
                self.draw(pygame.display.get_surface())
                pygame.display.flip()
        finally:
            self.close()
            pygame.display.quit()
        return 0


def _window_icon() -> pygame.Surface:
    """A small clock-abacus picture for the window icon (drawn, so no image file is needed)."""
    icon = pygame.Surface((32, 32))
    icon.fill(theme.BACKGROUND)
    rings = ((200, 200, 255), (200, 255, 200), (255, 200, 200), (255, 255, 200))
    for ring, colour in enumerate(rings):
        radius = 4 + ring * 4
        pygame.draw.circle(icon, theme.PANEL_BORDER, (16, 16), radius, 1)
        for spoke in range(3 + ring * 3):
            angle = 2 * math.pi * spoke / (3 + ring * 3) + ring
            pygame.draw.circle(
                icon, colour, (16 + radius * math.cos(angle), 16 + radius * math.sin(angle)), 1
            )
    return icon


def saved_window_settings() -> dict[str, Any]:
    """The "window" section of the settings file ({} when missing or not an object)."""
    section = app_settings.load_settings()[0].get(WINDOW_SECTION, {})
    return section if isinstance(section, dict) else {}


def _saved_pair(section: dict[str, Any], key: str) -> tuple[int, int] | None:
    value = section.get(key)
    if isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value):
        return value[0], value[1]
    return None


def initial_window(
    requested: tuple[int, int] | None, desktops: list[tuple[int, int]]
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """(size, position) of the window at start: `--size` as asked, else the last size (or the
    default) made to fit the screen; the last position when the window still lands on it."""
    section = saved_window_settings()
    if requested is not None:
        size = requested
    else:
        saved = _saved_pair(section, "size")
        size = saved if saved and min(saved) > 0 else theme.DEFAULT_SIZE
        size = fit_to_screen(size, desktops, theme.MIN_SIZE)
    position = _saved_pair(section, "position")
    if position is not None and desktops:
        screen_w, screen_h = desktops[0]
        if not (0 <= position[0] < screen_w - 100 and 0 <= position[1] < screen_h - 100):
            position = None  # that screen is gone (or the window was mostly off it)
    return size, position


def run_app(size: tuple[int, int] | None = None, model_path: str | None = None) -> int:
    """Entry point used by the CLI: build the App and run it. Returns the exit status
    (2 with one line on stderr when there is no display to show a window on)."""
    started = time.perf_counter()
    problem = display_problem()
    if problem is None:
        try:
            pygame.display.init()
            problem = driver_problem(pygame.display.get_driver())
        except pygame.error:
            problem = NO_DISPLAY_MESSAGE
    if problem is not None:
        sys.stderr.write(f"hyper-prime-spiral: error: {problem}\n")
        pygame.display.quit()
        return 2
    desktops = pygame.display.get_desktop_sizes()
    scale = ui_scale(size or theme.DEFAULT_SIZE, desktops)
    size, position = initial_window(size, [(w // scale, h // scale) for w, h in desktops])
    app = App(size=size, model_path=model_path)
    app.start_position = position
    app.scale = scale
    if app.status.startswith("Ready"):
        app.set_status(f"Ready in {time.perf_counter() - started:.1f} s. F1-F6 switch tabs, Ctrl+Q quits.")
    return app.run()
