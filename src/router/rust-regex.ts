// Kong 3.x evaluates route regexes with the Rust `regex` crate (atc-router), and so do we: rregex is that crate
// built to WebAssembly (kong/regex.ts, which also judges whether Kong compiles a regex at all). Same syntax (inline
// flags scoped as in Rust, `(?P<n>…)`, `\A`, `\z`, `\pL`, class set operations), same Unicode-aware `\d`, `\w`,
// `\s`, `\b`, and the same cost: matching is linear in the input. JavaScript's RegExp backtracks, so one route
// written as `/~/(a+)+$` tried against another route's long path would stall this process, and with it every
// review, where Kong spends microseconds. A regex that is only literal path characters between anchors (most of
// KIC's, `~/foo$`) cannot backtrack: it runs as a RegExp without loading the WebAssembly module.
import { compileRust, MAX_JUDGED_LENGTH, PLAIN_REGEX } from '../kong/regex.ts';

export type CompiledRegex =
  | { readonly ok: true; readonly source: string; readonly regex: { test(input: string): boolean } }
  | { readonly ok: false; readonly source: string; readonly reason: string };

const cache = new Map<string, CompiledRegex>();

/** Compile a Rust regex for unanchored `is_match` (callers add `^` where Kong does). */
export function compileRustRegex(source: string): CompiledRegex {
  let found = cache.get(source);
  if (!found) {
    found = compile(source);
    // Dropped entries release their WebAssembly memory when collected.
    if (cache.size > 100_000) cache.clear();
    cache.set(source, found);
  }
  return found;
}

function compile(source: string): CompiledRegex {
  if (PLAIN_REGEX.test(source)) return { ok: true, source, regex: new RegExp(source) };
  if (source.length > MAX_JUDGED_LENGTH) return { ok: false, source, reason: `longer than ${MAX_JUDGED_LENGTH} characters, which is not evaluated here` };
  const compiled = compileRust(source);
  if (typeof compiled === 'string') return { ok: false, source, reason: `the Rust regex engine of Kong's router refuses it (${compiled}), so Kong rejects the route` };
  return { ok: true, source, regex: { test: (input) => compiled.isMatch(input) } };
}
