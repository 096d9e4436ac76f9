-- Encodes Kong schema definitions (as Schema.new leaves them) into the Admin API's JSON shape for dump.lua and
-- dump-entities.lua: every Lua function becomes a named marker, {"$fn": "typedefs.header_name"} when it is a
-- typedef's validator (matched by identity), {"$fn": "custom:<path>"} otherwise. Needs env.lua first.
--   local encode = dofile("scripts/kong-schemas/encode.lua")(json)
return function(json)
  local fn_names = {}
  local custom_names = {}

  -- Typedef validators are shared functions: name them by identity so the runtime can implement each once.
  do
    local typedefs = require "kong.db.schema.typedefs"
    local seen = {}
    local function walk(v, path)
      if type(v) == "function" then
        if not fn_names[v] then fn_names[v] = path:gsub("%.custom_validator$", "") end
      elseif type(v) == "table" and not seen[v] then
        seen[v] = true
        local keys = {}
        for k in pairs(v) do keys[#keys + 1] = tostring(k) end
        table.sort(keys)
        for _, k in ipairs(keys) do walk(v[k] == nil and v[tonumber(k)] or v[k], path .. "." .. k) end
      end
    end
    local names = {}
    for k in pairs(typedefs) do names[#names + 1] = k end
    table.sort(names)
    -- First each typedef's own validator, so a function shared by several typedefs gets the plain name.
    for _, k in ipairs(names) do
      local td = typedefs[k]
      if type(td) == "table" and type(td.custom_validator) == "function" and not fn_names[td.custom_validator] then
        fn_names[td.custom_validator] = "typedefs." .. k
      end
    end
    for _, k in ipairs(names) do
      local td = typedefs[k]
      -- A typedef is a table, or a callable that builds one: both carry the same validator functions.
      if type(td) == "table" then walk(td, "typedefs." .. k) end
    end
  end

  local null = ngx.null
  local encode_value, encode_field, encode_fields

  -- Plain data (defaults, one_of lists, entity check arguments): arrays stay arrays, functions become markers.
  encode_value = function(v, path, empty_as_array)
    local t = type(v)
    if t == "function" then
      if fn_names[v] then return { ["$fn"] = fn_names[v] } end
      -- Two different functions at one path (routes' two custom_entity_checks) get "#2", "#3", ...
      local name, n = "custom:" .. path, 1
      while custom_names[name] and custom_names[name] ~= v do
        n = n + 1
        name = "custom:" .. path .. "#" .. n
      end
      custom_names[name] = v
      return { ["$fn"] = name }
    end
    if v == null then return json.null end
    if t == "number" then
      if v ~= v then return "nan" elseif v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
      return v
    end
    if t ~= "table" then return v end
    local n, count = #v, 0
    for _ in pairs(v) do count = count + 1 end
    if count == 0 then return empty_as_array and json.empty_array or json.empty_object end
    if n == count then
      local out = json.array({})
      for i = 1, n do out[i] = encode_value(v[i], path) end
      return out
    end
    local out = {}
    for k, x in pairs(v) do out[tostring(k)] = encode_value(x, path .. "." .. tostring(k)) end
    return out
  end

  -- A field definition. Schema.new indexes record fields by name too; only the ordered list is Kong's shape.
  -- A foreign field's `schema` (the whole referenced entity) is left out, as the Admin API does.
  encode_field = function(f, path)
    local out = {}
    for k, v in pairs(f) do
      if k == "fields" then out.fields = encode_fields(v, path)
      elseif k == "elements" or k == "keys" or k == "values" then out[k] = encode_field(v, path .. "." .. k)
      elseif k == "schema" and f.type == "foreign" then -- skip
      elseif k == "entity_checks" then out[k] = encode_value(v, path .. ".@entity", true)
      elseif k == "shorthand_fields" then out[k] = encode_fields(v, path .. ".shorthand_fields")
      else out[k] = encode_value(v, path .. "." .. k, k == "default" and (f.type == "array" or f.type == "set")) end
    end
    return out
  end

  encode_fields = function(list, path)
    local out = json.array({})
    for i, item in ipairs(list) do
      local name, f = next(item)
      out[i] = { [name] = encode_field(f, path .. "." .. name) }
    end
    return out
  end

  return { fields = encode_fields, field = encode_field, value = encode_value }
end
