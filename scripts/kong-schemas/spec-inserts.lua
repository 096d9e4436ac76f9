-- Collects the plugin configurations Kong's integration tests give a running Kong: runs one spec file under a
-- minimal stand-in for busted (the tests' setup and bodies are run, nothing is served), with spec.helpers
-- replaced by a stand-in whose database records what goes in:
--   * bp.<anything>:insert / db.plugins:insert|upsert (Kong's own spec/fixtures/blueprints.lua, loaded
--     unmodified over a recording DAO: bp.key_auth_plugins:insert() and the like give their real defaults),
--     spec.fixtures.admin_api's inserts too;
--   * Admin API POST or PUT bodies to .../plugins (admin_client():post/put/send), JSON bodies only;
--   * declarative configurations: any string holding `_format_version` handed to a helper (make_yaml_file,
--     start_kong's declarative_config_string, a file written by the test), or POSTed to /config; a
--     declarative_config path in spec/fixtures is read from the checkout.
-- Each is printed as one JSON line ({kind = "plugin" | "declarative", where, ...}); spec-inserts.ts turns them
-- into the corpus. Assertions never stop a test; a test that fails on the stand-in's values stops there.
--
--   luajit scripts/kong-schemas/spec-inserts.lua <kong checkout with spec/> <tag> <commit> <spec file>
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit, path = arg[1], arg[2], arg[3], arg[4]
assert(kong_root and tag and commit and path, "usage: spec-inserts.lua <kong checkout> <tag> <commit> <spec file>")
local env = dofile(here .. "/env.lua")(kong_root, { database = "off" })
package.path = kong_root .. "/?.lua;" .. package.path
local load = dofile(here .. "/load.lua")
local json = dofile(here .. "/json.lua")
local cjson = env.cjson

local loaded = load.plugins()
local bundled = {}
for _, name in ipairs(loaded.names) do bundled[name] = true end

local function config_field(name)
  local def = package.loaded["kong.plugins." .. name .. ".schema"]
  for _, f in ipairs(def.fields) do
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

local STUB = setmetatable({}, { __mode = "k" }) -- tables made by the stand-in, not by the test
local function autostub(name)
  local mt = {}
  mt.__index = function(t, k) local s = autostub(name .. "." .. tostring(k)); rawset(t, k, s); return s end
  mt.__call = function() return nil end
  local s = setmetatable({}, mt)
  STUB[s] = name
  return s
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
  if STUB[v] then return nil, "a value from a stubbed test helper (" .. STUB[v] .. ")" end
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

local current = { names = {} }
local function where()
  local line
  for level = 3, 30 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == "@" .. path then line = info.currentline break end
  end
  return { file = path:sub(#kong_root + 2), line = line, test = table.concat(current.names, " > ") }
end
local function emit(rec)
  local w = where()
  rec.file, rec.line, rec.test = w.file, w.line, w.test
  io.write("@@spec-insert ", json.encode(rec), "\n")
end

-- One plugin entity as a test gives it to Kong (a blueprint's insert, an Admin API body).
local function record_plugin(entity, how)
  if type(entity) ~= "table" then return end
  local name = entity.name
  if type(name) ~= "string" then return emit({ kind = "skip", why = "no plugin name", how = how }) end
  if not bundled[name] then return emit({ kind = "skip", why = "not a bundled plugin (" .. name .. ")", how = how }) end
  local item = { kind = "plugin", plugin = name, how = how }
  local why
  item.config, why = to_json(entity.config == nil and {} or entity.config, config_field(name))
  for k, v in pairs(entity) do
    if why then break end
    if k == "protocols" or k == "ordering" then
      item[k], why = to_json(v, k == "protocols" and { type = "set" } or nil)
    elseif k == "consumer" or k == "route" or k == "service" or k == "consumer_group" then
      if v ~= ngx.null and v ~= nil then item[k] = true end
    end
  end
  if why then return emit({ kind = "skip", why = why, how = how, plugin = name }) end
  emit(item)
end

local declaratives = {} -- file name given by make_yaml_file → its content
local function record_declarative(text, how)
  if type(text) == "string" and text:find("_format_version", 1, true) then
    emit({ kind = "declarative", text = text, how = how })
    return true
  elseif type(text) == "table" and not STUB[text] and text._format_version then
    local ok, s = pcall(cjson.encode, text)
    if ok then emit({ kind = "declarative", text = s, how = how }) else emit({ kind = "skip", why = "declarative table cjson cannot encode", how = how }) end
    return true
  end
end
local function scan_args(how, ...)
  for i = 1, select("#", ...) do
    local a = select(i, ...)
    if not record_declarative(a, how) and type(a) == "table" and not STUB[a] then
      for _, key in ipairs({ "declarative_config_string", "config" }) do record_declarative(rawget(a, key), how) end
      local dc = rawget(a, "declarative_config")
      if type(dc) == "string" then
        if declaratives[dc] then record_declarative(declaratives[dc], how .. " declarative_config")
        elseif dc:match("^spec/fixtures/") or dc:match("/spec/fixtures/") then
          local f = io.open(kong_root .. "/" .. dc:gsub("^.*spec/fixtures/", "spec/fixtures/"))
          if f then record_declarative(f:read("*a"), how .. " " .. dc); f:close() end
        end
      end
    end
  end
end

-- The recording database: every DAO's insert gives back the entity with an id; plugins are recorded.
local uuid_n = 0
local function new_uuid() uuid_n = uuid_n + 1; return ("00000000-0000-4000-8000-%012d"):format(uuid_n) end
local function fake_db(how)
  local daos = {}
  return setmetatable({ daos = daos }, { __index = function(t, dao_name)
    if type(dao_name) ~= "string" then return nil end
    local function store(entity)
      if type(entity) ~= "table" then return entity end
      local copy = {}
      for k, v in pairs(entity) do copy[k] = v end
      copy.id = copy.id or new_uuid()
      return copy
    end
    local dao = setmetatable({
      insert = function(_, entity)
        if dao_name == "plugins" then record_plugin(entity, how .. " insert") end
        return store(entity)
      end,
      upsert = function(_, pk, entity)
        if dao_name == "plugins" then record_plugin(entity, how .. " upsert") end
        return store(entity)
      end,
      upsert_by_name = function(_, _, entity) return store(entity) end,
      update = function(_, _, entity) return store(entity) end,
      each = function() return function() return nil end end,
      page = function() return {} end,
      select = function() return nil end,
      truncate = function() return true end,
      schema = autostub("schema"),
    }, { __index = function(d, k) local s = autostub("db." .. dao_name .. "." .. tostring(k)); rawset(d, k, s); return s end })
    daos[dao_name] = dao
    rawset(t, dao_name, dao)
    return dao
  end })
end

local Blueprints = dofile(kong_root .. "/spec/fixtures/blueprints.lua")
local function new_bp(how)
  local db = fake_db(how)
  return Blueprints.new(db), db
end

-- An HTTP client whose POST/PUT bodies to .../plugins and /config are recorded; every response is a 201 "{}".
-- The response to a POST or PUT echoes its JSON body with an id, so that a test goes on to use the entity.
local RESPONSES = setmetatable({}, { __mode = "k" })
local function response(body)
  local echo = "{}"
  if type(body) == "table" then
    local copy = {}
    for k, v in pairs(body) do copy[k] = v end
    copy.id = copy.id or new_uuid()
    local ok, s = pcall(cjson.encode, copy)
    if ok then echo = s end
  end
  local res = setmetatable({ status = 201, headers = {}, read_body = function() return echo end, body = echo }, {
    __index = function(t, k) local s = autostub("res." .. tostring(k)); rawset(t, k, s); return s end })
  RESPONSES[res] = true
  return res
end
local function fake_client(kind)
  local client = {}
  local function send(method, p, opts)
    opts = type(opts) == "table" and opts or {}
    method = tostring(method or "GET"):upper()
    local body = opts.body
    local ctype
    for k, v in pairs(type(opts.headers) == "table" and opts.headers or {}) do
      if type(k) == "string" and k:lower() == "content-type" then ctype = tostring(v):lower() end
    end
    if type(p) == "string" and (method == "POST" or method == "PUT") then
      local bare = p:gsub("%?.*$", "")
      if bare:match("/plugins/?$") or (method == "PUT" and bare:match("/plugins/[^/]+$")) then
        if type(body) == "string" then
          local ok, decoded = pcall(cjson.decode, body)
          body = ok and decoded or nil
        end
        if ctype and not ctype:find("json", 1, true) then
          emit({ kind = "skip", why = "a form-encoded Admin API body (" .. ctype .. "): the Admin API coerces its strings by the schema", how = kind .. " " .. method .. " " .. bare })
        elseif type(body) == "table" then
          -- a flat "config.x" key is the form-encoding shape: only JSON bodies are kept
          local dotted = false
          for k in pairs(body) do if type(k) == "string" and k:find(".", 1, true) then dotted = true end end
          if dotted then emit({ kind = "skip", why = "an Admin API body with dotted keys (form shape)", how = kind .. " " .. method .. " " .. bare })
          else
            if not body.name and bare:match("/plugins/([^/]+)$") then body.name = nil end
            record_plugin(body, kind .. " " .. method .. " " .. bare)
          end
        end
      elseif bare:match("^/config/?$") then
        record_declarative(type(body) == "table" and (body.config or body) or body, kind .. " POST /config")
      end
    end
    local echo = opts.body
    if type(echo) == "string" then local ok, d = pcall(cjson.decode, echo); echo = ok and d or nil end
    return response(echo)
  end
  client.send = function(_, opts) opts = opts or {}; return send(opts.method, opts.path, opts) end
  for _, m in ipairs({ "get", "post", "put", "patch", "delete", "options", "head" }) do
    client[m] = function(_, p, opts) return send(m, p, opts) end
  end
  client.close = function() end
  return setmetatable(client, { __index = function(t, k) local s = autostub(kind .. "." .. tostring(k)); rawset(t, k, s); return s end })
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
    for i = 1, select("#", ...) do
      if RESPONSES[args[i]] then return args[i].body end -- assert.res_status(201, res) gives the body
    end
    if args[1] == permissive then return select(2, ...) end
    return ...
  end,
})

local C = dofile(kong_root .. "/spec/internal/constants.lua")
local function iter(list) local i = 0 return function() i = i + 1; if list[i] then return i, list[i] end end end
local function strategies(default) return function(list)
  local out = {}
  for _, s in ipairs(list or default) do for _, d in ipairs(default) do if s == d then out[#out + 1] = s end end end
  return iter(out)
end end
local bp_default, db_default = new_bp("bp")
local helpers = {
  -- spec/helpers.lua's constants (spec/internal/constants.lua's defaults)
  mock_upstream_hostname = C.MOCK_UPSTREAM_HOSTNAME, mock_upstream_protocol = C.MOCK_UPSTREAM_PROTOCOL,
  mock_upstream_host = C.MOCK_UPSTREAM_HOST, mock_upstream_port = C.MOCK_UPSTREAM_PORT,
  mock_upstream_url = C.MOCK_UPSTREAM_PROTOCOL .. "://" .. C.MOCK_UPSTREAM_HOST .. ":" .. C.MOCK_UPSTREAM_PORT,
  mock_upstream_ssl_protocol = C.MOCK_UPSTREAM_SSL_PROTOCOL, mock_upstream_ssl_host = C.MOCK_UPSTREAM_HOST,
  mock_upstream_ssl_port = C.MOCK_UPSTREAM_SSL_PORT,
  mock_upstream_ssl_url = C.MOCK_UPSTREAM_SSL_PROTOCOL .. "://" .. C.MOCK_UPSTREAM_HOST .. ":" .. C.MOCK_UPSTREAM_SSL_PORT,
  mock_upstream_stream_port = C.MOCK_UPSTREAM_STREAM_PORT, mock_upstream_stream_ssl_port = C.MOCK_UPSTREAM_STREAM_SSL_PORT,
  mock_grpc_upstream_proto_path = C.MOCK_GRPC_UPSTREAM_PROTO_PATH,
  zipkin_host = C.ZIPKIN_HOST, zipkin_port = C.ZIPKIN_PORT,
  otelcol_host = C.OTELCOL_HOST, otelcol_http_port = C.OTELCOL_HTTP_PORT, otelcol_zpages_port = C.OTELCOL_ZPAGES_PORT,
  otelcol_file_exporter_path = C.OTELCOL_FILE_EXPORTER_PATH,
  grpcbin_host = C.GRPCBIN_HOST, grpcbin_port = C.GRPCBIN_PORT, grpcbin_ssl_port = C.GRPCBIN_SSL_PORT,
  grpcbin_url = ("grpc://%s:%d"):format(C.GRPCBIN_HOST, C.GRPCBIN_PORT),
  grpcbin_ssl_url = ("grpcs://%s:%d"):format(C.GRPCBIN_HOST, C.GRPCBIN_SSL_PORT),
  redis_host = C.REDIS_HOST, redis_port = C.REDIS_PORT, redis_ssl_port = C.REDIS_SSL_PORT, redis_ssl_sni = C.REDIS_SSL_SNI,
  redis_auth_port = C.REDIS_AUTH_PORT, blackhole_host = C.BLACKHOLE_HOST,
  test_conf_path = C.TEST_CONF_PATH,
  test_conf = setmetatable({ prefix = "servroot", nginx_conf = "spec/fixtures/custom_nginx.template", database = "postgres" },
    { __index = function(t, k) local s = autostub("helpers.test_conf." .. tostring(k)); rawset(t, k, s); return s end }), external_plugins_path = C.EXTERNAL_PLUGINS_PATH,
  get_available_port = (function() local p = 20000 return function() p = p + 1 return p end end)(),
  get_proxy_ip = function() return "127.0.0.1" end, get_proxy_port = function() return 9000 end,
  each_strategy = strategies({ "postgres" }), all_strategies = strategies({ "postgres", "off" }),
  get_db_utils = function(strategy) local bp, db = new_bp("bp(" .. tostring(strategy) .. ")") return bp, db end,
  db = db_default, blueprints = bp_default,
  unindent = function(s) return s end,
  make_yaml_file = function(content, name)
    name = name or ("/tmp/spec-inserts-" .. new_uuid() .. ".yml")
    declaratives[name] = content
    record_declarative(content, "make_yaml_file")
    return name
  end,
  wait_until = function(f) pcall(f) end, pwait_until = function(f) pcall(f) end,
}
for _, k in ipairs({ "admin_client", "proxy_client", "http_client", "proxy_ssl_client", "admin_ssl_client", "admin_gui_client", "proxy_client_grpc", "proxy_client_grpcs" }) do
  helpers[k] = function() return fake_client(k .. "()") end
end
-- start_kong and every other helper: a stand-in that looks for declarative configurations in its arguments.
setmetatable(helpers, { __index = function(t, k)
  local s = setmetatable({}, {
    __call = function(_, ...) scan_args("helpers." .. tostring(k), ...) return autostub("helpers." .. tostring(k) .. "()") end,
    __index = function(tt, kk) local f = function(...) scan_args("helpers." .. tostring(k) .. "." .. tostring(kk), ...) return autostub("x") end; rawset(tt, kk, f); return f end,
  })
  STUB[s] = "helpers." .. tostring(k)
  rawset(t, k, s)
  return s
end })
package.loaded["spec.helpers"] = helpers
package.loaded["spec.fixtures.admin_api"] = (new_bp("admin_api"))
package.loaded["spec.fixtures.blueprints"] = Blueprints

local spec_modules = {
  ["pl.utils"] = setmetatable({ writefile = function(name, content, ...) scan_args("pl.utils.writefile", content) return true end }, { __index = require "pl.utils" }),
  ["pl.file"] = setmetatable({ write = function(name, content, ...) scan_args("pl.file.write", content) return true end }, { __index = require "pl.file" }),
}
local function spec_require(name)
  if spec_modules[name] then return spec_modules[name] end
  local ok, m = pcall(require, name)
  if ok then return m end
  local s = autostub(name)
  package.loaded[name] = s
  return s
end

-- A minimal busted: describe blocks run at once, each test with its enclosing before_each/after_each hooks.
local hooks = { { before = {}, after = {} } }
local budget = 2e7 -- instructions per test or describe body: a test waiting on a stubbed server is stopped
local function guarded(fn)
  local n = 0
  debug.sethook(function() n = n + 1; error("stand-in: stopped (instruction budget)") end, "", budget)
  local ok, err = pcall(fn)
  debug.sethook()
  return ok, err
end
local function block(kind)
  return function(name, fn)
    if type(name) == "function" then fn, name = name, "" end
    if type(fn) ~= "function" then return end
    current.names[#current.names + 1] = tostring(name)
    if kind == "describe" then
      hooks[#hooks + 1] = { before = {}, after = {} }
      local ok, err = pcall(fn)
      if not ok then io.stderr:write(("  describe %q: %s\n"):format(table.concat(current.names, " > "), tostring(err))) end
      hooks[#hooks] = nil
    else
      for _, h in ipairs(hooks) do for _, b in ipairs(h.before) do guarded(b) end end
      guarded(fn)
      for i = #hooks, 1, -1 do for _, a in ipairs(hooks[i].after) do guarded(a) end end
    end
    current.names[#current.names] = nil
  end
end
local function hook(kind)
  return function(fn)
    local h = hooks[#hooks]
    if kind == "now" or not h then guarded(fn) else table.insert(h[kind], fn) end
  end
end

jit.off() -- the instruction budget needs the interpreter
local spec_env = setmetatable({
  describe = block("describe"), context = block("describe"), insulate = block("describe"), expose = block("describe"),
  it = block("it"), spec = block("it"), test = block("it"), pending = function() end,
  before_each = hook("before"), after_each = hook("after"),
  setup = hook("now"), lazy_setup = hook("now"), strict_setup = hook("now"),
  teardown = function() end, lazy_teardown = function() end, strict_teardown = function() end, finally = function() end,
  assert = permissive, require = spec_require, print = function() end,
  -- nothing is run outside the interpreter (some tests shell out to curl or kong); temporary names are stable
  os = setmetatable({ execute = function() return 0 end, remove = function() return true end, exit = function() error("os.exit") end,
    tmpname = (function() local n = 0 return function() n = n + 1 return ("/tmp/spec-insert-%d"):format(n) end end)() }, { __index = os }),
  io = setmetatable({ popen = function() return nil, "stand-in: no io.popen" end }, { __index = io }), spy = autostub("spy"), mock = autostub("mock"), stub = autostub("stub"), match = autostub("match"),
}, { __index = _G })
local chunk, err = loadfile(path)
if not chunk then
  io.stderr:write(("%s: %s\n"):format(path, err))
else
  setfenv(chunk, spec_env)
  local ok, e = pcall(chunk)
  if not ok then io.stderr:write(("%s: %s\n"):format(path, tostring(e))) end
end
