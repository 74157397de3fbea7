#!/usr/bin/env bash
# Collects the tr() strings of each area into its .ts (pyside6-lupdate keeps existing
# translations) and compiles every .ts to .qm (pyside6-lrelease).
#
#   scripts/update_translations.sh            # the desk area (ui/ minus feed and wall files)
#   scripts/update_translations.sh feed wall  # other areas
#   scripts/update_translations.sh all
#
# Areas keep separate .ts files so engineers translating in parallel never collide:
#   desk -> resources/i18n/desk_zh_CN.ts   feed -> feed_zh_CN.ts   wall -> wall_zh_CN.ts
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
LANG_CODE=zh_CN
areas=("$@")
[ ${#areas[@]} -eq 0 ] && areas=(desk)
[ "${areas[0]}" = all ] && areas=(desk feed wall)

files_for() {
    case "$1" in
    desk)
        find ui -name '*.py' \
            ! -path 'ui/charts/*' ! -path 'ui/map/*' ! -name 'wall*.py' \
            ! -name 'station_table.py' ! -name 'feed_*.py' | sort ;;
    feed)
        find ui -maxdepth 1 \( -name 'station_table.py' -o -name 'feed_*.py' \) | sort ;;
    wall)
        { find ui/charts ui/map -name '*.py' 2>/dev/null; find ui -maxdepth 1 -name 'wall*.py'; } | sort ;;
    *) echo "unknown area: $1 (desk, feed, wall, all)" >&2; exit 2 ;;
    esac
}

for area in "${areas[@]}"; do
    mapfile -t files < <(files_for "$area")
    if [ ${#files[@]} -eq 0 ]; then
        echo "$area: no source files yet"
        continue
    fi
    "$BIN/pyside6-lupdate" -no-obsolete "${files[@]}" -ts "resources/i18n/${area}_${LANG_CODE}.ts"
done

for ts in resources/i18n/*_"${LANG_CODE}".ts; do
    "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done
