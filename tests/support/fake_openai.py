"""A scripted OpenAI-compatible chat completions server on 127.0.0.1.

Each test queues the answers it wants, in order: a status, headers, a body and an optional delay
before answering (to provoke client timeouts). A queued item may also be a function of the request
body, for answers that depend on the prompt (map-reduce). Every request is recorded with its JSON
body, so tests can assert what the prompt held, which response_format and max_tokens were sent, and
how many calls were made. An unscripted request gets a 599 so a test fails loudly.

    with FakeOpenAI() as server:
        server.queue(chat(json.dumps(answer)))
        client = OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert len(server.requests) == 1
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from tests.support.serving import serving

Body = Mapping[str, Any] | str | bytes


@dataclass(frozen=True)
class Answer:
    """One scripted HTTP answer."""

    status: int = 200
    body: Body = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


Scripted = Answer | Callable[[dict[str, Any]], Answer]


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def prompt(self) -> str:
        """Every message's text, joined (for `in` checks)."""
        return "\n".join(str(message.get("content", "")) for message in self.messages)

    @property
    def user(self) -> str:
        return str(self.messages[-1].get("content", "")) if self.messages else ""


def chat(
    content: str,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 1200,
    completion_tokens: int = 800,
    model: str = "test-model",
    usage: bool = True,
    reasoning_content: str | None = None,
    reasoning: str | None = None,
) -> Answer:
    """A successful chat completion whose message content is `content`; `reasoning_content`
    (DeepSeek, DashScope, older vLLM) and `reasoning` (vLLM 0.10+, OpenRouter, Ollama) carry a
    reasoning model's thoughts beside it, as those endpoints send them."""
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if reasoning_content is not None:
        message["reasoning_content"] = reasoning_content
    if reasoning is not None:
        message["reasoning"] = reasoning
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_764_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
    }
    if usage:
        body["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
    return Answer(200, body)


def error(status: int, message: str, *, headers: Mapping[str, str] | None = None, kind: str = "") -> Answer:
    """An error answer shaped like the OpenAI API's."""
    body = {
        "error": {"message": message, "type": kind or "invalid_request_error", "param": None, "code": None}
    }
    return Answer(status, body, dict(headers or {}))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        # The model list (`GET /v1/models`), when the test gave the fake one; else 404 as some
        # OpenAI-compatible servers answer.
        fake = self.server.fake
        with fake._lock:
            fake.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}, {}))
        if self.path.rstrip("/").endswith("/models") and fake.models is not None:
            data = [{"id": name, "object": "model", "created": 0, "owned_by": "test"} for name in fake.models]
            status, payload = 200, json.dumps({"object": "list", "data": data}).encode()
        else:
            status, payload = 404, json.dumps(error(404, f"no route {self.path}").body).encode()
        self._reply(status, payload)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_unparsed": raw.decode("utf-8", "replace")}
        request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        fake = self.server.fake
        answer = fake._next(request)
        if answer.delay:
            time.sleep(answer.delay)
        payload = (
            answer.body
            if isinstance(answer.body, bytes)
            else answer.body.encode()
            if isinstance(answer.body, str)
            else json.dumps(answer.body).encode()
        )
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self._reply(answer.status, payload, answer.headers)

    def _reply(self, status: int, payload: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeOpenAI


class FakeOpenAI:
    """The server; use as a context manager. `base_url` ends in /v1 like the real API's."""

    def __init__(self, models: tuple[str, ...] | None = None) -> None:
        self.models = models
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._running = ExitStack()

    def __enter__(self) -> Self:
        self._running.enter_context(serving(self._server, "fake-openai", poll=0.01))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._running.close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def queue(self, *answers: Scripted) -> None:
        with self._lock:
            self._script.extend(answers)

    @property
    def completions(self) -> list[Request]:
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def _next(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            if not request.path.rstrip("/").endswith("/chat/completions"):
                return error(404, f"no route {request.path}")
            if not self._script:
                return error(599, "the test scripted no answer for this request", kind="fake_server_error")
            scripted = self._script.popleft()
        return scripted(request.body) if callable(scripted) else scripted
