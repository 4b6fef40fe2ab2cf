"""One router per real protocol the stub speaks."""
