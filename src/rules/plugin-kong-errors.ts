// Kong's own plugin validation errors (src/kong, flattened as Kong reports them to KIC: `config.policy`,
// `config.origins.1`, `@entity`) told in the house style: the JSON path of the KongPlugin field, what is wrong,
// the allowed values, a fix, and Kong's own words. Values are echoed only where they cannot be secrets.
import { enterpriseAccepts } from '../kong/enterprise.ts';
import { KONG_SOURCE, fieldAt } from '../kong/plugins.ts';
import type { KongField, KongSchema } from '../kong/validate.ts';
import { ownValue } from '../model/object.ts';
import { closest, IF_ENTERPRISE, quoteList } from './text.ts';

export interface KongProblem {
  /** The KongPlugin field, as a JSON path (`config.origins[0]`). */
  field: string;
  message: string;
  fix: string;
  /** Kong's own error, as KIC's event would show it (`config.policy: expected one of: local, redis`). */
  kong: string;
}

/** The top-level fields of a plugin entity; any other first segment is a `config` shorthand Kong reports bare. */
const ENTITY_FIELDS = new Set(['name', 'config', 'protocols', 'consumer', 'route', 'service', 'ordering', 'enabled', 'tags', 'instance_name', 'id']);

/** Kong's dotted path (1-based indexes) as a JSON path (0-based): `config.origins.1` -> `config.origins[0]`. */
export function jsonPath(kongPath: string): string {
  const parts = kongPath.split('.');
  if (!ENTITY_FIELDS.has(parts[0]!)) parts.unshift('config');
  let out = '';
  for (const p of parts) {
    if (/^\d+$/.test(p)) out += `[${Number(p) - 1}]`;
    else if (/^[A-Za-z_@][A-Za-z0-9_]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `["${p}"]`;
  }
  return out;
}

/** The value at one of Kong's flattened error paths (`config.origins.1`). */
export function valueAt(root: Record<string, unknown>, kongPath: string): unknown {
  let cur: unknown = root;
  for (const seg of kongPath.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg) - 1];
    else if (cur && typeof cur === 'object') cur = ownValue(cur as Record<string, unknown>, seg);
    else return undefined;
  }
  return cur;
}

/** Whether a value may be shown: short enumeration-like strings of fields that are never secrets. */
function showable(value: unknown, field: KongField | undefined): value is string | number | boolean {
  if (field?.encrypted || field?.referenceable) return false;
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length <= 40 && !/\s{2,}/.test(value);
}

/** Kong's message with the offending value blanked out when it may be a secret. */
function redact(message: string, value: unknown, field: KongField | undefined): string {
  if (/^both deprecated and new field are used but their values mismatch/.test(message)) return 'both deprecated and new field are used but their values mismatch';
  if (typeof value === 'string' && value && !showable(value, field)) return message.split(value).join('<value>');
  return message;
}

const A_TYPE: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean (true or false)', array: 'a list', set: 'a list', map: 'an object', record: 'an object',
};
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** `'config.allow', 'config.deny'` -> ["config.allow", "config.deny"] as JSON paths. */
const listed = (text: string): string[] => [...text.matchAll(/'([^']+)'/g)].map((m) => jsonPath(m[1]!));

/** What Kong's Lua patterns (`match`) ask for, for the message; Kong itself only says "invalid value". */
const PATTERN_TEXT: Record<string, string> = {
  '^[^:]+:.*$': 'a "name:value" pair',
  '^%u+$': 'an HTTP method in upper case',
  '^[0-9]+-[0-9]+$': 'a status code range such as "200-299"',
  '^.*[^:]$': 'a tag that does not end in ":"',
};

