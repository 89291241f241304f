-- wrk script: POSTs web-chat messages, one new visitor each (a signed cookie and a JSON body per line of the
-- file named by $GCR_BENCH_BODIES: "cookie<TAB>body"). Each thread takes every n-th line.
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

function init(args)
   cookies, bodies = dofile("Benchmarks/bodies.lua")(tid)
   i = 0
end

function request()
   i = i + 1
   if i > #bodies then i = 1 end  -- past the end: repeats, answered "duplicate"
   return wrk.format("POST", "/chat/messages",
      {["Content-Type"] = "application/json", ["Cookie"] = "gcr_chat=" .. cookies[i]}, bodies[i])
end
