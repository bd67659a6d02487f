-- Shared by every bench script: count answers per thread and print one JSON line at the end.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status == expected_status then
    good = (good or 0) + 1
  else
    bad = (bad or 0) + 1
  end
end

function done(summary, latency, requests)
  local good_total, bad_total = 0, 0
  for _, t in ipairs(threads) do
    good_total = good_total + (t:get("good") or 0)
    bad_total = bad_total + (t:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "non_2xx_3xx": %d, "expected": %d, "unexpected": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, good_total, bad_total))
end
