// Kong's validator functions, by the marker the dump gives them (`typedefs.<name>` for a typedef's validator,
// `custom:<plugin>.<path>` for a plugin's own). Each follows the Lua it names in Kong 3.9.3 and answers with
// Kong's own message; functions that cannot be judged outside Kong (Lua code, shared memory zones, ...)
// are registered as NOT_CHECKED, so a new marker from a newer dump fails the registry test until it is
// implemented or consciously skipped.
import { isIP } from 'node:net';
import { luaMatches } from './lua-pattern.ts';
import { pcreRefusal } from './regex.ts';
import { normalisePath } from './uri.ts';

export interface CheckContext {
  /** Kong's `database` setting: `off` is DB-less. */
  database: 'off' | 'postgres';
}

/** A field validator: true, or Kong's message. */
export type FieldCheck = (value: unknown, ctx: CheckContext) => true | string;
/** A shorthand's rewrite: the fields it sets, or nothing. */
export type Shorthand = (value: unknown) => Record<string, unknown> | undefined;

export const NOT_CHECKED = 'not-checked' as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

// kong/tools/http.lua validate_header_name
const HEADER_NAME = /^[a-zA-Z0-9_-]+$/;
function headerName(v: unknown): true | string {
  return typeof v === 'string' && HEADER_NAME.test(v) ? true : `bad header name '${String(v)}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`;
}

// kong/tools/ip.lua normalize_ip: a name, an IPv4 or an IPv6 address, each with an optional port. The kind is
// decided first (two or more colons: IPv6; digits and dots: IPv4; else a name), then checked as that kind.
type Address = { kind: 'ipv4' | 'ipv6' | 'name'; port?: number } | { error: string };

function checkPort(port: string | undefined): number | undefined | 'bad' {
  if (port === undefined) return undefined;
  return Number(port) > 65535 ? 'bad' : Number(port);
}

function normalizeAddress(address: string): Address {
  const colons = address.split(':').length - 1;
  if (colons > 1) {
    const bracketed = /^\[([^\]]*)\]([\s\S]*)$/.exec(address);
    let body = address;
    let port: number | undefined;
    if (bracketed) {
      body = bracketed[1]!;
      if (bracketed[2]) {
        const p = /^:(\d*)$/.exec(bracketed[2]);
        if (!p) return { error: 'invalid ipv6 address' };
        const checked = checkPort(p[1]);
        if (checked === 'bad') return { error: 'invalid port number' };
        port = checked;
      }
    }
    if (body.startsWith(':')) body = `0${body}`;
    if (body.endsWith(':')) body = `${body}0`;
    if (body.includes('::')) body = body.replace('::', `:${'0:'.repeat(Math.max(0, 8 - (body.split(':').length - 1)))}`);
    if (!/^([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}$/.test(body)) return { error: `invalid ipv6 address: ${address}` };
    return { kind: 'ipv6', ...(port !== undefined ? { port } : {}) };
  }
  if (/^[\d.]+$/.test(address.replace(/:/g, ''))) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d+))?$/.exec(address);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return { error: `invalid ipv4 address: ${address}` };
    const port = checkPort(m[5]);
    if (port === 'bad') return { error: 'invalid port number' };
    return { kind: 'ipv4', ...(port !== undefined ? { port } : {}) };
  }
  const portMatch = /:(\d+)$/.exec(address);
  const port = checkPort(portMatch?.[1]);
  if (port === 'bad') return { error: 'invalid port number' };
  const name = portMatch ? address.slice(0, -portMatch[0].length) : address;
  if (!/^[0-9A-Za-z._-]+$/.test(name)) return { error: `invalid hostname: ${address}` };
  const segments = name.split('.');
  if (segments.some((seg, i) => seg.endsWith('-') || (seg === '' && i !== segments.length - 1))) return { error: `invalid hostname: ${address}` };
  return { kind: 'name', ...(port !== undefined ? { port } : {}) };
}

