// Kong 3.x evaluates route regexes with the Rust `regex` crate (atc-router 1.6.2 in Kong 3.9.3 locks
// regex 1.10). We evaluate them with JS RegExp after a small rewrite where the two agree, and refuse (the
// route is then "unevaluable", never a crash) where they do not:
// - Rust has no look-around and no back-references: such a regex fails to compile in Kong, so Kong rejects
//   the route (KIC's fallback then drops the object). We report it as unevaluable with that reason.
// - Rust inline flags `(?i)` apply from where they stand to the end of the enclosing group; JS only has the
//   scoped `(?i:…)` form, so `X(?i)Y` becomes `X(?i:Y)`. Flags other than i, m, s (x, U, u) are not mapped.
// - Rust named groups `(?P<n>…)` are JS `(?<n>…)`; `\A` is `^`, `\z` is `$` (JS `$` without the m flag
//   is the end of input, as Rust's).
// - Rust's `\d`, `\w`, `\s`, `\b` are Unicode-aware; JS's (even with the u flag) are ASCII. Paths are mostly
//   ASCII after normalisation; a non-ASCII digit or letter can match in Kong and not here.
// - `\pL`/`\p{…}` need the u flag in JS, which we always set; Rust class names that JS lacks fail to
//   compile here and the route is reported unevaluable.

export type CompiledRegex =
  | { readonly ok: true; readonly source: string; readonly regex: RegExp }
  | { readonly ok: false; readonly source: string; readonly reason: string };

const cache = new Map<string, CompiledRegex>();

/** Compile a Rust regex for unanchored `is_match` (callers add `^` where Kong does). */
export function compileRustRegex(source: string): CompiledRegex {
  let found = cache.get(source);
  if (!found) {
    found = compile(source);
    if (cache.size > 100_000) cache.clear();
    cache.set(source, found);
  }
  return found;
}

function compile(source: string): CompiledRegex {
  if (/\(\?(P?<)?[=!]/.test(source)) return { ok: false, source, reason: 'look-around is not supported by Rust regex (Kong rejects the route)' };
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(source)) return { ok: false, source, reason: 'back-references are not supported by Rust regex (Kong rejects the route)' };
  let translated: string;
  try {
    translated = translate(source);
  } catch (error) {
    return { ok: false, source, reason: (error as Error).message };
  }
  try {
    return { ok: true, source, regex: new RegExp(translated, 'u') };
  } catch (error) {
    return { ok: false, source, reason: `cannot evaluate this regex here: ${(error as Error).message}` };
  }
}

/** Rewrite Rust-only syntax into its JS equivalent, scanning so that escapes and classes stay intact. */
function translate(source: string): string {
  let out = '';
  // For each open group: where a pending `(?flags)` opened a JS group we must close at the group's end.
  const pendingCloses: number[] = [0];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Error('regex ends with a lone backslash');
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else if (next === 'p' || next === 'P') {
        // `\pL` (one-letter class) is `\p{L}` in JS.
        if (source[i + 2] !== '{' && source[i + 2] !== undefined) {
          out += `\\${next}{${source[i + 2]}}`;
          i += 1;
        } else out += `\\${next}`;
      } else if (/[^0-9A-Za-z]/.test(next) && !/[\\^$.|?*+()[\]{}/]/.test(next) && !(inClass && next === '-')) {
        // Rust permits escaping any ASCII punctuation; JS's u flag only its syntax characters (and `-`
        // inside a class).
        out += next;
      } else out += `\\${next}`;
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += `\\${source[++i]}`; // a leading `]` is literal in Rust
      continue;
    }
    if (c === '(') {
      const flags = /^\(\?([a-zA-Z-]+)\)/.exec(source.slice(i));
      if (flags) {
        if (!/^[ims-]+$/.test(flags[1]!)) throw new Error(`inline flags (?${flags[1]}) have no JS equivalent here`);
        out += `(?${flags[1]}:`;
        pendingCloses[pendingCloses.length - 1]! += 1;
        i += flags[0].length - 1;
        continue;
      }
      if (source.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
      } else out += c;
      pendingCloses.push(0);
      continue;
    }
    if (c === ')') {
      if (pendingCloses.length === 1) throw new Error('unbalanced ")"');
      out += ')'.repeat(pendingCloses.pop()!);
      out += c;
      continue;
    }
    if (c === '|' && pendingCloses[pendingCloses.length - 1]! > 0) {
      // `a(?i)b|c`: in Rust the flag also covers `c`; close the scoped group before the alternation and
      // reopen it after, which keeps the alternation at its level.
      throw new Error('inline flags followed by an alternation are not translated');
    }
    out += c;
  }
  if (inClass) throw new Error('unclosed character class');
  if (pendingCloses.length !== 1) throw new Error('unclosed group');
  return out + ')'.repeat(pendingCloses[0]!);
}
