#!/usr/bin/env bash
# Install-step wall time, side by side on this machine: the action's
# prebuilt path (scripts/install-action.sh against a loopback server holding
# a release archive and its .sha256) and `cargo install --locked` from a
# clean target directory (what the action did before).
#
#   tests/install/bench-install.sh target/release/release-dashboard
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
version=$("$bin" --version | cut -d ' ' -f 2)
target=x86_64-unknown-linux-musl
[ "$(uname -m)" = aarch64 ] && target=aarch64-unknown-linux-musl
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/site/v$version" "$work/pkg/release-dashboard-$target"
cp "$bin" "$work/pkg/release-dashboard-$target/release-dashboard"
strip "$work/pkg/release-dashboard-$target/release-dashboard" 2>/dev/null || true
tar -cJf "$work/site/v$version/release-dashboard-$target.tar.xz" -C "$work/pkg" "release-dashboard-$target"
(cd "$work/site/v$version" && sha256sum "release-dashboard-$target.tar.xz" > "release-dashboard-$target.tar.xz.sha256")
python3 "$here/serve.py" "$work/site" "$work/port" 3600 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
ms() { date +%s%3N; }
prebuilt=()
for i in 1 2 3; do
    start=$(ms)
    RELEASE_DASHBOARD_DOWNLOAD_URL="http://127.0.0.1:$(cat "$work/port")" RUNNER_TOOL_CACHE="$work/cache$i" \
        INPUT_VERSION="$version" GITHUB_ACTION_PATH="$repo" PATH=/usr/local/bin:/usr/bin:/bin \
        bash "$repo/scripts/install-action.sh" > /dev/null
    prebuilt+=($(( $(ms) - start )))
done
echo "prebuilt download + verify + unpack (ms): ${prebuilt[*]}"
start=$(ms)
CARGO_TARGET_DIR="$work/cargo-target" cargo install --locked --quiet --root "$work/cargo-root" --path "$repo"
echo "cargo install --locked, cold target dir (ms): $(( $(ms) - start ))"
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
