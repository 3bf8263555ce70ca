#!/usr/bin/env bash
# The action's install step: put release-dashboard on PATH without a
# compiler. Downloads the prebuilt archive for this runner's OS and
# architecture (cargo-dist's names: release-dashboard-<target>.tar.xz, .zip
# on Windows, each with a .sha256 beside it), verifies its SHA-256 before
# unpacking, and installs it into the runner's tool cache. Only when no
# archive exists for this version and platform does it fall back to
# `cargo install`. A checksum mismatch fails the step and installs nothing.
#
# Environment:
#   INPUT_VERSION                   exact version (default: the action's Cargo.toml)
#   RELEASE_DASHBOARD_DOWNLOAD_URL  base URL holding v<version>/<asset>
#                                   (default: the project's GitHub releases)
#   RUNNER_OS, RUNNER_ARCH          set by GitHub Actions (else uname)
#   RUNNER_TOOL_CACHE               install root (else ~/.cache)
#   GITHUB_ACTION_PATH              the action's checkout (Cargo.toml, source)
#   GITHUB_PATH                     where the bin directory is added to PATH
set -euo pipefail

say() { printf '%s\n' "$*"; }
fail() {
    printf '::error title=release-dashboard install::%s\n' "$*"
    exit 1
}

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
fi
case "$version" in
    "" | *[!0-9A-Za-z.+-]*) fail "cannot tell which version to install ('$version'); set the action's version input, e.g. 0.1.0" ;;
esac
version=${version#v}

os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
case "$os/$arch" in
    Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target=x86_64-pc-windows-msvc ;;
    *) target="" ;;
esac
case "$target" in
    *windows*) ext=zip exe=.exe ;;
    *) ext=tar.xz exe="" ;;
esac

base=${RELEASE_DASHBOARD_DOWNLOAD_URL:-https://github.com/release-dashboard/release-dashboard/releases/download}
base=${base%/}
root=${RUNNER_TOOL_CACHE:-${HOME:-/tmp}/.cache}/release-dashboard/$version
bin_dir=$root/$target
add_to_path() {
    if [ -n "${GITHUB_PATH:-}" ]; then
        printf '%s\n' "$1" >> "$GITHUB_PATH"
    fi
    say "release-dashboard $version: $1"
}

# Already installed (a cached tool directory)?
if [ -n "$target" ] && [ -x "$bin_dir/release-dashboard$exe" ] &&
    [ "$("$bin_dir/release-dashboard$exe" --version 2>/dev/null)" = "release-dashboard $version" ]; then
    say "release-dashboard $version is cached in $bin_dir"
    add_to_path "$bin_dir"
    exit 0
fi

sha256_of() {
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum > /dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        fail "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

# Download one URL to a file; exit 22 from curl means HTTP 4xx/5xx.
fetch() {
    curl --fail --silent --show-error --location --proto '=https,http' \
        --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 \
        --output "$2" "$1"
}

fallback() {
    say "$1; building from source with cargo install instead"
    command -v cargo > /dev/null 2>&1 ||
        fail "$1, and cargo is not installed to build it; add a Rust toolchain step, or set RELEASE_DASHBOARD_DOWNLOAD_URL to a mirror that has it"
    if [ -f "$action_path/Cargo.toml" ] && [ -z "${INPUT_VERSION:-}" ]; then
        source_args=(--path "$action_path")
    else
        source_args=(release-dashboard --version "=$version")
    fi
    cargo install --locked --root "$root/cargo" "${source_args[@]}"
    add_to_path "$root/cargo/bin"
    exit 0
}

[ -n "$target" ] || fallback "no prebuilt release-dashboard for $os/$arch"
asset=release-dashboard-$target.$ext
url=$base/v$version/$asset
# What is printed never carries credentials from the URL's userinfo.
shown=$(printf '%s' "$url" | sed -E 's#^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@#\1#')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "downloading $shown"
status=0
fetch "$url" "$work/$asset" || status=$?
if [ "$status" -ne 0 ]; then
    if [ "$status" -eq 22 ]; then
        fallback "no prebuilt archive at $shown"
    fi
    fail "could not download $shown (curl exit $status)"
fi
fetch "$url.sha256" "$work/$asset.sha256" || fail "could not download $shown.sha256 to verify the archive"
expected=$(tr -s ' \t*' ' ' < "$work/$asset.sha256" | cut -d ' ' -f 1 | tr 'A-F' 'a-f')
actual=$(sha256_of "$work/$asset")
case "$expected" in
    [0-9a-f]*) ;;
    *) fail "$asset.sha256 does not hold a SHA-256 checksum; nothing was installed" ;;
esac
if [ "${#expected}" -ne 64 ] || [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $asset: expected $expected, got $actual; nothing was installed (a corrupted download or a tampered mirror)"
fi
say "verified SHA-256 $actual"

mkdir -p "$work/unpacked"
case "$ext" in
    zip) unzip -q "$work/$asset" -d "$work/unpacked" ;;
    *) tar -xJf "$work/$asset" -C "$work/unpacked" ;;
esac
binary=$(find "$work/unpacked" -type f -name "release-dashboard$exe" | head -n 1)
[ -n "$binary" ] || fail "$asset holds no release-dashboard$exe; nothing was installed"
chmod +x "$binary"
got=$("$binary" --version 2>/dev/null || true)
[ "$got" = "release-dashboard $version" ] ||
    fail "$asset holds '$got', not release-dashboard $version; nothing was installed"

# Install atomically: a staged directory renamed into place.
mkdir -p "$root"
stage=$(mktemp -d "$root/.stage.XXXXXX")
mv "$binary" "$stage/release-dashboard$exe"
rm -rf "$bin_dir"
mv "$stage" "$bin_dir"
add_to_path "$bin_dir"
