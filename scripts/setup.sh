#!/usr/bin/env bash
# Installs everything orderbridge needs to build, run and test, on a fresh machine, and
# skips every step that is already done. Run by `make setup` (and so by `make dev` and
# `make test`). Nothing is downloaded outside the package registries (Debian, crates.io, npm).
#
# Two paths to a wasm32 standard library:
#   * where `rustup target add wasm32-unknown-unknown` works (a laptop with internet), use it;
#   * otherwise build it from Debian's rustc-web + rust-web-src into Debian's sysroot and
#     link that as the rustup toolchain `web`: std built once with
#     `-Z build-std=std,panic_abort,test` and `-Cembed-bitcode=yes` (a stamp file records the
#     compiler it was built for). WASM_STD=debian forces this path, WASM_STD=rustup forbids it.
#
# It writes `.toolchain.env` (git-ignored): the environment the Makefile hands to cargo,
# worker-build and wrangler.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD

WORKER_BUILD_VERSION=0.8.7
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
DEBIAN_SYSROOT=/usr/lib/rustlib/wasm32-unknown-unknown/lib

# One line per step, with how long it took.
step() {
  local name=$1; shift
  local start=$SECONDS
  local outcome
  outcome=$("$@") || { echo "setup: $name: FAILED after $((SECONDS - start)) s" >&2; exit 1; }
  printf 'setup: %-34s %-40s %3d s\n' "$name" "${outcome:-done}" "$((SECONDS - start))"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- the wasm32 target --------------------------------------------------------------------
use_rustup_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "already installed"; return 0
  fi
  # Fails within seconds on machines without the Rust distribution server.
  if timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    echo "installed with rustup"; return 0
  fi
  return 1
}

debian_packages() {
  local have
  have=$(dpkg-query -W -f='${Status}\n' rustc-web cargo-web rust-web-src rust-web-llvm 2>/dev/null |
    grep -c 'install ok installed' || true)
  if [ "$have" = 4 ] && /usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1; then
    echo "already installed"; return 0
  fi
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq rustc-web cargo-web rust-web-src rust-web-llvm >&2
  # rust-web-llvm's /usr/bin/rust-lld (the wasm linker) is a link to lld-N, a package it does
  # not depend on: install the one the link names.
  local lld
  lld=$(basename "$(readlink /usr/bin/rust-lld)")
  if ! /usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$lld" >&2
  fi
  /usr/bin/rust-lld -flavor wasm --version >/dev/null
  echo "installed rustc-web cargo-web rust-web-src rust-web-llvm $lld"
}

# The std built here must match the compiler exactly; a stamp file records which one.
debian_sysroot() {
  local want stamp="$DEBIAN_SYSROOT/.orderbridge-stamp"
  want=$(/usr/bin/rustc --version)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && ls "$DEBIAN_SYSROOT"/libstd-*.rlib >/dev/null 2>&1; then
    echo "already built for $want"; return 0
  fi
  local work
  work=$(mktemp -d)
  mkdir -p "$work/src"
  printf '[package]\nname = "sysroot-driver"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' >"$work/Cargo.toml"
  echo '#![no_std]' >"$work/src/lib.rs"
  # -Cembed-bitcode=yes: crates built with lto need bitcode in std; `test` is for wasm tests.
  (cd "$work" && RUSTFLAGS="-Cembed-bitcode=yes" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort,test >&2)
  as_root mkdir -p "$DEBIAN_SYSROOT"
  find "$work/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libsysroot_driver-*' \
    -exec cp {} "$DEBIAN_SYSROOT/" \;
  echo "$want" | as_root tee "$stamp" >/dev/null
  rm -rf "$work"
  echo "built for $want"
}

web_toolchain() {
  if rustup toolchain list | grep -q '^web'; then
    echo "already linked"; return 0
  fi
  rustup toolchain link web /usr
  echo "linked /usr as 'web'"
}

