-- wrk script: POSTs pre-signed, distinct generic-hook messages (one contact each), read from the
-- file named by $GCR_BENCH_BODIES ("signature<TAB>body" per line). Each thread takes every n-th line.
local counter = 0
local threads = {}

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   sigs, bodies = dofile("Benchmarks/bodies.lua")(tid)
   i = 0
end

function request()
   i = i + 1
   if i > #bodies then i = 1 end  -- past the end: redeliveries (reported by the script)
   return wrk.format("POST", "/webhooks/generic",
      {["Content-Type"] = "application/json", ["X-Intake-Signature"] = sigs[i]}, bodies[i])
end
