"""The same two charts as stats-api/benches/chart.rs, drawn with matplotlib (Agg, PNG in
memory) at the same 800x400: a 24-period series as a line and a 10-row ranking as horizontal
bars, with titles, thousands separators and an "as of" note. Prints the median milliseconds of
each, one `name ms` line apiece, for bench/charts.sh to set beside the Rust figures.

    python3 bench/charts-matplotlib.py [runs]     (needs matplotlib; exits 3 without it)
"""

import io
import statistics
import sys
import time

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
except ImportError:
    print("matplotlib is not installed (pip install matplotlib)", file=sys.stderr)
    sys.exit(3)

AS_OF = "as of 2026-12-02 03:10 UTC"
MONTHS = [f"{2025 + i // 12}-{i % 12 + 1:02}" for i in range(24)]
SIGNUPS = [120 + i * 37 % 90 + i * 15 for i in range(24)]
MENTORS = ["Ada Lovelace", "Grace Hopper", "Zoë Ångström", "Юрий Гагарин", "Alan Turing",
           "Katherine Johnson", "Linus Torvalds", "Margaret Hamilton", "Dennis Ritchie",
           "Barbara Liskov"]
INVITED = [1480 - i * 130 for i in range(10)]
THOUSANDS = FuncFormatter(lambda v, _: f"{v:,.0f}")


def series():
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    ax.plot(MONTHS, SIGNUPS, marker="o", linewidth=2.5, color="#1264a3")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xticks(range(0, 24, 2))
    ax.set_title("Signups per month", loc="left")
    fig.text(0.98, 0.95, AS_OF, ha="right", fontsize=8, color="#616061")
    return fig


def ranked():
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    ax.barh(MENTORS[::-1], INVITED[::-1], color="#1264a3")
    for y, v in enumerate(INVITED[::-1]):
        ax.text(v, y, f" {v:,}", va="center", fontsize=8)
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_title("Mentors by members invited", loc="left")
    fig.text(0.98, 0.95, AS_OF, ha="right", fontsize=8, color="#616061")
    fig.tight_layout()
    return fig


def timed(draw, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fig = draw()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        plt.close(fig)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), len(out.getvalue())


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    timed(series, 2)  # fonts and caches warm, as in a long-running service
    for name, draw in [("series", series), ("ranked", ranked)]:
        ms, size = timed(draw, runs)
        print(f"{name} {ms:.2f} ms {size} bytes")


if __name__ == "__main__":
    main()
