# microcred - one binary, one library, every test layer.
#
#   make            build ./build/microcred
#   make run        install missing packages, build, demo data, serve :8080
#   make check      every test layer; ends with "N passed, N failed"
#   make bench      benchmarks (ratios against baselines run alongside)
#   make fuzz       longer fuzzing runs (FUZZ_SECONDS=60 per target)

BUILD   ?= build
CC      ?= cc
PKGS    := libmicrohttpd jansson libsodium openssl sqlite3 libpq zlib libqrencode
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wno-format-truncation -D_GNU_SOURCE -Isrc -MMD -MP $(OPT) $(SAN) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# The binary allocates with mimalloc (README, dependencies: why). Linked even
# though nothing names it, so that it replaces malloc for every library.
# Sanitizer builds keep their own allocator.
MALLOC_LIBS := -Wl,--push-state,--no-as-needed -lmimalloc -Wl,--pop-state

LIB_SRC  := $(wildcard src/core/*.c src/store/*.c src/service/*.c src/http/*.c) \
            $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
MAIN_SRC := src/cli/main.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
CONF_SRC := $(wildcard tests/conformance/*_runner.c)
CONF_BIN := $(CONF_SRC:%.c=$(BUILD)/%)
STORE_BIN := $(BUILD)/tests/store/test_store

# make -s print-VAR prints a variable (the bench scripts link as the binary does)
print-%:
	@echo '$($*)'

.PHONY: all run check deps test-deps unit unit-asan api-asan store conformance api browser interop \
        fuzz-short bench fuzz clean
all: $(BUILD)/microcred

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libmicrocred.a: $(LIB_OBJ)
	@echo "  AR  $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/microcred: $(BUILD)/src/cli/main.o $(BUILD)/libmicrocred.a
	@echo "  LD  $@"
	@$(CC) $(SAN) -o $@ $^ $(if $(SAN),,$(MALLOC_LIBS)) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libmicrocred.a
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libmicrocred.a $(TESTLIBS) $(LDLIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

deps:
	@scripts/deps.sh run
test-deps:
	@scripts/deps.sh check

run: deps all
	@mkdir -p var
	@test -f var/microcred.db || $(BUILD)/microcred demo --db sqlite:var/microcred.db --master-key-file var/master.key
	$(BUILD)/microcred serve --db sqlite:var/microcred.db --master-key-file var/master.key \
	  --listen 127.0.0.1:8080 --base-url http://127.0.0.1:8080

# ---- test layers: each prints its own summary, check adds them up ----
RESULTS := $(BUILD)/results

unit: $(UNIT_BIN)
	@scripts/test-layer unit $(RESULTS) -- scripts/run-each $(UNIT_BIN)

ASAN_MAKE := $(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
ASAN_ENV  := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1

unit-asan:
	@$(ASAN_MAKE) build/asan/microcred $(UNIT_SRC:%.c=build/asan/%) $(CONF_SRC:%.c=build/asan/%)
	@$(ASAN_ENV) scripts/test-layer unit-asan $(RESULTS) -- scripts/run-each $(UNIT_SRC:%.c=build/asan/%) \
	  $(CONF_SRC:%.c=build/asan/%)

# The API tests that reach every route and its error paths, against the
# sanitizer build of the server (SQLite): a leak or memory error the server
# reports when it stops fails the file (tests/api/harness.mjs). The long
# batch and statistics files stay in `api` only, for time.
API_ASAN_TESTS := authz bad-input accounts orgs issuing loop pathways competence privacy verify vcapi
api-asan:
	@$(ASAN_MAKE) build/asan/microcred
	@$(ASAN_ENV) MICROCRED_BIN=build/asan/microcred scripts/test-layer api-asan $(RESULTS) -- \
	  node --test --test-concurrency=1 $(API_ASAN_TESTS:%=tests/api/%.test.mjs)

store: $(STORE_BIN)
	@scripts/test-layer store-sqlite $(RESULTS) -- env MC_TEST_DB=sqlite $(STORE_BIN)
	@scripts/test-layer store-postgres $(RESULTS) -- scripts/with-postgres $(STORE_BIN)

conformance: $(CONF_BIN)
	@scripts/test-layer conformance $(RESULTS) -- scripts/run-each $(CONF_BIN)

api: all
	@scripts/test-layer api $(RESULTS) -- scripts/with-postgres node --test --test-concurrency=1 tests/api/

browser: all
	@scripts/test-layer browser $(RESULTS) -- node --test --test-concurrency=1 tests/browser/

interop: all
	@scripts/test-layer interop $(RESULTS) -- node --test --test-concurrency=1 tests/interop/

# Every libFuzzer target for a few seconds; `make fuzz` runs them longer.
fuzz-short:
	@scripts/test-layer fuzz $(RESULTS) -- scripts/fuzz.sh $${FUZZ_SHORT_SECONDS:-5}

check: test-deps
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory all
	-@$(MAKE) --no-print-directory unit
	-@$(MAKE) --no-print-directory unit-asan
	-@$(MAKE) --no-print-directory store
	-@$(MAKE) --no-print-directory conformance
	-@$(MAKE) --no-print-directory api
	-@$(MAKE) --no-print-directory api-asan
	-@$(MAKE) --no-print-directory interop
	-@$(MAKE) --no-print-directory browser
	-@$(MAKE) --no-print-directory fuzz-short
	@scripts/test-summary $(RESULTS)

# Benchmarks: ratios against baselines measured in the same run (bench/README.md).
bench: all
	@for b in scripts/bench.sh scripts/bench-rdfc.sh scripts/bench-server.sh scripts/bench-statistics.sh; do \
	  if [ -x $$b ] || [ -f $$b ]; then echo "== $$b"; sh $$b || exit 1; fi; done

fuzz:
	@scripts/fuzz.sh $${FUZZ_SECONDS:-60}

clean:
	rm -rf build