// typedefs.host: no port.
function host(v: unknown): true | string {
  const s = String(v);
  const a = normalizeAddress(s);
  if ('error' in a && a.error !== 'invalid port number') return `invalid value: ${s}`;
  if ('error' in a || a.port !== undefined) return 'must not have a port';
  return true;
}
// typedefs.sni / redis_server_name: a name, no port.
function sni(v: unknown): true | string {
  const s = String(v);
  const a = normalizeAddress(s);
  if ('error' in a && a.error !== 'invalid port number') return `invalid value: ${s}`;
  if (!('error' in a) && a.kind !== 'name') return 'must not be an IP';
  if ('error' in a || a.port !== undefined) return 'must not have a port';
  return true;
}
// typedefs.hosts elements: a wildcard counts as a label; a port is allowed; Kong's own message.
function hostWithWildcards(v: unknown): true | string {
  const a = normalizeAddress(String(v).replace(/\*/g, 'abc'));
  return 'error' in a ? a.error : true;
}

function ipOrCidr(v: unknown): true | string {
  const s = String(v);
  const [ip, prefix, extra] = s.split('/');
  const family = isIP(ip ?? '');
  const max = family === 4 ? 32 : 128;
  const ok = family !== 0 && extra === undefined && (prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= max));
  return ok ? true : `invalid ip or cidr range: '${s}'`;
}

// LuaSocket's url.parse only needs a scheme and an authority for Kong's url typedef.
function url(v: unknown): true | string {
  const s = String(v);
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?/.exec(s);
  const authority = m?.[2];
  const hostPart = authority?.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
  if (!hostPart) return 'missing host in url';
  if (!m?.[1]) return 'missing scheme in url';
  return true;
}

// typedefs.lua validate_path: RFC 3986 characters, then well-formed percent-encoding.
function path(v: unknown): true | string {
  const s = String(v);
  if (!/^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/.test(s)) return `invalid path: '${s}' (characters outside of the reserved list of RFC 3986 found)`;
  const bad = /%(?![0-9A-Fa-f]{2})[\s\S]{0,2}/.exec(s);
  if (bad) return `invalid url-encoded value: '${bad[0]}'`;
  return true;
}

function tag(v: unknown): true | string {
  const s = String(v);
  // eslint-disable-next-line no-control-regex -- Kong's tag rule excludes the control characters
  return /^[^\x00-\x20\x7f,/]+$/.test(s) ? true : `invalid tag '${s}': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences`;
}

function utf8Name(v: unknown): true | string {
  const s = String(v);
  return /^[A-Za-z0-9.\-_~\u0080-\uffff]+$/.test(s) ? true : `invalid value '${s}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`;
}


const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
function periodsOrder(limits: Record<string, unknown>, capital: boolean): true | string {
  for (let i = 0; i < PERIODS.length; i++) {
    const v1 = limits[PERIODS[i]!];
    if (typeof v1 !== 'number') continue;
    for (let j = i + 1; j < PERIODS.length; j++) {
      const v2 = limits[PERIODS[j]!];
      if (typeof v2 === 'number' && v2 < v1) {
        return `${capital ? 'The' : 'the'} limit for ${PERIODS[j]}(${v2.toFixed(1)}) cannot be lower than the limit for ${PERIODS[i]}(${v1.toFixed(1)})`;
      }
    }
  }
  return true;
}

// request-/response-transformer: "name:value" pairs whose names (and, for rename, values) are header names.
function transformerHeader(bothSides: boolean): FieldCheck {
  return (v) => {
    const m = /^([^:]+):*([\s\S]*)$/.exec(String(v));
    const name = m?.[1];
    if (name === undefined || !HEADER_NAME.test(name)) return `'${String(name)}' is not a valid header`;
    if (bothSides && !HEADER_NAME.test(m?.[2] ?? '')) return `'${m?.[2] ?? ''}' is not a valid header`;
    return true;
  };
}
// request-transformer check_for_value; the penlight template compile of the value is not checked.
const transformerValue: FieldCheck = (v) => {
  const m = /^([^:]+):*([\s\S]*)$/.exec(String(v));
  if (!m || m[2] === '') return `key '${m?.[1] ?? String(v)}' has no value`;
  return true;
};


// ---------------------------------------------------------------- core entities (kong/db/schema/entities, credential DAOs)

// typedefs.host_with_optional_port: kong.tools.ip's own message.
function hostWithOptionalPort(v: unknown): true | string {
  const a = normalizeAddress(String(v));
  return 'error' in a ? a.error : true;
}

// typedefs.wildcard_host: one "*", leftmost or rightmost, then checked as an SNI with the "*" replaced.
function wildcardHost(v: unknown): true | string {
  let s = String(v);
  const at = s.indexOf('*');
  if (at >= 0) {
    if (at !== 0 && at !== s.length - 1) return 'wildcard must be leftmost or rightmost character';
    if (s.split('*').length > 2) return 'only one wildcard must be specified';
    s = s.replaceAll('*', 'wildcard');
  }
  return sni(s);
}

