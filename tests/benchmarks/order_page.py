"""W1 (PERFORMANCE-NOTES §3): the bank portal's order page against a hand-written endpoint.

The gateway answers ``workloads.ORDER_PAGE`` over HTTP; ``/reference/orders`` (same process)
returns byte-identical JSON from the same database. ``wrk`` drives both, rotating the portal
user (so the bank) on every request; rounds rotate which goes first; the headline is the median
of per-round ratios of requests per second, with the server's CPU per request.

    python -m tests.benchmarks.order_page --first 50 --rounds 3
    python -m tests.benchmarks.order_page --postgres postgresql+asyncpg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import dataset
from tests.benchmarks.fanout import BenchServer, environment, prepare, scratch_database
from tests.benchmarks.workloads import CREDIT_ORDER_PAGE, ORDER_PAGE
from tests.support import Gateway

LUA = """
local path, first, kind
local tokens = {}
local counter = 0
local query = %s
function init(args)
  path = args[1]; first = args[2]; kind = args[3]
  for i = 4, #args do tokens[#tokens + 1] = args[i] end
end
function request()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local headers = {["Authorization"] = "Bearer " .. token}
  if kind == "reference" then
    return wrk.format("GET", path .. "?first=" .. first, headers)
  end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", path, headers,
    '{"query":' .. query .. ',"variables":{"first":' .. first .. '}}')
end
"""
# W1: orders with their enterprises; W5: also credit records and risk flags (GW-4).
WORKLOADS = {
    "W1": (ORDER_PAGE, "/reference/orders"),
    "W5": (CREDIT_ORDER_PAGE, "/reference/orders-with-credit"),
}
PATHS = {"gateway": "/graphql", "reference": "/reference/orders"}


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    errors: int


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str,
    script: Path,
    kind: str,
    first: int,
    tokens: list[str],
    seconds: int,
    connections: int,
    pid: int,
) -> Load:
    before = cpu_seconds(pid)
    output = subprocess.run(
        [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
            "-s", str(script), url, "--", PATHS[kind], str(first), kind, *tokens,
        ],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    used = cpu_seconds(pid) - before
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=milliseconds(latency["50"]),
        p99_ms=milliseconds(latency["99"]),
        cpu_ms_per_request=used * 1000 / max(total, 1),
        errors=int(errors.group(1)) if errors else 0,
    )


async def tokens_and_check(url: str, first: int, banks: int, workload: str) -> list[str]:
    """A token per bank, and the promise the benchmark rests on: identical bytes."""
    tokens = []
    async with Gateway(base_url=url) as client:
        for bank in range(1, banks + 1):
            tokens.append(await client.token_for(dataset.portal_username(bank), dataset.PASSWORD))
        for token in tokens[:3]:
            headers = {"authorization": f"Bearer {token}"}
            query, reference = WORKLOADS[workload]
            mine = await client.http.post(
                "/graphql",
                json={"query": query, "variables": {"first": first}},
                headers=headers,
            )
            theirs = await client.http.get(f"{reference}?first={first}", headers=headers)
            assert mine.content == theirs.content, (mine.text[:300], theirs.text[:300])
    return tokens


def benchmark(
    url: str, pid: int, first: int, rounds: int, seconds: int, workload: str = "W1"
) -> dict[str, dict[str, object]]:
    tokens = asyncio.run(tokens_and_check(url, first, dataset.Size().banks, workload))
    query, reference_path = WORKLOADS[workload]
    PATHS["reference"] = reference_path
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "load.lua"
        script.write_text(LUA % json.dumps(json.dumps(query)))
        for connections in (8, 1):
            runs: dict[str, list[Load]] = {"gateway": [], "reference": []}
            for round_number in range(rounds):
                order = (
                    ["reference", "gateway"] if round_number % 2 == 0 else ["gateway", "reference"]
                )
                for kind in order:
                    wrk(url, script, kind, first, tokens, 2, connections, pid)  # warm-up
                    runs[kind].append(
                        wrk(url, script, kind, first, tokens, seconds, connections, pid)
                    )
            ratios = [
                g.requests_per_second / r.requests_per_second
                for g, r in zip(runs["gateway"], runs["reference"], strict=True)
            ]
            results[f"c={connections}"] = {
                "ratio": statistics.median(ratios),
                **{
                    kind: {
                        "rps": statistics.median(x.requests_per_second for x in loads),
                        "p50": statistics.median(x.p50_ms for x in loads),
                        "p99": statistics.median(x.p99_ms for x in loads),
                        "cpu": statistics.median(x.cpu_ms_per_request for x in loads),
                        "errors": sum(x.errors for x in loads),
                    }
                    for kind, loads in runs.items()
                },
            }
    return results


def report(
    results: dict[str, dict[str, object]], mode: str, first: int, rounds: int, workload: str = "W1"
) -> str:
    lines = [
        f"{workload} order page, first={first}, {mode}, {rounds} rounds "
        f"({platform.python_version()}, {os.cpu_count()} cores)",
        "| load | path | req/s | p50 ms | p99 ms | server CPU ms/req | non-2xx | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for load, figures in results.items():
        for kind in ("reference", "gateway"):
            f = figures[kind]
            assert isinstance(f, dict)
            ratio = f"{figures['ratio']:.2f}" if kind == "gateway" else "1.00"
            lines.append(
                f"| {load} | {kind} | {f['rps']:.1f} | {f['p50']:.1f} | {f['p99']:.1f} | "
                f"{f['cpu']:.2f} | {f['errors']} | {ratio} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--first", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres")
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="W1")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: make bench installs it")
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres) as postgres:
        env = environment(Path(tmp), postgres, None)
        prepare(env, dataset.Size())
        server = BenchServer(env, Path(tmp) / "server.log")
        try:
            server.wait_ready()
            results = benchmark(
                server.url, server.process.pid, args.first, args.rounds, args.seconds, args.workload
            )
        finally:
            server.stop()
    mode = "PostgreSQL" if args.postgres else "SQLite"
    print(report(results, mode, args.first, args.rounds, args.workload))


if __name__ == "__main__":
    main()
