"""Appointments: booking (the wizard), a person's appointments, one appointment, check-in."""