/** Messages of record-level validators that are about one field of the record (`find` picks a map's entry). */
const RECORD_MESSAGES: {
  re: RegExp;
  field: (m: RegExpMatchArray) => string;
  text: (m: RegExpMatchArray, at: string) => string;
  fix?: (m: RegExpMatchArray, at: string) => string;
  find?: (m: RegExpMatchArray, v: unknown) => boolean;
}[] = [
  {
    re: /^The limit for (\w+)\(([\d.]+)\) cannot be lower than the limit for (\w+)\(([\d.]+)\)$/i,
    find: (m, v) => !!v && typeof v === 'object' && (v as Record<string, unknown>)[m[1]!] === Number(m[2]) && (v as Record<string, unknown>)[m[3]!] === Number(m[4]),
    field: (m) => m[1]!,
    text: (m, at) => `${at}.${m[1]} (${Number(m[2])}) is lower than ${at}.${m[3]} (${Number(m[4])}): a longer period must allow at least as many requests`,
    fix: (m, at) => `raise ${at}.${m[1]} to at least ${Number(m[4])}, or lower ${at}.${m[3]}.`,
  },
  {
    re: /^sync_rate can only be used with the redis policy$/,
    field: () => 'sync_rate',
    text: (_m, at) => `${at}.sync_rate can only be used with ${at}.policy "redis"`,
    fix: (_m, at) => `remove ${at}.sync_rate (or set it to -1), or set ${at}.policy to "redis".`,
  },
  {
    re: /^sync_rate must be greater than 0\.02/,
    field: () => 'sync_rate',
    text: (_m, at) => `${at}.sync_rate must be at least 0.02, or -1 to disable`,
    fix: (_m, at) => `set ${at}.sync_rate to 0.02 or more, or to -1.`,
  },
  {
    re: /^message cannot be used with content_type or body$/,
    field: () => 'message',
    text: (_m, at) => `${at}.message and ${at}.body/${at}.content_type cannot be used together`,
    fix: (_m, at) => `keep either ${at}.message, or ${at}.body with ${at}.content_type.`,
  },
  { re: /^content_type requires a body$/, field: () => 'body', text: (_m, at) => `${at}.content_type requires ${at}.body`, fix: (_m, at) => `set ${at}.body, or remove ${at}.content_type.` },
  {
    re: /^echo cannot be used with content_type and body$/,
    field: () => 'echo',
    text: (_m, at) => `${at}.echo cannot be used with ${at}.content_type or ${at}.body`,
    fix: (_m, at) => `remove ${at}.echo, or remove ${at}.content_type and ${at}.body.`,
  },
  {
    re: /^specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed$/,
    field: () => 'headers.Authorization',
    text: (_m, at) => `${at}.headers.Authorization cannot be used with user info in ${at}.http_endpoint`,
    fix: (_m, at) => `remove ${at}.headers.Authorization, or the user info (user:password@) from ${at}.http_endpoint.`,
  },
  {
    re: /^at least one of these fields must be true: (.*)$/,
    field: () => '',
    text: (m, at) => `${at} must enable at least one grant: one of ${m[1]!.split(', ').map((f) => `${at}.${f}`).join(', ')} must be true`,
    fix: (m, at) => `set one of ${m[1]!.split(', ').map((f) => `${at}.${f}`).join(', ')} to true.`,
  },
];

/** A header name with each run of characters Kong refuses replaced by "-": `api key` -> `api-key`. */
const headerLike = (name: string): string => name.replace(/[^A-Za-z0-9_-]+/g, '-');

/**
 * Kong validator messages with a better fix than "correct the field": the fix, with a suggestion where one fits.
 * `shown` is the field's value where it may be echoed (never a secret), else undefined.
 */
