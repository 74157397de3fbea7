#!/usr/bin/env bash
# Collects the tr() strings of each area into its .ts (pyside6-lupdate keeps existing
# translations) and compiles every .ts to .qm (pyside6-lrelease).
#
#   scripts/update_translations.sh              # the desk area (the desk shell's own files)
#   scripts/update_translations.sh feed wall    # other areas
#   scripts/update_translations.sh petition     # any other area: ui/petition.py, ui/petition_*.py
#
# Areas keep separate .ts files so engineers translating in parallel never collide:
#   desk -> dispatch_app/resources/i18n/desk_zh_CN.ts   feed -> feed_zh_CN.ts   wall -> wall_zh_CN.ts
#   emergency -> emergency_zh_CN.ts (also ui/alert_banner.py)
#   <area> -> <area>_zh_CN.ts for ui/<area>.py and ui/<area>_*.py
#   qtbase_extra -> qtbase_extra_zh_CN.ts: Qt's own strings missing from PySide6's qtbase_zh_CN,
#                   kept by hand (no sources to scan); only compiled
# The desk's translation test (tests/gui/test_translations.py) uses the same split.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
LANG_CODE=zh_CN
areas=("$@")
[ ${#areas[@]} -eq 0 ] && areas=(desk)

# The desk shell's files (kept in step with DESK_FILES in tests/gui/test_translations.py).
DESK_FILES="action_dialogs application case_details case_form desk_calls errors i18n labels
login_dialogs main_window queue_model queue_view screenshots shortcuts_dialog status_bar theme user_admin
workspace"

files_for() {
    case "$1" in
    desk)
        for f in $DESK_FILES; do echo "ui/$f.py"; done ;;
    feed)
        find ui -maxdepth 1 \( -name 'station_table.py' -o -name 'feed_*.py' \) | sort ;;
    wall)
        { find ui/charts ui/map -name '*.py' 2>/dev/null; find ui -maxdepth 1 -name 'wall*.py'; } | sort ;;
    emergency)
        # The heavy-pollution alert banner belongs to the emergencies.
        find ui -maxdepth 1 \( -name 'emergency.py' -o -name 'emergency_*.py' -o -name 'alert_banner.py' \) | sort ;;
    *)
        find ui -maxdepth 1 \( -name "$1.py" -o -name "$1_*.py" \) | sort ;;
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
