-- wrk script for the benchmark's read scenarios: each request is a GET of a path picked at random from the file
-- named by WRK_PATHS (one path a line), with the bearer token in WRK_TOKEN if set. At the end it prints one line of
-- figures for the load generator to read (latencies in microseconds).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end

local token = os.getenv("WRK_TOKEN")
if token and #token > 0 then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 100 + seed)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("wrk-figures requests=%d duration_us=%d status_errors=%d socket_errors=%d p50=%d p90=%d p99=%d max=%d\n",
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
