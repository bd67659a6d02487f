-- The insert ceiling: a POST of the same size as a signing, to a view that inserts one row.
dofile("bench/report.lua")
expected_status = 302
local body = string.rep("x", 180)

function request()
  return wrk.format("POST", "/bench/insert-one-row", {["Content-Type"] = "application/x-www-form-urlencoded"}, "a=" .. body)
end
