"""Old home of the thread-limit helpers; they live in `hyper_prime_spiral.threads` now
(shared with the generation process). Kept so existing imports keep working."""

from hyper_prime_spiral.threads import (
    THREAD_ENV_VARS,
    blas_threads,
    environment,
    limit_loaded_libraries,
    one_blas_thread,
    single_thread_env,
)

__all__ = [
    "THREAD_ENV_VARS",
    "blas_threads",
    "environment",
    "limit_loaded_libraries",
    "one_blas_thread",
    "single_thread_env",
]
