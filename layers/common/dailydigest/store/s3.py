"""The S3 store: the same keys under an optional prefix; create-if-absent via `IfNoneMatch: *`,
compare-and-swap via `IfMatch` on the ETag (S3 conditional writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dailydigest.errors import ConfigError, NotFoundError

# S3 answers a failed condition with 412 PreconditionFailed, and a conditional write racing
# another one on the same key with 409 ConditionalRequestConflict (retry); an IfMatch on a key
# deleted meanwhile is 404 NoSuchKey. All mean: someone else changed the key, nothing written.
_LOST_RACE = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict", "409"})

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def parse_s3_url(url: str) -> tuple[str, str]:
    """Split `s3://bucket/prefix` into bucket and a prefix that is empty or ends with '/'."""
    if not url.startswith("s3://"):
        raise ConfigError(f"not an s3:// store: {url!r}")
    bucket, _, prefix = url[len("s3://") :].partition("/")
    if not bucket:
        raise ConfigError(f"store url has no bucket: {url!r}")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


class S3Store:
    def __init__(self, bucket: str, prefix: str = "", client: S3Client | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3")
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, client: S3Client | None = None) -> S3Store:
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix, client)

    def get(self, key: str) -> bytes:
        current = self.get_versioned(key)
        if current is None:
            raise NotFoundError(f"not in the store: {key}")
        return current[0]

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type)

    def create(self, key: str, data: bytes, content_type: str) -> bool:
        return self.put_if(key, data, content_type, None)

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.client.exceptions.NoSuchKey:
            return None
        return response["Body"].read(), response["ETag"]

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        from botocore.exceptions import ParamValidationError  # loaded with the client already

        bucket, full_key = self.bucket, self.prefix + key
        try:
            if version is None:
                self.client.put_object(
                    Bucket=bucket, Key=full_key, Body=data, ContentType=content_type, IfNoneMatch="*"
                )
            else:
                self.client.put_object(
                    Bucket=bucket, Key=full_key, Body=data, ContentType=content_type, IfMatch=version
                )
        except self.client.exceptions.NoSuchKey:
            return False
        except self.client.exceptions.ClientError as exc:
            if _error_code(exc) in _LOST_RACE or (version is not None and _error_code(exc) == "NoSuchKey"):
                return False
            raise
        except ParamValidationError as exc:
            # An SDK older than S3's conditional writes refuses the parameter before sending.
            raise ConfigError(
                f"this boto3/botocore cannot make S3 conditional writes (needs botocore >= 1.35.69): {exc}"
            ) from None
        return True

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.client.exceptions.ClientError as exc:
            if _error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def list(self, prefix: str) -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        keys: list[str] = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        return sorted(keys)

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def _error_code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
