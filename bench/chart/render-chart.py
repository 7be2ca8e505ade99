"""Renders a suite result (bench/results/*.json) as one PNG, without a browser: matplotlib's Agg backend.

Left: records/s of every client in the targets' throughput workload, as a ratio to @x/producer's
per-record send(). Right: p50/p99/p99.9 latency at the fixed rate. Usage: render-chart.py results.json out.png
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TARGET_THROUGHPUT = "throughput-100B-acks1-p6-none-unkeyed"
TARGET_LATENCY = "latency-100B-acks1-p6-none-unkeyed"
BASELINE = "x-send"


def ok_runs(suite, workload, key):
    """One run per client: the median of its successful runs by `key` (as the report's tables pick it)."""
    by_client = {}
    for run in suite["runs"]:
        if run["workloadId"] == workload and run["status"] == "ok":
            by_client.setdefault(run["clientId"], []).append(run)
    picked = []
    for runs in by_client.values():
        runs.sort(key=key)
        picked.append(runs[(len(runs) - 1) // 2])
    return picked


def rate_text(rate):
    return f"{rate / 1000:,.1f} k/s" if rate < 10_000 else f"{rate / 1000:,.0f} k/s"


def main(source, target):
    with open(source) as f:
        suite = json.load(f)
    labels = {c["id"]: c["label"] for c in suite["clients"]}
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 6.5), gridspec_kw={"width_ratios": [1.25, 1]})

    by_rate = lambda r: r["metrics"]["recordsPerSec"]  # noqa: E731
    runs = sorted(ok_runs(suite, TARGET_THROUGHPUT, by_rate), key=by_rate)
    base = next((r["metrics"]["recordsPerSec"] for r in runs if r["clientId"] == BASELINE), None)
    names = [labels.get(r["clientId"], r["clientId"]) for r in runs]
    rates = [r["metrics"]["recordsPerSec"] / 1000 for r in runs]
    colors = ["#d9480f" if r["clientId"].startswith("x-") else "#868e96" for r in runs]
    bars = left.barh(names, rates, color=colors)
    for bar, run in zip(bars, runs):
        rate = run["metrics"]["recordsPerSec"]
        note = rate_text(rate)
        if base:
            note += f"  ({rate / base:.2f}× x-send)"
        left.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + note, va="center", fontsize=8)
    left.set_xlabel("records/s (thousands), 100 B values, acks=1, 6 partitions, linger 5 ms")
    left.set_title("Throughput, unthrottled")
    left.set_xlim(0, max(rates, default=1) * 1.45)
    left.tick_params(axis="y", labelsize=8)

    by_p99 = lambda r: r["metrics"]["latency"]["p99Ms"]  # noqa: E731
    lat = sorted((r for r in ok_runs(suite, TARGET_LATENCY, by_p99) if r["metrics"].get("latency")), key=by_p99)
    names = [labels.get(r["clientId"], r["clientId"]) for r in lat]
    y = range(len(lat))
    h = 0.27
    for offset, key, color, label in [
        (-h, "p50Ms", "#74c0fc", "p50"),
        (0, "p99Ms", "#1c7ed6", "p99"),
        (h, "p999Ms", "#0b3d91", "p99.9"),
    ]:
        right.barh([i + offset for i in y], [max(r["metrics"]["latency"][key], 0.01) for r in lat], h, color=color, label=label)
    right.set_yticks(list(y))
    right.set_yticklabels(names, fontsize=8)
    right.set_xscale("log")
    right.set_xlabel("latency, ms (log scale), send call to acknowledgement")
    right.set_title("Latency at 50,000 records/s")
    right.legend(loc="lower right", fontsize=8)

    fig.suptitle(f"@x/producer side by side — {suite['startedAt'][:10]}, {suite['machine']['cores']} cores, one 3-node Kafka cluster")
    fig.tight_layout()
    fig.savefig(target, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