const FIELD_FIXES: { re: RegExp; fix: (m: RegExpMatchArray, at: string, shown: string | undefined) => string; only?: (field: KongField | undefined) => boolean }[] = [
  // kong/tools/http.lua validate_header_name; request-/response-transformer validate_headers
  { re: /^(?:bad header name '(.*)', allowed characters|'(.*)' is not a valid header$)/, fix: (m, at) => `use only letters, digits, "-" and "_" in the header name at ${at} (for example "${headerLike(m[1] ?? m[2] ?? '')}").` },
  { re: /^(?:'.*' is not a valid regex|not a valid regex: )/, fix: (_m, at) => `correct the regular expression at ${at} (PCRE2 syntax; escape a literal "(", "[" or "." with "\\").` },
  { re: /^missing scheme in url$/, fix: (_m, at, v) => `write ${at} as an absolute URL${v && !v.includes('://') ? ` such as "http://${v}"` : ' such as "http://collector.example:4318/path"'}.` },
  { re: /^missing host in url$/, fix: (_m, at) => `write ${at} as an absolute URL with a host, such as "http://collector.example:4318/path".` },
  { re: /^must not have a port$/, fix: (_m, at, v) => `remove the port from ${at}${v ? ` ("${v.replace(/:\d*$/, '')}")` : ''}; the port has a field of its own.` },
  { re: /^must not be an IP$/, fix: (_m, at) => `use a host name, not an IP address, in ${at}.` },
  {
    re: /^invalid value: /,
    // typedefs.host and its kin; other fields say "invalid value" for their own patterns.
    only: (field) => /^typedefs\.(host|redis_server_name)/.test(String((field?.custom_validator as { $fn?: string } | undefined)?.$fn)),
    fix: (_m, at) => `use a host name (letters, digits, "-" and "." with no label ending in "-") or an IP address in ${at}.`,
  },
  { re: /^invalid path: /, fix: (_m, at) => `percent-encode the characters RFC 3986 does not allow in a path (a space is %20) in ${at}.` },
  { re: /^invalid url-encoded value: /, fix: (_m, at) => `write a literal "%" as %25 in ${at}, or complete the two-digit escape.` },
  { re: /^must not have empty segments$/, fix: (_m, at, v) => `remove the doubled "/" from ${at}${v ? ` ("${v.replace(/\/{2,}/g, '/')}")` : ''}.` },
  { re: /^should start with: (.*)$/, fix: (m, at, v) => `start ${at} with "${m[1]}"${v !== undefined ? ` ("${m[1]}${v}")` : ''}.` },
  { re: /^cannot contain '(.*)' header$/, fix: (m, at) => `remove the ${m[1]} header from ${at}: Kong sets it itself.` },
  { re: /^value must be (.*)$/, fix: (m, at) => `set ${at} to ${m[1]}.` },
  // kong/plugins/request-transformer/schema.lua check_for_value
  { re: /^key '(.*)' has no value$/, fix: (m, at) => `write ${at} as "${m[1]}:<value>".` },
  // kong/db/schema/typedefs.lua validate_host_with_wildcards (acme domains)
  { re: /^invalid hostname: /, fix: (_m, at) => `use a host name (letters, digits, "-" and ".") in ${at}.` },
  { re: /^invalid wildcard: /, fix: (_m, at) => `put the "*" of ${at} as the whole leftmost or rightmost label ("*.example.com").` },
  { re: /^not a valid filename$/, fix: (_m, at) => `use a file path without "*", "&", "%" or "\`" in ${at}.` },
  { re: /^repeated tags are not allowed: (.*)$/, fix: (m, at) => `keep one entry named "${m[1]}" in ${at}.` },
  { re: /^both deprecated and new field are used but their values mismatch/, fix: (_m, at) => `remove the deprecated ${at} and keep the field that replaces it, or give both the same value.` },
  // kong/plugins/acme/schema.lua validate_namespace
  { re: /^namespace can't be prefixed with reserved word: (.*)$/, fix: (m, at) => `choose a ${at} that does not start with "${m[1]}" (the acme plugin keeps its own keys under that prefix).` },
];

/** One Kong field error in the house style. */
function fieldProblem(type: string, schema: KongSchema, config: Record<string, unknown>, kongPath: string, kongMessage: string): KongProblem {
  const at = jsonPath(kongPath);
  const { field, siblings } = fieldAt(schema, kongPath);
  const value = valueAt(config, kongPath);
  const kong = `${kongPath}: ${redact(kongMessage, value, field)}`;
  const problem = (message: string, fix: string, where = at): KongProblem => ({ field: where, message, fix, kong });

  for (const r of RECORD_MESSAGES) {
    const m = kongMessage.match(r.re);
    if (!m) continue;
    let record = at;
    // A map of records (response-ratelimiting's limits): Kong names the map; name the entry.
    if (field?.type === 'map' && r.find && value && typeof value === 'object') {
      const key = Object.entries(value).find(([, v]) => r.find!(m, v))?.[0];
      if (key !== undefined) record = jsonPath(`${kongPath}.${key}`);
    } else if (field?.type !== 'record') continue;
    const sub = r.field(m);
    return problem(r.text(m, record), r.fix?.(m, record) ?? `change ${record} so that Kong accepts it.`, sub ? `${record}.${sub}` : record);
  }
  // Reached on Kong OSS only: with kongEdition: enterprise these are not errors.
  if (enterpriseAccepts(type, kongPath, kongMessage, value)) {
    const ifEnterprise = `or, ${IF_ENTERPRISE}.`;
    if (kongMessage === 'unknown field') {
      return problem(`${at} is a Kong Gateway Enterprise field of the "${type}" plugin; Kong OSS ${KONG_SOURCE.tag} does not have it`, `remove ${at}; ${ifEnterprise}`);
    }
    const allowed = kongMessage.slice('expected one of: '.length).split(', ');
    return problem(`${at}: ${JSON.stringify(value)} is a Kong Gateway Enterprise value; Kong OSS ${KONG_SOURCE.tag} accepts ${quoteList(allowed)}`, `set ${at} to one of ${quoteList(allowed)}; ${ifEnterprise}`);
  }
  if (kongMessage === 'unknown field') {
    const key = kongPath.split('.').at(-1)!;
    // A typo, or a stem of a known field (key-auth's `keys` for `key_names`).
    const stem = key.replace(/s$/, '');
    const guess = closest(key, siblings) ?? (stem.length >= 3 ? siblings.find((s) => s.startsWith(`${stem}_`)) : undefined);
    return guess
      ? problem(`${at} is an unknown field of the "${type}" plugin (did you mean "${guess}"?)`, `rename ${at} to ${at.replace(/[^.[]+$/, guess)}.`)
      : problem(`${at} is an unknown field of the "${type}" plugin in Kong ${KONG_SOURCE.tag}`, `remove ${at}; the fields are ${quoteList(siblings.filter((s) => !ENTITY_FIELDS.has(s) || kongPath.includes('.')))}.`);
  }
  if (kongMessage === 'required field missing') return problem(`${at} is required`, `set ${at}.`);
  const oneOf = /^expected one of: (.*)$/.exec(kongMessage);
  if (oneOf) {
    const allowed = oneOf[1]!.split(', ');
    const shown = showable(value, field) ? `, not ${JSON.stringify(value)}` : '';
    // ws and wss are real protocols (Kong Enterprise's): no near-miss to suggest.
    const guess = typeof value === 'string' && !(at.startsWith('protocols') && /^wss?$/.test(value)) ? closest(value, allowed) : undefined;
    return problem(`${at} must be one of ${quoteList(allowed)}${shown}${guess ? ` (did you mean "${guess}"?)` : ''}`, `set ${at} to one of ${quoteList(allowed)}.`);
  }
  const expected = /^expected an? (string|number|integer|boolean|array|set|map|record)$/.exec(kongMessage);
  if (expected) {
    const want = A_TYPE[expected[1]!]!;
    return problem(`${at} must be ${want}, not ${typeName(value)}`, `make ${at} ${want}.`);
  }
  const between = /^value should be between (-?[\d.]+) and (-?[\d.]+)$/.exec(kongMessage);
  if (between) {
    const [lo, hi] = [Number(between[1]), Number(between[2])];
    const side = typeof value === 'number' && value > hi ? `at most ${hi}` : `at least ${lo}`;
    return problem(`${at} must be ${side} (Kong accepts ${lo} to ${hi})`, `set ${at} between ${lo} and ${hi}.`);
  }
  const gt = /^value must be greater than (.*)$/.exec(kongMessage);
  if (gt) return problem(`${at} must be greater than ${gt[1]}`, `set ${at} above ${gt[1]}.`);
  const contains = /^expected to contain: (.*)$/.exec(kongMessage);
  if (contains) return problem(`${at} must contain "${contains[1]}"`, `add "${contains[1]}" to ${at}.`);
  if (/^invalid ip or cidr range: /.test(kongMessage)) {
    return problem(`${at} must be an IP address or CIDR range${showable(value, field) ? `, not ${JSON.stringify(value)}` : ''}`, `write ${at} as an address (10.0.0.1, 2001:db8::1) or a range (10.0.0.0/8).`);
  }
  const pattern = typeof field?.match === 'string' ? PATTERN_TEXT[field.match] : undefined;
  if (pattern && /^invalid value: /.test(kongMessage)) return problem(`${at} must be ${pattern}`, `write ${at} as ${pattern}.`);
  if (/^length must be at least 1$/.test(kongMessage)) return problem(`${at} must not be empty`, `set ${at} to a value, or remove it.`);
  if (/^value must be null$/.test(kongMessage)) return problem(`${at} must not be set for the "${type}" plugin`, `remove ${at}.`);
  const shown = typeof value === 'string' && showable(value, field) ? value : undefined;
  for (const f of FIELD_FIXES) {
    const m = kongMessage.match(f.re);
    if (m && (!f.only || f.only(field))) return problem(`${at}: ${redact(kongMessage, value, field)}`, f.fix(m, at, shown));
  }
  return problem(`${at}: ${redact(kongMessage, value, field)}`, `correct ${at} following the "${type}" plugin's configuration reference.`);
}

/** Entity checks about one field: that field (relative to the record) and the fix. */
const ENTITY_FIXES: { re: RegExp; field: string | ((m: RegExpMatchArray, at: string) => string); fix: (m: RegExpMatchArray, at: string) => string }[] = [
  // kong/plugins/aws-lambda/schema.lua
  { re: /^proxy_url scheme must be http$/, field: 'proxy_url', fix: (_m, at) => `use an http:// URL for ${at}.proxy_url.` },
  // kong/plugins/acme/schema.lua
  { re: /^"kong" storage can't be used with dbless mode$/, field: 'storage', fix: (_m, at) => `set ${at}.storage to "shm", "redis", "consul" or "vault": DB-less Kong has no database to keep certificates in.` },
  // kong/plugins/ldap-auth/schema.lua
  { re: /^'ldaps' and 'start_tls' cannot be enabled simultaneously$/, field: 'start_tls', fix: (_m, at) => `set ${at}.ldaps or ${at}.start_tls to false.` },
  // kong/llm/schemas/init.lua: conditional_at_least_one_of per provider, a record-relative path
  { re: /^must set '([^']+)' for /, field: (m, at) => `${at}.${m[1]}`, fix: (m, at) => `set ${at}.${m[1]}.` },
  // kong/plugins/ai-*-transformer/schema.lua: a full path
  { re: /^'([^']+)' must be '([^']+)' for /, field: (m) => jsonPath(m[1]!), fix: (m) => `set ${jsonPath(m[1]!)} to "${m[2]}".` },
  // kong/llm/schemas/init.lua
  {
    re: /^(.*) does not support statistics when route_type is (.*)$/,
    field: 'logging.log_statistics',
    fix: (m, at) => `set ${at}.logging.log_statistics to false, or use a route_type other than "${m[2]}" with the ${m[1]} provider.`,
  },
];

/** One `@entity` error (a check across fields) in the house style. */
function entityProblem(type: string, prefix: string, kongMessage: string): KongProblem {
  const where = prefix ? jsonPath(prefix) : 'config';
  const kong = `${prefix ? `${prefix}.` : ''}@entity: ${kongMessage}`;
  const nonEmpty = /^at least one of these fields must be non-empty: (.*)$/.exec(kongMessage);
  const rel = (names: string[]): string[] => (prefix ? names.map((n) => `${where}.${n.replace(/^config\./, '')}`) : names);
  if (nonEmpty) {
    const names = rel(listed(nonEmpty[1]!));
    return { field: where, kong, message: `the "${type}" plugin needs at least one of ${names.join(', ')} with a value (an empty list counts as unset)`, fix: `set one of ${names.join(', ')}.` };
  }
  const one = /^exactly one of these fields must be non-empty: (.*)$/.exec(kongMessage);
  if (one) {
    const names = rel(listed(one[1]!));
    return { field: where, kong, message: `the "${type}" plugin takes exactly one of ${names.join(' and ')} (an empty list counts as unset)`, fix: `keep one of ${names.join(' and ')}.` };
  }
  const all = /^all or none of these fields must be set: (.*)$/.exec(kongMessage);
  if (all) {
    const names = rel(listed(all[1]!));
    return { field: where, kong, message: `${names.join(' and ')} go together: set all of them or none`, fix: `set ${names.join(' and ')}, or remove them.` };
  }
  for (const e of ENTITY_FIXES) {
    const m = kongMessage.match(e.re);
    if (m) return { field: typeof e.field === 'string' ? `${where}.${e.field}` : e.field(m, where), kong, message: `${where}: ${kongMessage}`, fix: e.fix(m, where) };
  }
  return { field: where, kong, message: `${where}: ${kongMessage}`, fix: `change the "${type}" plugin's configuration so that Kong accepts it.` };
}

const CONDITIONAL = /^failed conditional validation given value of field '([^']+)'$/;

