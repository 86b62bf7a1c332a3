#!/bin/sh
# Installs or upgrades vooru from this source folder on Raspberry Pi OS / Debian, as a systemd
# service running as the unprivileged user vooru. Run it as root from the unpacked release:
#   sudo deploy/install.sh            # install or upgrade, then (re)start the service
#   sudo deploy/install.sh --no-start # install, do not start (edit /etc/vooru/office.yaml first)
# What it does (docs/raspberry-pi.md explains each step):
#   1. checks Node.js >= 20.19 and systemd-notify;
#   2. creates the groups gpio and i2c where missing, and the system user vooru;
#   3. builds a copy in /opt/vooru.new (npm ci, which builds, then npm prune --omit=dev);
#   4. stops vooru, swaps /opt/vooru.new in (the previous one stays as /opt/vooru.old);
#   5. installs the unit and the udev rules, and /etc/vooru/office.yaml if there is none, with a
#      random password for every MQTT user (shown once; only their hashes are stored), mode 0600,
#      owned by vooru;
#   6. enables vooru and starts it again. The journal in /var/lib/vooru is never touched: the
#      day's queue replays on start.
set -eu

PREFIX=/opt/vooru
CONFIG_DIR=/etc/vooru
SRC=$(cd "$(dirname "$0")/.." && pwd)
START=yes
[ "${1:-}" = "--no-start" ] && START=no

say() { printf '\n== %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run me as root (sudo $0)"
command -v node >/dev/null || die "Node.js is not installed (docs/raspberry-pi.md, step 2)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js $(node --version) is too old: vooru needs 20.19 or newer"
[ "$(command -v node)" = /usr/bin/node ] ||
  echo "note: node is $(command -v node); the unit runs /usr/bin/node (systemctl edit vooru to change it)"
command -v systemd-notify >/dev/null || die "systemd-notify is missing (package systemd)"

say "groups and the vooru user"
for group in gpio i2c plugdev audio; do
  getent group "$group" >/dev/null || groupadd --system "$group"
done
if ! id vooru >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/vooru --no-create-home --shell /usr/sbin/nologin vooru
fi
usermod --append --groups dialout,lp,plugdev,gpio,i2c,audio vooru

say "building $PREFIX.new"
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
# The source without local state: no node_modules, no build output, no demo journal.
tar -C "$SRC" --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.git -cf - . |
  tar -C "$PREFIX.new" -xf -
# npm ci installs the exact lockfile (no native compiling: serialport and node-hid come with
# prebuilt binaries) and runs the build (prepare); then the build tools go.
(cd "$PREFIX.new" && npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund)
chown -R root:root "$PREFIX.new"
chmod -R go-w "$PREFIX.new"

say "installing"
if systemctl is-active --quiet vooru; then
  # SIGTERM: vooru closes the journal and releases its lock; nothing of the day's queue is lost.
  systemctl stop vooru
fi
rm -rf "$PREFIX.old"
[ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
mv "$PREFIX.new" "$PREFIX"

install -m 0644 "$PREFIX/deploy/systemd/vooru.service" /etc/systemd/system/vooru.service
install -m 0644 "$PREFIX/deploy/udev/60-vooru.rules" /etc/udev/rules.d/60-vooru.rules
udevadm control --reload
udevadm trigger --subsystem-match=hidraw --subsystem-match=usbmisc --subsystem-match=tty \
  --subsystem-match=gpio --subsystem-match=i2c-dev || true

install -d -m 0750 -o root -g vooru "$CONFIG_DIR"
if [ ! -f "$CONFIG_DIR/office.yaml" ]; then
  # The example's passwords are published (vooru refuses to start with them): every user gets a
  # random one. The copy holds their hashes and, later perhaps, the broker's password: vooru's alone.
  new="$CONFIG_DIR/office.yaml.new"
  install -m 0600 -o vooru -g vooru "$PREFIX/examples/office.yaml" "$new"
  say "passwords of the MQTT users in $CONFIG_DIR/office.yaml: note them now, they are not shown again"
  node "$PREFIX/bin/vooru.js" passwd --config "$new" --all --generate ||
    { rm -f "$new"; die "could not set the passwords of the new $CONFIG_DIR/office.yaml"; }
  chown vooru:vooru "$new"
  chmod 0600 "$new"
  mv "$new" "$CONFIG_DIR/office.yaml"
  echo "wrote $CONFIG_DIR/office.yaml from the example: edit it, then: sudo systemctl restart vooru"
  echo "(a user's password again: sudo vooru passwd --config $CONFIG_DIR/office.yaml --user NAME)"
elif [ "$(stat -c %a "$CONFIG_DIR/office.yaml")" = 640 ] && [ "$(stat -c %U:%G "$CONFIG_DIR/office.yaml")" = root:vooru ]; then
  # What install.sh wrote before: the service user's alone now.
  chown vooru:vooru "$CONFIG_DIR/office.yaml"
  chmod 0600 "$CONFIG_DIR/office.yaml"
  echo "$CONFIG_DIR/office.yaml is now mode 0600, owned by vooru"
fi
ln -sf "$PREFIX/bin/vooru.js" /usr/local/bin/vooru

systemctl daemon-reload
systemctl enable vooru >/dev/null
if [ "$START" = yes ]; then
  say "starting"
  # Its warnings (plain-text passwords, files open to other users) show; a published example
  # password stops the install here, like any other config error.
  if ! vooru check --config "$CONFIG_DIR/office.yaml" --data-dir /var/lib/vooru >/dev/null; then
    die "$CONFIG_DIR/office.yaml is not valid (vooru check --config $CONFIG_DIR/office.yaml); vooru is not started"
  fi
  systemctl start vooru
  systemctl --no-pager --lines=15 status vooru || true
fi
say "done. Logs: journalctl -u vooru -f   Previous version: $PREFIX.old"
