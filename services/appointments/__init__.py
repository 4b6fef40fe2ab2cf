"""Appointments in the Kundenzentren: the ZMS citizen API."""
