// KIC's ATC matcher builder (internal/dataplane/translator/atc), as far as its expression routes need it: predicates
// as text, && and || that drop empty operands and put every operand of a multi-operand group in parentheses, and
// string literals with KIC's escapes. The text is what KIC sends; the router (src/router) parses it.
import { VALID_HOST, VALID_METHOD, VALID_SNI } from './route-fields.ts';

export type Matcher = string | { op: '&&' | '||'; parts: Matcher[] };

const isEmpty = (m: Matcher): boolean => (typeof m === 'string' ? m === '' : m.parts.every(isEmpty));
export const and = (...parts: Matcher[]): Matcher => ({ op: '&&', parts: parts.filter((p) => !isEmpty(p)) });
export const or = (...parts: Matcher[]): Matcher => ({ op: '||', parts: parts.filter((p) => !isEmpty(p)) });

/** atc `StringLiteral.String`: backslash, quote, newline, return and tab escaped. */
export function str(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export function render(m: Matcher): string {
  if (typeof m === 'string') return m;
  if (m.parts.length === 0) return '';
  if (m.parts.length === 1) return render(m.parts[0]!);
  return m.parts.map((p) => `(${render(p)})`).join(` ${m.op} `);
}

/** atc_utils.go `hostMatcherFromHosts`: `*.x` a suffix match on `.x`, anything else exact; invalid hosts dropped. */
export function hostMatcher(hosts: readonly string[]): Matcher {
  return or(...hosts.filter((h) => VALID_HOST.test(h)).map((h) => (h.startsWith('*') ? `http.host =^ ${str(h.slice(1))}` : `http.host == ${str(h)}`)));
}

/** ingress_atc.go `methodMatcherFromMethods`. */
export function methodMatcher(methods: readonly string[]): Matcher {
  return or(...methods.filter((m) => VALID_METHOD.test(m)).map((m) => `http.method == ${str(m)}`));
}

/** ingress_atc.go `sniMatcherFromSNIs`. */
export function sniMatcher(snis: readonly string[]): Matcher {
  return or(...snis.filter((s) => VALID_SNI.test(s)).map((s) => `tls.sni == ${str(s)}`));
}

/** The header field KIC matches (`X-Team` -> `http.headers.x_team`). */
export function headerField(name: string): string {
  return `http.headers.${name.toLowerCase().replace(/-/g, '_')}`;
}
