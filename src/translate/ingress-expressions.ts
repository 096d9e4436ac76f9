// Ingress -> Kong expression routes, as KIC 3.5 builds them when Kong runs `router_flavor = expressions`
// (subtranslator/ingress_atc.go `translateIntoKongExpressionRoute`, `calculateIngressRoutePriorityTraits`;
// the matcher text as the atc package renders it: every operand of a multi-operand && or || in parentheses).
// The routes keep the traditional names; hosts, paths, methods, headers and SNIs live in the expression, and
// the annotations KIC folds into it are not applied again (kongstate/route.go skips them in this mode).
import { ingressExpressionPriority } from '../router/kic-priority.ts';
import type { IngressPath } from '../model/views.ts';
import { and, headerField, hostMatcher, methodMatcher, or, render, sniMatcher, str, type Matcher } from './atc.ts';
import { annotationHeaders, commaList, flattenSlashes } from './route-fields.ts';

/** `pathMatcherFromIngressPath` on a path KIC already flattened (and defaulted to `/`). */
function pathMatcher(pathType: string, path: string, regexPrefix: string): Matcher {
  if (pathType === 'Prefix') {
    const base = path.replace(/^\/+|\/+$/g, '');
    return base === '' ? `http.path ^= ${str('/')}` : or(`http.path == ${str(`/${base}`)}`, `http.path ^= ${str(`/${base}/`)}`);
  }
  if (pathType === 'Exact') return `http.path == ${str(`/${path.replace(/^\/+/, '')}`)}`;
  if (path === '') return `http.path ^= ${str('/')}`;
  if (regexPrefix !== '' && path.startsWith(regexPrefix)) {
    const regex = path.slice(regexPrefix.length) || '^/';
    return `http.path ~ ${str(regex.startsWith('^') ? regex : `^${regex}`)}`;
  }
  return `http.path ^= ${str(path)}`;
}

/** The path length KIC counts for the priority (bytes, as Go's len). */
function pathLength(pathType: string, path: string, regexPrefix: string): { length: number; regex: boolean } {
  const bytes = (s: string) => Buffer.byteLength(s);
  if (pathType === 'Exact') return { length: 1 + bytes(path.replace(/^\/+/, '')), regex: true };
  if (pathType === 'Prefix') {
    const base = path.replace(/^\/+|\/+$/g, '');
    return { length: base === '' ? 1 : 2 + bytes(base), regex: true };
  }
  if (regexPrefix !== '' && path.startsWith(regexPrefix)) return { length: bytes(path.slice(regexPrefix.length)), regex: true };
  return { length: bytes(path), regex: false };
}

export interface IngressExpression {
  expression: string;
  priority: number;
}

/** The expression and priority of one Ingress route: its rule host, its paths and the Ingress's annotations. */
export function ingressExpression(host: string, paths: readonly IngressPath[], annotations: Readonly<Record<string, string>>): IngressExpression {
  // ingress_atc.go: an empty konghq.com/regex-prefix falls back to /~ here, where the traditional translation keeps it (ingress.go).
  const regexPrefix = annotations['konghq.com/regex-prefix'] || '/~';
  const flat = paths.map((p) => ({ type: p.pathType, path: flattenSlashes(p.path) || '/' }));
  const aliasesValue = annotations['konghq.com/host-aliases'];
  const hosts = [...(host ? [host] : []), ...(aliasesValue ? commaList(aliasesValue) : [])];
  const headers = annotationHeaders(annotations);
  const methods = commaList(annotations['konghq.com/methods'], (m) => m.toUpperCase());
  const snisValue = annotations['konghq.com/snis'];
  const snis = snisValue === undefined ? [] : commaList(snisValue);

  const headerNames = Object.keys(headers ?? {}).sort();
  const headerMatcher = and(
    ...headerNames.flatMap((name) => {
      const field = headerField(name);
      if (field === 'http.headers.host') return []; // KIC matches the host on http.host
      return [or(...headers![name]!.map((v) => (v.startsWith('~*') ? `${field} ~ ${str(v.slice(2))}` : `${field} == ${str(v)}`)))];
    }),
  );
  const matcher = and(
    hosts.length ? hostMatcher(hosts) : '',
    or(...flat.map((p) => pathMatcher(p.type, p.path, regexPrefix))),
    headerMatcher,
    methodMatcher(methods),
    sniMatcher(snis),
  );

  const lengths = flat.map((p) => pathLength(p.type, p.path, regexPrefix));
  const priority = ingressExpressionPriority({
    matchFields: (flat.length ? 1 : 0) + (hosts.length ? 1 : 0) + (headers ? 1 : 0) + (methods.length ? 1 : 0) + (snis.length ? 1 : 0),
    headerCount: headerNames.length,
    plainHostsOnly: hosts.length > 0 && !hosts.some((h) => h.startsWith('*')),
    hasRegexPath: lengths.some((l) => l.regex),
    maxPathLength: Math.max(0, ...lengths.map((l) => l.length)),
  });
  return { expression: render(matcher), priority: Number(priority) };
}

/** translate_ingress.go `translateIngressDefaultBackendRoute` with expressions: every path, priority 0. */
export const DEFAULT_BACKEND_EXPRESSION: IngressExpression = { expression: `http.path ^= ${str('/')}`, priority: 0 };
