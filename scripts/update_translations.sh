#!/usr/bin/env bash
# Collects the tr() strings of each area into its .ts (pyside6-lupdate keeps existing
# translations) and compiles every .ts to .qm (pyside6-lrelease).
#
#   scripts/update_translations.sh              # the desk area (the desk shell's own files)
#   scripts/update_translations.sh feed wall    # other areas
#   scripts/update_translations.sh petition     # any other area: its package (ui/petitions/)
#
# Areas keep separate .ts files so engineers translating in parallel never collide:
#   desk -> dispatch_app/resources/i18n/desk_zh_CN.ts: the desk shell and the cases (ui/shell/, ui/cases/)
#   feed -> feed_zh_CN.ts: ui/stations/ and ui/shell/feed_bridge.py
#   closure -> closure_zh_CN.ts: ui/cases/closure_requests.py
#   wall -> wall_zh_CN.ts: ui/wall/ (with charts/ and map/)
#   petition, emergency, alarm -> <area>_zh_CN.ts: ui/petitions/, ui/emergencies/, ui/alarms/
#   qtbase_extra -> qtbase_extra_zh_CN.ts: Qt's own strings missing from PySide6's qtbase_zh_CN,
#                   kept by hand (no sources to scan); only compiled
# The desk's translation test (tests/gui/test_translations.py) uses the same split.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
LANG_CODE=zh_CN
areas=("$@")
[ ${#areas[@]} -eq 0 ] && areas=(desk)

# Files kept in another area's .ts than their package's (kept in step with AREA_OF_FILE in
# tests/gui/test_translations.py).
OWN_AREA="ui/shell/feed_bridge.py ui/cases/closure_requests.py"

package_files() {
    find "$@" -name '*.py' ! -name '__init__.py' | grep -vxF -f <(tr ' ' '\n' <<<"$OWN_AREA") | sort
}

files_for() {
    case "$1" in
    desk) package_files ui/shell ui/cases ;;
    feed) { package_files ui/stations; echo ui/shell/feed_bridge.py; } | sort ;;
    closure) echo ui/cases/closure_requests.py ;;
    wall) package_files ui/wall ;;
    petition) package_files ui/petitions ;;
    emergency) package_files ui/emergencies ;;
    alarm) package_files ui/alarms ;;
    *) echo "unknown area: $1" >&2 ;;
    esac
}

for area in "${areas[@]}"; do
    if [ "$area" = qtbase_extra ]; then
        ts="dispatch_app/resources/i18n/${area}_${LANG_CODE}.ts"
        "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
        continue
    fi
    mapfile -t files < <(files_for "$area")
    if [ ${#files[@]} -eq 0 ]; then
        echo "$area: no source files yet"
        continue
    fi
    ts="dispatch_app/resources/i18n/${area}_${LANG_CODE}.ts"
    "$BIN/pyside6-lupdate" -no-obsolete "${files[@]}" -ts "$ts"
    "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done
