-- Extracts Kong's own router test cases as data: runs spec/01-unit/08-router_spec.lua under a minimal stand-in
-- for busted in which `kong.router` is replaced by a recorder. The recorder keeps every route list given to
-- Router.new (with the flavor and subsystem the spec set), every request given to router:select() or
-- router:exec(), and what the test then asserts about the result:
--   * `assert.same(<a route of the list>, match_t.route)` (or equal; or the route's id/name against
--     match_t.route.id/name) -> that route is expected;
--   * `assert.is_nil(match_t)` / `falsy` / `same(nil, match_t)` -> no route is expected;
--   * `assert.truthy(match_t)` / `assert(match_t)` alone -> some route is expected (which one the test does not say).
-- The match returned to the test is a stand-in, so assertions about anything else (upstream_uri, captures,
-- matched host…) pass without being judged: only which route wins is recorded. Running the spec, rather than
-- reading it, also collects the cases built in loops (e.g. spec/fixtures/router_path_handling_tests.lua).
--
--   luajit scripts/kong-router-spec/record.lua <kong checkout with kong/ and spec/> <tag> <commit> \
--     > /tmp/kong-router-spec.json
--   node scripts/kong-router-spec/convert.ts /tmp/kong-router-spec.json > test/fixtures/kong-router-spec/unit.json
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit = arg[1], arg[2], arg[3]
assert(kong_root and tag and commit, "usage: record.lua <kong checkout> <tag> <commit>")
local env = dofile(here .. "/../kong-schemas/env.lua")(kong_root, { database = "off" })
package.path = kong_root .. "/?.lua;" .. package.path
-- env.lua stubs the transform module for the schema dumps; the spec calls the real one (get_expression).
package.preload["kong.router.transform"] = nil
package.loaded["kong.router.transform"] = nil
-- transform.lua builds a v5 factory at load time for the IDs of split routes; the fake router never splits.
do
  local jit_uuid = require "resty.jit-uuid"
  jit_uuid.factory_v5 = function() return function() error("split route IDs are not computed here") end end
end
local json = dofile(here .. "/../kong-schemas/json.lua")
local cjson = env.cjson
local spec_file = kong_root .. "/spec/01-unit/08-router_spec.lua"

local current = { names = {}, it = nil, it_line = nil }

-- A Lua value into json.lua's shape (functions and userdata dropped, with a note).
-- Route fields that are arrays in Kong's schema: an empty Lua table there is [] (elsewhere {}).
local ARRAY_FIELDS = { hosts = true, paths = true, methods = true, snis = true, protocols = true, sources = true,
                       destinations = true, tags = true }
local function to_json(v, seen, key)
  local t = type(v)
  if v == nil then return json.null end
  if v == ngx.null then return json.null end
  if t == "string" or t == "boolean" or t == "number" then return v end
  if t ~= "table" then return "<" .. t .. ">" end
  seen = seen or {}
  if seen[v] then return "<cycle>" end
  seen[v] = true
  local n, count = #v, 0
  for _ in pairs(v) do count = count + 1 end
  local out
  if count == 0 then
    out = ARRAY_FIELDS[key] and json.array({}) or json.empty_object
  elseif n == count then
    out = {}
    for i = 1, n do out[i] = to_json(v[i], seen) end
    out = json.array(out)
  else
    out = {}
    for k, x in pairs(v) do out[tostring(k)] = to_json(x, seen, k) end
  end
  seen[v] = nil
  return out
end

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do if not deep_equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function spec_line()
  for level = 2, 30 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == "@" .. spec_file then return info.currentline end
  end
end

-- Recorded data.
local routers, queries = {}, {}
local stats = { routers = 0, queries = 0, assertions = 0, unresolved = 0, tests = 0, stopped = 0 }

