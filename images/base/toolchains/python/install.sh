#!/usr/bin/env bash
# Python 3 is in every image (Aider needs it); this adds pip, the ruff linter/formatter (own venv,
# linked onto PATH) and the pyright language server (from npm: PyPI's pyright downloads it at run time).
set -euo pipefail
"$(dirname "$0")/../apt-install.sh" python3-pip
python3 -m venv /opt/llpm/python-tools
/opt/llpm/python-tools/bin/pip install --no-cache-dir ruff==0.14.6
ln -sf /opt/llpm/python-tools/bin/ruff /usr/local/bin/ruff
npm install -g --no-audit --no-fund pyright@1.1.414
