-- Dumps Kong's core entity schemas and the credential DAOs of the bundled auth plugins as JSON, in the same
-- shape as dump.lua (Admin API fields and entity_checks, Lua functions as {"$fn": ...} markers), DB-less.
-- Routes are dumped once per router flavor (routes.lua and routes_subschemas.lua read it at load time), with
-- their subschemas (keyed by protocol); vaults with the subschema of each vault Kong OSS ships (env).
--
--   luajit scripts/kong-schemas/dump-entities.lua <kong checkout> <tag> <commit> > entities.json
-- See scripts/kong-schemas/README.md.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit = arg[1], arg[2], arg[3]
assert(kong_root and tag and commit, "usage: dump-entities.lua <kong checkout> <tag> <commit>")
dofile(here .. "/env.lua")(kong_root, { database = "off" })
local json = dofile(here .. "/json.lua")
local loaded = dofile(here .. "/load.lua").entities()

-- The typedef names are taken once every schema is loaded.
local encode = dofile(here .. "/encode.lua")(json)

local function schema_json(s, path)
  local out = {
    fields = encode.fields(s.fields, path),
    entity_checks = encode.value(s.entity_checks or {}, path .. ".@entity", true),
  }
  if s.shorthand_fields then out.shorthand_fields = encode.fields(s.shorthand_fields, path .. ".shorthand_fields") end
  if s.ttl then out.ttl = true end
  if s.subschema_key then out.subschema_key = s.subschema_key end
  if s.subschema_error then out.subschema_error = s.subschema_error end
  if s.subschemas then
    out.subschemas = {}
    for name, sub in pairs(s.subschemas) do out.subschemas[name] = schema_json(sub, path .. "." .. name) end
  end
  return out
end

local entities = {}
for name, s in pairs(loaded.schemas) do entities[name] = schema_json(s, name) end
local route_schemas = {}
for flavor, s in pairs(loaded.routes) do route_schemas[flavor] = schema_json(s, "routes." .. flavor) end

io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, database = "off",
             command = "luajit scripts/kong-schemas/dump-entities.lua <kong checkout> " .. tag .. " " .. commit },
  credentials = loaded.credentials,
  entities = entities,
  routes = route_schemas,
}), "\n")