-- Stand-ins for what a test receives: a match, and its `route` (and the route's fields).
local MATCH, ROUTE, FIELD = {}, {}, {}
local expect
local kind_of = setmetatable({}, { __mode = "k" })
local query_of = setmetatable({}, { __mode = "k" })
local field_of = setmetatable({}, { __mode = "k" })

local permissive
permissive = setmetatable({}, {
  __index = function() return permissive end,
  __call = function() return permissive end,
  __concat = function() return "" end,
  __tostring = function() return "<stand-in>" end,
})

local function field_marker(q, name)
  local f = setmetatable({}, { __index = function() return permissive end, __tostring = function() return "<route field>" end })
  kind_of[f], query_of[f], field_of[f] = FIELD, q, name
  return f
end

local function route_marker(q)
  local r = setmetatable({}, {
    __index = function(_, k)
      if k == "id" or k == "name" then return field_marker(q, k) end
      return permissive
    end,
    __tostring = function() return "<route>" end,
  })
  kind_of[r], query_of[r] = ROUTE, q
  return r
end

local function match_marker(q)
  local m = setmetatable({}, {
    __index = function(_, k)
      if k == "route" then return route_marker(q) end
      -- Reading a field of the match (matches, upstream_uri, …) would fail on nil in Kong: a route matched.
      if not q.read_noted then
        q.read_noted = true
        expect(q, "some", "reads match_t." .. tostring(k))
      end
      return permissive
    end,
    __tostring = function() return "<match>" end,
  })
  kind_of[m], query_of[m] = MATCH, q
  return m
end

function expect(q, what, how)
  stats.assertions = stats.assertions + 1
  q.assertions[#q.assertions + 1] = { expect = what, how = how, line = spec_line() }
end

-- Which route of the query's router `value` is: by reference, else deep-equal to the route as it was given.
local function route_index(q, value)
  local r = routers[q.router]
  for i, ref in ipairs(r.refs) do if ref == value then return i end end
  for i, copy in ipairs(r.copies) do if deep_equal(copy, value) then return i end end
end

local function route_index_by(q, field, value)
  local r = routers[q.router]
  for i, copy in ipairs(r.copies) do if copy and copy[field] == value then return i end end
end

-- The recorder's view of one assertion.
local function judge(words, args, n)
  local negated = false
  for _, w in ipairs(words) do if w == "not_" or w == "not" or w == "no" then negated = true end end
  local verb = words[#words] or "truthy"
  verb = verb:gsub("^is_", ""):gsub("^are_", ""):gsub("^not_", "")
  if verb == "is" or verb == "are" then verb = "truthy" end
  local a, b = args[1], args[2]
  local function q_of(x) return kind_of[x] and query_of[x] end
  if verb == "truthy" or verb == "true" or verb == "nil" or verb == "falsy" or verb == "false" then
    local x = a
    local q = q_of(x)
    if not q then return end
    local positive = (verb == "truthy" or verb == "true")
    if verb == "nil" then positive = false end
    if negated then positive = not positive end
    if kind_of[x] == MATCH or kind_of[x] == ROUTE then
      expect(q, positive and "some" or "none", "assert." .. table.concat(words, "."))
    end
    return
  end
  if verb == "same" or verb == "equal" or verb == "equals" or verb == "equal_to" then
    if n < 2 then return end
    for _, pair in ipairs({ { a, b }, { b, a } }) do
      local x, other = pair[1], pair[2]
      local q = q_of(x)
      if q and not kind_of[other] then
        local how = "assert." .. table.concat(words, ".")
        if other == nil and (kind_of[x] == MATCH or kind_of[x] == ROUTE) then
          expect(q, negated and "some" or "none", how)
        elseif kind_of[x] == ROUTE and type(other) == "table" then
          local i = route_index(q, other)
          if i then expect(q, negated and { not_route = i } or { route = i }, how)
          else stats.unresolved = stats.unresolved + 1; expect(q, "unresolved", how) end
        elseif kind_of[x] == FIELD and type(other) == "string" then
          local i = route_index_by(q, field_of[x], other)
          if i then expect(q, negated and { not_route = i } or { route = i }, how .. " (route " .. field_of[x] .. ")")
          else stats.unresolved = stats.unresolved + 1; expect(q, "unresolved", how) end
        end
        return
      end
    end
  end
end

local function make_assert(words)
  return setmetatable({}, {
    __index = function(_, k) local w = { unpack(words) }; w[#w + 1] = k; return make_assert(w) end,
    __call = function(_, ...)
      local n = select("#", ...)
      local args = { ... }
      -- assert.spy(x).was.called(), assert.error_matches(fn, …): run functions, assert nothing.
      if words[1] == "spy" or words[1] == "stub" then return permissive end
      for i = 1, n do
        if type(args[i]) == "function" and not kind_of[args[i]] then pcall(args[i]) end
      end
      local w = #words == 0 and { "truthy" } or words
      judge(w, args, n)
      if #words == 0 then return ... end
      return permissive
    end,
  })
end
local spec_assert = make_assert({})

-- The fake router.
local function read_request(r, kind, ...)
  local q = { router = r.index, via = kind, assertions = {}, line = spec_line(),
              names = { unpack(current.names) }, it = current.it }
  if kind == "select" then
    local a = { ... }
    q.request = {
      method = a[1], uri = a[2], host = a[3], scheme = a[4], src_ip = a[5], src_port = a[6], dst_ip = a[7],
      dst_port = a[8], sni = a[9], headers = a[10], queries = a[11],
    }
  else
    local ctx = ...
    local _ngx = r.ngx or ngx
    local var = _ngx.var or {}
    local headers = _ngx.req and _ngx.req.get_headers and _ngx.req.get_headers() or {}
    local plain = {}
    for k, v in pairs(headers) do plain[k] = v end
    q.request = {
      method = _ngx.req and _ngx.req.get_method and _ngx.req.get_method() or nil,
      uri = ctx and ctx.request_uri or var.request_uri,
      host = var.http_host,
      scheme = ctx and ctx.scheme or var.scheme,
      sni = var.ssl_server_name,
      headers = plain,
      queries = _ngx.req and _ngx.req.get_uri_args and _ngx.req.get_uri_args() or nil,
      server_port = var.server_port,
      src_ip = var.remote_addr, dst_ip = var.server_addr,
      src_port = var.remote_port and tonumber(var.remote_port) or nil,
    }
  end
  q.request = to_json(q.request)
  stats.queries = stats.queries + 1
  queries[#queries + 1] = q
  return match_marker(q)
end

local fake_router = {}
function fake_router.new(cases, cache, cache_neg, old_router)
  if type(cases) ~= "table" then return nil, "expected arg #1 routes to be a table" end
  stats.routers = stats.routers + 1
  local r = {
    index = #routers + 1,
    flavor = kong and kong.configuration and kong.configuration.router_flavor or "traditional",
    subsystem = ngx.config.subsystem,
    refs = {}, copies = {}, routes = {}, services = {},
    -- an incremental rebuild (Kong reuses the old router's matchers for routes whose updated_at is unchanged)
    rebuilt = old_router ~= nil,
    names = { unpack(current.names) }, it = current.it, line = spec_line(),
  }
  for i, c in ipairs(cases) do
    r.refs[i] = c.route
    -- a copy as given, to find the route again even if the test rebuilt an equal table
    r.copies[i] = type(c.route) == "table" and cjson.decode(cjson.encode(to_json(c.route))) or false
    r.routes[i] = to_json(c.route)
    r.services[i] = to_json(c.service)
  end
  routers[r.index] = r
  local obj = {}
  obj._set_ngx = function(m) r.ngx = m end
  function obj:select(...) return read_request(r, "select", ...) end
  function obj:exec(ctx) return read_request(r, "exec", ctx) end
  return obj
end
fake_router.DEFAULT_MATCH_LRUCACHE_SIZE = 5000
package.preload["kong.router"] = function() return fake_router end

-- A minimal busted: describe blocks run at once, each test with its enclosing hooks; `pending` skips.
local hooks = {}
local function block(kind)
  return function(name, fn)
    if type(name) == "function" then fn, name = name, "" end
    current.names[#current.names + 1] = tostring(name)
    if kind == "describe" then
      hooks[#hooks + 1] = { before = {}, after = {} }
      local ok, err = pcall(fn)
      if not ok then io.stderr:write(("  describe %q: %s\n"):format(table.concat(current.names, " > "), tostring(err))) end
      hooks[#hooks] = nil
    else
      stats.tests = stats.tests + 1
      current.it = tostring(name)
      current.finally = {}
      for _, h in ipairs(hooks) do for _, b in ipairs(h.before) do local ok, err = pcall(b) if not ok then io.stderr:write("  before_each: " .. tostring(err) .. "\n") end end end
      local ok, err = pcall(fn)
      if not ok then
        stats.stopped = stats.stopped + 1
        io.stderr:write(("  test stopped (%s): %s\n"):format(table.concat(current.names, " > "), tostring(err)))
      end
      for i = #current.finally, 1, -1 do pcall(current.finally[i]) end
      for i = #hooks, 1, -1 do for _, a in ipairs(hooks[i].after) do pcall(a) end end
      current.it, current.finally = nil, nil
    end
    current.names[#current.names] = nil
  end
end
local function hook(kind)
  return function(fn)
    local h = hooks[#hooks]
    if kind == "now" or not h then
      local ok, err = pcall(fn)
      if not ok then io.stderr:write("  setup: " .. tostring(err) .. "\n") end
    else table.insert(h[kind], fn) end
  end
end

hooks = { { before = {}, after = {} } }
local spec_env = setmetatable({
  describe = block("describe"), context = block("describe"), insulate = block("describe"), expose = block("describe"),
  it = block("it"), spec = block("it"), test = block("it"), pending = function() end,
  before_each = hook("before"), after_each = hook("after"),
  setup = hook("now"), lazy_setup = hook("now"), strict_setup = hook("now"),
  teardown = function() end, lazy_teardown = function() end, strict_teardown = function() end,
  -- busted runs a test's finally() callbacks when it ends: the spec restores shared route lists with them.
  finally = function(fn) if current.finally then table.insert(current.finally, fn) else pcall(fn) end end,
  assert = spec_assert, spy = setmetatable({ on = function() return permissive end }, { __index = function() return permissive end }),
  mock = permissive, stub = permissive, match = permissive,
}, { __index = _G })
local chunk, err = loadfile(spec_file)
assert(chunk, err)
setfenv(chunk, spec_env)
local ok, e = pcall(chunk)
if not ok then io.stderr:write(("%s: %s\n"):format(spec_file, tostring(e))) end

io.stderr:write(("routers %d, queries %d, assertions %d (unresolved %d), tests run %d (stopped early %d)\n"):format(
  stats.routers, stats.queries, stats.assertions, stats.unresolved, stats.tests, stats.stopped))

local out_routers = {}
for i, r in ipairs(routers) do
  out_routers[i] = { index = i, flavor = r.flavor, subsystem = r.subsystem, routes = json.array(r.routes),
                     services = json.array(r.services), rebuilt = r.rebuilt, describe = json.array(r.names), it = r.it or json.null, line = r.line or json.null }
end
local out_queries = {}
for i, q in ipairs(queries) do
  local as = {}
  for j, a in ipairs(q.assertions) do
    local ex = a.expect
    if type(ex) == "table" then ex = ex end
    as[j] = { expect = ex, how = a.how, line = a.line or json.null }
  end
  out_queries[i] = { router = q.router, via = q.via, request = q.request, describe = json.array(q.names), it = q.it or json.null,
                     line = q.line or json.null, assertions = json.array(as) }
end
io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, file = "spec/01-unit/08-router_spec.lua", license = "Apache-2.0" },
  routers = json.array(out_routers),
  queries = json.array(out_queries),
}))
io.write("\n")
