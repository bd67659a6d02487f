"""Signings at a fixed offered rate, each timed from when it was due to be sent (open loop).

A closed-loop client (wrk) sends a connection's next request only when the last one is answered,
so a stall slows the client down with the server and hides itself. Here request n is due at
start + n / rate whatever happened before: it goes on an idle keep-alive connection, or a new one
(up to --connections), and its latency runs from the moment it was due. A stall therefore shows in
every request it delayed. The client's own lateness in sending is reported too, so a client that
cannot keep up is visible rather than mistaken for a slow server.

Usage: python bench/fixed_rate.py RATE SECONDS PREFIX  (with CSRF_TOKEN, CSRF_COOKIE, PLEDGE_ID set)
Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

HOST, PORT = "127.0.0.1", int(os.environ.get("WEB_PORT", "8765"))


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def request_bytes(n: int, prefix: str) -> bytes:
    token, cookie, pledge = os.environ["CSRF_TOKEN"], os.environ["CSRF_COOKIE"], os.environ["PLEDGE_ID"]
    body = (
        f"csrfmiddlewaretoken={token}&pledges={pledge}&name=Fixed+Rate+Signer&email={prefix}-{n}@f{n % 991}.bench.example"
        "&role=teacher&region=K&appearance=counted&consent=on"
    ).encode()
    head = (
        f"POST /sign/ HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nCookie: csrftoken={cookie}\r\n"
        f"X-Forwarded-For: 198.20.{n % 250}.{n // 250 % 250 + 1}\r\n\r\n"
    ).encode()
    return head + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> int:
    writer.write(data)
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return int(status_line.split()[1])


async def run(rate: float, seconds: float, prefix: str, max_connections: int) -> dict:
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    opened = 0
    freed = asyncio.Condition()
    latencies, late_sends, statuses, errors = [], [], {}, 0
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    pending: set[asyncio.Task] = set()

    async def connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        nonlocal opened
        async with freed:
            while not idle and opened >= max_connections:
                await freed.wait()
            if idle:
                return idle.pop()
            opened += 1
        return await asyncio.open_connection(HOST, PORT)

    async def one(n: int, due: float) -> None:
        nonlocal errors, opened
        late_sends.append(time.perf_counter() - due)  # the client's own lateness, before any wait for a connection
        try:
            reader, writer = await connection()
            status = await exchange(reader, writer, request_bytes(n, prefix))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            errors += 1
            async with freed:
                opened -= 1
                freed.notify()
            return
        latencies.append(time.perf_counter() - due)
        statuses[status] = statuses.get(status, 0) + 1
        async with freed:
            idle.append((reader, writer))
            freed.notify()

    for n in range(total):
        due = start + n / rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        task = asyncio.create_task(one(n, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    finished_sending = time.perf_counter()
    if pending:
        await asyncio.wait(pending, timeout=30)
    for _, writer in idle:
        writer.close()
    return {
        "offered_rate": rate,
        "seconds": seconds,
        "sent": total,
        "answered": len(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors,
        "unanswered": total - len(latencies) - errors,
        "achieved_send_rate": round(total / max(finished_sending - start, 1e-9), 1),
        "connections_opened": opened,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p90_ms": round(percentile(latencies, 90) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "client_late_p99_ms": round(percentile(late_sends, 99) * 1000, 1),
    }


if __name__ == "__main__":
    offered, duration, name = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    limit = int(os.environ.get("MAX_CONNECTIONS", "256"))
    print(json.dumps(asyncio.run(run(offered, duration, name, limit))))
