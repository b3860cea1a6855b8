-- Load for bench/transfers.py (wrk 4): `wrk -t16 -c16 ... -s bench/transfers.lua URL -- MODE WALLETS KEY TAG AMOUNT`.
--
-- MODE "spread": each request moves AMOUNT between two random distinct wallets of the file WALLETS (one public id
-- a line); "hot": between its first two wallets, alternating the direction so neither runs dry; "partner":
-- GET /v1/partner instead (checks the harness without the transfers endpoint). Every transfer
-- has a unique Idempotency-Key (TAG-thread-sequence), repeated in the description so the harness can find it.
--
-- Run with one connection per thread (-t equal to -c): request() is then called only once the previous
-- response is in, so each thread knows exactly which of its requests got no answer (in flight when the run
-- stopped, or on a connection that broke). done() prints one line, "BENCH_RESULT <json>", for the harness.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

-- Per thread (read back in done() through thread:get).
statuses = {}
unanswered = {}
samples = {}
pending = nil
sent = 0
answered = 0
succeeded_bodies = 0

local mode, auth, tag, amount
local wallets = {}
local seq = 0

function init(args)
  mode, auth, tag, amount = args[1], "Bearer " .. args[3], args[4], tonumber(args[5])
  for line in io.lines(args[2]) do
    if #line > 0 then
      wallets[#wallets + 1] = line
    end
  end
  math.randomseed(id * 7919 + os.time())
end

function request()
  if pending then
    unanswered[#unanswered + 1] = pending
  end
  seq = seq + 1
  local key = string.format("%s-%d-%d", tag, id, seq)
  local source, destination
  if mode == "hot" then
    if seq % 2 == 0 then
      source, destination = wallets[1], wallets[2]
    else
      source, destination = wallets[2], wallets[1]
    end
  else
    local i = math.random(#wallets)
    local j = math.random(#wallets - 1)
    if j >= i then
      j = j + 1
    end
    source, destination = wallets[i], wallets[j]
  end
  pending = key
  sent = sent + 1
  if mode == "partner" then
    return wrk.format("GET", "/v1/partner", { ["Authorization"] = auth })
  end
  local body = string.format(
    '{"type":"p2p","source":"%s","destination":"%s","amount":%d,"currency":"USD","description":"bench %s"}',
    source, destination, amount, key
  )
  local headers = {
    ["Authorization"] = auth,
    ["Idempotency-Key"] = key,
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", "/v1/transfers", headers, body)
end

function response(status, headers, body)
  pending = nil
  answered = answered + 1
  local code = tostring(status)
  statuses[code] = (statuses[code] or 0) + 1
  if status == 201 then
    if body and body:find('"status"%s*:%s*"succeeded"') then
      succeeded_bodies = succeeded_bodies + 1
    end
  elseif #samples < 5 and body then
    samples[#samples + 1] = code .. " " .. body:sub(1, 300)
  end
end

local function encode(value)
  local kind = type(value)
  if kind == "table" then
    if #value > 0 or next(value) == nil then
      local parts = {}
      for _, item in ipairs(value) do
        parts[#parts + 1] = encode(item)
      end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local parts = {}
    for name, item in pairs(value) do
      parts[#parts + 1] = encode(tostring(name)) .. ":" .. encode(item)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif kind == "string" then
    local escaped = value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end)
    return '"' .. escaped .. '"'
  elseif kind == "nil" then
    return "null"
  end
  return tostring(value)
end

function done(summary, latency, requests)
  local per_thread = {}
  for _, thread in ipairs(threads) do
    local lost = thread:get("unanswered") or {}
    local last = thread:get("pending")
    if last then
      lost[#lost + 1] = last
    end
    per_thread[#per_thread + 1] = {
      statuses = thread:get("statuses") or {},
      unanswered = lost,
      samples = thread:get("samples") or {},
      sent = thread:get("sent"),
      answered = thread:get("answered"),
      succeeded_bodies = thread:get("succeeded_bodies"),
    }
  end
  local result = {
    duration_us = summary.duration,
    requests = summary.requests,
    errors = summary.errors,
    latency_us = {
      p50 = latency:percentile(50),
      p90 = latency:percentile(90),
      p99 = latency:percentile(99),
      max = latency.max,
      mean = latency.mean,
    },
    threads = per_thread,
  }
  io.write("BENCH_RESULT " .. encode(result) .. "\n")
end
