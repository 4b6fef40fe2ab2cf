"""Waiting times of the Kundenzentren, following tickets, and the kiosk in the hall."""
