# The two commands that do everything on a fresh machine:
#   make run    install system packages if missing, build, run examples/intro.ppl
#   make test   install system packages if missing, run the whole test suite
# Also: make bench (interpreter throughput against CPython and Lua, installing lua5.4), make build,
# make posteriordb (NUTS on posteriordb's posteriors against their reference draws; minutes).

SYSTEM_PACKAGES = libopenblas-dev libreadline-dev
BENCH_PACKAGES = lua5.4
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps apt-packages build run test bench posteriordb clean

deps:
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(SYSTEM_PACKAGES)"

apt-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release

run: build
	.build/release/ppl run examples/intro.ppl --seed 1

test: deps
	swift test

bench: build
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(BENCH_PACKAGES)"
	python3 bench/interpreter.py

posteriordb: deps
	Tests/posteriordb/run

clean:
	rm -rf .build
