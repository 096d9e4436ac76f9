// konghq.com/* annotations on Ingress, Service and HTTPRoute. KIC parses most of them with a strict
// reader and, when the value does not parse, logs a line and drops the annotation (kongstate/route.go,
// kongstate/service.go): the user sees "configured" and Kong keeps its defaults. Other values pass KIC
// untouched and make Kong reject the whole configuration push. Both are denied here; keys KIC does not
// know at all are a warning with a suggestion.
import type { K8sObject } from '../model/object.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { closest, IF_ENTERPRISE, name } from './text.ts';
import { kicAtLeast, type TranslateConfig } from '../translate/config.ts';

const PREFIX = 'konghq.com/';
const HEADERS = 'headers.';

/** Where KIC reads an annotation: from the route-like object, only from an Ingress, or from the Service. */
type Place = 'route' | 'ingress' | 'service' | 'any' | 'elsewhere';

/** Every konghq.com/ annotation KIC 3.x reads, without the prefix (headers.* is handled apart). */
const KNOWN: Record<string, Place> = {
  // route-like objects (Ingress, HTTPRoute, ...): kongstate/route.go
  'strip-path': 'route',
  'preserve-host': 'route',
  'https-redirect-status-code': 'route',
  'regex-priority': 'route',
  methods: 'route',
  snis: 'route',
  'request-buffering': 'route',
  'response-buffering': 'route',
  'host-aliases': 'route',
  'path-handling': 'route',
  protocols: 'route',
  'headers-separator': 'route',
  // Ingress only (the Ingress subtranslator)
  'regex-prefix': 'ingress',
  rewrite: 'ingress',
  // Services: kongstate/service.go and the upstream, TLS and CA overrides
  protocol: 'service',
  path: 'service',
  'host-header': 'service',
  'read-timeout': 'service',
  'write-timeout': 'service',
  'connect-timeout': 'service',
  retries: 'service',
  'client-cert': 'service',
  'tls-verify': 'service',
  'tls-verify-depth': 'service',
  'ca-certificates-secrets': 'service',
  'ca-certificates-configmaps': 'service',
  'upstream-policy': 'service',
  // both
  plugins: 'any',
  override: 'any',
  tags: 'any',
  // read on other kinds (Gateway, GatewayClass, Secret labels, KongConsumer, ...): never warned about
  'gatewayclass-unmanaged': 'elsewhere',
  'publish-service': 'elsewhere',
  credential: 'elsewhere',
  validate: 'elsewhere',
  'ca-cert': 'elsewhere',
};

const PLACE_TEXT: Record<Exclude<Place, 'any' | 'elsewhere'>, string> = {
  route: 'Ingresses and HTTPRoutes',
  ingress: 'Ingresses',
  service: 'Services',
};

function placeOf(kind: string): 'route' | 'ingress' | 'service' {
  return kind === 'Service' ? 'service' : kind === 'Ingress' ? 'ingress' : 'route';
}

function readHere(place: Place, kind: string): boolean {
  if (place === 'any' || place === 'elsewhere') return true;
  const here = placeOf(kind);
  if (place === 'route') return here === 'route' || here === 'ingress';
  return place === here;
}

// ---------------------------------------------------------------- value checks

interface Invalid {
  /** What is wrong with the value. */
  why: string;
  /** What KIC and Kong do with it. */
  /** REJECTED when Kong rejects the configuration (KIC passes the value on): KIC's fallback treats the object as broken. */
  effect: string;
  fix: string;
}

const ignored = (outcome = 'Kong keeps its default') => `KIC ignores an annotation it cannot parse (a log line, no event), so ${outcome}`;
const IGNORED = ignored();
const REJECTED =
  'KIC passes the value on and Kong rejects the configuration containing it: no further change reaches Kong, or, with KIC\'s fallback configuration, this object is dropped';

/**
 * Route and service protocols KIC accepts (internal/util/protocol.go, ValidateProtocol): from 3.3 a fixed set that
 * includes "" (udp is not in it); 3.0 to 3.2 used an unanchored regular expression (so "tcpx" passed), and 3.0
 * knew neither ws nor wss. ws and wss are Kong Enterprise protocols: Kong OSS refuses them (kongProtocols).
 */