// kong/tools/http.lua validate_http_token (typedefs.cookie_name).
function cookieName(v: unknown): true | string {
  // eslint-disable-next-line no-control-regex -- RFC 2616 tokens exclude the control characters
  return typeof v === 'string' && v !== '' && !/[\x00-\x20\x7f()<>@,;:\\"/?={}[\]]/.test(v)
    ? true
    : 'contains one or more invalid characters. ASCII control characters (0-31;127), space, tab and the characters ()<>@,;:\\"/?={}[] are not allowed.';
}

// typedefs.lua validate_path_with_regexes (typedefs.router_path): a bad percent-encoding, then a plain path must be
// normalized, a regex ("~...") must compile in PCRE2. The other path errors are left to the field's patterns.
function routerPath(v: unknown): true | string {
  const s = String(v);
  const plain = path(s);
  if (plain !== true && plain.startsWith('invalid url-encoded value')) return plain;
  if (!s.startsWith('~')) {
    const normalized = normalisePath(s);
    return normalized === s ? true : `non-normalized path, consider use '${normalized}' instead`;
  }
  const regex = s.slice(1);
  const refusal = pcreRefusal(regex);
  return refusal === undefined ? true : `invalid regex: '${regex}' (PCRE returned: pcre2_compile() failed: ${refusal} in "${regex}")`;
}

// LuaSocket's url.parse, as far as Kong reads it: fragment, scheme, authority (host, port), path.
function luaSocketUrl(s: string): { scheme?: string; host?: string; port?: string; path?: string; fragment?: string } {
  const out: { scheme?: string; host?: string; port?: string; path?: string; fragment?: string } = {};
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const scheme = /^([A-Za-z0-9][A-Za-z0-9+\-.]*):/.exec(rest);
  if (scheme) {
    out.scheme = scheme[1]!.toLowerCase();
    rest = rest.slice(scheme[0].length);
  }
  const authority = /^\/\/([^/]*)/.exec(rest);
  if (authority) {
    rest = rest.slice(authority[0].length);
    let host = authority[1]!.replace(/^[^@]*@/, '');
    const port = /:([^:\]]*)$/.exec(host);
    if (port) {
      out.port = port[1];
      host = host.slice(0, -port[0].length);
    }
    out.host = host;
  }
  rest = rest.replace(/\?.*$/, '').replace(/;.*$/, '');
  if (rest !== '') out.path = rest;
  return out;
}

// kong/plugins/oauth2/daos.lua validate_uri.
function redirectUri(v: unknown): true | string {
  const s = String(v);
  const u = luaSocketUrl(s);
  if (u.host === undefined || u.scheme === undefined) return `cannot parse '${s}'`;
  if (u.fragment !== undefined) return `fragment not allowed in '${s}'`;
  return true;
}

const isNil = (v: unknown): boolean => v === undefined || v === null;
const emptyField = (v: unknown): boolean => isNil(v) || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
const ROUTE_MATCHERS = ['snis', 'sources', 'destinations', 'methods', 'hosts', 'paths', 'headers'];
const EXPRESSION_PREFIX = 'Router Expression failed validation: ';
const MATCHER_LIST = "'methods', 'hosts', 'paths', 'headers', 'snis', 'sources' or 'destinations'";

// routes.lua validate_route (traditional_compatible and expressions), up to the ATC router's own compile of the
// expression, which needs Kong's native library: regex paths under traditional_compatible are judged by regex.ts.
function routeFields(e: unknown): true | string {
  if (!isObj(e)) return true;
  const noExpression = isNil(e.expression);
  const noMatchers = ROUTE_MATCHERS.every((f) => emptyField(e[f]));
  if (noExpression && noMatchers) return true;
  if (!noExpression && !noMatchers) return `${EXPRESSION_PREFIX}cannot set 'expression' with ${MATCHER_LIST} simultaneously`;
  if (!noExpression && !isNil(e.regex_priority) && e.regex_priority !== 0) return `${EXPRESSION_PREFIX}cannot set 'regex_priority' with 'expression' simultaneously`;
  if (!noMatchers && !isNil(e.priority) && e.priority !== 0) return `${EXPRESSION_PREFIX}cannot set 'priority' with ${MATCHER_LIST} simultaneously`;
  return true;
}

