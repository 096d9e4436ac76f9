// Lua patterns (Kong's `match`, `match_all`, `match_any`, `match_none`, `not_match`) as JavaScript RegExps.
// Lua matches bytes in the C locale, so its classes are ASCII-only; `-` is the lazy `*`.
const CLASSES: Record<string, string> = {
  a: 'A-Za-z', d: '0-9', l: 'a-z', s: '\\t\\n\\v\\f\\r ', u: 'A-Z', w: 'A-Za-z0-9', x: 'A-Fa-f0-9',
  p: '!-\\/:-@\\[-`{-~', c: '\\x00-\\x1f\\x7f',
};

const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);

function classOf(letter: string): { set: string; negated: boolean } | undefined {
  const body = CLASSES[letter.toLowerCase()];
  return body === undefined ? undefined : { set: body, negated: letter !== letter.toLowerCase() };
}

/** Translates a Lua pattern; throws on constructs Kong's schemas do not use (%b, %f, back-references). */
export function luaPatternToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  const n = pattern.length;
  if (pattern[0] === '^') {
    out += '^';
    i = 1;
  }
  while (i < n) {
    const c = pattern[i]!;
    let atom: string;
    if (c === '%') {
      const next = pattern[i + 1];
      if (next === undefined) throw new Error(`malformed pattern (ends with '%'): ${pattern}`);
      if (next === 'b' || next === 'f' || /[1-9]/.test(next)) throw new Error(`unsupported Lua pattern item %${next}: ${pattern}`);
      const cls = classOf(next);
      atom = cls ? `[${cls.negated ? '^' : ''}${cls.set}]` : escapeChar(next);
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      let set = '';
      let negated = false;
      if (pattern[j] === '^') {
        negated = true;
        j++;
      }
      let first = true;
      while (j < n && (pattern[j] !== ']' || first)) {
        const d = pattern[j]!;
        first = false;
        if (d === '%') {
          const e = pattern[j + 1] ?? '';
          const cls = classOf(e);
          if (cls && cls.negated) throw new Error(`negated class inside a set: ${pattern}`);
          set += cls ? cls.set : escapeChar(e);
          j += 2;
        } else if (pattern[j + 1] === '-' && pattern[j + 2] !== undefined && pattern[j + 2] !== ']') {
          set += `${escapeChar(d)}-${escapeChar(pattern[j + 2]!)}`;
          j += 3;
        } else {
          set += escapeChar(d);
          j++;
        }
      }
      if (j >= n) throw new Error(`malformed pattern (missing ']'): ${pattern}`);
      atom = `[${negated ? '^' : ''}${set}]`;
      i = j + 1;
    } else if (c === '.') {
      atom = '[\\s\\S]';
      i++;
    } else if (c === '$' && i === n - 1) {
      out += '$';
      i++;
      continue;
    } else if (c === '(' || c === ')') {
      out += c;
      i++;
      continue;
    } else {
      atom = escapeChar(c);
      i++;
    }
    const q = pattern[i];
    if (q === '*' || q === '+' || q === '?') {
      atom += q;
      i++;
    } else if (q === '-') {
      atom += '*?';
      i++;
    }
    out += atom;
  }
  return new RegExp(out);
}

const cache = new Map<string, RegExp>();

/** Lua's `string.match(value, pattern) ~= nil`. */
export function luaMatches(value: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = luaPatternToRegExp(pattern);
    cache.set(pattern, re);
  }
  return re.test(value);
}
