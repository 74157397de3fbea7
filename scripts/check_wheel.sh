#!/usr/bin/env bash
# The wheel works on its own: builds it, installs it with its dependencies into a fresh venv in a
# temporary directory, and from a directory outside the repository
#   - checks every file of dispatch_app/ and ui/ in git is in the wheel (resources included),
#   - starts the data service (`python -m dispatch_app.dataservice --simulate`) until its ready
#     line and reads its station registry over HTTP,
#   - finds the translations, themes and basemap inside the installed package and loads the
#     Chinese catalogue,
#   - runs the installed `dispatch-desk --demo --screenshot DIR` offscreen (it renders every main
#     view once the live feed has data, then quits) and checks the pictures are there.
#
#   scripts/check_wheel.sh                  # with .venv/bin/python (make wheel-check)
#   PYTHON=/path/to/python scripts/check_wheel.sh
#   KEEP=1 scripts/check_wheel.sh           # keep the temporary directory to look at
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dispatch-wheel.XXXXXX")"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; fi
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "wheel check: kept $WORK"; fi
}
trap cleanup EXIT
started=$(date +%s)
step() { echo "wheel check [$(($(date +%s) - started))s]: $*"; }
fail() {
    echo "wheel check FAILED: $*" >&2
    exit 1
}

step "building the wheel"
# From a copy of the files git knows (tracked or new, not ignored): no stale build/ directory,
# no stray local file, nothing written into the checkout.
mkdir "$WORK/src"
git -C "$REPO" ls-files -z --cached --others --exclude-standard |
    (cd "$REPO" && tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$WORK/src"
"$PYTHON" -m pip wheel -qq --no-deps --wheel-dir "$WORK/dist" "$WORK/src"
WHEEL="$(ls "$WORK"/dist/dispatch_desk-*.whl)"

step "comparing $(basename "$WHEEL") with the files in git"
git -C "$REPO" ls-files -- dispatch_app ui | grep -v '/__pycache__/' >"$WORK/tracked.txt"
"$PYTHON" - "$WHEEL" "$WORK/tracked.txt" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
tracked = [line.strip() for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
missing = [path for path in tracked if path not in names]
if missing:
    sys.exit(f"{len(missing)} files missing from the wheel, e.g. {missing[:5]}")
print(f"  {len(tracked)} files of dispatch_app/ and ui/ are in the wheel")
EOF

step "installing it into a fresh venv (with its dependencies)"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install -qq --disable-pip-version-check "$WHEEL"

# Nothing of the repository is reachable from here on: another directory, no PYTHONPATH, the
# desk's settings and data in the temporary directory.
mkdir -p "$WORK/run" "$WORK/home"
cd "$WORK/run"
unset PYTHONPATH
export DISPATCH_DESK_HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/xdg-config"
export XDG_DATA_HOME="$WORK/home/xdg-data" QT_QPA_PLATFORM=offscreen

step "the installed package and its resources"
"$VPY" - "$REPO" <<'EOF'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

import dispatch_app
from dispatch_app.resources import resources_dir
from ui.shell import i18n, theme
from ui.wall.map import basemap

repo = Path(sys.argv[1]).resolve()
root = resources_dir()
for path in (Path(dispatch_app.__file__), root, i18n.I18N_DIR, theme.THEMES_DIR):
    if path.resolve().is_relative_to(repo) or "site-packages" not in str(path):
        sys.exit(f"{path} is not inside the installed package")
for needed in ("stations.json", "units.toml", "rules/alarms.toml", "cap/CAP-v1.2.xsd"):
    if not (root / needed).is_file():
        sys.exit(f"{needed} is not installed")
if not list(theme.THEMES_DIR.glob("*.qss")) or not basemap.BASEMAP_FILE.is_file():
    sys.exit("themes or basemap not installed")

app = QApplication([])
loaded = [p for p in i18n.install_translators(app, "zh") if p.parent == i18n.I18N_DIR]
shipped = sorted(i18n.I18N_DIR.glob("*_zh_CN.qm"))
if not shipped or len(loaded) != len(shipped):
    sys.exit(f"translations: {len(loaded)} of {len(shipped)} .qm files loaded")
# Every area's catalogue answers with its Chinese: its first finished message, asked of Qt.
for ts in sorted(i18n.I18N_DIR.glob("*_zh_CN.ts")):
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        found = next(
            (
                (m.findtext("source"), m.findtext("translation"))
                for m in context.iter("message")
                if m.find("translation") is not None
                and not m.find("translation").get("type")
                and m.findtext("translation")
                and m.get("numerus") != "yes"
            ),
            None,
        )
        if found:
            source, wanted = found
            got = QCoreApplication.translate(name, source)
            if got != wanted:
                sys.exit(f"{ts.name}: {name} {source!r} -> {got!r}, not {wanted!r}")
            print(f"  {ts.name}: {source!r} -> {got!r}")
            break
print(f"  resources in {root}; {len(loaded)} translation files loaded")
EOF

step "the data service up to its ready line"
"$VPY" -m dispatch_app.dataservice --simulate --db "sqlite:///$WORK/dataservice.db" \
    --log-level WARNING >"$WORK/dataservice.out" 2>"$WORK/dataservice.err" &
SERVICE_PID=$!
for _ in $(seq 1 120); do
    grep -q '"event": "ready"' "$WORK/dataservice.out" 2>/dev/null && break
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.5
done
grep -q '"event": "ready"' "$WORK/dataservice.out" ||
    fail "no ready line from the data service: $(tail -n 5 "$WORK/dataservice.err")"
"$VPY" - "$WORK/dataservice.out" <<'EOF'
import json, sys, urllib.request
ready = json.loads(open(sys.argv[1], encoding="utf-8").readline())
with urllib.request.urlopen(ready["http"] + "/api/v1/stations", timeout=10) as answer:
    stations = json.load(answer)
items = stations["stations"] if isinstance(stations, dict) else stations
if not items:
    sys.exit("the data service serves no stations")
print(f"  {ready['http']} serves {len(items)} stations")
EOF
kill "$SERVICE_PID"
wait "$SERVICE_PID" 2>/dev/null || true
SERVICE_PID=""

step "the installed desk renders its views offscreen and quits"
if ! timeout 240 "$WORK/venv/bin/dispatch-desk" --demo --screenshot "$WORK/shots" \
    >"$WORK/desk.log" 2>&1; then
    tail -n 20 "$WORK/desk.log" >&2
    fail "dispatch-desk --demo --screenshot did not finish cleanly"
fi
shots=$(find "$WORK/shots" -name '*.png' -size +1k | wc -l)
[ "$shots" -ge 3 ] || fail "only $shots screenshots in $WORK/shots"
step "$shots screenshots; the wheel works"
