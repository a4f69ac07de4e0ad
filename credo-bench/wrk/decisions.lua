-- wrk script: POST /v1/decisions about random subjects.
--   wrk -t2 -c64 -d30s --latency -s credo-bench/wrk/decisions.lua http://127.0.0.1:8484 -- PERSONS TOKEN [PURPOSE]
-- PERSONS: a file of subject identifiers, one a line; TOKEN: a file holding a relying party's token.
local subjects, token, purpose
function init(args)
  subjects = {}
  for line in io.lines(args[1]) do subjects[#subjects + 1] = line end
  token = io.open(args[2]):read("*l")
  purpose = args[3] or "air_travel"
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
function request()
  local s = subjects[math.random(#subjects)]
  return wrk.format("POST", "/v1/decisions",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"subject":"' .. s .. '","purpose":"' .. purpose .. '"}')
end