const PROTOCOLS = ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'tls_passthrough', 'ws', 'wss'];
/** What Kong OSS 3.9.3 takes as a protocol (kong/constants.lua PROTOCOLS, typedefs.protocol's one_of). */
const KONG_OSS_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp'];
/** Kong Enterprise adds ws and wss. */
const ENTERPRISE_ONLY_PROTOCOLS = ['ws', 'wss'];
const kongProtocols = (cfg: TranslateConfig): string[] =>
  cfg.kongEdition === 'enterprise' ? [...KONG_OSS_PROTOCOLS, ...ENTERPRISE_ONLY_PROTOCOLS] : KONG_OSS_PROTOCOLS;

/** Why Kong refuses a protocol KIC passes on: "tcpx" (KIC 3.0-3.2) is nobody's protocol, ws/wss are Enterprise's. */
function refusedProtocol(protocol: string): string {
  if (ENTERPRISE_ONLY_PROTOCOLS.includes(protocol)) return `"${protocol}" (a Kong Enterprise protocol; kongEdition is oss)`;
  return `"${protocol}"${protocol === '' ? ' (a stray comma)' : ''} (not a Kong protocol)`;
}
/**
 * What Kong says. A service's protocol: typedefs.protocol's one_of. A route's protocols: the first one picks the
 * route subschema ("protocols: unknown type: ws"), the others get the one_of message.
 */
function kongSays(cfg: TranslateConfig, route: boolean): string {
  if (cfg.kongEdition === 'enterprise') return `Kong knows only ${kongProtocols(cfg).join(', ')}`;
  const oneOf = `"expected one of: ${KONG_OSS_PROTOCOLS.join(', ')}"`;
  return route ? `Kong OSS says "unknown type: <protocol>" for the first protocol, ${oneOf} for the others` : `Kong OSS says ${oneOf}`;
}

const enterpriseHint = (refused: string[]): string =>
  refused.some((p) => ENTERPRISE_ONLY_PROTOCOLS.includes(p)) ? ` (or, ${IF_ENTERPRISE})` : '';

export function kicValidProtocol(cfg: TranslateConfig, protocol: string): boolean {
  if (kicAtLeast(cfg, '3.3')) return protocol === '' || PROTOCOLS.includes(protocol);
  const ws = kicAtLeast(cfg, '3.1') ? /^ws$|^wss/ : /$^/;
  return /^https$|^http$|^grpc$|^grpcs|^tcp|^tls|^tls_passthrough$/.test(protocol) || ws.test(protocol);
}

