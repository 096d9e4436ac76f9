// Regexes as Kong 3.9.3 judges them (research: kong/db/schema/typedefs.lua router_path, entities/routes.lua
// validate_route, kong/router/transform.lua). A route path "~re":
//   1. must start with "~/" and hold no "//" (router_path's match_any / match_none);
//   2. must compile in PCRE2 (validate_path_with_regexes: ngx.re.find("", re, "aj")), every flavor but expressions;
//   3. with router_flavor traditional_compatible (Kong's default) it must also compile in the ATC router's Rust
//      `regex` crate, as "^" + re with "?<" written "?P<" (transform.lua path_val_transform), which Kong checks only
//      once the PCRE2 check passed (a custom_entity_check skipped on invalid fields).
// With router_flavor expressions KIC sends no paths: it writes `http.path ~ "^re"` (the "^" added when missing),
// which only Rust compiles. Header regexes ("~*re") are Rust only (headerRegexRefusal). Plugin fields (cors origins, bot-detection lists) are PCRE2 regexes (is_regex).
// Rust is judged by the `regex` crate itself (rregex 1.11.0 bundles regex 1.11.1 / regex-syntax 0.8.5, the
// versions Kong 3.9's atc-router is built with); PCRE2 by src/kong/pcre2.ts, which refuses only what PCRE2 surely does.
import { createRequire } from 'node:module';
import type { RRegex as RRegexClass } from 'rregex';
import { pcre2Error } from './pcre2.ts';
import { remembered as cached } from '../model/bounded-cache.ts';

// The regex crate as WebAssembly, loaded on first use (its CommonJS build loads synchronously): most processes
// (the CLI's other commands, most tests) never compile a Rust regex.
let RRegex: typeof RRegexClass | undefined;
function rregex(): typeof RRegexClass {
  RRegex ??= (createRequire(import.meta.url)('rregex') as { RRegex: typeof RRegexClass }).RRegex;
  return RRegex;
}

/** Kong's `router_flavor`. */
export type RouterFlavor = 'traditional' | 'traditional_compatible' | 'expressions';

export interface RegexRefusal {
  /** Which check of Kong's refuses it. */
  engine: 'path' | 'PCRE2' | 'Rust regex';
  /** Why, in the engine's words ("missing closing parenthesis"). */
  reason: string;
  /** What Kong says, as far as it is known: its own text, with "..." where it adds what is not reproduced. */
  kong: string;
}

const KEPT = 2000;
const verdicts = new Map<string, RegexRefusal | undefined>();
/**
 * Longer regexes are not judged (accepted): the scanner's and the compile's cost, and the cache's memory, stay bounded
 * whatever an object holds. Route paths and origins are far shorter.
 */
export const MAX_JUDGED_LENGTH = 4096;

function remembered(key: string, judge: () => RegexRefusal | undefined): RegexRefusal | undefined {
  if (key.length > MAX_JUDGED_LENGTH + 32) return undefined;
  return cached(verdicts, KEPT, key, judge);
}

/** PCRE2's refusal of a regex (no options, as is_regex and the router compile it), or undefined. */
export function pcreRefusal(regex: string): string | undefined {
  return regex.length > MAX_JUDGED_LENGTH ? undefined : pcre2Error(regex)?.message;
}

/** Literal path characters between optional anchors: every regex engine compiles these (most of KIC's path regexes). */
export const PLAIN_REGEX = /^\^?[\w\-./~%]*\$?$/;

/**
 * The regex compiled by the `regex` crate (Regex::new with its defaults, as atc-router compiles it), or the crate's
 * refusal. Matching with it is linear in the input, as in Kong. The WebAssembly memory is released when the
 * object is collected (wasm-bindgen's FinalizationRegistry), or at once with free().
 */
export function compileRust(regex: string): RRegexClass | string {
  try {
    return new (rregex())(regex);
  } catch (e) {
    // "regex parse error:\n    ^/(?=x)\n      ^^^\nerror: look-around, ... is not supported" -> the last line.
    const text = e instanceof Error ? e.message : String(e);
    const last = text.trim().split('\n').pop()!.trim();
    return last.replace(/^error: /, '');
  }
}

/** The `regex` crate's refusal, or undefined. */
export function rustRefusal(regex: string): string | undefined {
  // Plain ones need no compile, and so no WASM module loaded by a command that never meets a real regex.
  if (regex.length > MAX_JUDGED_LENGTH || PLAIN_REGEX.test(regex)) return undefined;
  const compiled = compileRust(regex);
  if (typeof compiled === 'string') return compiled;
  compiled.free();
  return undefined;
}

function rustVerdict(atcRegex: string): RegexRefusal | undefined {
  const reason = rustRefusal(atcRegex);
  return reason === undefined ? undefined : { engine: 'Rust regex', reason, kong: `Router Expression failed validation: ... ${reason}` };
}

/**
 * What Kong says about the route path `path` ("~re", as KIC sends it) under `flavor`, or undefined when Kong takes
 * it. Under expressions the path is not sent: judge the regex with expressionRegexRefusal instead.
 */
export function routePathRegexRefusal(path: string, flavor: RouterFlavor): RegexRefusal | undefined {
  return remembered(`${flavor}\u0000${path}`, () => {
    if (!path.startsWith('~/')) return { engine: 'path', reason: 'a regex path must start with "/"', kong: 'should start with: / (fixed path) or ~/ (regex path)' };
    if (path.includes('//')) return { engine: 'path', reason: 'it has an empty segment ("//")', kong: 'must not have empty segments' };
    const regex = path.slice(1);
    const pcre = pcreRefusal(regex);
    if (pcre !== undefined) return { engine: 'PCRE2', reason: pcre, kong: `invalid regex: '${regex}' (PCRE returned: pcre2_compile() failed: ${pcre} ...)` };
    if (flavor !== 'traditional_compatible') return undefined;
    return rustVerdict(`^${regex.replaceAll('?<', '?P<')}`);
  });
}

/** What Kong's expressions router says about KIC's `http.path ~ "^re"` for a regex path `regex`, or undefined. */
export function expressionRegexRefusal(regex: string): RegexRefusal | undefined {
  return remembered(`expressions\u0000${regex}`, () => rustVerdict(regex.startsWith('^') ? regex : `^${regex}`));
}

/**
 * What Kong says about a header regex (KIC's "~*<value>" for an HTTPRoute RegularExpression header match), or
 * undefined. traditional_compatible: the ATC router compiles the value lower-cased, ASCII only as Lua's
 * string.lower (transform.lua), unanchored; expressions: KIC's `http.headers.x ~ "<value>"` as written;
 * traditional: compiled when the router is built, not when the configuration is validated, so not judged.
 */
export function headerRegexRefusal(value: string, flavor: RouterFlavor): RegexRefusal | undefined {
  if (flavor === 'traditional') return undefined;
  const regex = flavor === 'traditional_compatible' ? value.replace(/[A-Z]/g, (c) => c.toLowerCase()) : value;
  return remembered(`header\u0000${regex}`, () => rustVerdict(regex));
}
