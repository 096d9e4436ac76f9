// The fields of a Kong route as KIC 3.5 sets them with the traditional_compatible router: the path forms of each
// Ingress pathType and HTTPRoute match type, and the konghq.com/* route annotations applied on top of every route
// KIC builds (kongstate/route.go `overrideByAnnotation`, run for all routes by kongstate.go `FillOverrides`,
// then `normalizeProtocols`). Pure string work, no state: the translator calls it per route.
import type { KongRoute } from './kong.ts';
import { legacyRegexPath } from '../model/ingress-class-parameters.ts';
import { setOwn } from '../model/object.ts';

/** KIC's ControllerPathRegexPrefix: an ImplementationSpecific path starting with it is a regex. */
export const CONTROLLER_REGEX_PREFIX = '/~';
export const REGEX_PREFIX_ANNOTATION = 'konghq.com/regex-prefix';

/** extractCommaDelimitedStrings (internal/annotations): split at commas, trim, drop empty entries. */
export function commaList(value: string | undefined, sanitize: (s: string) => string = (s) => s): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map(sanitize);
}

/** subtranslator/ingress.go `flattenMultipleSlashes`: every run of `/` becomes one. */
export function flattenSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/**
 * subtranslator/ingress.go `PathsFromIngressPaths` after `Add` flattened the slashes and defaulted an empty path to
 * `/`: plain paths first, then regex paths. Then `MaybePrependRegexPrefix` on each: a path starting with the regex
 * prefix (`/~`, or the Ingress's konghq.com/regex-prefix) has that prefix replaced by Kong's `~`; otherwise, with
 * IngressClassParameters' enableLegacyRegexDetection (`legacyRegex`), one with a character outside Kong 2.x's plain
 * path set (letters, digits, `.-_~/%`) gets Kong's `~` in front.
 */
export function ingressKongPaths(pathType: string, rawPath: string, regexPrefix = CONTROLLER_REGEX_PREFIX, legacyRegex = false): string[] {
  const path = flattenSlashes(rawPath) || '/';
  const plain: string[] = [];
  const regex: string[] = [];
  switch (pathType) {
    case 'Prefix': {
      const base = path.replace(/^\/+|\/+$/g, '');
      if (base === '') plain.push('/');
      else {
        plain.push(`/${base}/`);
        regex.push(`~/${base}$`);
      }
      break;
    }
    case 'Exact':
      regex.push(`~/${path.replace(/^\/+/, '')}$`);
      break;
    default: // ImplementationSpecific (the default pathType)
      plain.push(path);
  }
  return [...plain, ...regex].map((p) => (p.startsWith(regexPrefix) ? `~${p.slice(regexPrefix.length)}` : legacyRegex && legacyRegexPath(p) ? `~${p}` : p));
}

/** KIC's normalizePath for HTTPRoute paths: "" and "/" are the root, other paths lose one trailing slash. */
export function normalizeRoutePath(path: string): string {
  return path === '' || path === '/' ? '/' : path.replace(/\/$/, '');
}

/** subtranslator/httproute.go `generateKongRoutePathFromHTTPRouteMatch`: the value is kept as written (no trimming). */
export function httpRouteKongPaths(type: string, value: string): string[] {
  if (type === 'Exact') return [`~${value}$`];
  if (type === 'RegularExpression') return [`~${value}`];
  return [`~${value}$`, value.endsWith('/') ? value : `${value}/`];
}

