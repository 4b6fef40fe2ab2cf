"""Köln App client: composition root (settings, wiring, routing, command line)."""
