-- Loads Kong's entity schemas and every bundled plugin's subschema, as Kong does at start-up
-- (kong/db/schema/plugin_loader.lua), with the real kong.db.schema library. Needs env.lua first.
local Entity = require "kong.db.schema.entity"
local M = {}

function M.plugins()
  -- The plugins entity refers to these; they must exist first.
  for _, e in ipairs { "consumers", "certificates", "ca_certificates", "services", "routes" } do
    assert(Entity.new(require("kong.db.schema.entities." .. e)))
  end
  local P = assert(Entity.new(require "kong.db.schema.entities.plugins"))
  local names = {}
  for k in pairs(require("kong.constants").BUNDLED_PLUGINS) do names[#names + 1] = k end
  table.sort(names)
  local subschemas = {}
  for _, name in ipairs(names) do
    local def = require("kong.plugins." .. name .. ".schema")
    assert(Entity.new_subschema(P, name, def))
    subschemas[name] = P.subschemas[name]
  end
  return { plugins_entity = P, names = names, subschemas = subschemas }
end

-- The credential DAOs of the bundled auth plugins (oauth2's tokens and codes are runtime state, not configuration).
local CREDENTIALS = { ["key-auth"] = "keyauth_credentials", ["basic-auth"] = "basicauth_credentials",
                      ["hmac-auth"] = "hmacauth_credentials", jwt = "jwt_secrets", acl = "acls", oauth2 = "oauth2_credentials" }

-- The core entities a declarative configuration holds, the credential DAOs, and routes once per router flavor
-- (routes.lua and routes_subschemas.lua read kong.configuration.router_flavor at load time) with their subschemas;
-- vaults with the subschema of each vault Kong bundles.
function M.entities()
  local schemas = {}
  for _, e in ipairs { "consumers", "certificates", "ca_certificates", "services", "snis", "upstreams", "targets", "vaults" } do
    schemas[e] = assert(Entity.new(require("kong.db.schema.entities." .. e)))
  end
  local vaults = {}
  for name in pairs(require("kong.constants").BUNDLED_VAULTS) do vaults[#vaults + 1] = name end
  table.sort(vaults)
  for _, name in ipairs(vaults) do
    assert(Entity.new_subschema(schemas.vaults, name, require("kong.vaults." .. name .. ".schema")))
  end
  local credentials = {}
  for plugin, wanted in pairs(CREDENTIALS) do
    for _, def in ipairs(require("kong.plugins." .. plugin .. ".daos")) do
      if def.name == wanted then
        schemas[def.name] = assert(Entity.new(def))
        credentials[#credentials + 1] = def.name
      end
    end
  end
  table.sort(credentials)
  local routes = {}
  for _, flavor in ipairs { "traditional", "traditional_compatible", "expressions" } do
    kong.configuration.router_flavor = flavor
    package.loaded["kong.db.schema.entities.routes"] = nil
    package.loaded["kong.db.schema.entities.routes_subschemas"] = nil
    routes[flavor] = assert(Entity.new(require "kong.db.schema.entities.routes"))
    for name, sub in pairs(require "kong.db.schema.entities.routes_subschemas") do
      assert(Entity.new_subschema(routes[flavor], name, sub))
    end
  end
  return { schemas = schemas, credentials = credentials, routes = routes }
end

return M
