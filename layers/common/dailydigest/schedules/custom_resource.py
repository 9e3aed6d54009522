"""The deploy-time run: a CloudFormation custom resource whose every request gets an answer.

CloudFormation waits (up to an hour) for the PUT to the request's pre-signed ResponseURL, so any
failure, including one we did not foresee, is reported as FAILED with its reason, never left silent.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models import CloudFormationCustomResourceBaseModel
from pydantic import Field

from dailydigest.errors import DigestError
from dailydigest.observability import logger

RESPONSE_TIMEOUT_SECONDS = 30


class CustomResourceRequest(CloudFormationCustomResourceBaseModel):
    request_type: Literal["Create", "Update", "Delete"] = Field(..., alias="RequestType")
    physical_resource_id: str | None = Field(None, alias="PhysicalResourceId")


def is_custom_resource(event: object) -> bool:
    return isinstance(event, Mapping) and "RequestType" in event and "ResponseURL" in event


Responder = Callable[[str, bytes], None]


def put_response(url: str, body: bytes) -> None:
    """PUT the answer to the pre-signed URL (signed without a content type, so send none)."""
    request = urllib.request.Request(  # noqa: S310 - the URL is CloudFormation's, checked http(s)
        url, data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    with urllib.request.urlopen(request, timeout=RESPONSE_TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read()


def handle(
    request: CustomResourceRequest, work: Callable[[], dict[str, int]], respond: Responder = put_response
) -> dict[str, Any]:
    """Run `work` on Create and Update (Delete leaves the group to CloudFormation, which deletes
    it with its schedules), then answer CloudFormation either way."""
    physical_id = request.physical_resource_id or f"{request.logical_resource_id}-schedules"
    data: dict[str, int] = {}
    status, reason = "SUCCESS", "schedules in sync with the topics parameter"
    try:
        if request.request_type == "Delete":
            reason = "the schedule group goes with the stack"
        else:
            data = work()
    except Exception as exc:  # every failure must reach CloudFormation, or the deploy hangs
        status = "FAILED"
        reason = str(exc)[:400] if isinstance(exc, DigestError) else f"{type(exc).__name__} (see the logs)"
        logger.exception("schedule sync failed at deploy", request_type=request.request_type)
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason,
            "PhysicalResourceId": physical_id,
            "StackId": request.stack_id,
            "RequestId": request.request_id,
            "LogicalResourceId": request.logical_resource_id,
            "Data": data,
        }
    ).encode()
    respond(str(request.response_url), body)
    return {"status": status, "reason": reason, **data}
