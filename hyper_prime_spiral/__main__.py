"""`python -m hyper_prime_spiral` does what the `hyper-prime-spiral` command does."""

from hyper_prime_spiral.cli import main

raise SystemExit(main())
