-- Runs Kong's real routes validator (kong/db/schema/entities/routes.lua with routes_subschemas, loaded unmodified)
-- on route paths, as DB-less Kong checks each route of a pushed configuration (process_auto_fields, then
-- validate_insert), and prints each verdict as JSON: the oracle for regex route paths
-- (test/fixtures/kong-oracle/route-paths-traditional.json). Only router_flavor traditional: the ATC router's
-- Rust half needs Kong's native library (judged in the tests by the regex crate itself, rregex).
--
--   luajit scripts/kong-schemas/routes-harness.lua <kong checkout> <tag> <commit> <corpus.json> > verdicts.json
--
-- corpus.json: [{"path": "~/api/v\\d+", "note": "..."}]; each path is validated as the only path of an http route.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit, corpus_path = arg[1], arg[2], arg[3], arg[4]
assert(kong_root and tag and commit and corpus_path, "usage: routes-harness.lua <kong checkout> <tag> <commit> <corpus.json>")
local env = dofile(here .. "/env.lua")(kong_root, { database = "off", router_flavor = "traditional" })
local json = dofile(here .. "/json.lua")
local Entity = require "kong.db.schema.entity"
for _, e in ipairs { "consumers", "certificates", "ca_certificates", "services" } do
  assert(Entity.new(require("kong.db.schema.entities." .. e)))
end
local routes = assert(Entity.new(require "kong.db.schema.entities.routes"))
for name, sub in pairs(require "kong.db.schema.entities.routes_subschemas") do
  assert(Entity.new_subschema(routes, name, sub))
end
local f = assert(io.open(corpus_path))
local corpus = env.cjson.decode(f:read("*a"))
f:close()
local results = json.array({})
for _, case in ipairs(corpus) do
  local entity, err = routes:process_auto_fields({ protocols = { "http", "https" }, paths = { case.path } }, "insert")
  local ok = false
  if entity then ok, err = routes:validate_insert(entity) end
  local messages = json.array({})
  if not ok then
    for _, m in ipairs(type(err) == "table" and type(err.paths) == "table" and err.paths or { tostring(type(err) == "table" and env.cjson.encode(err) or err) }) do
      messages[#messages + 1] = m
    end
  end
  results[#results + 1] = { path = case.path, note = case.note, valid = ok and true or false, errors = messages }
end
io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, router_flavor = "traditional",
             pcre2 = "Debian lua-rex-pcre2 (ngx.re emulated by env.lua)",
             command = "luajit scripts/kong-schemas/routes-harness.lua <kong checkout> " .. tag .. " " .. commit .. " <corpus>" },
  cases = results,
}), "\n")
