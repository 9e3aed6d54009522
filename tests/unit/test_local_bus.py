from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from dailydigest.bus.local import LocalBus, envelope_for
from dailydigest.bus.template import routes
from dailydigest.errors import ConfigError, DeliveryError
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished

FETCHED = ArticlesFetched(
    run_id="20261128T000000Z-test0001",
    topic="qwen",
    date=dt.date(2026, 11, 28),
    stories_key="data/qwen/2026-11-28/stories.json",
    article_count=3,
    story_count=2,
)


def _write_function(root: Path, name: str, body: str) -> None:
    folder = root / "functions" / name
    folder.mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(body))


def _template(root: Path, detail_type: str) -> Path:
    path = root / "template.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Handler: app.lambda_handler
            Resources:
              Bus:
                Type: AWS::Events::EventBus
                Properties: {{Name: !Sub "bus-${{AWS::StackName}}"}}
              Sink:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: functions/sink/
                  Events:
                    Rule:
                      Type: EventBridgeRule
                      Properties:
                        EventBusName: !Ref Bus
                        Pattern: {{source: [dailydigest], detail-type: [{detail_type}]}}
            """
        )
    )
    _write_function(
        root,
        "sink",
        f"""
        import json, pathlib
        def lambda_handler(event, context):
            with open({str(root / "received.jsonl")!r}, "a") as out:
                out.write(json.dumps({{"type": event["detail-type"], "fn": context.function_name}}) + "\\n")
        """,
    )
    return path


def test_project_template_routes_each_stage(repo_root: Path) -> None:
    # The real template is what the local bus reads: the pipeline's wiring lives there only.
    table = {(r.function, tuple(r.pattern["detail-type"])) for r in routes(repo_root / "template.yaml")}
    assert table == {("SummarizeFunction", ("ArticlesFetched",)), ("RenderFunction", ("DigestWritten",))}


def test_matching_rule_delivers_to_the_handler(tmp_path: Path) -> None:
    bus = LocalBus(_template(tmp_path, "ArticlesFetched"))
    bus.publish(FETCHED)
    deliveries = bus.drain()
    assert [d.targets for d in deliveries] == [("Sink",)]
    assert (tmp_path / "received.jsonl").read_text().strip() == '{"type": "ArticlesFetched", "fn": "Sink"}'


def test_wrong_pattern_in_template_delivers_nothing(tmp_path: Path) -> None:
    # Given a template whose rule listens for a misspelt detail-type
    bus = LocalBus(_template(tmp_path, "ArticlesFetchd"))
    bus.publish(FETCHED)
    # Then the event reaches no target, which a local run reports as no post
    assert [d.targets for d in bus.drain()] == [()]
    assert not (tmp_path / "received.jsonl").exists()


def test_handler_errors_surface_as_delivery_errors(tmp_path: Path) -> None:
    path = _template(tmp_path, "ArticlesFetched")
    (tmp_path / "functions/sink/app.py").write_text(
        "from dailydigest.errors import DigestError\n"
        "def lambda_handler(event, context):\n    raise DigestError('boom')\n"
    )
    bus = LocalBus(path)
    bus.publish(FETCHED)
    with pytest.raises(DeliveryError, match="Sink failed on ArticlesFetched: boom"):
        bus.drain()


def test_template_without_pattern_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: x/\n      Handler: app.h\n      Events:\n"
        "        E: {Type: EventBridgeRule, Properties: {}}\n"
    )
    with pytest.raises(ConfigError, match="no event pattern"):
        routes(path)


def test_envelope_has_the_eventbridge_shape() -> None:
    published = PostPublished(
        run_id=FETCHED.run_id,
        topic="qwen",
        date=FETCHED.date,
        post_path="_posts/x.md",
        image_path="a.png",
        post_key="data/x/post.md",
        image_key="data/x/i.png",
        changed=True,
    )
    for event in (
        FETCHED,
        published,
        DigestWritten(
            run_id=FETCHED.run_id,
            topic="qwen",
            date=FETCHED.date,
            digest_key="k/d.json",
            generator="extractive",
        ),
    ):
        envelope = envelope_for(event)
        assert envelope["source"] == "dailydigest" and envelope["detail-type"] == event.DETAIL_TYPE
        assert envelope["detail"]["schema_version"] == 1
