#!/usr/bin/env bash
# Installs moto_server, the Cognito emulator the tests start, exactly as pinned: every package of
# requirements.txt checked against its wheel's sha256, then the one in unhashed.txt by version
# alone (no public record here gives its hash), each without pulling in anything unlisted
# (--no-deps), wheels only; `pip check` then proves the set is whole. Called by .ci/run and the
# tests workflow. PYTHON names the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")"
python="${PYTHON:-python3}"
"$python" -m pip install --require-hashes --no-deps --only-binary :all: -r requirements.txt
"$python" -m pip install --no-deps --only-binary :all: -r unhashed.txt
"$python" -m pip check
