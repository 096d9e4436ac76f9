// Why a route part does not serve a request: the first predicate group that fails, in the order Kong's
// generated expression ANDs them (transform.lua `get_expression`: snis, methods, hosts, paths, headers; the
// expressions flavour appends protocols). Groups and codes follow router.md §8.2.

export type FailureGroup = 'sni' | 'method' | 'host' | 'path' | 'header' | 'protocol' | 'query' | 'expression';

export type FailureCode =
  | 'sni-mismatch'
  | 'sni-missing'
  | 'method-mismatch'
  | 'host-missing'
  | 'host-mismatch'
  | 'host-case'
  | 'host-port-mismatch'
  | 'host-wildcard-bare'
  | 'path-not-prefix'
  | 'path-kic-prefix'
  | 'path-kic-exact'
  | 'path-regex'
  | 'header-missing'
  | 'header-mismatch'
  | 'protocol-mismatch'
  | 'query-missing'
  | 'query-mismatch'
  | 'expression-false'
  /** A regex or expression Kong would run but this tool cannot (or Kong itself would reject): not judged. */
  | 'unevaluable';

export interface Failure {
  readonly group: FailureGroup;
  readonly code: FailureCode;
  /** One sentence, true to Kong's behaviour, naming the request value and the route's. */
  readonly message: string;
}

/** Whether a failure means "does not match" (false) or "cannot tell" (unevaluable). */
export function isUnevaluable(failure: Failure): boolean {
  return failure.code === 'unevaluable';
}

export function quote(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

export function list(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}
