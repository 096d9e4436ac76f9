-- A small JSON encoder with sorted object keys, so generated files diff cleanly between runs.
local M = {}
local array_mt, object_mt = {}, {}
M.null = setmetatable({}, { __tostring = function() return "null" end })
M.empty_array = setmetatable({}, array_mt)
M.empty_object = setmetatable({}, object_mt)
function M.array(t) return setmetatable(t, array_mt) end

local function str(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
    return map[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function enc(v, out)
  local t = type(v)
  if v == M.null then out[#out + 1] = "null"
  elseif t == "string" then out[#out + 1] = str(v)
  elseif t == "number" then
    out[#out + 1] = (v % 1 == 0 and math.abs(v) < 2^53) and string.format("%d", v) or string.format("%.17g", v)
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  elseif t == "table" then
    local mt = getmetatable(v)
    local n = #v
    if mt == array_mt or (mt ~= object_mt and n > 0) then
      out[#out + 1] = "["
      for i = 1, n do if i > 1 then out[#out + 1] = "," end enc(v[i], out) end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = str(k) .. ":"
        enc(v[k], out)
      end
      out[#out + 1] = "}"
    end
  else error("cannot encode " .. t) end
end

function M.encode(v) local out = {} enc(v, out) return table.concat(out) end
return M
