-- Builds an entity oracle corpus from Kong's own core entity schema tests (spec/01-unit/01-db/01-schema/
-- {05-services,06-routes,08-targets,09-upstreams,11-snis,14-consumers}_spec.lua): runs each spec under a
-- minimal stand-in for busted, with kong.db.schema and kong.db.schema.entity wrapped so that every entity table
-- a test hands a core entity's schema (process_auto_fields for an insert, or validate / validate_insert of a
-- table that did not come out of process_auto_fields) is recorded, with the router flavor in force for routes
-- (the routes spec reloads its schema per flavor through kong.configuration.router_flavor). The real method
-- then runs, so the test goes on; assertions never stop a test (Kong's verdict comes from
-- harness-entities.lua, not from the test's expectation). Updates (validate_update, process_auto_fields with
-- "update" or "upsert") hold partial entities and are skipped.
--
--   luajit scripts/kong-schemas/spec-entities.lua <kong checkout with spec/> <tag> <commit> <spec file>... \
--     > scripts/kong-schemas/corpus/spec-entities.json
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit = arg[1], arg[2], arg[3]
assert(kong_root and tag and commit and arg[4], "usage: spec-entities.lua <kong checkout> <tag> <commit> <spec file>...")
local env = dofile(here .. "/env.lua")(kong_root, { database = "off" })
package.path = kong_root .. "/?.lua;" .. package.path
local json = dofile(here .. "/json.lua")
local cjson = env.cjson

local ENTITIES = { services = true, routes = true, upstreams = true, targets = true, consumers = true, snis = true }

local function child(field, key)
  if type(field) ~= "table" then return nil end
  if field.type == "record" or (field.fields and not field.type) then
    for _, f in ipairs(field.fields or {}) do
      local k, v = next(f)
      if k == key then return v end
    end
  elseif field.type == "map" then return field.values
  elseif field.type == "array" or field.type == "set" then return field.elements
  end
end

-- A Lua value into json.lua's shape, or nil and the reason it cannot be JSON (as spec-examples.lua).
local function to_json(v, field)
  local t = type(v)
  if v == ngx.null then return json.null end
  if t == "string" or t == "boolean" then return v end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return nil, "NaN or infinity" end
    return v
  end
  if t ~= "table" then return nil, "a Lua " .. t end
  if getmetatable(v) and getmetatable(v) ~= cjson.array_mt and getmetatable(v) ~= cjson.empty_array_mt then
    return nil, "a table with a metatable"
  end
  if next(v) == nil then
    if type(field) == "table" and (field.type == "array" or field.type == "set") then return json.array({}) end
    return json.empty_object
  end
  local n, strings, numbers = #v, 0, 0
  for k in pairs(v) do
    if type(k) == "string" then strings = strings + 1
    elseif type(k) == "number" then numbers = numbers + 1
    else return nil, "a table key of type " .. type(k) end
  end
  if strings > 0 and numbers > 0 then return nil, "a table with both array and record keys" end
  if numbers > 0 then
    if numbers ~= n then return nil, "number keys that are not a sequence (Lua-only)" end
    local out = {}
    for i = 1, n do
      local e, why = to_json(v[i], child(field, i))
      if e == nil then return nil, why end
      out[i] = e
    end
    return json.array(out)
  end
  local out = {}
  for k, x in pairs(v) do
    local e, why = to_json(x, child(field, k))
    if e == nil then return nil, why end
    out[k] = e
  end
  return out
end

local function deepcopy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in pairs(v) do c[deepcopy(k, seen)] = deepcopy(x, seen) end
  return setmetatable(c, getmetatable(v))
end

local current = { file = nil, names = {} }
local cases, seen_cases, ids = {}, {}, {}
local stats = { recorded = 0, kept = 0, duplicate = 0, skipped = {}, per_entity = {}, failed_tests = 0 }
local function skip(why, where)
  stats.skipped[why] = (stats.skipped[why] or 0) + 1
  io.stderr:write(("  skip (%s): %s\n"):format(why, where))
end
local function caller_line()
  for level = 3, 20 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == "@" .. current.file then return info.currentline end
  end
end

