"""Appointments by the ZMS citizen API: catalogue, calendar, bookings, rate limit, privacy."""