# --- tools from crates.io -------------------------------------------------------------------
cargo_tool() {
  local crate=$1 version=$2 bin=$3; shift 3
  if [ -x "$CARGO_BIN/$bin" ] && "$CARGO_BIN/$bin" --version 2>/dev/null | grep -qw "$version"; then
    echo "$crate $version already installed"; return 0
  fi
  cargo install -q "$crate" --version "$version" --force "$@" >&2
  echo "installed $crate $version"
}

# --- tools from npm -------------------------------------------------------------------------
npm_tools() {
  local want have
  want=$(node -p "require('./package-lock.json').packages['node_modules/wrangler'].version")
  have=$(node -p "try { require('./node_modules/wrangler/package.json').version } catch { '' }")
  if [ "$want" = "$have" ] && [ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/@esbuild/linux-x64/bin/esbuild ]; then
    echo "wrangler $have already installed"; return 0
  fi
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "installed wrangler $want"
}

# Creates .dev.vars from the example; in an existing one, keeps every value and appends the
# names it lacks (a later change may add secrets the Worker then expects locally).
dev_vars() {
  if [ ! -f .dev.vars ]; then
    cp .dev.vars.example .dev.vars
    echo "created .dev.vars from .dev.vars.example"; return 0
  fi
  local added=() name
  while IFS= read -r line; do
    name=${line%%=*}
    case $line in ''|'#'*) continue ;; esac
    if ! grep -q "^$name=" .dev.vars; then
      printf '%s\n' "$line" >>.dev.vars
      added+=("$name")
    fi
  done <.dev.vars.example
  if [ ${#added[@]} -eq 0 ]; then echo "kept existing .dev.vars"; else echo "added ${added[*]} to .dev.vars"; fi
}

write_env() {
  local toolchain=$1
  {
    echo "# Written by scripts/setup.sh; read by the Makefile. Not committed."
    # The toolchain that builds for wasm32 (`web`, or the rustup default that has the target).
    echo "export WASM_TOOLCHAIN=$toolchain"
    echo "export WASM_BINDGEN_BIN=$CARGO_BIN/wasm-bindgen"
    echo "export ESBUILD_BIN=$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"
    echo "export WASM_OPT_BIN=$ROOT/node_modules/.bin/wasm-opt"
    echo "export PATH=$CARGO_BIN:$ROOT/node_modules/.bin:\$PATH"
  } >.toolchain.env
  echo "wrote .toolchain.env"
}

total=$SECONDS
# WASM_STD=debian forces the Debian path (to test it where rustup would work); =rustup forbids it.
WASM_STD=${WASM_STD:-auto}
start=$SECONDS
if [ "$WASM_STD" != debian ] && out=$(use_rustup_target); then
  printf 'setup: %-34s %-40s %3d s\n' "wasm32 target (rustup)" "$out" "$((SECONDS - start))"
  toolchain=$(rustup show active-toolchain | awk '{print $1}')
elif [ "$WASM_STD" = rustup ]; then
  echo "setup: rustup cannot install wasm32-unknown-unknown and WASM_STD=rustup forbids the Debian path" >&2
  exit 1
else
  printf 'setup: %-34s %s\n' "wasm32 target (rustup)" "not used; building it from Debian's rustc-web"
  step "debian rustc-web packages" debian_packages
  step "wasm32 standard library" debian_sysroot
  step "rustup toolchain 'web'" web_toolchain
  toolchain=web
fi
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock; `--locked` fails for it
# on the registry mirror, so it is installed unlocked.
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION" cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
step "worker-build $WORKER_BUILD_VERSION" cargo_tool worker-build "$WORKER_BUILD_VERSION" worker-build --locked
step "wrangler and wasm-opt (npm ci)" npm_tools
step ".dev.vars" dev_vars
step ".toolchain.env" write_env "$toolchain"
echo "setup: ready in $((SECONDS - total)) s"
