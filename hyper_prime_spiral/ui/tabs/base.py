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
- `handle_event(event) -> bool`: routing step 4 (mouse clicks, wheel, sliders, keys for a
  hovered slider). Return True when consumed.
- `handle_hotkey(event) -> bool`: routing step 5, a KEYDOWN while no field has focus and no
  dialog is open. Return True when consumed; otherwise app-wide hotkeys (P, Q, Escape) run.
- `update(dt)`: every frame for EVERY tab (poll queues of background work here; check
  `self.is_active` before doing visual-only work). `draw(surface)`: only the active tab.
- `idle_fps`: the frame rate the app may use when nobody has touched mouse or keyboard for a
  moment (IDLE_FPS by default; None = always 60 FPS; a property says when something moves),
  so that an idle window leaves the CPU to training.
- `start()`: once, after all tabs exist (`app.tab(name)` works there); `shutdown()` once
  when the app closes (stop threads). `quit_warning()`: a message if quitting now would lose
  work (the app then asks the user), else None; `quit_buttons` name the two answers.
  `on_show()` / `on_hide()`: tab switches. `on_model_changed(bundle)`: the app's model changed.
- `wants_typed_text`: True when the tab reads typed characters (TEXTINPUT) with no field
  focused (the calculator); the focus manager, the only owner of SDL text input, keeps it on.

The app reference gives `app.set_status(text, error=False)`, `app.open_dialog(dialog)`,
`app.focus_field(field)`, `app.run_in_background(fn, ..., on_done=...)`, `app.call_soon(fn)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.text_input import TextInput

# Idle frame rate of tabs with nothing moving: the CPU it saves goes to training (1.33x faster
# training while the user is idle; docs/design.md, "Measured reasons").
IDLE_FPS = 20

if TYPE_CHECKING:
    from hyper_prime_spiral.ui.app import App


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

    def __init__(self, app: App) -> None:
        self.app = app
        self.fields: list[TextInput] = []
        self.content_widgets: list[Any] = []
        self.panel_widgets: list[Any] = []
        self.content_rect = pygame.Rect(0, theme.TAB_BAR_HEIGHT, 1280, 834)
        self.panel_rect = pygame.Rect(1280, 0, theme.PANEL_WIDTH, 874)

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

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer the event to the widgets (panel first, while shown); True when one took it."""
        widgets = (self.panel_widgets if self.panel_shown else []) + self.content_widgets
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
            surface.fill(theme.PANEL_BG, self.panel_rect)
            pygame.draw.line(surface, theme.PANEL_BORDER, self.panel_rect.topleft, self.panel_rect.bottomleft)
            surface.set_clip(self.panel_rect)
            self.draw_panel(surface)
            surface.set_clip(old_clip)

    def draw_content(self, surface: pygame.Surface) -> None:
        """The left area; default: the content widgets."""
        for widget in self.content_widgets:
            widget.draw(surface)

    def draw_panel(self, surface: pygame.Surface) -> None:
        """The right control panel; default: the panel widgets."""
        for widget in self.panel_widgets:
            widget.draw(surface)
