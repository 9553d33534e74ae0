"""The Tab base class: one subclass per tab of the window.

Contract (the app calls these; subclasses override what they need):

- `name`: the label in the tab bar and the value of `app.active_tab`.
- `panel_hideable`: True for the visual tabs, whose right control panel `P` hides (the
  content area then takes the whole width); other tabs always show their panel.
- `fields`: the tab's TextInputs in Tab-cycling order. The app focuses a field when it is
  clicked and routes keys to the focused one; tabs never handle keys for fields themselves.
- `content_widgets` / `panel_widgets`: other controls (Button, Slider, CheckList, ChatView,
  ...). The default `handle_event` and `draw_*` methods serve them, panel ones only while
  the panel is shown. Fields listed there are drawn too (add each field to one list).
- `layout(content_rect, panel_rect)`: called at start, on every resize and when the panel is
  shown/hidden; place every control here (one rect per control, for drawing and hit-tests).
  The app calls it through `place`: when the panel's controls do not fit the window (a small
  window), `panel_rect` is a taller *virtual* panel shifted up by `panel_scroll`, and only
  `panel_view` (the visible part) is drawn and takes clicks; the wheel and a scrollbar move it.
- `handle_event(event) -> bool`: routing step 4 (mouse clicks, wheel, sliders, keys for a
  hovered slider). Return True when consumed.
- `handle_hotkey(event) -> bool`: routing step 5, a KEYDOWN while no field has focus and no
  dialog is open. Return True when consumed; otherwise app-wide hotkeys (P, Q, Escape) run.
- `update(dt)`: every frame for EVERY tab (poll queues of background work here; check
  `self.is_active` before doing visual-only work). `draw(surface)`: only the active tab.
- `idle_fps`: the frame rate the app may use when nobody has touched mouse or keyboard for a
  moment (IDLE_FPS by default; None = always 60 FPS; a property says when something moves),
  so that an idle window leaves the CPU to training.
- `start()`: once, after all tabs exist; `shutdown()` once
  when the app closes (stop threads). `quit_warning()`: a message if quitting now would lose
  work (the app then asks the user), else None; `quit_buttons` name the two answers.
  `on_show()` / `on_hide()`: tab switches. `on_model_changed(bundle)`: the app's model changed.
- `wants_typed_text`: True when the tab reads typed characters (TEXTINPUT) with no field
  focused (the calculator); the focus manager, the only owner of SDL text input, keeps it on.

What a tab may use of the App is `TabHost` below (tabs never import the app module, and
never look other tabs up: what tabs share, the App owns, e.g. `view_model`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.text_input import TextInput

# Idle frame rate of tabs with nothing moving: the CPU it saves goes to training (1.33x faster
# training while the user is idle; docs/design.md, "Measured reasons").
IDLE_FPS = 20

# Thread pools of `run_in_background`, by lane, with their thread counts. "work": short jobs
# (corpus scans, token counts, number analyses). "models": model files (start-up search, load,
# list, save; one thread each), so a slow load never makes a token count wait.
WORK_LANE = "work"
MODELS_LANE = "models"
BACKGROUND_LANES = {WORK_LANE: 2, MODELS_LANE: 4}

if TYPE_CHECKING:
    from hyper_prime_spiral.primes.view_model import ViewModel
    from hyper_prime_spiral.ui.focus import FocusManager
    from hyper_prime_spiral.ui.widgets.modal import Modal


class TabHost(Protocol):
    """What a tab may use of the App (the App satisfies it)."""

    size: tuple[int, int]  # the window
    panel_visible: bool
    model_path: str | None  # `--model PATH` of the command line
    model: Any  # the loaded ModelBundle or None; change it with set_model
    view_model: ViewModel  # the visual tabs' shared view
    focus_manager: FocusManager
    dialog: Modal | None  # the open modal window

    @property
    def active_tab(self) -> str: ...

    @property
    def focus(self) -> TextInput | None: ...

    def set_status(self, text: str, error: bool = False) -> None: ...

    def set_model(self, bundle: Any, message: str | None = None) -> None: ...

    def focus_field(self, field: TextInput | None) -> None: ...

    def open_dialog(self, dialog: Modal) -> None: ...

    def toggle_panel(self) -> None: ...

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None: ...

    def run_in_background(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        lane: str = WORK_LANE,
    ) -> Future: ...


class Tab:
    """Base class of the window's tabs (see the module docstring for the contract)."""

    name = "Tab"
    panel_hideable = False
    # Frame rate once the user is idle (None = always 60); may be a property. A still picture,
    # a loss curve that grows a point per step or a caret look the same at IDLE_FPS, and the
    # CPU saved goes to training: see IDLE_FPS.
    idle_fps: int | None = IDLE_FPS
    # True: the tab reads typed characters as TEXTINPUT with no field focused (the calculator);
    # the focus manager keeps SDL text input on while the tab is shown.
    wants_typed_text = False

    def __init__(self, app: TabHost) -> None:
        self.app = app
        self.fields: list[TextInput] = []
        self.content_widgets: list[Any] = []
        self.panel_widgets: list[Any] = []
        self.content_rect = pygame.Rect(0, theme.TAB_BAR_HEIGHT, 1280, 834)
        self.panel_rect = pygame.Rect(1280, 0, theme.PANEL_WIDTH, 874)
        self.panel_view = pygame.Rect(self.panel_rect)  # the part of the panel on screen
        self.panel_scroll = 0  # pixels of the virtual panel scrolled above the view
        self.panel_overflow = 0  # pixels the panel's controls need beyond the view (0 = all fit)
        self._content_area = pygame.Rect(self.content_rect)

    # --- state the app provides ----------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.app.active_tab == self.name

    @property
    def panel_shown(self) -> bool:
        """Whether the right control panel is drawn and receives events."""
        return not self.panel_hideable or self.app.panel_visible

    def focusable_fields(self) -> list[TextInput]:
        """Fields that can take focus now (enabled, and not in a hidden panel)."""
        if self.panel_shown:
            return [f for f in self.fields if f.enabled]
        return [f for f in self.fields if f.enabled and not self.panel_rect.colliderect(f.rect)]

    # --- hooks ---------------------------------------------------------------------------
    def start(self) -> None:
        """Called once after every tab exists."""

    def shutdown(self) -> None:
        """Called once when the app closes: stop threads, release resources."""

    quit_buttons: tuple[str, str] = ("Quit", "Cancel")  # (quit, stay) in the quit prompt

    def quit_warning(self) -> str | None:
        """A reason to confirm before quitting (e.g. training running), or None."""
        return None

    def on_show(self) -> None:
        """The tab became active."""

    def on_hide(self) -> None:
        """Another tab became active."""

    def on_model_changed(self, bundle: Any) -> None:
        """The app's loaded model changed (`app.set_model`); `bundle` is a ModelBundle or None."""

    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        """Store the areas; subclasses call super() and then place their controls."""
        self.content_rect = pygame.Rect(content_rect)
        self.panel_rect = pygame.Rect(panel_rect)

    # --- a panel taller than the window scrolls ------------------------------------------
    PANEL_MARGIN = 10

    def place(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        """Lay out for these areas; a panel whose controls need more height becomes scrollable."""
        view = pygame.Rect(panel_rect)
        self.panel_view = view
        self._content_area = pygame.Rect(content_rect)
        self.layout(content_rect, view)
        needed = max(self._panel_bottom() + self.PANEL_MARGIN - view.bottom, self.panel_shortfall())
        self.panel_overflow = 0
        for _ in range(3):  # parts that stretch to the panel's bottom settle within a pass or two
            if needed <= 0:
                break
            self.panel_overflow += needed
            virtual = pygame.Rect(view.x, view.y, view.width, view.height + self.panel_overflow)
            self.layout(content_rect, virtual)
            needed = max(self._panel_bottom() + self.PANEL_MARGIN - virtual.bottom, self.panel_shortfall())
        self.panel_scroll = min(self.panel_scroll, self.panel_overflow)
        if self.panel_scroll:
            self._layout_scrolled()

    def _layout_scrolled(self) -> None:
        view = self.panel_view
        height = view.height + self.panel_overflow
        virtual = pygame.Rect(view.x, view.y - self.panel_scroll, view.width, height)
        self.layout(self._content_area, virtual)

    def panel_shortfall(self) -> int:
        """Hook: pixels the last layout lacked although every control ended inside the panel
        (a panel laid out from both ends overlaps instead of overflowing)."""
        return 0

    def _panel_bottom(self) -> int:
        rects = [w.rect for w in self.panel_widgets if getattr(w, "rect", None) is not None]
        return max((r.bottom for r in rects), default=self.panel_rect.y)

    def scroll_panel(self, pixels: int) -> bool:
        """Scroll the panel by `pixels` (positive = down the panel); False when it cannot move."""
        target = max(0, min(self.panel_overflow, self.panel_scroll + pixels))
        if target == self.panel_scroll:
            return False
        self.panel_scroll = target
        self._layout_scrolled()
        return True

    def reveal_in_panel(self, rect: pygame.Rect) -> None:
        """Scroll so that `rect` (a control of the panel) is inside the visible panel."""
        view = self.panel_view
        if rect.top < view.top + self.PANEL_MARGIN:
            self.scroll_panel(rect.top - view.top - self.PANEL_MARGIN)
        elif rect.bottom > view.bottom - self.PANEL_MARGIN:
            self.scroll_panel(rect.bottom - view.bottom + self.PANEL_MARGIN)

    def scrollbar_rect(self) -> pygame.Rect | None:
        """The scrollbar's thumb (None when the panel fits)."""
        if self.panel_overflow <= 0:
            return None
        view = self.panel_view
        total = view.height + self.panel_overflow
        height = max(24, view.height * view.height // total)
        top = view.y + (view.height - height) * self.panel_scroll // self.panel_overflow
        return pygame.Rect(view.right - 6, top, 5, height)

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer the event to the widgets (panel first, while shown); True when one took it."""
        panel = self.panel_widgets if self.panel_shown else []
        if event.type == pygame.MOUSEBUTTONDOWN and not self.panel_view.collidepoint(event.pos):
            panel = []  # a control scrolled out of the panel's view cannot be clicked
        widgets = panel + self.content_widgets
        consumed = False
        for widget in widgets:
            if isinstance(widget, TextInput):
                continue
            if widget.handle_event(event):
                consumed = True
                if event.type != pygame.MOUSEMOTION:
                    return True
        return consumed

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        """A KEYDOWN with no field focused; True when the tab used it."""
        return False

    def update(self, dt: float) -> None:
        """Advance animations / poll background work; `dt` in seconds."""

    # --- drawing -------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        """Content (clipped to its area), then the panel when shown."""
        old_clip = surface.get_clip()
        surface.set_clip(self.content_rect)
        self.draw_content(surface)
        surface.set_clip(old_clip)
        if self.panel_shown:
            view = self.panel_view
            surface.fill(theme.PANEL_BG, view)
            pygame.draw.line(surface, theme.PANEL_BORDER, view.topleft, view.bottomleft)
            surface.set_clip(view.clip(old_clip))
            self.draw_panel(surface)
            thumb = self.scrollbar_rect()
            if thumb is not None:
                pygame.draw.rect(surface, theme.PANEL_BORDER, (thumb.x, view.y, thumb.width, view.height))
                pygame.draw.rect(surface, theme.TEXT_DIM, thumb, border_radius=2)
            surface.set_clip(old_clip)

    def draw_content(self, surface: pygame.Surface) -> None:
        """The left area; default: the content widgets."""
        for widget in self.content_widgets:
            widget.draw(surface)

    def draw_panel(self, surface: pygame.Surface) -> None:
        """The right control panel; default: the panel widgets."""
        for widget in self.panel_widgets:
            widget.draw(surface)
