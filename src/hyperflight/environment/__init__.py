"""Environment models: Earth shape and rotation, gravity, atmosphere. Pure, SI, compiled."""

# First: numba's cache keyed on the content of every compiled module (must precede any @njit).
import hyperflight._numba_cache  # noqa: F401