// The path_handling "v1" deprecation check of routes.lua: a log line, never an error.
const logsOnly: FieldCheck = () => true;

// kong/plugins/acme/schema.lua validate_namespace, over kong/plugins/acme/reserved_words.lua. Kong walks the words
// with pairs(), but no namespace can start with two of them, so the message does not depend on the order.
const ACME_RESERVED_WORDS = ['kong_acme:renew_config:', 'kong_acme:renew_last_run', 'kong_acme:cert_key:'];
function acmeNamespace(v: unknown): true | string {
  const s = String(v);
  const word = s === '' ? undefined : ACME_RESERVED_WORDS.find((w) => s.startsWith(w));
  return word === undefined ? true : `namespace can't be prefixed with reserved word: ${word}`;
}

// kong/llm/schemas/init.lua, the llm record's custom_entity_check over UNSUPPORTED_LOG_STATISTICS: the route types
// for which a provider reports no token statistics.
const UNSUPPORTED_LOG_STATISTICS: Record<string, readonly string[]> = { 'llm/v1/completions': ['anthropic'] };
function llmStatistics(e: unknown): true | string {
  if (!isObj(e) || !isObj(e.logging) || !isObj(e.model) || typeof e.route_type !== 'string') return true;
  const provider = e.model.provider;
  const logged = e.logging.log_statistics !== undefined && e.logging.log_statistics !== null && e.logging.log_statistics !== false;
  if (logged && Object.hasOwn(UNSUPPORTED_LOG_STATISTICS, e.route_type) && UNSUPPORTED_LOG_STATISTICS[e.route_type]!.includes(provider as string)) {
    return `${String(provider)} does not support statistics when route_type is ${e.route_type}`;
  }
  return true;
}

const ENTITY_FIELD_CHECKS: Record<string, FieldCheck | typeof NOT_CHECKED> = {
  'typedefs.router_path': routerPath,
  'typedefs.wildcard_host': wildcardHost,
  'typedefs.host_with_optional_port': hostWithOptionalPort,
  'typedefs.cookie_name': cookieName,
  // Certificates and keys come from Secrets, whose values ingress-guard never keeps (KIC checks the TLS pair itself).
  'typedefs.certificate': NOT_CHECKED,
  'typedefs.key': NOT_CHECKED,
  'custom:jwt_secrets.@entity.conditional.then_match.custom_validator': NOT_CHECKED,
  'custom:oauth2_credentials.redirect_uris.elements.custom_validator': redirectUri,
  'custom:targets.target.custom_validator': (v) => ('error' in normalizeAddress(String(v)) ? `Invalid target ('${String(v)}'); not a valid hostname or ip address` : true),
  'custom:upstreams.name.custom_validator': (v) => {
    const a = normalizeAddress(String(v));
    const subject = `Invalid name ('${String(v)}')`;
    if ('error' in a) return `${subject}; must be a valid hostname`;
    if (a.kind !== 'name') return `${subject}; no ip addresses allowed`;
    return a.port === undefined ? true : `${subject}; no port allowed`;
  },
};

const ENTITY_ENTITY_CHECKS: Record<string, FieldCheck | typeof NOT_CHECKED> = {
  'custom:routes.traditional.@entity.custom_entity_check.fn': logsOnly,
  'custom:routes.traditional_compatible.@entity.custom_entity_check.fn': logsOnly,
  'custom:routes.expressions.@entity.custom_entity_check.fn': logsOnly,
  'custom:routes.traditional_compatible.@entity.custom_entity_check.fn#2': routeFields,
  'custom:routes.expressions.@entity.custom_entity_check.fn#2': routeFields,
  // OpenSSL checks of certificate and key values (match, types, CA constraint, expiry): values are not kept.
  'custom:certificates.@entity.custom_entity_check.fn': NOT_CHECKED,
  'custom:certificates.@entity.custom_entity_check.fn#2': NOT_CHECKED,
  'custom:certificates.@entity.custom_entity_check.fn#3': NOT_CHECKED,
  'custom:ca_certificates.@entity.custom_entity_check.fn': NOT_CHECKED,
};

