-- Builds an oracle corpus from Kong's own plugin schema tests: runs each spec file under a minimal stand-in
-- for busted, with spec.helpers' validate_plugin_config_schema (the helper every plugin schema test calls,
-- spec/internal/db.lua) replaced by a recorder that keeps each configuration it is given, then validates it
-- as the helper does so the test goes on. Running the specs, rather than reading them, also collects the
-- configurations they build in loops and local functions. Assertions never stop a test here (the oracle, not
-- the test's expectation, gives each verdict: harness.lua).
--
--   luajit scripts/kong-schemas/spec-examples.lua <kong checkout with spec/> <tag> <commit> <spec file>... \
--     > scripts/kong-schemas/corpus/spec-examples.json
--
-- Only configurations JSON can carry go into the corpus: ngx.null is JSON null (cjson decodes null to
-- ngx.null, as Kong does for a pushed configuration); a Lua function, a table with mixed or sparse keys, or
-- a schema other than the bundled plugin's own are skipped, and counted on stderr. Empty tables are written
-- as [] where the plugin schema says array or set, {} otherwise. The same configuration recorded twice for
-- the same plugin is kept once.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit = arg[1], arg[2], arg[3]
assert(kong_root and tag and commit and arg[4], "usage: spec-examples.lua <kong checkout> <tag> <commit> <spec file>...")
local env = dofile(here .. "/env.lua")(kong_root, { database = "off" })
package.path = kong_root .. "/?.lua;" .. package.path
local load = dofile(here .. "/load.lua")
local json = dofile(here .. "/json.lua")
local cjson = env.cjson

local loaded = load.plugins()
local plugins_schema = loaded.plugins_entity
local bundled = {}
for _, name in ipairs(loaded.names) do bundled[name] = true end

-- The schema definition of a bundled plugin, as its spec requires it.
local function real_def(name) return package.loaded["kong.plugins." .. name .. ".schema"] end

-- The field definition of `config` (or below) in a plugin schema, for telling [] from {}.
local function config_field(name)
  for _, f in ipairs(real_def(name).fields) do
    local k, v = next(f)
    if k == "config" then return v end
  end
end
local function child(field, key)
  if type(field) ~= "table" then return nil end
  if field.type == "record" then
    for _, f in ipairs(field.fields or {}) do
      local k, v = next(f)
      if k == key then return v end
    end
  elseif field.type == "map" then return field.values
  elseif field.type == "array" or field.type == "set" then return field.elements
  end
end

-- A Lua value into json.lua's shape, or nil and the reason it cannot be JSON.
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

-- State of the current run.
local current = { file = nil, names = {} }
local cases, seen_cases, ids = {}, {}, {}
local stats = { recorded = 0, kept = 0, duplicate = 0, skipped = {}, per_plugin = {}, failed_tests = 0, files = {} }
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

-- Keeps one configuration given to a bundled plugin's schema (with the plugin entity's other fields).
local function record(config, schema_def, extra_fields)
  stats.recorded = stats.recorded + 1
  local line = caller_line()
  local where = ("%s:%s %s"):format(current.file:sub(#kong_root + 2), line or "?", table.concat(current.names, " > "))
  local name = schema_def and schema_def.name
  local copy = deepcopy(config)
  local extras = deepcopy(extra_fields)
  if not bundled[name] or real_def(name) ~= schema_def then
    skip("a schema other than a bundled plugin's own", where)
  else
    local item, why = { plugin = name }, nil
    item.config, why = to_json(copy == nil and {} or copy, config_field(name))
    for k, v in pairs(extras or {}) do
      if why then break end
      if k == "name" or k == "config" or k == "id" then k = nil end
      if k == nil then -- the entity's own name and id
      elseif k == "protocols" or k == "ordering" then
        item[k], why = to_json(v, k == "protocols" and { type = "set" } or nil)
      elseif (k == "consumer" or k == "route" or k == "service" or k == "consumer_group") and type(v) == "table" then
        item[k] = true
      else
        why = "extra field " .. tostring(k)
      end
    end
    if why then
      skip(why, where)
    else
      local key = json.encode(item)
      if seen_cases[key] then
        stats.duplicate = stats.duplicate + 1
      else
        seen_cases[key] = true
        local base = ("spec/%s/%s"):format(name, table.concat(current.names, " > "))
        local id, n = base, 1
        while ids[id] do n = n + 1; id = base .. " #" .. n end
        ids[id] = true
        item.id = id
        item.note = ("Kong/kong@%s %s:%s"):format(commit:sub(1, 10), current.file:sub(#kong_root + 2), line or "?")
        cases[#cases + 1] = item
        stats.kept = stats.kept + 1
        stats.per_plugin[name] = (stats.per_plugin[name] or 0) + 1
      end
    end
  end
end

-- spec.helpers' validate_plugin_config_schema, recording its input first.
local function recorder(config, schema_def, extra_fields)
  record(config, schema_def, extra_fields)
  local name = schema_def and schema_def.name
  -- Then what the helper does, so the test carries on with a real result.
  if not bundled[name] then return nil, { ["@entity"] = { "not recorded" } } end
  assert(plugins_schema:new_subschema(schema_def.name, schema_def))
  local entity = { id = "00000000-0000-4000-8000-000000000009", name = schema_def.name, config = config }
  for k, v in pairs(extra_fields or {}) do entity[k] = v end
  local to_insert, err = plugins_schema:process_auto_fields(entity, "insert")
  if err then return nil, err end
  local _, err2 = plugins_schema:validate_insert(to_insert)
  if err2 then return nil, err2 end
  return to_insert
end

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

local function autostub(name) return env.autostub(name) end
-- spec/internal/constants.lua's test values (its defaults: the KONG_SPEC_TEST_* variables are not read here).
local C = dofile(kong_root .. "/spec/internal/constants.lua")
local helpers = setmetatable({
  redis_host = "localhost", redis_port = 6379, redis_ssl_port = C.REDIS_SSL_PORT, redis_ssl_sni = "test-redis.example.com",
  redis_auth_port = C.REDIS_AUTH_PORT, mock_upstream_host = C.MOCK_UPSTREAM_HOST, mock_upstream_port = C.MOCK_UPSTREAM_PORT,
  validate_plugin_config_schema = recorder,
  -- Schema tests inside a per-database loop (oauth2's) run once; DB-less is what the oracle judges.
  each_strategy = function() local done return function() if not done then done = true return 1, "off" end end end,
  all_strategies = function() local done return function() if not done then done = true return 1, "off" end end end,
  get_db_utils = function() return autostub("db"), autostub("bp") end,
  unindent = function(s) return s end,
}, { __index = function(t, k) local s = autostub("helpers." .. k); rawset(t, k, s); return s end })
package.loaded["spec.helpers"] = helpers

-- The schema library as a spec requires it, recording what goes through a bundled plugin's schema: file-log's
-- spec validates with Schema.new(<plugin schema>):validate(<plugin>), the plugins entity's spec with
-- Plugins:process_auto_fields(<plugin>).
local Schema = require "kong.db.schema"
local EntityLib = require "kong.db.schema.entity"
local spec_modules = {
  ["kong.db.schema"] = setmetatable({ new = function(def, ...)
    local s, e = Schema.new(def, ...)
    if s and def and bundled[def.name] and real_def(def.name) == def then
      local validate = s.validate
      s.validate = function(self, input, ...)
        if type(input) == "table" then record(input.config, def, input) end
        return validate(self, input, ...)
      end
    end
    return s, e
  end }, { __index = Schema }),
  ["kong.db.schema.entity"] = setmetatable({ new = function(def, ...)
    local s, e = EntityLib.new(def, ...)
    if s and def and def.name == "plugins" then
      local process = s.process_auto_fields
      s.process_auto_fields = function(self, input, ...)
        if type(input) == "table" then
          local def_of = bundled[input.name] and real_def(input.name) or { name = input.name }
          record(input.config, def_of, input)
        end
        return process(self, input, ...)
      end
    end
    return s, e
  end }, { __index = EntityLib }),
}
local function spec_require(name)
  return spec_modules[name] or require(name)
end

-- A minimal busted: describe blocks run at once, each test with its enclosing before_each/after_each hooks.
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
    assert = permissive, require = spec_require, spy = autostub("spy"), mock = autostub("mock"), stub = autostub("stub"), match = autostub("match"),
  }, { __index = _G })
  local saved_kong = _G.kong -- file-log's spec replaces the kong global
  local chunk, err = loadfile(path)
  if not chunk then
    io.stderr:write(("%s: %s\n"):format(path, err))
  else
    setfenv(chunk, spec_env)
    local ok, e = pcall(chunk)
    if not ok then io.stderr:write(("%s: %s\n"):format(path, tostring(e))) end
  end
  _G.kong = saved_kong
  stats.files[#stats.files + 1] = ("%s: %d"):format(path:sub(#kong_root + 2), stats.kept - before)
end

io.stderr:write(("recorded %d calls, kept %d cases, %d duplicates, %d tests stopped early\n"):format(stats.recorded, stats.kept, stats.duplicate, stats.failed_tests))
for why, n in pairs(stats.skipped) do io.stderr:write(("  skipped %d: %s\n"):format(n, why)) end
local names = {}
for name in pairs(stats.per_plugin) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do io.stderr:write(("  %s: %d\n"):format(name, stats.per_plugin[name])) end
for _, f in ipairs(stats.files) do io.stderr:write("  " .. f .. "\n") end

-- One case per line of output, in the order recorded.
local out = {}
for i, c in ipairs(cases) do out[i] = json.encode(c) end
io.write("[\n", table.concat(out, ",\n"), "\n]\n")