local function record(entity_name, def, input, flavor)
  stats.recorded = stats.recorded + 1
  local line = caller_line()
  local where = ("%s:%s %s"):format(current.file:sub(#kong_root + 2), line or "?", table.concat(current.names, " > "))
  local value, why = to_json(deepcopy(input), def)
  if value == nil then return skip(why, where) end
  local item = { entity = entity_name, input = value }
  if entity_name == "routes" then item.flavor = flavor or "traditional_compatible" end
  local key = json.encode(item)
  if seen_cases[key] then stats.duplicate = stats.duplicate + 1 return end
  seen_cases[key] = true
  -- ids are given at the end, after sorting: some tests walk their tables with pairs(), whose order varies
  item.base = ("spec/%s/%s"):format(entity_name .. (item.flavor and ("@" .. item.flavor) or ""), table.concat(current.names, " > "))
  item.key, item.seq = key, #cases + 1
  item.note = ("Kong/kong@%s %s:%s"):format(commit:sub(1, 10), current.file:sub(#kong_root + 2), line or "?")
  cases[#cases + 1] = item
  stats.kept = stats.kept + 1
  stats.per_entity[entity_name] = (stats.per_entity[entity_name] or 0) + 1
end

-- Wraps a core entity's schema object: records inserts and validations of raw tables.
local processed = setmetatable({}, { __mode = "k" })
local function wrap(s, def)
  if not (s and def and ENTITIES[def.name]) then return s end
  local name = def.name
  local flavor = name == "routes" and kong and kong.configuration and kong.configuration.router_flavor or nil
  local pafs, validate, validate_insert, validate_update = s.process_auto_fields, s.validate, s.validate_insert, s.validate_update
  s.process_auto_fields = function(self, input, context, ...)
    if type(input) == "table" then
      if context == nil or context == "insert" then record(name, def, input, flavor)
      else skip("an " .. tostring(context) .. " (a partial entity)", ("%s %s"):format(current.file:sub(#kong_root + 2), table.concat(current.names, " > "))) end
    end
    local out, err = pafs(self, input, context, ...)
    if type(out) == "table" then processed[out] = true end
    return out, err
  end
  local function checked(fn)
    return function(self, input, ...)
      if type(input) == "table" and not processed[input] then record(name, def, input, flavor) end
      return fn(self, input, ...)
    end
  end
  s.validate = checked(validate)
  if validate_insert then s.validate_insert = checked(validate_insert) end
  if validate_update then s.validate_update = function(self, input, ...)
    skip("an update (a partial entity)", ("%s %s"):format(current.file:sub(#kong_root + 2), table.concat(current.names, " > ")))
    return validate_update(self, input, ...)
  end end
  return s
end

local Schema = require "kong.db.schema"
local EntityLib = require "kong.db.schema.entity"
local spec_modules = {
  ["kong.db.schema"] = setmetatable({ new = function(def, ...) return wrap(Schema.new(def, ...), def) end }, { __index = Schema }),
  ["kong.db.schema.entity"] = setmetatable({ new = function(def, ...) return wrap(EntityLib.new(def, ...), def) end }, { __index = EntityLib }),
}
local function spec_require(name) return spec_modules[name] or require(name) end

-- A permissive stand-in for luassert: every assertion passes; a function given to one is run.
local permissive
permissive = setmetatable({}, {
  __index = function() return permissive end,
  __call = function(_, ...)
    local args = { ... }
    for i = 1, select("#", ...) do
      if type(args[i]) == "function" then pcall(args[i]) end
    end
    if args[1] == permissive then return select(2, ...) end
    return ...
  end,
})

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
      for _, h in ipairs(hooks) do for _, b in ipairs(h.before) do pcall(b) end end
      local ok, err = pcall(fn)
      if not ok then
        stats.failed_tests = stats.failed_tests + 1
        io.stderr:write(("  test stopped (%s): %s\n"):format(table.concat(current.names, " > "), tostring(err)))
      end
      for i = #hooks, 1, -1 do for _, a in ipairs(hooks[i].after) do pcall(a) end end
    end
    current.names[#current.names] = nil
  end
end
local function hook(kind)
  return function(fn)
    local h = hooks[#hooks]
    if kind == "now" or not h then pcall(fn) else table.insert(h[kind], fn) end
  end
end

for i = 4, #arg do
  local path = arg[i]
  current.file, current.names = path, {}
  hooks = { { before = {}, after = {} } }
  local before = stats.kept
  local spec_env = setmetatable({
    describe = block("describe"), context = block("describe"), insulate = block("describe"), expose = block("describe"),
    it = block("it"), spec = block("it"), test = block("it"), pending = function() end,
    before_each = hook("before"), after_each = hook("after"),
    setup = hook("now"), lazy_setup = hook("now"), strict_setup = hook("now"),
    teardown = function() end, lazy_teardown = function() end, strict_teardown = function() end, finally = function() end,
    assert = permissive, require = spec_require, spy = env.autostub("spy"), mock = env.autostub("mock"), stub = env.autostub("stub"), match = env.autostub("match"),
  }, { __index = _G })
  local saved_kong = _G.kong -- the routes spec replaces the kong global per router flavor
  local chunk, err = loadfile(path)
  if not chunk then
    io.stderr:write(("%s: %s\n"):format(path, err))
  else
    setfenv(chunk, spec_env)
    local ok, e = pcall(chunk)
    if not ok then io.stderr:write(("%s: %s\n"):format(path, tostring(e))) end
  end
  _G.kong = saved_kong
  io.stderr:write(("  %s: %d\n"):format(path:sub(#kong_root + 2), stats.kept - before))
end

io.stderr:write(("recorded %d calls, kept %d cases, %d duplicates, %d tests stopped early\n"):format(stats.recorded, stats.kept, stats.duplicate, stats.failed_tests))
for why, n in pairs(stats.skipped) do io.stderr:write(("  skipped %d: %s\n"):format(n, why)) end
for name, n in pairs(stats.per_entity) do io.stderr:write(("  %s: %d\n"):format(name, n)) end

-- In the order recorded, but the cases of one test sorted by content, so the output is the same on every run.
local first = {}
for _, c in ipairs(cases) do first[c.base] = first[c.base] or c.seq end
table.sort(cases, function(a, b)
  if a.base ~= b.base then return first[a.base] < first[b.base] end
  return a.key < b.key
end)
local out = {}
for i, c in ipairs(cases) do
  local id, n = c.base, 1
  while ids[id] do n = n + 1; id = c.base .. " #" .. n end
  ids[id] = true
  c.id, c.base, c.key, c.seq = id, nil, nil, nil
  out[i] = json.encode(c)
end
io.write("[\n", table.concat(out, ",\n"), "\n]\n")
