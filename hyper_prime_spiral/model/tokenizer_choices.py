"""The tokenizer kinds and their size settings, without importing NumPy (the CLI builds its --help
from them; the tokenizers themselves live in model.tokenizer and model.bpe)."""

from hyper_prime_spiral.model.chat_format import SPECIAL_TOKENS, TOOL_TAGS

#: Tokenizer kinds, the default for new models first.
TOKENIZER_KINDS = ("bpe", "char", "word")
DEFAULT_TOKENIZER = "bpe"
#: Default vocabulary size of a new BPE tokenizer. Measured on the shipped corpora, characters per
#: token: 512 -> 2.13, 1,024 -> 2.78, 2,048 -> 3.34, 4,096 -> 3.64. 1,024 gets most of the
#: compression while the embedding stays a seventh of the "small" model (1,024 x 128 of 0.94M
#: parameters). Larger sizes were not trained and compared (a 10-minute run each).
DEFAULT_BPE_VOCAB = 1024
MIN_BPE_VOCAB = 256 + len(SPECIAL_TOKENS) + len(TOOL_TAGS)  # every byte plus the atomic tokens
MAX_BPE_VOCAB = 65_536
