// Matching of an expression route (router_flavor = expressions), reported per top-level conjunct: the
// first conjunct that is false is the reason, named by the fields it reads. Kong appends the protocol
// predicate to the route's expression (expressions.lua `get_expression`), which we check the same way.
import { conjuncts, evaluate, ExpressionError, type Expr, fieldsOf, fieldValues, parseExpression } from './expression.ts';
import { type Failure, type FailureCode, type FailureGroup, quote } from './failure.ts';
import type { RouterRequest } from './request.ts';
import type { RoutePart } from './route.ts';
import { protocolFailure, type PartMatch } from './traditional-match.ts';

const parsed = new Map<string, Expr | ExpressionError>();

function parse(source: string): Expr | ExpressionError {
  let found = parsed.get(source);
  if (!found) {
    try {
      found = parseExpression(source);
    } catch (error) {
      found = error instanceof ExpressionError ? error : new ExpressionError(String(error));
    }
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(source, found);
  }
  return found;
}

function groupOf(field: string): FailureGroup {
  if (field === 'http.host' || field === 'net.dst.port' || field === 'net.port') return 'host';
  if (field === 'http.path') return 'path';
  if (field === 'http.method') return 'method';
  if (field === 'tls.sni') return 'sni';
  if (field === 'net.protocol') return 'protocol';
  if (field.startsWith('http.headers.')) return 'header';
  if (field.startsWith('http.queries.')) return 'query';
  return 'expression';
}

function ops(expr: Expr): Set<string> {
  if (expr.type === 'predicate') return new Set([expr.op]);
  if (expr.type === 'not') return ops(expr.inner);
  return new Set([...ops(expr.left), ...ops(expr.right)]);
}

function describe(conjunct: Expr, req: RouterRequest): Failure {
  const fields = [...fieldsOf(conjunct)];
  const groups = new Set(fields.map(groupOf));
  const group: FailureGroup = groups.size === 1 ? [...groups][0]! : 'expression';
  const shown = fields.map((f) => `${f} is ${fieldValues(f, req)?.map((v) => quote(String(v))).join(', ') ?? '(absent)'}`).join('; ');
  let code: FailureCode = 'expression-false';
  let extra = '';
  const o = ops(conjunct);
  if (group === 'host') code = 'host-mismatch';
  else if (group === 'method') code = 'method-mismatch';
  else if (group === 'protocol') code = 'protocol-mismatch';
  else if (group === 'path') code = o.has('~') ? 'path-regex' : o.has('==') && o.has('^=') ? 'path-kic-prefix' : o.has('==') ? 'path-kic-exact' : 'path-not-prefix';
  else if (group === 'sni') {
    code = req.sni === undefined ? 'sni-missing' : 'sni-mismatch';
    if (req.scheme !== 'https') extra = ' (a plain-HTTP request has no SNI, so it can never satisfy tls.sni)';
  } else if (group === 'header' || group === 'query') {
    const absent = fields.some((f) => fieldValues(f, req) === undefined);
    code = absent ? (group === 'header' ? 'header-missing' : 'query-missing') : group === 'header' ? 'header-mismatch' : 'query-mismatch';
    if (!absent) extra = ' (case-sensitive unless lower(); without any() every value sent must satisfy it)';
  }
  return { group, code, message: `${conjunct.text} is false: ${shown}${extra}` };
}

/** Whether every conjunct holds (as matchExpressionPart finds, without describing the ones that do not). */
export function expressionPartMatches(part: RoutePart, req: RouterRequest): boolean {
  const expr = parse(part.route.expression ?? '');
  return !(expr instanceof ExpressionError) && evaluate(expr, req) === true && !protocolFailure(part.route.protocols, req);
}

export function matchExpressionPart(part: RoutePart, req: RouterRequest): PartMatch {
  const expr = parse(part.route.expression ?? '');
  if (expr instanceof ExpressionError) {
    return { failures: [{ group: 'expression', code: 'unevaluable', message: `expression not evaluated: ${expr.message}` }], passed: 0 };
  }
  const failures: Failure[] = [];
  let passed = 0;
  for (const conjunct of conjuncts(expr)) {
    const truth = evaluate(conjunct, req);
    if (truth === true) passed++;
    else if (truth === false) failures.push(describe(conjunct, req));
    else failures.push({ group: describe(conjunct, req).group, code: 'unevaluable', message: `${conjunct.text} not evaluated: ${truth.unevaluable}` });
  }
  const protocol = protocolFailure(part.route.protocols, req);
  if (protocol) failures.push(protocol);
  return { failures, passed };
}
