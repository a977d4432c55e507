"""Walking minutes from an OSRM table service, against a tiny local server; the estimate otherwise."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.domain.places import Point
from bot.routing.osrm import MatrixSource, OsrmSettings, walking_matrix
from bot.routing.walking import WalkingModel

POINTS = [Point(44.2036, 0.6206), Point(44.2056, 0.6226), Point(44.2016, 0.6186)]
TABLE = [[0.0, 600.0, 480.0], [610.0, 0.0, 900.0], [470.0, 905.0, 0.0]]  # seconds at OSRM's 5 km/h

Answer = Callable[[BaseHTTPRequestHandler], None]


class FakeOsrm:
    def __init__(self, answer: Answer) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                paths.append(self.path)
                answer(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True  # a handler still sleeping must not hold the test
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeOsrm:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def send(status: int, body: object) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return answer


@pytest.fixture
def estimate() -> list[list[float]]:
    return WalkingModel().matrix(POINTS)


async def test_osrm_durations_become_walking_minutes_at_our_pace() -> None:
    with FakeOsrm(send(200, {"code": "Ok", "durations": TABLE})) as osrm:
        result = await walking_matrix(POINTS, OsrmSettings(base_url=osrm.url + "/"))
    assert result.source is MatrixSource.OSRM
    assert result.fallback_reason is None
    # 600 s at 5 km/h is 10 minutes, 12.5 minutes at the model's 4 km/h.
    assert result.minutes[0][1] == pytest.approx(12.5)
    assert result.minutes[1][0] == pytest.approx(610 / 60 * 5 / 4)
    (path,) = osrm.paths
    assert path.startswith("/table/v1/foot/0.620600,44.203600;0.622600,44.205600;0.618600,44.201600?")
    assert path.endswith("annotations=duration")


async def test_without_a_configured_service_the_estimate_is_used_silently(
    estimate: list[list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    result = await walking_matrix(POINTS, OsrmSettings())
    assert (result.source, result.fallback_reason, result.minutes) == (MatrixSource.ESTIMATE, None, estimate)
    assert caplog.records == []


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (send(500, {"message": "boom"}), "HTTPStatusError"),
        (send(200, {"code": "InvalidQuery", "message": "bad coordinates"}), "InvalidQuery"),
        (send(200, {"code": "Ok", "durations": [row[:] for row in TABLE[:2]]}), "incomplete"),
        (send(200, {"code": "Ok", "durations": [[0, None, 1], [1, 0, 1], [1, 1, 0]]}), "incomplete"),
        (send(200, ["not", "an", "object"]), "did not answer Ok"),
    ],
)
async def test_a_bad_answer_falls_back_to_the_estimate_and_says_why_in_one_log_line(
    answer: Answer, reason: str, estimate: list[list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.routing.osrm"), FakeOsrm(answer) as osrm:
        result = await walking_matrix(POINTS, OsrmSettings(base_url=osrm.url))
    assert result.source is MatrixSource.ESTIMATE
    assert result.minutes == estimate
    assert result.fallback_reason is not None and reason in result.fallback_reason
    assert len(caplog.records) == 1
    assert "straight-line" in caplog.records[0].getMessage()


async def test_a_slow_service_is_abandoned_after_the_timeout(estimate: list[list[float]]) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(1.0)
        with contextlib.suppress(ConnectionError):  # the client has given up, as it should
            send(200, {"code": "Ok", "durations": TABLE})(handler)

    with FakeOsrm(slow) as osrm:
        result = await walking_matrix(POINTS, OsrmSettings(base_url=osrm.url, timeout_s=0.2))
    assert result.source is MatrixSource.ESTIMATE
    assert result.fallback_reason is not None and "Timeout" in result.fallback_reason


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]


async def test_a_service_that_is_down_falls_back_to_the_estimate(closed_port: int) -> None:
    result = await walking_matrix(POINTS, OsrmSettings(base_url=f"http://127.0.0.1:{closed_port}"))
    assert result.source is MatrixSource.ESTIMATE
    assert result.fallback_reason is not None and "ConnectError" in result.fallback_reason
