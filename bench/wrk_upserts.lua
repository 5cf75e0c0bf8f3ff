-- wrk's script for bench/wrk.py: distinct upserts on non-overlapping one-hour slots (bench/slots.py's
-- layout), each answer checked. bench/wrk.py prepends the settings: courts, prefix, service, auth, epoch,
-- day_base, expected, thread_count.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors, sample = 0, ""
end

local function instant(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", seconds)
end

function request()
  local n = counter * thread_count + offset
  counter = counter + 1
  local k = math.floor(n / #courts)
  local start = epoch + (day_base + math.floor(k / 24)) * 86400 + (k % 24) * 3600
  local body = string.format(
    '{"courtId":"%s","startDate":"%s","endDate":"%s","externalUpdatedAt":"2036-01-01T00:00:00Z",'
      .. '"participants":[{"email":"player-%d@example.com"}]}',
    courts[(n % #courts) + 1], instant(start), instant(start + 3600), n % 5000)
  local path = "/api/v1/external-services/" .. service .. "/court-bookings/by-external-id/" .. prefix .. n
  return wrk.format("PUT", path, {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end

function response(status, headers, body)
  if status ~= expected then
    errors = errors + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 200) end
  end
end

function done(summary, latency, requests)
  local total, first = 0, ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("errors")
    if first == "" then first = thread:get("sample") end
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "errors": %d, "socket_errors": %d, '
      .. '"sample": %q}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total, socket_errors, first))
end
