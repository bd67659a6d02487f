-- POST each confirmation link once: thread N takes every Nth token from the file.
dofile("bench/report.lua")
expected_status = 200
local tokens = {}
local index = 0
local token, cookie, step

function init(args)
  token, cookie = os.getenv("CSRF_TOKEN"), os.getenv("CSRF_COOKIE")
  step = tonumber(os.getenv("THREADS"))
  for line in io.lines(os.getenv("TOKENS")) do table.insert(tokens, line) end
  index = id + 1
end

function request()
  local link = tokens[index] or tokens[1]
  index = index + step
  return wrk.format("POST", "/confirm/" .. link .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, "csrfmiddlewaretoken=" .. token)
end
