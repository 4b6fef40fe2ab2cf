"""Waiting times of the Kundenzentren: the city's open-data feed."""