// kongstate/route.go validators (ingress_atc.go has the same)
export const VALID_METHOD = /^[A-Z]+$/;
const VALID_PATH_HANDLING = /v\d/;
export const VALID_SNI = /^([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)+(\.([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*))*$/;
export const VALID_HOST = /^(\*\.)?([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)+(\.([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*))*?(\.\*)?$/;
/** internal/util/protocol.go `ValidateProtocol`. */
const VALID_PROTOCOLS = ['', 'http', 'https', 'grpc', 'grpcs', 'ws', 'wss', 'tls', 'tcp', 'tls_passthrough'];

const A = (key: string) => `konghq.com/${key}`;

/** "true"/"false" in any case, else no override (overrideStripPath, overridePreserveHost). */
function strictBool(value: string | undefined): boolean | undefined {
  const v = value?.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Go's strconv.ParseBool, as overrideRequestBuffering reads the lower-cased value. */
function goBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['1', 't', 'true'].includes(v)) return true;
  if (['0', 'f', 'false'].includes(v)) return false;
  return undefined;
}

/** Go's strconv.Atoi: an optional sign and decimal digits, within 64 bits. */
function goAtoi(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The konghq.com/headers.<name> annotations (ExtractHeaders): values split at konghq.com/headers-separator, else ",". */
export function annotationHeaders(annotations: Readonly<Record<string, string>>): Record<string, string[]> | undefined {
  const separator = annotations[A('headers-separator')] ?? ',';
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(A('headers.'))) continue;
    const name = key.slice(A('headers.').length);
    if (name === '' || value === '') continue;
    setOwn(out, name, (separator === '' ? [...value] : value.split(separator)).map((v) => v.trim()));
  }
  return Object.keys(out).length ? out : undefined;
}

/** `useSSLProtocol`: https (and grpcs when the route speaks gRPC) only. */
function sslProtocols(protocols: readonly string[] | undefined): string[] {
  const grpc = protocols?.some((p) => p.includes('grpc')) ?? false;
  const http = protocols?.some((p) => p.includes('http')) ?? false;
  const out: string[] = [];
  if (grpc) out.push('grpcs');
  if (http || !grpc) out.push('https');
  return out;
}

/**
 * `Route.Override`: `overrideByAnnotation` in KIC's order, then `normalizeProtocols` (traditional router only).
 * An annotation whose value KIC cannot read changes nothing (KIC logs and skips it); for methods, snis and
 * host-aliases one bad entry drops the whole annotation.
 */
export function applyRouteAnnotations(route: KongRoute, annotations: Readonly<Record<string, string>> = {}, expressions = false): KongRoute {
  const r: KongRoute = { ...route };
  const strip = strictBool(annotations[A('strip-path')]);
  if (strip !== undefined) r.strip_path = strip;
  if (annotations['ingress.kubernetes.io/force-ssl-redirect'] === 'true') {
    r.https_redirect_status_code = 302;
    r.protocols = sslProtocols(r.protocols);
  }
  const code = goAtoi(annotations[A('https-redirect-status-code')] ?? '');
  if (code !== undefined && [426, 301, 302, 307, 308].includes(code)) r.https_redirect_status_code = code;
  const preserve = strictBool(annotations[A('preserve-host')]);
  if (preserve !== undefined) r.preserve_host = preserve;
  for (const [key, field] of [
    ['request-buffering', 'request_buffering'],
    ['response-buffering', 'response_buffering'],
  ] as const) {
    const value = annotations[A(key)];
    const parsed = value === undefined ? undefined : goBool(value);
    if (parsed !== undefined) r[field] = parsed;
  }
  const protocols = commaList(annotations[A('protocols')]);
  if (protocols.length && protocols.every((p) => VALID_PROTOCOLS.includes(p))) r.protocols = protocols;
  // With expression routes, KIC skips the rest (the translator put them in the expression) and normalizeProtocols.
  if (expressions) return r;
  const priority = goAtoi(annotations[A('regex-priority')] ?? '');
  if (priority !== undefined) r.regex_priority = priority;
  const methods = commaList(annotations[A('methods')], (m) => m.toUpperCase());
  if (methods.length && methods.every((m) => VALID_METHOD.test(m))) r.methods = methods;
  const snisValue = annotations[A('snis')];
  if (snisValue !== undefined) {
    const snis = commaList(snisValue);
    if (snis.every((s) => VALID_SNI.test(s))) r.snis = snis; // an empty value clears the SNIs
  }
  const aliasesValue = annotations[A('host-aliases')];
  if (aliasesValue) {
    const aliases = commaList(aliasesValue);
    if (aliases.every((h) => VALID_HOST.test(h))) r.hosts = [...new Set([...r.hosts, ...aliases])];
  }
  const headers = annotationHeaders(annotations);
  if (headers) r.headers = headers; // replaces the route's own header matches (an HTTPRoute's too)
  const pathHandling = annotations[A('path-handling')];
  if (pathHandling !== undefined && VALID_PATH_HANDLING.test(pathHandling)) r.path_handling = pathHandling;
  return normaliseProtocols(r);
}

/** `normalizeProtocols`: a gRPC protocol mixed with an HTTP (or unknown) one becomes [http, https]; gRPC routes take no strip_path. */
function normaliseProtocols(r: KongRoute): KongRoute {
  const protocols = r.protocols ?? [];
  const grpc = protocols.some((p) => p.includes('grpc'));
  const http = protocols.some((p) => p.includes('http') || !VALID_PROTOCOLS.includes(p));
  if (grpc && http) r.protocols = ['http', 'https'];
  if (grpc) delete r.strip_path;
  return r;
}

/**
 * internal/util/hostname.go `HostnamesMatch`: whether `host` is covered by `mask`, where a `*` label of the mask
 * stands for one or more labels.
 */
export function hostnameCovers(mask: string, host: string): boolean {
  const a = mask.split('.');
  const b = host.split('.');
  let i = 0;
  let j = 0;
  let wildcard = false;
  for (; i < a.length && j < b.length; i++, j++) {
    if (wildcard) {
      while (j < b.length && a[i] !== b[j]) j++;
      if (j === b.length) return false;
    }
    if (a[i] === '*') {
      wildcard = true;
      continue;
    }
    wildcard = false;
    if (a[i] !== b[j]) return false;
  }
  return b.length - j === a.length - i;
}
