dofile("bench/report.lua")
expected_status = 200
