-- Runs Kong's real plugin validator (kong/db/schema, the plugins entity and every bundled plugin's
-- subschema, loaded unmodified) on a corpus of plugin entities and prints each verdict as JSON: the oracle
-- for test/fixtures/kong-oracle/. Validation is what DB-less Kong does to each plugin of a pushed
-- configuration: process_auto_fields (defaults, shorthands) then validate_insert.
--
--   luajit scripts/kong-schemas/harness.lua <kong checkout> <tag> <commit> <corpus.json> [off|postgres] > fixtures.json
--
-- corpus.json: [{"id": "...", "plugin": "cors", "config": {...}, "protocols": [...], "ordering": {...},
--                "consumer": true, "route": true, "service": true, "consumer_group": true, "note": "..."}]
-- (each scope flag sets that foreign key to a fixed id, as a plugin scoped there carries it)
-- It prints {source, results: [{id, valid, errors}]}; merge.ts joins that with the corpus into a fixture
-- (Debian's lua-cjson cannot tell [] from {}, so the inputs are copied from the corpus, not re-encoded).
-- Errors are flattened the way Kong's flatten_errors does for /config: dotted field names, arrays 1-based
-- (config.origins.1), entity-level errors under "@entity" (config.@entity inside a record).
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local kong_root, tag, commit, corpus_path, database = arg[1], arg[2], arg[3], arg[4], arg[5] or "off"
assert(kong_root and tag and commit and corpus_path, "usage: harness.lua <kong checkout> <tag> <commit> <corpus.json> [off|postgres]")
local env = dofile(here .. "/env.lua")(kong_root, { database = database })
local load = dofile(here .. "/load.lua")
local json = dofile(here .. "/json.lua")
local cjson = env.cjson

local P = load.plugins().plugins_entity

local f = assert(io.open(corpus_path))
local corpus = cjson.decode(f:read("*a"))
f:close()

local flatten = dofile(here .. "/flatten.lua")(json)

local results = json.array({})
for _, case in ipairs(corpus) do
  local input = { name = case.plugin, config = case.config }
  if case.protocols ~= nil then input.protocols = case.protocols end
  if case.ordering ~= nil then input.ordering = case.ordering end
  if case.consumer then input.consumer = { id = "00000000-0000-4000-8000-000000000001" } end
  if case.route then input.route = { id = "00000000-0000-4000-8000-000000000002" } end
  if case.service then input.service = { id = "00000000-0000-4000-8000-000000000003" } end
  if case.consumer_group then input.consumer_group = { id = "00000000-0000-4000-8000-000000000004" } end
  local entity, err = P:process_auto_fields(input, "insert")
  local ok = false
  if entity then ok, err = P:validate_insert(entity) end
  if type(err) == "string" then err = { ["@entity"] = { err } } end
  results[#results + 1] = {
    id = case.id,
    valid = ok and true or false,
    errors = ok and json.empty_object or flatten(err),
  }
end

io.write(json.encode({
  source = { repository = "Kong/kong", tag = tag, commit = commit, database = database,
             command = "luajit scripts/kong-schemas/harness.lua <kong checkout> " .. tag .. " " .. commit .. " <corpus> " .. database },
  results = results,
}), "\n")
