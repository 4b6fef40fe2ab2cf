"""`koeln-backend`: run the stub backend on a loopback port."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import uvicorn

from backend_stub.main import DEFAULT_APP_URL, create_app

LOOPBACK = "127.0.0.1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The stub's command line."""
    parser = argparse.ArgumentParser(
        prog="koeln-backend",
        description="Stub backend of the Köln App (sample data, real protocols), "
        "served on 127.0.0.1 only.",
    )
    parser.add_argument("--port", type=int, default=8551, help="port (default 8551)")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("koeln-backend.sqlite3"),
        help="SQLite file (ignored when DATABASE_URL is set)",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the stub and serve until interrupted."""
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{args.db.resolve()}"
    if not os.environ.get("DATABASE_URL"):
        args.db.resolve().parent.mkdir(parents=True, exist_ok=True)
    app = create_app(
        database_url,
        admin_token=os.environ.get("KOELN_ADMIN_TOKEN") or None,
        app_url=os.environ.get("KOELN_APP_URL") or DEFAULT_APP_URL,
    )
    print(f"koeln-backend on http://{LOOPBACK}:{args.port}/ (OpenAPI at /openapi.json)", flush=True)
    uvicorn.run(app, host=LOOPBACK, port=args.port, log_level=args.log_level)
    sys.exit(0)
