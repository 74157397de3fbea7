# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo test lint typecheck bench clean acceptance screenshots acceptance-tools \
	wheel-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

demo: $(STAMP)
	$(PY) main.py --demo $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(PY) -m mypy

test: $(STAMP) lint typecheck acceptance-tools
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest $(PYTEST_ARGS)

# The acceptance shift needs an X server, a window manager, xdotool, ImageMagick, CJK fonts and
# the xcb libraries Qt loads; installed here when missing (Debian/Ubuntu, as root).
ACCEPTANCE_PACKAGES := xvfb xdotool openbox imagemagick fonts-noto-cjk libxcb-cursor0 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 \
	libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0

acceptance-tools:
	@if ! command -v Xvfb >/dev/null || ! command -v openbox >/dev/null \
		|| ! command -v xdotool >/dev/null || ! command -v import >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq $(ACCEPTANCE_PACKAGES) >/dev/null; \
		else echo "acceptance: install $(ACCEPTANCE_PACKAGES)"; fi; fi

# The officer's shift on the real desk under Xvfb + openbox at 1920x1080 and 1366x768.
acceptance: $(STAMP) acceptance-tools
	$(PY) -m pytest tests/acceptance -m acceptance -p no:cacheprovider $(PYTEST_ARGS)

# docs/screenshots from the acceptance run's pictures (tests/artifacts/<size>/<step>.png): every
# step at both sizes in docs/screenshots/shift, and the README's pictures of the same views
# (SHOWN: step=picture) from the 1920x1080 shift.
SHOWN := start=main_window_zh_dark emergency-level-plan=emergency_panel_zh \
	petition-intake=petition_phone_call wall-full-screen=monitoring_wall_zh_dark
screenshots:
	@test -d tests/artifacts/1920x1080 || { echo "run 'make acceptance' first"; exit 1; }
	mkdir -p docs/screenshots/shift
	for size in 1920x1080 1366x768; do \
		for png in tests/artifacts/$$size/*.png; do \
			[ -e "$$png" ] && cp "$$png" "docs/screenshots/shift/$$size-$$(basename $$png | sed 's/^[0-9]*-//')"; \
		done; done; true
	for pair in $(SHOWN); do \
		src="docs/screenshots/shift/1920x1080-$${pair%%=*}.png"; \
		if [ -e "$$src" ]; then cp "$$src" "docs/screenshots/$${pair#*=}.png"; \
		else echo "screenshots: no $$src (did the shift fail?)"; fi; done

# The built wheel installed into a fresh venv outside the repository: data service, translations
# and the desk offscreen (scripts/check_wheel.sh; downloads the dependencies into that venv).
wheel-check: $(STAMP)
	PYTHON=$(PY) scripts/check_wheel.sh

bench: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest tests/benchmarks -p no:cacheprovider -q -s --override-ini="addopts="

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
