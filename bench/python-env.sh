# The benchmark scripts' own Python: a virtual environment in target/bench-venv with exactly
# the packages a script names, so a fresh machine needs only python3 (with venv) and the
# registry, and nothing installed system-wide changes what is measured.
#
#   source bench/python-env.sh PACKAGE==VERSION…   (from the repository's root)
#
# Afterwards `python3` and the packages' commands (cargo-lambda) are the environment's: its
# bin/ is first on PATH. Installing what is already there is a quick no-op.
bench_venv=${BENCH_VENV:-target/bench-venv}
if [ ! -x "$bench_venv/bin/python3" ]; then
  python3 -m venv "$bench_venv" || {
    echo "python3 -m venv failed: install Python's venv module (Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi
if [ $# -gt 0 ]; then
  "$bench_venv/bin/python3" -m pip install --quiet --disable-pip-version-check "$@"
fi
PATH="$(cd "$bench_venv/bin" && pwd):$PATH"
export PATH
hash -r
