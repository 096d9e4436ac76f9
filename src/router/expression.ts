// ATC expressions (router_flavor = expressions): parsed and evaluated as atc-router does
// (Kong/atc-router src/parser.rs, src/interpreter.rs):
// - `a && b`, `a || b`, parentheses, `!(…)`; `||` binds TIGHTER than `&&` (parser.rs registers the Pratt
//   operators and-then-or, in increasing precedence; ast.rs tests: `a && b || c` is `a && (b || c)`, and
//   `a || b && c || d` is `(a || b) && (c || d)`), the reverse of most languages;
// - predicates `lhs op rhs`; lhs a field, optionally wrapped in `lower(…)` and/or `any(…)`;
// - ops `==`, `!=`, `~` (Rust regex, unanchored `is_match`), `^=` (prefix), `=^` (suffix), `contains`,
//   integer `<`, `<=`, `>`, `>=`; `in`/`not in` (CIDR) are not evaluated here;
// - a field the request does not have makes the predicate false;
// - a field with several values (headers, queries) must satisfy the predicate with EVERY value, unless
//   wrapped in `any(…)`, which needs one (so KIC's `http.headers.x == "v"` fails when x is sent twice with
//   different values).
// Strings are `"…"` with backslash escapes or raw `r#"…"#`.
import type { RouterRequest } from './request.ts';
import { compileRustRegex } from './rust-regex.ts';

export type Expr =
  | { readonly type: 'and' | 'or'; readonly left: Expr; readonly right: Expr; readonly text: string }
  | { readonly type: 'not'; readonly inner: Expr; readonly text: string }
  | { readonly type: 'predicate'; readonly field: string; readonly lower: boolean; readonly any: boolean; readonly op: string; readonly value: string | number; readonly text: string };

export class ExpressionError extends Error {}

const OPS = ['==', '!=', '^=', '=^', '>=', '<=', '~', '>', '<', 'contains', 'not in', 'in'];
/** `not in` may have any whitespace between its words. */
const NOT_IN = /^not\s+in/;