const ENTITY_SHORTHANDS: Record<string, Shorthand> = {
  // services.lua: url sets protocol, host, port and path.
  'custom:services.shorthand_fields.url.func': (v) => {
    const u = luaSocketUrl(String(v));
    const port = u.port !== undefined && /^\d+$/.test(u.port) ? Number(u.port) : undefined;
    const protocol = u.scheme ?? (port === 80 ? 'http' : port === 443 ? 'https' : 'http');
    return { protocol, host: u.host ?? null, port: port ?? u.port ?? (protocol === 'http' ? 80 : protocol === 'https' ? 443 : 80), path: u.path ?? null };
  },
  // upstreams.lua: least-connections and latency clear hash_on; a hash_on other than none means consistent-hashing.
  'custom:upstreams.shorthand_fields.algorithm.func': (v) => (v === 'least-connections' || v === 'latency' ? { algorithm: v, hash_on: null } : { algorithm: v }),
  'custom:upstreams.shorthand_fields.hash_on.func': (v) => (v === null ? { hash_on: 'none' } : v === 'none' ? { hash_on: v, algorithm: 'round-robin' } : { hash_on: v, algorithm: 'consistent-hashing' }),
};

export const FIELD_CHECKS: Record<string, FieldCheck | typeof NOT_CHECKED> = {
  ...ENTITY_FIELD_CHECKS,
  'typedefs.header_name': headerName,
  'typedefs.host': host,
  'typedefs.hosts.elements': hostWithWildcards,
  'typedefs.redis_server_name': sni,
  'typedefs.ip_or_cidr': ipOrCidr,
  'typedefs.url': url,
  'typedefs.path': path,
  'typedefs.tag': tag,
  'typedefs.utf8_name': utf8Name,
  // Lua code compiles in Kong's sandbox only.
  'typedefs.lua_code.values': NOT_CHECKED,
  // cors/schema.lua validate_asterisk_or_regex: "*", or whatever PCRE2 compiles (is_regex, no options).
  'custom:cors.config.origins.elements.custom_validator': (v) => (v === '*' || pcreRefusal(String(v)) === undefined ? true : `'${String(v)}' is not a valid regex`),
  'custom:rate-limiting.config.custom_validator': (v) => {
    if (!isObj(v)) return true;
    const order = periodsOrder(v, true);
    if (order !== true) return order;
    if (v.policy !== 'redis' && v.sync_rate !== -1) return 'sync_rate can only be used with the redis policy';
    if (v.policy === 'redis' && v.sync_rate !== -1 && typeof v.sync_rate === 'number' && v.sync_rate < 0.02) return 'sync_rate must be greater than 0.02, or -1 to disable';
    return true;
  },
  'custom:response-ratelimiting.config.limits.values.custom_validator': (v) => (isObj(v) ? periodsOrder(v, false) : true),
  'custom:request-termination.config.custom_validator': (v) => {
    if (!isObj(v)) return true;
    if (present(v.message) && (present(v.content_type) || present(v.body))) return 'message cannot be used with content_type or body';
    if (present(v.content_type) && !present(v.body)) return 'content_type requires a body';
    if (v.echo === true && (present(v.content_type) || present(v.body))) return 'echo cannot be used with content_type and body';
    return true;
  },
  'custom:http-log.config.custom_validator': (v) => {
    if (!isObj(v) || typeof v.http_endpoint !== 'string') return true;
    const userinfo = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@/.test(v.http_endpoint);
    if (userinfo && isObj(v.headers) && Object.keys(v.headers).some((h) => h.toLowerCase() === 'authorization')) {
      return "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed";
    }
    return true;
  },
  'custom:oauth2.config.custom_validator': (v) => {
    if (!isObj(v)) return true;
    const flows = ['enable_authorization_code', 'enable_implicit_grant', 'enable_client_credentials', 'enable_password_grant'];
    return flows.some((f) => v[f] === true) ? true : `at least one of these fields must be true: ${flows.join(', ')}`;
  },
  'custom:opentelemetry.config.resource_attributes.custom_validator': (v) => {
    if (!isObj(v)) return true;
    for (const x of Object.values(v)) {
      const t = typeof x;
      if (t !== 'string' && t !== 'number' && t !== 'boolean') return `invalid type of value: ${x === null ? 'userdata' : t === 'object' ? 'table' : t}`;
      if (x === '') return 'required field missing';
    }
    return true;
  },
  'custom:zipkin.config.static_tags.custom_validator': (v) => {
    if (!Array.isArray(v)) return true;
    const seen = new Set<unknown>();
    for (const t of v) {
      const n = isObj(t) ? t.name : undefined;
      if (seen.has(n)) return `repeated tags are not allowed: ${String(n)}`;
      seen.add(n);
    }
    return true;
  },
  'custom:response-transformer.config.rename.headers.elements.custom_validator': transformerHeader(true),
  'custom:request-transformer.config.rename.headers.elements.custom_validator': transformerHeader(true),
  'custom:request-transformer.config.remove.headers.elements.custom_validator': transformerHeader(false),
  'custom:request-transformer.config.add.headers.elements.custom_validator': transformerHeader(false),
  'custom:request-transformer.config.append.headers.elements.custom_validator': transformerHeader(false),
  'custom:request-transformer.config.replace.headers.elements.custom_validator': transformerHeader(false),
  'custom:request-transformer.config.add.body.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.add.querystring.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.append.body.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.append.querystring.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.replace.body.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.replace.querystring.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.rename.body.elements.custom_validator': transformerValue,
  'custom:request-transformer.config.rename.querystring.elements.custom_validator': transformerValue,
  // Always true in Kong: the prometheus_metrics shared dict is part of Kong's own nginx template.
  'custom:prometheus.config.custom_validator': () => true,
  // A shared memory zone of Kong's nginx configuration; not visible from Kubernetes objects.
  'custom:acme.config.storage_config.shm.shm_name.custom_validator': NOT_CHECKED,
  'custom:acme.config.storage_config.redis.extra_options.namespace.custom_validator': acmeNamespace,
  ...Object.fromEntries(
    ['pre-function', 'post-function'].flatMap((p) =>
      ['certificate', 'rewrite', 'access', 'header_filter', 'body_filter', 'log'].map((phase) => [`custom:${p}.config.${phase}.elements.custom_validator`, NOT_CHECKED]),
    ),
  ),
};

