"""primes package."""
