"""Colours, sizes and fonts of the whole UI, in one place.

The palette mirrors the original C program (dark blue-grey window, blue accents, 14 pt
sans-serif text). Rendered text is cached, because rendering glyphs every frame is what
usually costs a pygame UI its frame rate.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

Colour = tuple[int, int, int]

# --- window and layout -------------------------------------------------------------------
WINDOW_TITLE = "Hyper Prime Spiral"
DEFAULT_SIZE = (1600, 900)
MIN_SIZE = (640, 400)
TAB_BAR_HEIGHT = 40
PANEL_WIDTH = 320
STATUS_HEIGHT = 26
PADDING = 10
FPS_CAP = 60

# --- colours (RGB) -----------------------------------------------------------------------
BACKGROUND: Colour = (10, 15, 20)
TEXT: Colour = (220, 220, 220)
TEXT_DIM: Colour = (140, 150, 160)
TEXT_BRIGHT: Colour = (255, 255, 255)
GREEN: Colour = (100, 255, 100)
YELLOW: Colour = (255, 255, 100)
CYAN: Colour = (100, 255, 255)
RED: Colour = (255, 100, 100)
ORANGE: Colour = (255, 200, 100)
ACCENT: Colour = (100, 150, 200)

TAB_ACTIVE: Colour = (60, 80, 120)
TAB_INACTIVE: Colour = (30, 40, 60)
TAB_HOVER: Colour = (42, 56, 84)
TAB_BORDER: Colour = ACCENT

PANEL_BG: Colour = (20, 30, 40)
PANEL_BORDER: Colour = ACCENT
SECTION_BG: Colour = (50, 70, 90)
SECTION_BORDER: Colour = ACCENT
CONTENT_BG: Colour = (15, 20, 30)

STATUS_BG: Colour = (16, 22, 30)
STATUS_BORDER: Colour = (50, 70, 90)

FIELD_BG: Colour = (40, 50, 60)
FIELD_BG_FOCUSED: Colour = (60, 80, 100)
FIELD_BORDER: Colour = (100, 110, 130)
FIELD_BORDER_FOCUSED: Colour = YELLOW
FIELD_TEXT: Colour = (240, 240, 240)
FIELD_PLACEHOLDER: Colour = (100, 200, 200)
FIELD_SELECTION: Colour = (70, 110, 170)
FIELD_LABEL: Colour = (180, 200, 220)

BUTTON_BG: Colour = (60, 80, 100)
BUTTON_HOVER: Colour = (80, 105, 135)
BUTTON_PRESSED: Colour = (200, 220, 255)
BUTTON_DISABLED: Colour = (40, 45, 52)
BUTTON_TEXT: Colour = (240, 240, 240)
BUTTON_TEXT_DISABLED: Colour = (110, 115, 120)
BUTTON_PRIMARY: Colour = (70, 130, 80)
BUTTON_DANGER: Colour = (170, 70, 70)

SLIDER_TRACK: Colour = (40, 50, 60)
SLIDER_FILL: Colour = (70, 110, 160)
SLIDER_HANDLE: Colour = ACCENT
SLIDER_HANDLE_ACTIVE: Colour = (160, 200, 240)

LIST_BG: Colour = (30, 30, 40)
LIST_ROW_HOVER: Colour = (45, 50, 65)
LIST_SELECTED_TEXT: Colour = (100, 200, 255)

PROGRESS_BG: Colour = (40, 40, 50)
PROGRESS_FILL: Colour = ACCENT

PLOT_BG: Colour = (15, 20, 30)
PLOT_GRID: Colour = (40, 50, 65)
PLOT_AXIS: Colour = (90, 110, 130)
PLOT_SERIES: tuple[Colour, ...] = ((100, 180, 255), (255, 180, 80), (120, 230, 120), (230, 110, 230))

CHAT_BG: Colour = (25, 25, 35)
CHAT_BORDER: Colour = (60, 60, 70)
CHAT_USER_BG: Colour = (70, 100, 180)
CHAT_USER_LABEL: Colour = (200, 220, 255)
CHAT_AI_BG: Colour = (50, 50, 60)
CHAT_AI_LABEL: Colour = (150, 200, 150)
CHAT_BUBBLE_BORDER: Colour = (100, 100, 120)
CHAT_EMPTY: Colour = (100, 100, 100)

DIALOG_SHADE = (0, 0, 0, 170)
DIALOG_BG: Colour = (50, 50, 60)
DIALOG_BORDER: Colour = (100, 100, 120)
DIALOG_TITLE: Colour = (220, 220, 255)

# --- fonts -------------------------------------------------------------------------------
FONT_SIZE = 14
SMALL_FONT_SIZE = 12
TITLE_FONT_SIZE = 17
_FONT_NAMES = "dejavusans,liberationsans,freesans,arial"


def clear_caches() -> None:
    """Forget cached fonts and text (fonts die with pygame's font module, e.g. after pygame.quit)."""
    _load_font.cache_clear()
    render_text.cache_clear()


def font(size: int = FONT_SIZE, bold: bool = False) -> pygame.font.Font:
    """The UI font at `size` points: DejaVu Sans (like the original) or pygame's bundled default."""
    if not pygame.font.get_init():
        clear_caches()
        pygame.font.init()
    chosen = _load_font(size, bold)
    try:
        chosen.get_height()
    except pygame.error:  # pygame.quit() and init() since it was loaded: load it again
        clear_caches()
        chosen = _load_font(size, bold)
    return chosen


@lru_cache(maxsize=16)
def _load_font(size: int, bold: bool) -> pygame.font.Font:
    try:
        chosen = pygame.font.SysFont(_FONT_NAMES, size, bold=bold)
    except (OSError, RuntimeError):
        chosen = None
    if chosen is None or chosen.get_height() <= 0:
        chosen = pygame.font.Font(None, round(size * 1.3))
    return chosen


@lru_cache(maxsize=4096)
def render_text(
    text: str, colour: Colour = TEXT, size: int = FONT_SIZE, bold: bool = False
) -> pygame.Surface:
    """Anti-aliased text, cached by its content: the same label costs nothing on the next frame."""
    return font(size, bold).render(text, True, colour)


def text_width(text: str, size: int = FONT_SIZE, bold: bool = False) -> int:
    """Width in pixels of `text` in the UI font."""
    return font(size, bold).size(text)[0]


def fit_text(text: str, width: int, size: int = FONT_SIZE, bold: bool = False) -> str:
    """`text`, or its longest start that fits in `width` pixels followed by "…" (never wider)."""
    if text_width(text, size, bold) <= width:
        return text
    for end in range(len(text) - 1, 0, -1):
        short = text[:end].rstrip() + "…"
        if text_width(short, size, bold) <= width:
            return short
    return ""


def line_height(size: int = FONT_SIZE) -> int:
    """Distance between two lines of text in the UI font."""
    return font(size).get_linesize()


def draw_text(
    surface: pygame.Surface,
    text: str,
    pos: tuple[int, int],
    colour: Colour = TEXT,
    size: int = FONT_SIZE,
    bold: bool = False,
    anchor: str = "topleft",
) -> pygame.Rect:
    """Blit cached text with its rectangle's `anchor` (e.g. "center", "midleft") at `pos`."""
    if not text:
        return pygame.Rect(pos, (0, 0))
    image = render_text(text, colour, size, bold)
    rect = image.get_rect(**{anchor: pos})
    surface.blit(image, rect)
    return rect


def draw_dialog_title(
    surface: pygame.Surface, title: str, pos: tuple[int, int], width: int | None = None
) -> None:
    """A dialog's or window's title line (bold, title size); cut to `width` with an ellipsis when given."""
    if width is not None:
        title = fit_text(title, width, TITLE_FONT_SIZE)
    draw_text(surface, title, pos, DIALOG_TITLE, size=TITLE_FONT_SIZE, bold=True)


def draw_section(surface: pygame.Surface, rect: pygame.Rect, title: str = "", colour: Colour = GREEN) -> None:
    """A control-panel section box (the original's blue-bordered boxes), with an optional title."""
    pygame.draw.rect(surface, SECTION_BG, rect, border_radius=4)
    pygame.draw.rect(surface, SECTION_BORDER, rect, 1, border_radius=4)
    if title:
        draw_text(surface, title, (rect.x + 8, rect.y + 5), colour, bold=True)
