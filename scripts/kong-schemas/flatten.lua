-- Kong's error table flattened the way flatten_errors does for /config: dotted field names, arrays 1-based
-- (config.origins.1), entity-level errors under "@entity" (config.@entity inside a record), sorted.
--   local flatten = dofile("scripts/kong-schemas/flatten.lua")(json); flatten(err) -> { ["paths.1"] = { "..." } }
return function(json)
  local function flatten(err, prefix, out)
    for k, v in pairs(err) do
      local key = prefix == "" and tostring(k) or (prefix .. "." .. tostring(k))
      if type(v) == "table" then
        if #v > 0 and type(v[1]) == "string" and k == "@entity" then
          local list = {}
          for _, m in ipairs(v) do list[#list + 1] = m end
          table.sort(list)
          out[key] = json.array(list)
        else
          flatten(v, key, out)
        end
      else
        out[key] = json.array({ tostring(v) })
      end
    end
    return out
  end
  return function(err) return flatten(err, "", {}) end
end
