"""The tokenizer kinds and their size settings, without importing NumPy (the CLI builds its --help
from them; the tokenizers themselves live in model.tokenizer and model.bpe)."""

from hyper_prime_spiral.model.chat_format import SPECIAL_TOKENS, TOOL_TAGS

#: Tokenizer kinds, the default for new models first.
TOKENIZER_KINDS = ("bpe", "char", "word")
DEFAULT_TOKENIZER = "bpe"
#: Default vocabulary size of a new BPE tokenizer (chosen by bench/chat_quality.py runs, see README).
DEFAULT_BPE_VOCAB = 1024
MIN_BPE_VOCAB = 256 + len(SPECIAL_TOKENS) + len(TOOL_TAGS)  # every byte plus the atomic tokens
MAX_BPE_VOCAB = 65_536
