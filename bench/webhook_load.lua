-- wrk script for bench_webhooks: each signed Stripe event is POSTed once.
-- WEBHOOKS names a file of "<Stripe-Signature>\t<body>" lines; TIMES names
-- the file where the send time of each line (CLOCK_MONOTONIC, the clock of
-- Python's time.perf_counter) is written. Once every event has been sent,
-- each connection asks /healthz once a second until the benchmark stops wrk
-- (SIGINT) when the last member is ACTIVE.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  items = {}
  for line in io.lines(os.getenv("WEBHOOKS")) do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    if signature then items[#items + 1] = { signature, body } end
  end
  sent_at = {}
  next_item = 0
  primed = false
  answered = 0
  failed = 0
  sample = nil
  finished_at = 0
end

function delay()
  if next_item >= #items then return 1000 end -- only fillers left
  return 0
end

function request()
  if not primed then
    -- wrk builds one request per thread before it connects and never sends
    -- it: give it a filler, not an event
    primed = true
    return wrk.format("GET", "/healthz")
  end
  next_item = next_item + 1
  local item = items[next_item]
  if item == nil then
    return wrk.format("GET", "/healthz")
  end
  sent_at[next_item] = now()
  return wrk.format("POST", "/webhooks/stripe", {
    ["Content-Type"] = "application/json",
    ["Stripe-Signature"] = item[1],
  }, item[2])
end

function response(status, _, body)
  if body:find('"status"', 1, true) then return end -- a /healthz filler
  answered = answered + 1
  if status ~= 200 then
    failed = failed + 1
    sample = sample or (status .. " " .. body:sub(1, 300))
  end
  if answered == #items then finished_at = now() end
end

function done(summary, _, _)
  local thread = threads[1]
  local times = thread:get("sent_at")
  local out = io.open(os.getenv("TIMES"), "w")
  for i, t in ipairs(times) do out:write(string.format("%d %.6f\n", i, t)) end
  out:close()
  io.write(string.format("RESULT answered=%d failed=%d finished_at=%.6f\n",
    thread:get("answered"), thread:get("failed"), thread:get("finished_at")))
  if thread:get("sample") then io.write("FIRST_ERROR " .. thread:get("sample") .. "\n") end
end
