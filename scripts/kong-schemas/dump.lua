-- Dumps the schema of every plugin bundled with a Kong checkout as JSON, in the shape of Kong's Admin API
-- (GET /schemas/plugins/:name: {fields = [{name = field}], entity_checks = [...]}), with two differences:
-- every Lua function is kept as a named marker ({"$fn": "typedefs.header_name"} when it is a typedef's
-- validator, {"$fn": "custom:<plugin>.<path>"} otherwise), and the database mode is chosen (DB-less by
-- default), since some plugins build their schema from it (rate-limiting's `policy`).
--
--   luajit scripts/kong-schemas/dump.lua <kong checkout> <tag> <commit> [off|postgres] > out.json
-- See scripts/kong-schemas/README.md.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit, database = arg[1], arg[2], arg[3], arg[4] or "off"
assert(kong_root and tag and commit, "usage: dump.lua <kong checkout> <tag> <commit> [off|postgres]")
dofile(here .. "/env.lua")(kong_root, { database = database })
local load = dofile(here .. "/load.lua")
local json = dofile(here .. "/json.lua")

local loaded = load.plugins()
local encode = dofile(here .. "/encode.lua")(json)
local encode_value, encode_fields = encode.value, encode.fields

local plugins = {}
for _, name in ipairs(loaded.names) do
  local s = loaded.subschemas[name]
  plugins[name] = {
    fields = encode_fields(s.fields, name),
    entity_checks = encode_value(s.entity_checks or {}, name .. ".@entity", true),
  }
  if s.shorthand_fields then plugins[name].shorthand_fields = encode_fields(s.shorthand_fields, name .. ".shorthand_fields") end
end

local P = loaded.plugins_entity
local constants = require "kong.constants"
local protocols = {}
for p in pairs(constants.PROTOCOLS_WITH_SUBSYSTEM) do protocols[#protocols + 1] = p end
table.sort(protocols)

io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, database = database,
             command = "luajit scripts/kong-schemas/dump.lua <kong checkout> " .. tag .. " " .. commit .. " " .. database },
  bundled = loaded.names,
  protocols = protocols,
  plugins_entity = { fields = encode_fields(P.fields, "plugins"), entity_checks = encode_value(P.entity_checks or {}, "plugins.@entity", true) },
  plugins = plugins,
}), "\n")
