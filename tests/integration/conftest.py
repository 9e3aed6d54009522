"""Fixtures shared by the integration tests: loopback web servers (`web`, `elsewhere`)."""

from tests.support.loopback_web import elsewhere_fixture, web_fixture

__all__ = ["elsewhere_fixture", "web_fixture"]