/** Every `conditional` entity check of the schema and its records: then_field -> if_field, as full paths. */
function conditionals(schema: KongSchema, prefix = '', out = new Map<string, string>()): Map<string, string> {
  const full = (name: string): string => (prefix ? `${prefix}.${name}` : name);
  for (const check of schema.entity_checks ?? []) {
    const c = (check as { conditional?: { if_field: string; then_field: string } }).conditional;
    if (c) out.set(full(c.then_field), full(c.if_field));
  }
  for (const f of schema.fields) {
    const [name, def] = Object.entries(f)[0] as [string, KongField];
    // Records, and records in lists (datadog's metrics): list indexes are dropped from these paths.
    const record = def.type === 'record' ? def : (def.type === 'array' || def.type === 'set') ? (def.elements as KongField | undefined) : undefined;
    if (record?.type === 'record' && Array.isArray(record.fields)) conditionals(record as unknown as KongSchema, full(name), out);
  }
  return out;
}

/**
 * Kong's errors for one plugin entity (`{config, protocols, ...}`), in the house style. A failed conditional
 * ("failed conditional validation given value of field 'config.policy'") is folded into the error of the field
 * it requires: `config.redis.host is required when config.policy is "redis"`.
 */
export function describeKongErrors(type: string, schema: KongSchema, entity: Record<string, unknown>, errors: Record<string, string[]>): KongProblem[] {
  /** Failed conditionals: their if_field without list indexes -> with them. */
  const failed = new Map<string, string>();
  const unindexed = (path: string): string => path.split('.').filter((p) => !/^\d+$/.test(p)).join('.');
  const out: KongProblem[] = [];
  for (const [path, messages] of Object.entries(errors)) {
    if (!path.endsWith('@entity')) continue;
    let prefix = path.slice(0, -'@entity'.length).replace(/\.$/, '');
    // In a map of records (response-ratelimiting's limits) Kong names the map: name the first empty entry.
    const container = prefix ? fieldAt(schema, prefix).field : undefined;
    const entries = container?.type === 'map' ? valueAt(entity, prefix) : undefined;
    if (entries && typeof entries === 'object') {
      const empty = Object.entries(entries).find(([, v]) => !v || typeof v !== 'object' || Object.values(v).every((x) => x === null || x === undefined));
      if (empty) prefix = `${prefix}.${empty[0]}`;
    }
    for (const m of messages) {
      const c = CONDITIONAL.exec(m);
      if (c) {
        const ifField = prefix ? `${prefix}.${c[1]}` : c[1]!;
        failed.set(unindexed(ifField), ifField);
      }
      else out.push(entityProblem(type, prefix, m));
    }
  }
  const requiredBy = conditionals(schema);
  for (const [path, messages] of Object.entries(errors)) {
    if (path.endsWith('@entity')) continue;
    for (const m of messages) {
      const p = fieldProblem(type, schema, entity, path, m);
      const ifKey = requiredBy.get(unindexed(path));
      const ifField = ifKey === undefined ? undefined : failed.get(ifKey);
      if (ifField) {
        const ifValue = valueAt(entity, ifField);
        p.message += ` when ${jsonPath(ifField)} is ${showable(ifValue, undefined) ? JSON.stringify(ifValue) : 'set as it is'}`;
        p.kong += ` (failed conditional validation given value of field '${ifField}')`;
      }
      out.push(p);
    }
  }
  // A conditional whose then-field error was not reported (it cannot happen in Kong 3.9.3): keep Kong's words.
  const reported = new Set(Object.keys(errors).map(unindexed));
  for (const [ifKey, ifField] of failed) {
    if (![...requiredBy].some(([then, f]) => f === ifKey && reported.has(then))) {
      out.push(entityProblem(type, '', `failed conditional validation given value of field '${ifField}'`));
    }
  }
  return out;
}
