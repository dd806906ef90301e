"""One live server over the reference history per module, and signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.pages_server import PagesServer, pages_server, signed_in_client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PagesServer]:
    with pages_server(tmp_path_factory.mktemp("pages")) as running:
        yield running


@pytest.fixture
def alice(server: PagesServer) -> Iterator[httpx.Client]:
    client = signed_in_client(server.base, "alice")
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def bob(server: PagesServer) -> Iterator[httpx.Client]:
    client = signed_in_client(server.base, "bob")
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def anonymous(server: PagesServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=60) as client:
        yield client


@pytest.fixture
def server_base(server: PagesServer) -> str:
    return server.base
