#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
printf '<?php echo "hello from php\\n";\n' >hello.php
php hello.php | grep -qx 'hello from php'
