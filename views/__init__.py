"""Thin Flet screens and widgets; they render view state and call services."""
