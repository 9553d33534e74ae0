"""The window's tabs, in tab-bar order (F1..F6)."""

from hyper_prime_spiral.ui.tabs.calculator import CalculatorTab
from hyper_prime_spiral.ui.tabs.llm import LLMTab
from hyper_prime_spiral.ui.tabs.research import ResearchTab
from hyper_prime_spiral.ui.tabs.spheres import SpheresTab
from hyper_prime_spiral.ui.tabs.training import TrainingTab
from hyper_prime_spiral.ui.tabs.visualization import VisualizationTab

TAB_CLASSES = (VisualizationTab, CalculatorTab, SpheresTab, LLMTab, TrainingTab, ResearchTab)

__all__ = [
    "TAB_CLASSES",
    "CalculatorTab",
    "LLMTab",
    "ResearchTab",
    "SpheresTab",
    "TrainingTab",
    "VisualizationTab",
]
