"""Hyper Prime Spiral: a prime clock-abacus visualization and a NumPy transformer to chat with."""

__version__ = "0.1.0"
APP_NAME = "hyper-prime-spiral"
