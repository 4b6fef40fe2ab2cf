"""Stub backend speaking the real protocols of the city's systems (koeln-backend)."""