export function parseExpression(source: string): Expr {
  let pos = 0;
  const ws = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const peek = (s: string) => {
    ws();
    return source.startsWith(s, pos);
  };
  const expect = (s: string) => {
    if (!peek(s)) throw new ExpressionError(`expected ${JSON.stringify(s)} at ${pos} in ${JSON.stringify(source)}`);
    pos += s.length;
  };
  // `a || b` and `a && b` are left-associative chains of the next tighter level.
  const chain = (token: '||' | '&&', type: 'or' | 'and', operand: () => Expr): Expr => {
    const start = pos;
    let left = operand();
    while (peek(token)) {
      pos += token.length;
      const right = operand();
      left = { type, left, right, text: source.slice(start, pos).trim() };
    }
    return left;
  };
  const and = (): Expr => chain('&&', 'and', or);
  const or = (): Expr => chain('||', 'or', term);
  const term = (): Expr => {
    ws();
    const start = pos;
    if (peek('!')) {
      pos += 1;
      expect('(');
      const inner = and();
      expect(')');
      return { type: 'not', inner, text: source.slice(start, pos) };
    }
    if (peek('(')) {
      pos += 1;
      const inner = and();
      expect(')');
      return inner;
    }
    return predicate();
  };
  const lhs = (): { field: string; lower: boolean; any: boolean } => {
    ws();
    const m = /^[A-Za-z][A-Za-z0-9_.]*/.exec(source.slice(pos));
    if (!m) throw new ExpressionError(`expected a field at ${pos} in ${JSON.stringify(source)}`);
    pos += m[0].length;
    if ((m[0] === 'lower' || m[0] === 'any') && peek('(')) {
      pos += 1;
      const inner = lhs();
      expect(')');
      return m[0] === 'lower' ? { ...inner, lower: true } : { ...inner, any: true };
    }
    return { field: m[0], lower: false, any: false };
  };
  const rhs = (): string | number => {
    ws();
    const raw = /^r(#+)"/.exec(source.slice(pos));
    if (raw) {
      const close = `"${raw[1]}`;
      const end = source.indexOf(close, pos + raw[0].length);
      if (end < 0) throw new ExpressionError('unterminated raw string');
      const value = source.slice(pos + raw[0].length, end);
      pos = end + close.length;
      return value;
    }
    if (source[pos] === '"') {
      let value = '';
      pos++;
      while (pos < source.length && source[pos] !== '"') {
        if (source[pos] === '\\') {
          const e = source[pos + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
          pos += 2;
        } else value += source[pos++];
      }
      if (source[pos] !== '"') throw new ExpressionError('unterminated string');
      pos++;
      return value;
    }
    const ip = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]+)(\/\d+)?/.exec(source.slice(pos));
    if (ip) {
      pos += ip[0].length;
      return ip[0]; // an IP or CIDR, for `in` / `not in`, which are not evaluated here
    }
    // Integers: decimal, 0x hexadecimal, 0-prefixed octal (atc_grammar.pest `int_literal`).
    const n = /^(-?)(0x[0-9A-Fa-f]+|0[0-7]+|\d+)/.exec(source.slice(pos));
    if (n) {
      pos += n[0].length;
      const digits = n[2]!;
      const value = digits.startsWith('0x') ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
      return n[1] ? -value : value;
    }
    throw new ExpressionError(`expected a value at ${pos} in ${JSON.stringify(source)}`);
  };
  const predicate = (): Expr => {
    ws();
    const start = pos;
    const left = lhs();
    ws();
    const notIn = NOT_IN.exec(source.slice(pos));
    const op = notIn ? 'not in' : OPS.find((o) => source.startsWith(o, pos));
    if (!op) throw new ExpressionError(`expected an operator at ${pos} in ${JSON.stringify(source)}`);
    pos += notIn ? notIn[0].length : op.length;
    const value = rhs();
    return { type: 'predicate', ...left, op, value, text: source.slice(start, pos) };
  };
  const expr = and();
  ws();
  if (pos !== source.length) throw new ExpressionError(`unexpected ${JSON.stringify(source.slice(pos))} in ${JSON.stringify(source)}`);
  return expr;
}

/** The values of a field for this request; undefined when the request has no such field. */
export function fieldValues(field: string, req: RouterRequest): readonly (string | number)[] | undefined {
  switch (field) {
    case 'net.protocol':
      return [req.scheme];
    case 'tls.sni':
      return req.sni === undefined ? undefined : [req.sni];
    case 'http.method':
      return [req.method];
    case 'http.host':
      return req.host === undefined ? undefined : [req.host];
    case 'http.path':
      return [req.path];
    case 'net.dst.port':
    case 'net.port':
      return [req.port];
  }
  if (field.startsWith('http.path.segments.')) return segmentValues(field.slice('http.path.segments.'.length), req.path);
  if (field.startsWith('http.headers.')) return req.headers.get(field.slice('http.headers.'.length));
  if (field.startsWith('http.queries.')) return req.queries.get(field.slice('http.queries.'.length));
  return undefined;
}

/**
 * `http.path.segments.<n>`, `.<n>_<m>` and `.len` (kong/router/fields.lua `get_http_segments` and the segment
 * accessors): the path after its leading `/` split at every `/` (ngx.re.split, which drops trailing empty
 * fields, so `/foo/` has one segment); `<n>` is 0-based; `<n>_<m>` joins segments n…m with `/` and exists only
 * when n < m and both are in range; anything else is absent.
 */
function segmentValues(range: string, path: string): readonly (string | number)[] | undefined {
  const segments = path.length > 1 ? path.slice(1).split('/') : [];
  while (segments.length && segments[segments.length - 1] === '') segments.pop();
  if (range === 'len') return [segments.length];
  const single = /^\d+$/.exec(range);
  if (single) {
    const value = segments[Number(range)];
    return value === undefined ? undefined : [value];
  }
  const pair = /^(\d+)_(\d+)$/.exec(range);
  if (!pair) return undefined;
  const [from, to] = [Number(pair[1]), Number(pair[2])];
  const last = segments.length - 1;
  if (from >= to || from > last || to > last) return undefined;
  return [segments.slice(from, to + 1).join('/')];
}

