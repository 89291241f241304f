-- wrk script: POSTs web-chat messages, one new visitor each (a signed cookie and a JSON body per line of the
-- file named by $GCR_BENCH_BODIES: "cookie<TAB>body"). Each thread takes every n-th line.
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

function init(args)
   local nthreads = tonumber(os.getenv("GCR_BENCH_THREADS") or "2")
   cookies, bodies, n, i = {}, {}, 0, 0
   for line in io.lines(os.getenv("GCR_BENCH_BODIES")) do
      if n % nthreads == tid then
         local cookie, body = line:match("^(%S+)\t(.*)$")
         cookies[#cookies + 1] = cookie
         bodies[#bodies + 1] = body
      end
      n = n + 1
   end
end

function request()
   i = i + 1
   if i > #bodies then i = 1 end  -- past the end: repeats, answered "duplicate"
   return wrk.format("POST", "/chat/messages",
      {["Content-Type"] = "application/json", ["Cookie"] = "gcr_chat=" .. cookies[i]}, bodies[i])
end
