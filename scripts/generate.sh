#!/usr/bin/env bash
# Regenerates every language's code from proto/ with local plugins only (see scripts/setup-tools.sh).
# Generated folders are removed first so that a deleted proto file leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tools.sh
npx buf lint
rm -rf src/gen sdks/typescript/src/gen sdks/go/gen sdks/python/src/openesc/v1
npx buf generate --template buf.gen.yaml
npx buf generate --template buf.gen.server.yaml