const METHOD = /^[A-Z]+$/;
// The hostname patterns KIC applies to snis and host-aliases (kongstate/route.go).
const SNI = /^([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)+(\.([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*))*$/;
const HOST_ALIAS = /^(\*\.)?([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)+(\.([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*))*?(\.\*)?$/;
/** Go's strconv.Atoi syntax. */
const INTEGER = /^[+-]?\d+$/;
/** Kong's header name characters (utils.validate_header_name). */
const HEADER_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_TIMEOUT = 2 ** 31 - 2;

type ListKey = 'protocols' | 'methods' | 'snis' | 'host-aliases';

/**
 * The entries KIC reads from a comma list. From 3.4 every list annotation is trimmed, empty entries are dropped and
 * methods are upper-cased (internal/annotations/annotations.go, extractCommaDelimitedStrings, KIC #6729). Before, the
 * value was split on commas as it is; kongstate/route.go then trimmed (and upper-cased) methods, snis and host-aliases
 * entries, but not protocols, and kept empty entries.
 */
export function kicList(cfg: TranslateConfig, key: ListKey, value: string): string[] {
  const upper = key === 'methods';
  if (kicAtLeast(cfg, '3.4')) {
    return value.split(',').map((e) => e.trim()).filter((e) => e !== '').map((e) => (upper ? e.toUpperCase() : e));
  }
  if (value === '') return [];
  const entries = value.split(',');
  if (key === 'protocols') return entries;
  return entries.map((e) => (upper ? e.trim().toUpperCase() : e.trim()));
}

/** Why KIC rejects an entry, when the reason is a usual one: spaces, case, an empty entry. */
function note(cfg: TranslateConfig, entry: string, valid: (e: string) => boolean): string {
  if (entry === '') return kicAtLeast(cfg, '3.4') ? '' : ' (a stray comma: KIC before 3.4 keeps empty entries)';
  const trimmed = entry.trim();
  if (trimmed !== entry && valid(trimmed)) return ' (KIC before 3.4 does not trim spaces around commas)';
  if (trimmed !== entry && valid(trimmed.toLowerCase())) return ' (KIC before 3.4 does not trim spaces around commas, and protocols must be lower case)';
  if (valid(trimmed.toLowerCase())) return ' (must be lower case)';
  return '';
}

/** The entries KIC reads that fail `valid`, quoted with the reason, or undefined when all pass. */
function list(cfg: TranslateConfig, key: ListKey, value: string, valid: (e: string) => boolean): string | undefined {
  const bad = kicList(cfg, key, value).filter((e) => !valid(e));
  return bad.length ? bad.map((e) => `"${e}"${note(cfg, e, valid)}`).join(', ') : undefined;
}

/** How to write a list for this KIC release. */
function listFix(cfg: TranslateConfig, example: string): string {
  return kicAtLeast(cfg, '3.4') ? `e.g. "${example}"` : `separated by commas without spaces (KIC before 3.4 reads them verbatim), e.g. "${example}"`;
}

function booleanStrict(key: string, value: string): Invalid | undefined {
  if (value === '' || ['true', 'false'].includes(value.toLowerCase())) return undefined;
  return { why: `is not "true" or "false"`, effect: IGNORED, fix: `set ${PREFIX}${key} to "true" or "false".` };
}

function booleanParse(key: string, value: string): Invalid | undefined {
  // strconv.ParseBool over the lower-cased value.
  if (value === '' || ['1', 't', 'true', '0', 'f', 'false'].includes(value.toLowerCase())) return undefined;
  return { why: `is not a boolean`, effect: IGNORED, fix: `set ${PREFIX}${key} to "true" or "false".` };
}

function integerIn(key: string, value: string, max: number, unit: string, example: string): Invalid | undefined {
  if (value === '') return undefined;
  if (!INTEGER.test(value)) {
    const hint = /^\d+(\.\d+)?\s*(ms|s|m|h)$/.test(value) ? ` (${unit} are a plain integer, without a unit)` : '';
    return { why: `is not an integer${hint}`, effect: IGNORED, fix: `set ${PREFIX}${key} to a whole number of ${unit}, e.g. "${example}".` };
  }
  const n = Number(value);
  if (n < 0 || n > max) return { why: `is outside 0..${max}`, effect: REJECTED, fix: `set ${PREFIX}${key} between 0 and ${max}.` };
  return undefined;
}

function hostnameLike(value: string): boolean {
  // A DNS name (underscores tolerated), an IPv4 address or a bracketed IPv6 address, with an optional port.
  return /^([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?(:\d{1,5})?$/.test(value) ||
    /^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(value);
}

/** The check for one known key, or undefined when any value is fine (or it is not ours to judge). */
function checkValue(cfg: TranslateConfig, key: string, value: string): Invalid | undefined {
  switch (key) {
    case 'strip-path':
    case 'preserve-host':
      return booleanStrict(key, value);
    case 'request-buffering':
    case 'response-buffering':
      return booleanParse(key, value);
    case 'regex-priority':
      if (value === '' || INTEGER.test(value)) return undefined;
      return { why: 'is not an integer', effect: IGNORED, fix: `set ${PREFIX}${key} to an integer such as "10" (higher wins).` };
    case 'https-redirect-status-code': {
      const allowed = ['301', '302', '307', '308', '426'];
      if (value === '' || (INTEGER.test(value) && allowed.includes(String(Number(value))))) return undefined;
      return { why: `is not one of ${allowed.join(', ')}`, effect: IGNORED, fix: `set ${PREFIX}${key} to one of ${allowed.join(', ')}.` };
    }
    case 'protocols': {
      const protocols = kicList(cfg, 'protocols', value);
      if (!protocols.length) return undefined;
      const bad = list(cfg, 'protocols', value, (e) => kicValidProtocol(cfg, e));
      if (bad) {
        return {
          why: `has ${bad}; KIC accepts only ${PROTOCOLS.join(', ')}`,
          effect: ignored('the route keeps protocols http and https'),
          fix: `list protocols such as ${listFix(cfg, 'http,https')}.`,
        };
      }
      // KIC passes these on (an empty entry in 3.3; "tcpx" up to 3.2), and Kong refuses them.
      const refused = protocols.filter((p) => !kongProtocols(cfg).includes(p));
      if (!refused.length) return undefined;
      return {
        why: `has ${refused.map((e) => refusedProtocol(e)).join(', ')}, which KIC ${cfg.kicVersion} passes on to Kong (${kongSays(cfg, true)})`,
        effect: REJECTED,
        fix: `list protocols such as ${listFix(cfg, 'http,https')}${enterpriseHint(refused)}.`,
      };
    }
    case 'protocol':
      if (value === '' || (kicValidProtocol(cfg, value) && kongProtocols(cfg).includes(value))) return undefined;
      if (kicValidProtocol(cfg, value)) {
        // "tcpx" passes KIC 3.0-3.2's unanchored check, ws and wss pass KIC, and Kong OSS refuses them.
        return {
          why: `is ${refusedProtocol(value)}, which KIC ${cfg.kicVersion} passes on to Kong (${kongSays(cfg, false)})`,
          effect: REJECTED,
          fix: `set ${PREFIX}${key} to one of ${PROTOCOLS.filter((p) => kicValidProtocol(cfg, p) && p !== '' && kongProtocols(cfg).includes(p)).join(', ')}${enterpriseHint([value])}.`,
        };
      }
      return {
        // A single value: KIC never trims it (annotations.go ExtractProtocolName).
        why: `is not a protocol KIC ${cfg.kicVersion} accepts (${PROTOCOLS.filter((p) => kicValidProtocol(cfg, p)).join(', ')})${value.trim() !== value ? ' (KIC does not trim spaces)' : note(cfg, value, (e) => kicValidProtocol(cfg, e))}`,
        effect: ignored('the Kong service keeps protocol http'),
        fix: `set ${PREFIX}${key} to one of ${PROTOCOLS.filter((p) => kicValidProtocol(cfg, p)).join(', ')}.`,
      };
    case 'methods': {
      const bad = list(cfg, 'methods', value, (e) => METHOD.test(e));
      if (!bad) return undefined;
      return {
        why: `has ${bad}; KIC accepts only method names (letters), which it upper-cases`,
        effect: 'KIC then drops every method of the annotation (a log line, no event), so the route matches all methods',
        fix: `list method names, ${listFix(cfg, 'GET,POST')}.`,
      };
    }
    case 'snis': {
      // An empty value is meaningful: no SNI criteria.
      const bad = list(cfg, 'snis', value, (e) => SNI.test(e));
      if (!bad) return undefined;
      return {
        why: `has ${bad}, not a plain hostname (no wildcards)`,
        effect: 'KIC then drops all the SNIs of the annotation (a log line, no event), so the route matches any SNI',
        fix: `list plain hostnames, ${listFix(cfg, 'a.example.com,b.example.com')}.`,
      };
    }
    case 'host-aliases': {
      const bad = list(cfg, 'host-aliases', value, (e) => HOST_ALIAS.test(e));
      if (!bad) return undefined;
      return {
        why: `has ${bad}, not a hostname`,
        effect: 'KIC then drops all the aliases (a log line, no event), so requests for them match no route and get a 404',
        fix: `list hostnames (optionally "*.example.com"), ${listFix(cfg, 'a.example.com,*.example.org')}.`,
      };
    }
    case 'path-handling':
      if (value === 'v0' || value === 'v1') return undefined;
      return {
        why: 'is not "v0" or "v1"',
        // KIC's own check is an unanchored /v\d/: "v2" passes it and Kong rejects it.
        effect: /v\d/.test(value) ? REJECTED : IGNORED,
        fix: `set ${PREFIX}${key} to "v0" or "v1".`,
      };
    case 'path':
      if (value === '') return undefined;
      if (!value.startsWith('/')) return { why: 'does not start with "/"', effect: ignored('the upstream path stays "/"'), fix: `make ${PREFIX}${key} an absolute path such as "/api".` };
      if (value.includes('//')) return { why: 'contains "//" (an empty segment)', effect: REJECTED, fix: `remove the empty path segment.` };
      return undefined;
    case 'host-header':
      if (value === '' || hostnameLike(value)) return undefined;
      return { why: 'is not a hostname', effect: REJECTED, fix: `set ${PREFIX}${key} to a bare hostname such as "api.example.com" (no scheme, no path).` };
    case 'read-timeout':
    case 'write-timeout':
    case 'connect-timeout':
      return integerIn(key, value, MAX_TIMEOUT, 'milliseconds', '60000');
    case 'retries':
      return integerIn(key, value, 32767, 'retries', '5');
    default:
      return undefined;
  }
}

function checkHeader(cfg: TranslateConfig, header: string, value: string): Invalid | undefined {
  const key = `${HEADERS}${header}`;
  if (!HEADER_NAME.test(header)) {
    return {
      why: `names the header "${header}", which Kong does not accept (letters, digits, "-" and "_" only)`,
      effect: header === '' ? IGNORED : REJECTED,
      fix: `correct the header name in the annotation key.`,
    };
  }
  if (header.toLowerCase() === 'host') {
    return { why: 'is a match on the Host header, and Kong refuses Host in route headers', effect: REJECTED, fix: `match hosts with the Ingress host or ${PREFIX}host-aliases instead.` };
  }
  if (value.trim() === '') {
    return { why: 'has an empty value', effect: `KIC skips a header match without a value (no event), so the route matches any ${header} header`, fix: `give ${PREFIX}${key} the header value(s) to match, separated by commas.` };
  }
  // KIC trims header values since 3.2 (annotations.go ExtractHeaders, KIC #5977); before, " b" reached Kong as it is.
  const spaced = kicAtLeast(cfg, '3.2') ? [] : value.split(',').filter((v) => v !== v.trim());
  if (spaced.length) {
    return {
      why: `has ${spaced.map((v) => `"${v}"`).join(', ')} (KIC before 3.2 does not trim spaces around commas)`,
      effect: 'KIC passes the value with its spaces to Kong, so a request sending that value never matches this header',
      fix: `separate the values with commas without spaces, e.g. "prod,staging".`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------- rules

/** The subject when KIC translates it: managed Ingresses and HTTPRoutes, Services behind them. */
function judged(ctx: RuleContext, subject: K8sObject): boolean {
  return ctx.tr.isManaged(subject);
}

function kongAnnotations(subject: K8sObject): [string, string][] {
  return Object.entries(subject.metadata.annotations ?? {}).filter(([k]) => k.startsWith(PREFIX));
}

const field = (key: string) => `metadata.annotations["${key}"]`;

/** The examples' state: IngressClass kong, Service web and an Ingress web carrying these annotation lines. */
function webExample(annotations: string[], host?: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: kong
spec:
  controller: ingress-controllers.konghq.com/kong
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations:
${annotations.map((a) => `    ${a}`).join('\n')}
spec:
  ingressClassName: kong
  rules:
  - ${host ? `host: ${host}\n    http:` : 'http:'}
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`;
}

export const invalidKongAnnotation: Rule = {
  id: 'invalid-kong-annotation',
  severity: 'deny',
  summary: 'A konghq.com/ annotation has a value KIC ignores or Kong rejects.',
  explanation:
    'KIC reads konghq.com/strip-path, preserve-host, protocols, methods, snis, host-aliases, headers.*, regex-priority, https-redirect-status-code, ' +
    'request-buffering, response-buffering and path-handling from Ingresses and HTTPRoutes, and protocol, path, host-header, read-timeout, ' +
    'write-timeout, connect-timeout and retries from Services. A value it cannot parse is dropped with only a log line: "GET;POST" drops every ' +
    'method, "60s" drops a timeout, "yes" drops strip-path. The route is then configured with Kong\'s defaults and nothing tells the user. ' +
    'Comma lists are read as the configured KIC release reads them (kicVersion): from 3.4 every entry is trimmed, empty entries are skipped ' +
    'and methods upper-cased, so "https, http" and "get, post" are fine; before 3.4 protocols are taken verbatim. Values KIC passes on but ' +
    'Kong refuses (a negative timeout, path-handling "v2", a Host header match) make Kong reject the whole configuration push. Only objects ' +
    'KIC translates are judged.',
  kinds: ['Ingress', 'Service', 'HTTPRoute'],
  examples: {
    bad: webExample(['konghq.com/methods: "GET;POST"', 'konghq.com/strip-path: "yes"'], 'app.example.com'),
    good: webExample(['konghq.com/methods: "GET,POST"', 'konghq.com/strip-path: "true"'], 'app.example.com'),
  },
  check(ctx, subject) {
    if (!judged(ctx, subject)) return [];
    return kongAnnotations(subject).flatMap(([key, value]): Draft[] => {
      const suffix = key.slice(PREFIX.length);
      let invalid: Invalid | undefined;
      if (suffix.startsWith(HEADERS)) {
        if (!readHere('route', subject.kind)) return [];
        invalid = checkHeader(ctx.tr.config, suffix.slice(HEADERS.length), value);
      } else {
        const place = KNOWN[suffix];
        if (!place || !readHere(place, subject.kind)) return [];
        invalid = checkValue(ctx.tr.config, suffix, value);
      }
      if (!invalid) return [];
      return [
        {
          field: field(key),
          discriminator: key,
          related: [],
          message: `${name(subject)} sets ${key} to "${value}", which ${invalid.why}. ${invalid.effect}.`,
          fix: invalid.fix,
          kongRejects: invalid.effect === REJECTED,
        },
      ];
    });
  },
};

const SUGGESTIONS = Object.keys(KNOWN);

function suggestion(suffix: string): string | undefined {
  // "header.x-user" and "headers-x-user" mean headers.x-user.
  const header = /^headers?[.-](.+)$/.exec(suffix);
  if (header && !suffix.startsWith(HEADERS)) return `${HEADERS}${header[1]}`;
  return closest(suffix, SUGGESTIONS);
}

/** Where a misplaced annotation belongs, or what replaces it on this kind (KIC reads rewrite and regex-prefix on Ingresses only). */
function misplacedFix(key: string, suffix: string, place: Place, kind: string): string {
  if (place === 'service') return `move ${key} to the backend Service.`;
  if (place === 'ingress') {
    if (kind === 'HTTPRoute' && suffix === 'rewrite') return `remove it and rewrite the path with a URLRewrite filter in the HTTPRoute rule, which KIC translates.`;
    if (kind === 'HTTPRoute' && suffix === 'regex-prefix') return `remove it and match regexes with a RegularExpression path match, which needs no prefix.`;
    return `move ${key} to the Ingress that routes to this Service.`;
  }
  // The Service's own annotation is konghq.com/protocol (singular): the protocol Kong speaks to it (KIC #2116).
  if (kind === 'Service' && suffix === 'protocols') return `for the protocol Kong speaks to this Service, use ${PREFIX}protocol (singular); for the protocols the routes accept, move ${key} to the Ingress or HTTPRoute.`;
  return `move ${key} to the Ingress or HTTPRoute that routes to this Service.`;
}

export const unknownKongAnnotation: Rule = {
  id: 'unknown-kong-annotation',
  severity: 'warn',
  summary: 'A konghq.com/ annotation KIC does not know, or does not read on this kind.',
  explanation:
    'KIC ignores konghq.com/ annotations it does not know, silently: a typo such as konghq.com/strip_path or konghq.com/plugin leaves the route ' +
    'with Kong\'s defaults or without its plugins. Some annotations are read from one kind only: timeouts, retries, protocol, path and ' +
    'host-header from the backend Service, route options such as strip-path and methods from the Ingress or HTTPRoute; put elsewhere they have ' +
    'no effect. A warning, with the closest known annotation as a suggestion.',
  kinds: ['Ingress', 'Service', 'HTTPRoute'],
  examples: {
    bad: webExample(['konghq.com/strip_path: "true"']),
    good: webExample(['konghq.com/strip-path: "true"']),
  },
  check(ctx, subject) {
    if (!judged(ctx, subject)) return [];
    return kongAnnotations(subject).flatMap(([key]): Draft[] => {
      const suffix = key.slice(PREFIX.length);
      const place: Place | undefined = suffix.startsWith(HEADERS) && suffix.length > HEADERS.length ? 'route' : KNOWN[suffix];
      if (suffix === 'headers-separator' && !kicAtLeast(ctx.tr.config, '3.2') && readHere('route', subject.kind)) {
        return [
          {
            field: field(key),
            discriminator: key,
            related: [],
            message: `${name(subject)} sets ${key}, which KIC reads from 3.2 on; KIC ${ctx.tr.config.kicVersion} ignores it and splits ${PREFIX}${HEADERS}* values on commas.`,
            fix: `separate header values with commas, or upgrade KIC to 3.2 or later.`,
          },
        ];
      }
      if (place && readHere(place, subject.kind)) return [];
      if (place) {
        const where = PLACE_TEXT[place as keyof typeof PLACE_TEXT];
        return [
          {
            field: field(key),
            discriminator: key,
            related: [],
            message: `${name(subject)} sets ${key}, which KIC reads only from ${where}: here it has no effect.`,
            fix: misplacedFix(key, suffix, place, subject.kind),
          },
        ];
      }
      const guess = suggestion(suffix);
      return [
        {
          field: field(key),
          discriminator: key,
          related: [],
          message: `${name(subject)} sets ${key}, which KIC does not know${guess ? ` (did you mean "${PREFIX}${guess}"?)` : ''}; KIC ignores it.`,
          fix: guess ? `rename it to ${PREFIX}${guess}, or remove it.` : `remove it, or correct the name.`,
        },
      ];
    });
  },
};

export const ANNOTATION_RULES: Rule[] = [invalidKongAnnotation, unknownKongAnnotation];
