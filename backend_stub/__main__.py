"""`python -m backend_stub`."""

from backend_stub.cli import main

main()
