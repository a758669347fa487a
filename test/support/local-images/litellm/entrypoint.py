#!/opt/litellm/bin/python
"""Entrypoint of the LiteLLM stand-in: runs `litellm` with the given arguments, without a database.

LiteLLM reaches Postgres through Prisma, whose query engine is downloaded at first use; nothing can
be downloaded here, so with DATABASE_URL set the proxy would fail at start. This stand-in therefore
drops DATABASE_URL and STORE_MODEL_IN_DB from the environment and `database_url` /
`store_model_in_db` from the config file's general_settings (the config is rewritten to a copy; the
mounted file is left alone). Everything else in the config is served as the official image would.
"""
import os
import sys

import yaml

DATABASE_ENV = ("DATABASE_URL", "STORE_MODEL_IN_DB")
DATABASE_SETTINGS = ("database_url", "store_model_in_db")
SANITISED_CONFIG = "/tmp/llpm-litellm-config.yaml"


def without_database(config):
    settings = config.get("general_settings") or {}
    for key in DATABASE_SETTINGS:
        settings.pop(key, None)
    return config


def rewrite_config_argument(args):
    if "--config" not in args:
        return args
    at = args.index("--config") + 1
    with open(args[at], encoding="utf-8") as source:
        config = yaml.safe_load(source) or {}
    with open(SANITISED_CONFIG, "w", encoding="utf-8") as target:
        yaml.safe_dump(without_database(config), target)
    return args[:at] + [SANITISED_CONFIG] + args[at + 1:]


def main():
    for name in DATABASE_ENV:
        os.environ.pop(name, None)
    args = rewrite_config_argument(sys.argv[1:])
    os.execvp("litellm", ["litellm", *args])


if __name__ == "__main__":
    main()
