"""Hand-written pygame-ce controls. Each control keeps one `rect` for drawing and hit-testing.

Common shape: `handle_event(event) -> bool` (True when consumed), `draw(surface)`, and
`rect` (a pygame.Rect the owning tab sets in its `layout`). TextInputs are special: the
app's focus manager sends them keys; tabs only list them in `Tab.fields`.
"""

from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.chat_view import ChatMessage, ChatView
from hyper_prime_spiral.ui.widgets.check_list import CheckList
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.line_plot import LinePlot
from hyper_prime_spiral.ui.widgets.progress_bar import ProgressBar
from hyper_prime_spiral.ui.widgets.slider import Slider
from hyper_prime_spiral.ui.widgets.text_input import TextInput

__all__ = [
    "Button",
    "ChatMessage",
    "ChatView",
    "CheckList",
    "Dialog",
    "LinePlot",
    "ProgressBar",
    "Slider",
    "TextInput",
]
