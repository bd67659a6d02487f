-- POST a signing with a fresh address each time, from many client addresses behind one proxy.
dofile("bench/report.lua")
expected_status = 302
local counter = 0
local token, cookie, pledge, prefix

function init(args)
  token, cookie, pledge, prefix = os.getenv("CSRF_TOKEN"), os.getenv("CSRF_COOKIE"), os.getenv("PLEDGE_ID"), os.getenv("RUN")
end

function request()
  counter = counter + 1
  local email = string.format("%s-%d-%d@d%d.bench.example", prefix, id, counter, counter % 997)
  local ip = string.format("198.18.%d.%d", (id * 37 + math.floor(counter / 200)) % 250, counter % 250 + 1)
  local body = "csrfmiddlewaretoken=" .. token .. "&pledges=" .. pledge .. "&name=Bench+Signer&email=" .. email ..
    "&role=teacher&region=H&appearance=counted&consent=on"
  return wrk.format("POST", "/sign/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
    ["X-Forwarded-For"] = ip,
  }, body)
end
