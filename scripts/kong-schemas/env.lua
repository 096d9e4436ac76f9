-- Bootstrap shared by dump.lua and harness.lua: lets Kong's own schema code (kong/db/schema/*, the plugin
-- schema.lua files) load under plain LuaJIT, outside OpenResty. Only what the schema layer touches is
-- provided; every other module Kong would require becomes an inert auto-stub.
--   usage: local env = dofile("scripts/kong-schemas/env.lua")(kong_checkout, { database = "off" })
return function(kong_root, opts)
  opts = opts or {}
  table.unpack = table.unpack or unpack
  package.path = kong_root .. "/?.lua;" .. kong_root .. "/?/init.lua;" .. package.path

  local cjson = require "cjson"
  local ok_rex, rex = pcall(require, "rex_pcre2")

  local function noop() end

  -- An auto-stub: any field is a callable stub, calls return nil.
  local function autostub(name)
    local mt = {}
    mt.__index = function(t, k) local s = autostub(name .. "." .. tostring(k)); rawset(t, k, s); return s end
    mt.__call = function() return nil end
    return setmetatable({}, mt)
  end

  -- ngx.re on PCRE2 (Debian lua-rex-pcre2): enough for the `is_regex`, `match` and router_path checks.
  local function compile(re, flags)
    if not ok_rex then return nil, "rex_pcre2 not installed" end
    local cf = 0
    if flags and flags:find("i") then cf = cf + rex.flags().CASELESS end
    local ok, r = pcall(rex.new, re, cf)
    if not ok then
      local msg = tostring(r):gsub("^.-%(pattern offset: %d+%) ", "")
      return nil, 'pcre2_compile() failed: ' .. msg .. ' in "' .. re .. '"'
    end
    return r
  end
  local re = {}
  function re.find(subject, regex, flags)
    local r, err = compile(regex, flags)
    if not r then return nil, nil, err end
    local s, e = r:find(subject)
    return s, e
  end
  function re.match(subject, regex, flags)
    local r, err = compile(regex, flags)
    if not r then return nil, err end
    local caps = { r:match(subject) }
    if caps[1] == nil then return nil end
    local m = {}
    for i, c in ipairs(caps) do m[i] = c end
    m[0] = caps[1]
    return m
  end
  function re.gsub(subject, regex, repl, flags)
    local r, err = compile(regex, flags)
    if not r then return nil, nil, err end
    if type(repl) ~= "function" then
      local out, n = rex.gsub(subject, r, repl)
      return out, n
    end
    -- A function replacement gets ngx.re's match table: [0] the whole match, [1..] the captures.
    local out, pos, n = {}, 1, 0
    while pos <= #subject do
      local s, e, caps = r:exec(subject, pos)
      if not s then break end
      local m = { [0] = subject:sub(s, e) }
      for i = 1, #caps, 2 do m[(i + 1) / 2] = caps[i] and subject:sub(caps[i], caps[i + 1]) or false end
      out[#out + 1] = subject:sub(pos, s - 1)
      out[#out + 1] = repl(m)
      n = n + 1
      if e < s then out[#out + 1] = subject:sub(s, s) end
      pos = math.max(e + 1, s + 1)
    end
    out[#out + 1] = subject:sub(pos)
    return table.concat(out), n
  end
  function re.gmatch(subject, regex, flags)
    local r, err = compile(regex, flags)
    if not r then return nil, err end
    local it = rex.gmatch(subject, r)
    return function() local c = it(); if c == nil then return nil end return { [0] = c, c } end
  end

  _G.ngx = setmetatable({
    null = cjson.null, re = re, shared = setmetatable({}, { __index = function() return {} end }),
    log = noop, DEBUG = 8, INFO = 7, NOTICE = 6, WARN = 5, ERR = 4, CRIT = 3, ALERT = 2, EMERG = 1, STDERR = 0,
    config = { subsystem = "http", prefix = function() return "/tmp" end, ngx_lua_version = 10026 },
    time = os.time, now = os.time, update_time = noop, localtime = function() return os.date("%Y-%m-%d %H:%M:%S") end,
    encode_base64 = function(s) return s end, decode_base64 = function(s) return s end,
    worker = { id = function() return 0 end, pid = function() return 1 end, count = function() return 1 end, exiting = function() return false end },
    get_phase = function() return "init" end, var = {}, ctx = {},
    sleep = noop, md5 = function(s) return s end, crc32_long = function() return 0 end,
    escape_uri = function(s) return s end, unescape_uri = function(s) return s end,
    timer = { at = noop, every = noop },
    thread = { spawn = noop, wait = noop },
  }, { __index = function(t, k) local s = autostub("ngx." .. k); rawset(t, k, s); return s end })

  local conf = {
    database = opts.database or "off", role = opts.role or "traditional",
    router_flavor = opts.router_flavor or "traditional_compatible", untrusted_lua = "sandbox",
    untrusted_lua_sandbox_requires = {}, untrusted_lua_sandbox_environment = {},
    loaded_plugins = {}, loaded_vaults = { env = true },
  }
  _G.kong = setmetatable({
    configuration = setmetatable(conf, { __index = function() return nil end }),
    log = setmetatable({}, { __index = function() return noop end }),
    vault = { is_reference = function(s) return type(s) == "string" and s:sub(1, 9) == "{vault://" end },
    version_num = 3009003, version = "3.9.3", node = { get_id = function() return "00000000-0000-0000-0000-000000000000" end },
  }, { __index = function(t, k) local s = autostub("kong." .. k); rawset(t, k, s); return s end })

  local pre = package.preload
  pre["table.new"] = function() return function() return {} end end
  pre["table.nkeys"] = function() return function(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end end
  pre["table.clear"] = function() return function(t) for k in pairs(t) do t[k] = nil end end end
  pre["table.isarray"] = function() return function(t)
    if type(t) ~= "table" then return false end
    local n = #t; for k in pairs(t) do if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then return false end end
    return true end end
  pre["table.isempty"] = function() return function(t) return next(t) == nil end end
  pre["table.clone"] = function() return function(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end end
  pre["kong.deprecation"] = function() return setmetatable({}, { __call = noop }) end
  pre["kong.pdk.vault"] = function() return { is_reference = kong.vault.is_reference, new = function() return kong.vault end } end
  pre["kong.tools.yield"] = function() return { yield = noop } end
  pre["kong.reports"] = function() return autostub("kong.reports") end
  pre["resty.lrucache"] = function() return { new = function() local c = {} return { get = function(_, k) return c[k] end, set = function(_, k, v) c[k] = v end, delete = function(_, k) c[k] = nil end, flush_all = function() c = {} end } end } end
  -- Deterministic ids: the validator only needs well-formed uuids.
  local counter = 0
  local function fake_uuid() counter = counter + 1; return string.format("00000000-0000-4000-8000-%012d", counter) end
  pre["resty.jit-uuid"] = function() return { generate_v4 = fake_uuid, generate_v5 = fake_uuid, seed = noop,
    is_valid = function(s) return type(s) == "string" and s:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$") ~= nil end } end
  pre["kong.tools.rand"] = function() return { random_string = function() return "randomstring" end, get_rand_bytes = function(n) return string.rep("a", n) end } end
  pre["kong.runloop.plugin_servers"] = function() return { load_schema = function() return false end, get_plugins = function() return {} end } end
  pre["kong.runloop.wasm.plugins"] = function() return { load_schema = function() return false end } end
  pre["kong.runloop.wasm"] = function() return { filters_by_name = {}, enabled = function() return false end, status = function() return false end } end
  pre["kong.router.atc"] = function() return autostub("kong.router.atc") end
  pre["resty.ljsonschema.metaschema"] = function() return { id = "http://json-schema.org/draft-04/schema#" } end
  -- resty.ipmatcher's parsers are inet_pton in OpenResty; the same libc call through LuaJIT's FFI.
  pre["resty.ipmatcher"] = function()
    local ffi = require "ffi"
    pcall(ffi.cdef, "int inet_pton(int af, const char *src, void *dst);")
    local buf = ffi.new("unsigned char[16]")
    local function parser(af) return function(ip)
      if type(ip) ~= "string" then return false end
      return ffi.C.inet_pton(af, ip, buf) == 1 and true or false
    end end
    return { parse_ipv4 = parser(2), parse_ipv6 = parser(10) }
  end
  -- routes.lua (traditional_compatible, expressions) reads these three; the expression it builds only feeds the
  -- ATC validator below, which cannot run here.
  pre["kong.router.transform"] = function()
    local function is_null(v) return v == nil or v == ngx.null end
    return { is_null = is_null, is_empty_field = function(f) return is_null(f) or next(f) == nil end, amending_expression = function() return "" end }
  end
  -- The ATC router's validate (Rust, native) accepts everything here: it returns the fields the expression uses.
  pre["resty.router.router"] = function() return { validate = function() return {} end } end

  -- Anything else that is missing (resty.*, ngx.*, lua-resty-openssl, ...) loads as an auto-stub.
  local loaders = package.loaders or package.searchers
  table.insert(loaders, function(name) return function() return autostub(name) end end)

  return { cjson = cjson, autostub = autostub, pcre = ok_rex }
end
