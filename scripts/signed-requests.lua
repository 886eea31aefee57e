-- wrk script that replays pre-signed Pactum API-app requests, one per line of a file made by
-- `pactum bench sign-requests` (fields: method, target, app id, timestamp, nonce, signature,
-- body; tab-separated). Each request is sent once per wrk thread's share, so nonces never repeat;
-- when a thread runs out it starts again and the server answers 401 (replayed), which shows up
-- in wrk's non-2xx count: make the file larger than the run needs.
-- Usage: SIGNED_REQUESTS=/tmp/reqs.tsv wrk -t2 -c32 -d10s -s scripts/signed-requests.lua URL
local requests = {}
local counter = 0
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local path = os.getenv("SIGNED_REQUESTS")
  if path == nil then
    error("set SIGNED_REQUESTS to a file from `pactum bench sign-requests`")
  end
  local total = tonumber(os.getenv("WRK_THREADS") or "1")
  local index = 0
  for line in io.lines(path) do
    -- Thread k takes lines k, k+T, k+2T, ... so threads never share a nonce.
    if index % total == id then
      local f = {}
      for field in string.gmatch(line .. "\t", "([^\t]*)\t") do
        f[#f + 1] = field
      end
      local headers = {
        ["X-Pactum-App-Id"] = f[3],
        ["X-Pactum-Timestamp"] = f[4],
        ["X-Pactum-Nonce"] = f[5],
        ["X-Pactum-Signature"] = f[6],
      }
      local body = nil
      if f[7] ~= nil and f[7] ~= "" then
        headers["Content-Type"] = "application/json"
        body = f[7]
      end
      requests[#requests + 1] = wrk.format(f[1], f[2], headers, body)
    end
    index = index + 1
  end
  if #requests == 0 then
    error("no requests for this thread in " .. path)
  end
end

function request()
  counter = counter + 1
  if counter > #requests then
    counter = 1
  end
  return requests[counter]
end
