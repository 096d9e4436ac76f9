-- Runs Kong's real validator for core entities and credentials (kong/db/schema/entities/*.lua and the auth
-- plugins' daos.lua, loaded unmodified; routes per router flavor) on a corpus, and prints each verdict as JSON:
-- the oracle for test/fixtures/kong-oracle/entities-dbless.json. As for plugins: process_auto_fields, then
-- validate_insert. Limits: certificate and key parsing (resty.openssl) and the ATC router are stubbed, so the
-- corpus holds no certificate cases and no expression-router verdicts beyond the schema's own checks.
--
--   luajit scripts/kong-schemas/harness-entities.lua <kong checkout> <tag> <commit> <corpus.json> > results.json
--
-- corpus.json: [{"id": "...", "entity": "services", "flavor": "traditional_compatible" (routes only), "input": {...}, "note": "..."}]
-- It prints {source, results: [{id, valid, errors}]}; merge.ts joins that with the corpus into a fixture.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit, corpus_path = arg[1], arg[2], arg[3], arg[4]
assert(kong_root and tag and commit and corpus_path, "usage: harness-entities.lua <kong checkout> <tag> <commit> <corpus.json>")
local env = dofile(here .. "/env.lua")(kong_root, { database = "off" })
local json = dofile(here .. "/json.lua")
local flatten = dofile(here .. "/flatten.lua")(json)
local loaded = dofile(here .. "/load.lua").entities()
local schemas, routes = loaded.schemas, loaded.routes

local f = assert(io.open(corpus_path))
local corpus = env.cjson.decode(f:read("*a"))
f:close()

local results = json.array({})
for _, case in ipairs(corpus) do
  local schema = case.entity == "routes" and routes[case.flavor] or schemas[case.entity]
  assert(schema, "unknown entity or flavor in case " .. case.id)
  local entity, err = schema:process_auto_fields(case.input, "insert")
  local ok = false
  if entity then ok, err = schema:validate_insert(entity) end
  if type(err) == "string" then err = { ["@entity"] = { err } } end
  results[#results + 1] = { id = case.id, valid = ok and true or false, errors = ok and json.empty_object or flatten(err) }
end

io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, database = "off",
             command = "luajit scripts/kong-schemas/harness-entities.lua <kong checkout> " .. tag .. " " .. commit .. " <corpus>" },
  results = results,
}), "\n")