/** custom_entity_check functions: they see the whole (defaulted) plugin entity. */
export const ENTITY_CHECKS: Record<string, FieldCheck | typeof NOT_CHECKED> = {
  ...ENTITY_ENTITY_CHECKS,
  'custom:aws-lambda.@entity.custom_entity_check.fn': (e) => {
    const proxy = isObj(e) && isObj(e.config) ? e.config.proxy_url : undefined;
    if (typeof proxy !== 'string') return true;
    const scheme = /^([^:]+):\/\//.exec(proxy)?.[1];
    return scheme && scheme !== 'http' ? 'proxy_url scheme must be http' : true;
  },
  'custom:acme.@entity.custom_entity_check.fn': (e, ctx) => {
    const storage = isObj(e) && isObj(e.config) ? e.config.storage : undefined;
    return ctx.database === 'off' && storage === 'kong' ? '"kong" storage can\'t be used with dbless mode' : true;
  },
  // The proxy-cache memory dictionary must be a shared dict of Kong's nginx configuration.
  'custom:proxy-cache.@entity.custom_entity_check.fn': NOT_CHECKED,
  'custom:ai-proxy.config.@entity.custom_entity_check.fn': llmStatistics,
  'custom:ai-request-transformer.config.llm.@entity.custom_entity_check.fn': llmStatistics,
  'custom:ai-response-transformer.config.llm.@entity.custom_entity_check.fn': llmStatistics,
};

/** Shorthands without a `deprecation.replaced_with` path: their rewrite, as the plugin's Lua does it. */
export const SHORTHANDS: Record<string, Shorthand> = {
  ...ENTITY_SHORTHANDS,
  'custom:session.config.shorthand_fields.cookie_lifetime.func': (v) => ({ rolling_timeout: v }),
  'custom:session.config.shorthand_fields.cookie_idletime.func': (v) => ({ idling_timeout: v ?? 0 }),
  'custom:session.config.shorthand_fields.cookie_renew.func': () => undefined,
  'custom:session.config.shorthand_fields.cookie_discard.func': (v) => ({ stale_ttl: v }),
  'custom:session.config.shorthand_fields.cookie_samesite.func': (v) => ({ cookie_same_site: v === 'off' ? 'Lax' : v }),
  'custom:session.config.shorthand_fields.cookie_httponly.func': (v) => ({ cookie_http_only: v }),
  'custom:session.config.shorthand_fields.cookie_persistent.func': (v) => ({ remember: v }),
  'custom:opentelemetry.config.shorthand_fields.endpoint.func': (v) => ({ traces_endpoint: v }),
};

export { luaMatches };
