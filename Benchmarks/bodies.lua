-- Shared by webhook.lua and webchat.lua (dofile): this wrk thread's share of the file named by
-- $GCR_BENCH_BODIES, "key<TAB>body" per line; thread `tid` of $GCR_BENCH_THREADS takes every n-th line.
return function(tid)
   local nthreads = tonumber(os.getenv("GCR_BENCH_THREADS") or "2")
   local keys, bodies, n = {}, {}, 0
   for line in io.lines(os.getenv("GCR_BENCH_BODIES")) do
      if n % nthreads == tid then
         local key, body = line:match("^(%S+)\t(.*)$")
         keys[#keys + 1] = key
         bodies[#bodies + 1] = body
      end
      n = n + 1
   end
   return keys, bodies
end
