// Ingress -> Kong expression routes, as KIC 3.5 builds them when Kong runs `router_flavor = expressions`
// (subtranslator/ingress_atc.go `translateIntoKongExpressionRoute`, `calculateIngressRoutePriorityTraits`;
// the matcher text as the atc package renders it: every operand of a multi-operand && or || in parentheses).
// The routes keep the traditional names; hosts, paths, methods, headers and SNIs live in the expression, and
// the annotations KIC folds into it are not applied again (kongstate/route.go skips them in this mode).
import { ingressExpressionPriority } from '../router/kic-priority.ts';
import type { IngressPath } from '../model/views.ts';
import { annotationHeaders, commaList, flattenSlashes, VALID_HOST, VALID_METHOD, VALID_SNI } from './route-fields.ts';

type Matcher = string | { op: '&&' | '||'; parts: Matcher[] };

const isEmpty = (m: Matcher): boolean => (typeof m === 'string' ? m === '' : m.parts.every(isEmpty));
const and = (...parts: Matcher[]): Matcher => ({ op: '&&', parts: parts.filter((p) => !isEmpty(p)) });
const or = (...parts: Matcher[]): Matcher => ({ op: '||', parts: parts.filter((p) => !isEmpty(p)) });

/** atc `StringLiteral.String`: backslash, quote, newline, return and tab escaped. */
function str(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export function render(m: Matcher): string {
  if (typeof m === 'string') return m;
  if (m.parts.length === 0) return '';
  if (m.parts.length === 1) return render(m.parts[0]!);
  return m.parts.map((p) => `(${render(p)})`).join(` ${m.op} `);
}

/** atc_utils.go `hostMatcherFromHosts`: `*.x` a suffix match on `.x`, anything else exact. */
function hostMatcher(hosts: readonly string[]): Matcher {
  return or(...hosts.filter((h) => VALID_HOST.test(h)).map((h) => (h.startsWith('*') ? `http.host =^ ${str(h.slice(1))}` : `http.host == ${str(h)}`)));
}

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
      const field = name.toLowerCase().replace(/-/g, '_');
      if (field === 'host') return []; // KIC matches the host on http.host
      return [or(...headers![name]!.map((v) => (v.startsWith('~*') ? `http.headers.${field} ~ ${str(v.slice(2))}` : `http.headers.${field} == ${str(v)}`)))];
    }),
  );
  const matcher = and(
    hosts.length ? hostMatcher(hosts) : '',
    or(...flat.map((p) => pathMatcher(p.type, p.path, regexPrefix))),
    headerMatcher,
    or(...methods.filter((m) => VALID_METHOD.test(m)).map((m) => `http.method == ${str(m)}`)),
    or(...snis.filter((s) => VALID_SNI.test(s)).map((s) => `tls.sni == ${str(s)}`)),
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
