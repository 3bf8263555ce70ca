#!/usr/bin/env bash
# The action's install step (scripts/install-action.sh) against a loopback
# HTTP server that serves a release archive of a freshly built binary and
# its .sha256, with no cargo on PATH: it installs and caches the binary; a
# wrong checksum fails and installs nothing; a missing archive without cargo
# fails with a clear message.
#
#   tests/install/test-action-install.sh target/release/release-dashboard
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$bin" ] || { echo "usage: $0 PATH/TO/release-dashboard (built)" >&2; exit 2; }
version=$("$bin" --version | cut -d ' ' -f 2)
case "$(uname -m)" in
    x86_64) arch=X64 target=x86_64-unknown-linux-musl ;;
    aarch64 | arm64) arch=ARM64 target=aarch64-unknown-linux-musl ;;
    *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;;
esac

work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The release layout: v<version>/release-dashboard-<target>.tar.xz + .sha256.
dist=$work/site/v$version
mkdir -p "$dist" "$work/pkg/release-dashboard-$target"
cp "$bin" "$work/pkg/release-dashboard-$target/release-dashboard"
cp "$repo/README.md" "$work/pkg/release-dashboard-$target/"
asset=release-dashboard-$target.tar.xz
XZ_OPT=-0 tar -cJf "$dist/$asset" -C "$work/pkg" "release-dashboard-$target"
(cd "$dist" && sha256sum "$asset" > "$asset.sha256")
# A second version whose checksum file does not match its archive.
bad=$work/site/v$version-bad
mkdir -p "$bad"
cp "$dist/$asset" "$bad/$asset"
echo "0000000000000000000000000000000000000000000000000000000000000000  $asset" > "$bad/$asset.sha256"

python3 "$here/serve.py" "$work/site" "$work/port" 120 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
base=http://127.0.0.1:$port

# No cargo on PATH: the system directories only (cargo lives in ~/.cargo/bin).
nocargo=/usr/local/bin:/usr/bin:/bin
if PATH=$nocargo command -v cargo > /dev/null 2>&1; then
    echo "cargo is in a system directory; cannot test without it" >&2
    exit 2
fi

passed=0 failed=0
check() { # NAME CONDITION...
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
install() { # TOOLS VERSION-INPUT BASE -> output in $work/out, status in $status
    local tools=$1 input=$2 url=$3
    : > "$tools.path"
    status=0
    env -i PATH="$nocargo" HOME="$work/home" RUNNER_OS=Linux RUNNER_ARCH="$arch" \
        RUNNER_TOOL_CACHE="$tools" GITHUB_PATH="$tools.path" GITHUB_ACTION_PATH="$repo" \
        INPUT_VERSION="$input" RELEASE_DASHBOARD_DOWNLOAD_URL="$url" \
        bash "$repo/scripts/install-action.sh" > "$work/out" 2>&1 || status=$?
}

started=$(date +%s%N)
install "$work/tools" "$version" "$base"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
installed="$(cat "$work/tools.path")/release-dashboard"
check "installs from the loopback mirror (exit $status, ${elapsed_ms} ms)" test "$status" -eq 0
check "puts the bin directory on GITHUB_PATH" test -x "$installed"
check "the installed binary prints its version" test "$("$installed" --version 2>/dev/null)" = "release-dashboard $version"
check "verifies the checksum" grep -q "verified SHA-256" "$work/out"

install "$work/tools" "$version" "http://127.0.0.1:1"
check "a second run uses the cache, no download" grep -q "is cached in" "$work/out"

mv "$work/site/v$version-bad" "$work/site/v9.9.9" 2>/dev/null
install "$work/tools-bad" "9.9.9" "$base"
check "a wrong checksum fails the step" test "$status" -ne 0
check "and says so" grep -q "checksum mismatch" "$work/out"
check "and installs nothing" test -z "$(find "$work/tools-bad" -name release-dashboard -type f 2>/dev/null)"
check "and adds nothing to PATH" test ! -s "$work/tools-bad.path"

install "$work/tools-none" "8.8.8" "$base"
check "no archive and no cargo fails" test "$status" -ne 0
check "with a clear message" grep -q "cargo is not installed" "$work/out"

if [ "$failed" -ne 0 ]; then
    echo "--- last output"; cat "$work/out"
fi
echo "install step: prebuilt download ${elapsed_ms} ms"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
