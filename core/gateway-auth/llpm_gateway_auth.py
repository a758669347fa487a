"""LiteLLM custom auth for llpm-fleet (`general_settings.custom_auth: llpm_gateway_auth.user_api_key_auth`).

Accepts three kinds of key and nothing else:
- an agent key `<prefix><agentId>-<hex HMAC-SHA256(secret, context + agentId)>` (core/gatewayKey.ts):
  only on the model routes of the policy file, as a non-admin caller named after the agent, with
  its type's rpm / tpm / parallel-request limits, which LiteLLM enforces without a database;
- the usage reader's key `<prefix><usageReader.id>-<MAC>` (the broker's): only on LiteLLM's
  `/metrics`, where it reads the spend and tokens LiteLLM counted per agent key;
- LiteLLM's master key: the administrator, on every route.
Anything else is 401; an agent or usage reader key on another route is 403. Keys are compared in constant time.
The policy file (limits, prefix, routes) is written by the Pulumi program and holds no secret;
the HMAC secret and the master key come from the container's environment.
"""
import hashlib
import hmac
import json
import os
import re

from fastapi import HTTPException, Request
from litellm.proxy._types import LitellmUserRoles, UserAPIKeyAuth

POLICY_FILE_ENV = "LLPM_GATEWAY_POLICY_FILE"
SECRET_ENV = "LLPM_GATEWAY_KEY_SECRET"
MASTER_KEY_ENV = "LITELLM_MASTER_KEY"
MAC_HEX_LENGTH = 64


def _load_policy():
    with open(os.environ[POLICY_FILE_ENV], encoding="utf-8") as source:
        return json.load(source)


POLICY = _load_policy()
# `<type>-<n>` for the types the policy knows; the id is the part between prefix and MAC.
AGENT_KEY = re.compile(
    "^" + re.escape(POLICY["keyPrefix"])
    + "(?P<agent>(?P<type>" + "|".join(re.escape(t) for t in POLICY["limits"]) + ")-[1-9][0-9]*)"
    + "-(?P<mac>[0-9a-f]{" + str(MAC_HEX_LENGTH) + "})$"
)


def _secret(name):
    value = os.environ.get(name, "")
    if not value:
        # Without a secret every MAC would be computable by anyone: refuse to start serving.
        raise RuntimeError(f"{name} is not set")
    return value.encode()


def expected_mac(agent_id):
    return hmac.new(_secret(SECRET_ENV), (POLICY["keyContext"] + agent_id).encode(), hashlib.sha256).hexdigest()


def is_route_in(path, prefixes):
    return any(path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in prefixes)


def is_agent_route(path):
    return is_route_in(path, POLICY["agentRoutePrefixes"])


def usage_reader_key():
    reader = POLICY["usageReader"]["id"]
    return POLICY["keyPrefix"] + reader + "-" + expected_mac(reader)


def agent_auth(agent_id, agent_type, api_key):
    limits = POLICY["limits"][agent_type]
    return UserAPIKeyAuth(
        api_key=api_key,
        key_alias=agent_id,
        key_name=agent_id,
        user_id=agent_id,
        user_role=LitellmUserRoles.INTERNAL_USER,
        rpm_limit=limits["rpm"],
        tpm_limit=limits["tpm"],
        max_parallel_requests=limits["parallelRequests"],
        max_budget=limits["budgetUsd"],
        metadata={"llpm_agent_id": agent_id, "llpm_agent_type": agent_type},
    )


async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
    key = api_key or ""
    if hmac.compare_digest(key.encode(), _secret(MASTER_KEY_ENV)):
        return UserAPIKeyAuth(api_key=key, user_role=LitellmUserRoles.PROXY_ADMIN)
    if hmac.compare_digest(key.encode(), usage_reader_key().encode()):
        if not is_route_in(request.url.path, POLICY["usageReader"]["routePrefixes"]):
            raise HTTPException(status_code=403, detail=f"the usage reader key may read only {POLICY['usageReader']['routePrefixes']}, not {request.url.path}")
        reader = POLICY["usageReader"]["id"]
        return UserAPIKeyAuth(api_key=key, key_alias=reader, user_id=reader, user_role=LitellmUserRoles.INTERNAL_USER_VIEW_ONLY)
    match = AGENT_KEY.match(key)
    if match is None or not hmac.compare_digest(match["mac"], expected_mac(match["agent"])):
        raise HTTPException(status_code=401, detail="invalid API key")
    if not is_agent_route(request.url.path):
        raise HTTPException(status_code=403, detail=f"an agent key may use only the model routes, not {request.url.path}")
    return agent_auth(match["agent"], match["type"], key)