/** Evaluation result: true, false, or unevaluable (a regex or operator we cannot run) with why. */
export type Truth = boolean | { readonly unevaluable: string };

function predicateTruth(p: Extract<Expr, { type: 'predicate' }>, req: RouterRequest): Truth {
  const values = fieldValues(p.field, req);
  if (values === undefined || values.length === 0) return false;
  let test: (v: string | number) => boolean;
  const rhs = p.value;
  switch (p.op) {
    case '==':
      test = (v) => v === rhs;
      break;
    case '!=':
      test = (v) => v !== rhs;
      break;
    case '^=':
      test = (v) => typeof v === 'string' && v.startsWith(String(rhs));
      break;
    case '=^':
      test = (v) => typeof v === 'string' && v.endsWith(String(rhs));
      break;
    case 'contains':
      test = (v) => typeof v === 'string' && v.includes(String(rhs));
      break;
    case '~': {
      const compiled = compileRustRegex(String(rhs));
      if (!compiled.ok) return { unevaluable: compiled.reason };
      test = (v) => typeof v === 'string' && compiled.regex.test(v);
      break;
    }
    case '>':
    case '>=':
    case '<':
    case '<=':
      test = (v) =>
        typeof v === 'number' && typeof rhs === 'number' && (p.op === '>' ? v > rhs : p.op === '>=' ? v >= rhs : p.op === '<' ? v < rhs : v <= rhs);
      break;
    default:
      return { unevaluable: `operator ${p.op} is not evaluated here` };
  }
  const lowered = values.map((v) => (p.lower && typeof v === 'string' ? v.toLowerCase() : v));
  return p.any ? lowered.some(test) : lowered.every(test);
}

export function evaluate(expr: Expr, req: RouterRequest): Truth {
  switch (expr.type) {
    case 'predicate':
      return predicateTruth(expr, req);
    case 'not': {
      const inner = evaluate(expr.inner, req);
      return typeof inner === 'boolean' ? !inner : inner;
    }
    case 'and': {
      const left = evaluate(expr.left, req);
      if (left === false) return false;
      const right = evaluate(expr.right, req);
      if (right === false) return false;
      return left === true ? right : left;
    }
    case 'or': {
      const left = evaluate(expr.left, req);
      if (left === true) return true;
      const right = evaluate(expr.right, req);
      if (right === true) return true;
      return left === false ? right : left;
    }
  }
}

/** The top-level conjuncts of an expression, in order: the units a failure is reported in. */
export function conjuncts(expr: Expr): Expr[] {
  return expr.type === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

/** Every field an expression reads. */
export function fieldsOf(expr: Expr): Set<string> {
  if (expr.type === 'predicate') return new Set([expr.field]);
  if (expr.type === 'not') return fieldsOf(expr.inner);
  return new Set([...fieldsOf(expr.left), ...fieldsOf(expr.right)]);
}

/**
 * The exact Hosts (`http.host == "h"`, case kept) an expression requires one of, when it does: a conjunct that is
 * such a predicate or an `||` of them. Undefined when any Host may match (a suffix or prefix match, lower(), no host).
 */
export function requiredHosts(expr: Expr): string[] | undefined {
  if (expr.type === 'and') return requiredHosts(expr.left) ?? requiredHosts(expr.right);
  if (expr.type === 'or') {
    const [left, right] = [requiredHosts(expr.left), requiredHosts(expr.right)];
    return left && right ? [...left, ...right] : undefined;
  }
  return expr.type === 'predicate' && expr.field === 'http.host' && expr.op === '==' && !expr.lower && !expr.any && typeof expr.value === 'string' ? [expr.value] : undefined;
}
