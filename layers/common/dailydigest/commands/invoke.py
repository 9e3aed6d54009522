"""`dailydigest invoke`: start a run of the deployed stack for a topic (and date), and report."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from dailydigest.boundary import parse_request
from dailydigest.commands.local import request_for
from dailydigest.errors import BadInput, DigestError
from dailydigest.models.requests import FetchRequest

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_lambda import LambdaClient


def add_parser(commands: Any) -> None:
    invoke = commands.add_parser(
        "invoke",
        help="invoke the deployed fetch function for a topic and report the outcome",
        description="Find the stack's FetchFunction and invoke it synchronously with "
        '{"topic": TOPIC, "date": DATE}. Summarize and render follow through EventBridge.',
    )
    invoke.add_argument("topic", metavar="TOPIC")
    invoke.add_argument(
        "--date", metavar="YYYY-MM-DD", help="day to digest (default: today in the topic's zone)"
    )
    invoke.add_argument(
        "--stack", default="dailydigest", help="CloudFormation stack name (default dailydigest)"
    )
    invoke.add_argument("--region", help="AWS region (default: the AWS CLI/SDK configuration)")
    invoke.set_defaults(handler=command)


def command(args: argparse.Namespace) -> int:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    request_for(args.topic, args.date)  # a bad topic or date is refused before AWS is asked
    try:
        session = boto3.session.Session(region_name=args.region)
        result = invoke_fetch(
            args.topic, args.date, args.stack, session.client("cloudformation"), session.client("lambda")
        )
    except NoRegionError:
        raise BadInput("no AWS region: pass --region, or set AWS_REGION or a profile's region") from None
    except NoCredentialsError:
        raise BadInput(
            "no AWS credentials: configure them (aws configure, AWS_PROFILE or AWS_ACCESS_KEY_ID)"
        ) from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise DigestError(
            f"AWS refused: {error.get('Code', '')} {error.get('Message', '')}".strip()
        ) from None
    except BotoCoreError as exc:  # endpoint unreachable, a bad profile, an expired token ...
        raise DigestError(f"AWS: {exc}") from None
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def invoke_fetch(
    topic: str,
    date: str | None,
    stack: str,
    cloudformation: CloudFormationClient,
    lambda_client: LambdaClient,
) -> dict[str, Any]:
    request = parse_request({"topic": topic, "date": date}, FetchRequest)
    try:
        resource = cloudformation.describe_stack_resource(StackName=stack, LogicalResourceId="FetchFunction")
    except cloudformation.exceptions.ClientError as exc:
        raise DigestError(
            f"stack {stack!r} has no FetchFunction ({exc.response['Error']['Message']})"
        ) from None
    function = resource["StackResourceDetail"]["PhysicalResourceId"]
    response = lambda_client.invoke(
        FunctionName=function,
        InvocationType="RequestResponse",
        Payload=request.model_dump_json(exclude_none=True).encode(),
    )
    body = response["Payload"].read().decode() or "null"
    answer: Any = json.loads(body)
    if response.get("FunctionError"):
        message = answer.get("errorMessage", body) if isinstance(answer, dict) else body
        raise DigestError(f"{function} failed: {message}")
    if not isinstance(answer, dict):
        raise DigestError(f"{function} answered something unexpected: {body[:200]}")
    return answer
