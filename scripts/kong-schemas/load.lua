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

return M
