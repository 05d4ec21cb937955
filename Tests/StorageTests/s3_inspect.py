#!/usr/bin/env python3
"""A second, independent S3 client (boto3) for the tests' assertions; prints JSON on stdout.

    s3_inspect.py --endpoint URL --access-key K --secret-key S [--region us-east-1] COMMAND ...

    head BUCKET KEY          ContentLength, ETag, ContentType, CacheControl, WebsiteRedirectLocation,
                             Metadata; or {"missing": true}
    get BUCKET KEY           {"text": ...} (or {"base64": ...} when not UTF-8), "size", "sha256"
    list BUCKET [PREFIX]     {"keys": [{"Key", "Size", "ETag"}]}
    acl BUCKET KEY           {"grants": [{"grantee", "permission"}], "public_read": bool}
    uploads BUCKET           {"uploads": [{"Key", "UploadId"}]}: multipart uploads in progress
    mkbucket BUCKET          {"created": BUCKET}
    put BUCKET KEY FILE      {"ETag": ...}
    begin BUCKET KEY         {"UploadId": ...}: a multipart upload begun and left, as a killed run leaves it

An S3 error prints {"error": {"code", "message", "status"}} and exits with status 2.
"""

import argparse
import base64
import hashlib
import inspect
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def head(s3, bucket, key):
    try:
        answer = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return {"missing": True}
        raise
    fields = ["ContentLength", "ETag", "ContentType", "CacheControl", "WebsiteRedirectLocation", "Metadata"]
    return {field: answer.get(field) for field in fields}


def get(s3, bucket, key):
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchKey":
            return {"missing": True}
        raise
    result = {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    try:
        result["text"] = body.decode("utf-8")
    except UnicodeDecodeError:
        result["base64"] = base64.b64encode(body).decode("ascii")
    return result


def listing(s3, bucket, prefix=""):
    # The prefix is applied here, not sent: moto 5.2 refuses the signature of a query value that
    # needs percent-encoding ("a/" is sent as a%2F), so Prefix="a/" would fail with SignatureDoesNotMatch.
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [{"Key": o["Key"], "Size": o["Size"], "ETag": o["ETag"]} for o in page.get("Contents", [])]
    return {"keys": [k for k in keys if k["Key"].startswith(prefix)]}


def acl(s3, bucket, key):
    grants = []
    for grant in s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]:
        grantee = grant["Grantee"]
        who = grantee.get("URI") or grantee.get("ID") or grantee.get("EmailAddress")
        grants.append({"grantee": who, "permission": grant["Permission"]})
    public = any(g["grantee"] == ALL_USERS and g["permission"] in ("READ", "FULL_CONTROL") for g in grants)
    return {"grants": grants, "public_read": public}


def uploads(s3, bucket):
    answer = s3.list_multipart_uploads(Bucket=bucket)
    return {"uploads": [{"Key": u["Key"], "UploadId": u["UploadId"]} for u in answer.get("Uploads", [])]}


def mkbucket(s3, bucket):
    s3.create_bucket(Bucket=bucket)
    return {"created": bucket}


def put(s3, bucket, key, path):
    with open(path, "rb") as file:
        return {"ETag": s3.put_object(Bucket=bucket, Key=key, Body=file)["ETag"]}


def begin(s3, bucket, key):
    return {"UploadId": s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]}


COMMANDS = {"begin": begin, "head": head, "get": get, "list": listing, "acl": acl, "uploads": uploads, "mkbucket": mkbucket, "put": put}


def main():
    parser = argparse.ArgumentParser(description="Inspect an S3 endpoint; JSON on stdout.")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("arguments", nargs="*")
    options = parser.parse_args()
    s3 = boto3.client(
        "s3", endpoint_url=options.endpoint, region_name=options.region,
        aws_access_key_id=options.access_key, aws_secret_access_key=options.secret_key,
        # Path-style addressing for a loopback endpoint; no retries, so a refusal shows at once;
        # checksums only where S3 requires them, so a plain PUT stays a plain PUT.
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                      request_checksum_calculation="when_required", response_checksum_validation="when_required"))
    command = COMMANDS[options.command]
    try:
        inspect.signature(command).bind(s3, *options.arguments)
    except TypeError as error:
        parser.error(f"{options.command}: {error}")
    try:
        result = command(s3, *options.arguments)
    except ClientError as error:
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        print(json.dumps({"error": {"code": details.get("Code"), "message": details.get("Message"), "status": status}}))
        print(f"s3_inspect.py {options.command}: {error}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
