#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, outside the repository:
#   - Debian packages: chromium (the browser), libkrb5-dev (code-server's kerberos module
#     compiles against gssapi.h), ripgrep (seeds @vscode/ripgrep so its postinstall does not
#     try to download rg);
#   - code-server (VS Code 1.100.3 on Node 20) into $CASENOTE_E2E_CACHE (default
#     ~/.cache/casenote-audit), keyed by version, with an .installed-ok marker.
# Idempotent: a warm cache costs nothing. Prints where code-server's entry point is on the last line.
set -euo pipefail
CS_VERSION="${CASENOTE_E2E_CODE_SERVER:-4.100.3}"
CACHE="${CASENOTE_E2E_CACHE:-$HOME/.cache/casenote-audit}"
CSDIR="$CACHE/code-server-$CS_VERSION"
ENTRY="$CSDIR/node_modules/code-server/out/node/entry.js"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ "${#need[@]}" -gt 0 ]; then
  t0=$(date +%s)
  echo "e2e-setup: apt-get install ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  mkdir -p "$CACHE"
  if ! { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
         $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$CACHE/apt.log" 2>&1; then
    echo "e2e-setup: apt-get failed; last lines of $CACHE/apt.log:" >&2
    tail -30 "$CACHE/apt.log" >&2
    exit 1
  fi
  echo "e2e-setup: apt packages installed in $(( $(date +%s) - t0 )) s" >&2
fi

if [ ! -f "$CSDIR/.installed-ok" ] || [ ! -f "$ENTRY" ]; then
  t0=$(date +%s)
  echo "e2e-setup: installing code-server@$CS_VERSION into $CSDIR (cold; about a minute)" >&2
  rm -rf "$CSDIR"
  mkdir -p "$CSDIR/tmp/vscode-ripgrep-cache-1.15.11"
  # @vscode/ripgrep looks for its download in os.tmpdir(); give it Debian's rg under the
  # file name pinned by code-server 4.100.3's shrinkwrap (1.15.11 / v13.0.0-10).
  cp "$(command -v rg)" "$CSDIR/tmp/rg"
  tar czf "$CSDIR/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$CSDIR/tmp" rg
  echo '{"private":true}' > "$CSDIR/package.json"
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`; --unsafe-perm: code-server's
  # postinstall refuses to run as root without it.
  (cd "$CSDIR" && TMPDIR="$CSDIR/tmp" npm_config_yes=true npm_config_fund=false npm_config_audit=false \
     npm install --no-save --loglevel=error "code-server@$CS_VERSION" --unsafe-perm >"$CSDIR/install.log" 2>&1) || {
    echo "e2e-setup: code-server install failed; last lines of $CSDIR/install.log:" >&2
    tail -40 "$CSDIR/install.log" >&2
    exit 1
  }
  rm -rf "$CSDIR/tmp"
  touch "$CSDIR/.installed-ok"
  echo "e2e-setup: code-server installed in $(( $(date +%s) - t0 )) s" >&2
fi
echo "$ENTRY"
