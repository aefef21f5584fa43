#!/usr/bin/env bash
# Builds the Debian package of walnotify: bash packaging/deb.sh [VERSION] [OUTDIR]
# (default version: from git describe; default outdir: dist/). Needs Go and dpkg-deb.
# The package holds /usr/bin/walnotify, the hardened systemd unit, /etc/walnotify/walnotify.toml
# (a conffile, from config.example.toml) and creates the walnotify system user on install.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --always --dirty 2>/dev/null | sed 's/^v//' || echo 0.0.0)}
[[ $version =~ ^[0-9] ]] || version="0.0.0+$version"
out=${2:-dist}
arch=$(go env GOARCH)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/walnotify" "$root/usr/share/doc/walnotify"
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$root/usr/bin/walnotify" ./cmd/walnotify
install -m 0644 packaging/walnotify.service "$root/lib/systemd/system/walnotify.service"
install -m 0640 config.example.toml "$root/etc/walnotify/walnotify.toml"
install -m 0644 LICENSE "$root/usr/share/doc/walnotify/copyright"
install -m 0644 README.md "$root/usr/share/doc/walnotify/README.md"

cat > "$root/DEBIAN/control" <<CONTROL
Package: walnotify
Version: $version
Architecture: $arch
Maintainer: walnotify developers <walnotify@localhost>
Section: net
Priority: optional
Depends: adduser
Recommends: postgresql-client
Description: ERP document notifications from PostgreSQL logical replication
 walnotify streams the changes of a Frappe, ERPNext or Dokos database, evaluates the
 Notification rules of a TOML file and delivers the messages to chat webhooks, with an
 outbox in PostgreSQL: nothing lost, retried, in order.
CONTROL
echo /etc/walnotify/walnotify.toml > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  adduser --system --group --home /nonexistent --no-create-home --quiet walnotify
  chown root:walnotify /etc/walnotify/walnotify.toml
  chmod 0640 /etc/walnotify/walnotify.toml
  if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null || true; fi
fi
POSTINST
cat > "$root/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then systemctl stop walnotify.service >/dev/null 2>&1 || true; fi
PRERM
cat > "$root/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ "$1" = purge ]; then deluser --system --quiet walnotify >/dev/null 2>&1 || true; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
POSTRM
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"

mkdir -p "$out"
deb="$out/walnotify_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
