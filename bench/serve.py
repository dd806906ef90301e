"""``python -m bench.serve KIND URL PORT``: one server in its own process, so the client that
times it does not share its interpreter (KIND is ``followup`` or ``baseline``)."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI


def build(kind: str, url: str) -> FastAPI:
    from bench.datasets import VAR, open_container

    if kind == "followup":
        from followup.api.app import create_app

        return create_app(open_container(url, VAR), background=False)
    from bench.baselines import create_baseline_app
    from bench.datasets import read_engine

    engine = read_engine(url).__enter__()
    return create_baseline_app(engine, url)


def main(argv: list[str]) -> None:
    kind, url, port = argv
    Path("var/bench").mkdir(parents=True, exist_ok=True)
    uvicorn.run(build(kind, url), host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
