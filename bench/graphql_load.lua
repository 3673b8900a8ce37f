-- wrk script for the GraphQL load of the benchmarks (bench/support.py).
-- BODIES names a file of request bodies, one JSON document per line; each
-- connection sends them in turn. HEADERS (optional) names a file of
-- "Name: value" lines. A response that is not 200, or carries GraphQL
-- "errors", is counted: the benchmark fails rather than report fast errors.
local bodies = {}
local headers = { ["Content-Type"] = "application/json" }

local function load()
  for line in io.lines(os.getenv("BODIES")) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  local names = os.getenv("HEADERS")
  if names and #names > 0 then
    for line in io.lines(names) do
      local k, v = line:match("^([^:]+):%s*(.*)$")
      if k then headers[k] = v end
    end
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  load()
  failed = 0
  sample = nil
  n = id
end

function request()
  n = n + 1
  return wrk.format("POST", nil, headers, bodies[(n % #bodies) + 1])
end

function response(status, _, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    failed = failed + 1
    sample = sample or (status .. " " .. body:sub(1, 300))
  end
end

function done(summary, latency, _)
  local failures, first = 0, ""
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
    first = thread:get("sample") or first
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.6f p50_us=%d p99_us=%d errors=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), failures,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
  if failures > 0 then io.write("FIRST_ERROR " .. first .. "\n") end
end
