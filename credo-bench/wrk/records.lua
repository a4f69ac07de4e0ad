-- wrk script: POST /v1/records, one thread and one connection per source, so that a source's
-- batches go in file order (a correction follows what it corrects).
--   wrk -tN -cN -d15s --latency -s credo-bench/wrk/records.lua http://127.0.0.1:8484 -- DIR TOKENS [BATCH]
-- DIR holds SOURCE.ndjson per source; TOKENS has a line "SOURCE TOKEN" per source (N lines).
-- A thread stops when its source's file is sent. Prints the records the server accepted.
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  local n = 0
  for line in io.lines(args[2]) do
    n = n + 1
    if n == id then source, token = line:match("^(%S+)%s+(%S+)$") end
  end
  local batch = tonumber(args[3] or "1000")
  bodies, nxt, accepted, posts = {}, 1, 0, 0
  local f = source and io.open(args[1] .. "/" .. source .. ".ndjson")
  if f then
    local buf = {}
    for line in f:lines() do
      buf[#buf + 1] = line
      if #buf == batch then bodies[#bodies + 1] = table.concat(buf, "\n") .. "\n"; buf = {} end
    end
    if #buf > 0 then bodies[#bodies + 1] = table.concat(buf, "\n") .. "\n" end
    f:close()
  end
end
function request()
  local body = bodies[nxt]
  if body == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/health/live")
  end
  nxt = nxt + 1
  return wrk.format("POST", "/v1/records",
    {["Content-Type"] = "application/x-ndjson", ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  local a = body:match('"accepted"%s*:%s*(%d+)')
  if a and status == 200 then accepted = accepted + tonumber(a); posts = posts + 1 end
end
function done(summary, latency, requests)
  local total, p = 0, 0
  for _, t in ipairs(threads) do total = total + t:get("accepted"); p = p + t:get("posts") end
  local s = summary.duration / 1e6
  io.write(string.format("records accepted: %d in %d POSTs over %.1f s = %.0f records/s\n",
    total, p, s, total / s))
end
