// A short human description of what a change did, for "Caused by this change to ...".
import { PLUGINS_ANNOTATION } from '../model/annotations.ts';
import { LAST_APPLIED_ANNOTATION } from '../model/annotations.ts';
import { describe, refOf, type K8sObject } from '../model/object.ts';
import { redactSecret } from '../model/secret.ts';
import { pluginRefs } from '../model/views.ts';
import type { Change } from '../state/view.ts';
import { plainList } from '../rules/text.ts';

const IGNORED_TOP = new Set(['apiVersion', 'kind', 'metadata', 'status']);

function pluginNames(obj: K8sObject): string[] {
  return pluginRefs(obj).map((r) => (r.remote ? `${r.namespace}:${r.name}` : r.name));
}

/**
 * JSON equality (key order ignored), iterative: a change may nest deeper than the stack allows recursion
 * (JSON.stringify threw RangeError on an UPDATE whose spec nested 10,000 levels).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      // JSON.stringify drops undefined values and writes NaN as null; two absent values are equal.
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], ys[i]]);
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const xk = Object.keys(xo).filter((k) => xo[k] !== undefined);
    const yk = Object.keys(yo).filter((k) => yo[k] !== undefined);
    if (xk.length !== yk.length) return false;
    for (const k of xk) {
      if (!Object.hasOwn(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

/** A Secret's values, compared through redaction (either side may already be redacted: `check --state`). */
const SECRET_VALUES = new Set(['data', 'stringData', 'facts']);

/** `data.key changed`: field names only, compared by digest. */
function secretDifferences(before: K8sObject, after: K8sObject): string[] {
  const a = redactSecret(before).facts.fields;
  const b = redactSecret(after).facts.fields;
  const out: string[] = [];
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!b[field]) out.push(`data.${field} removed`);
    else if (!a[field]) out.push(`data.${field} added`);
    else if (a[field].digest !== b[field].digest) out.push(`data.${field} changed`);
  }
  return out;
}

function differences(before: K8sObject, after: K8sObject): string[] {
  const out: string[] = [];
  const oldPlugins = pluginNames(before);
  const newPlugins = pluginNames(after);
  const removed = oldPlugins.filter((p) => !newPlugins.includes(p));
  const added = newPlugins.filter((p) => !oldPlugins.includes(p));
  if (removed.length) out.push(`${PLUGINS_ANNOTATION} no longer names ${plainList(removed)}`);
  if (added.length) out.push(`${PLUGINS_ANNOTATION} now names ${plainList(added)}`);
  const oldAnn = before.metadata.annotations ?? {};
  const newAnn = after.metadata.annotations ?? {};
  for (const key of new Set([...Object.keys(oldAnn), ...Object.keys(newAnn)])) {
    if (key === PLUGINS_ANNOTATION || key === LAST_APPLIED_ANNOTATION || oldAnn[key] === newAnn[key]) continue;
    out.push(key in newAnn ? (key in oldAnn ? `${key} changed` : `${key} added`) : `${key} removed`);
  }
  if (!sameJson(before.metadata.labels ?? {}, after.metadata.labels ?? {})) out.push('labels changed');
  const secret = before.kind === 'Secret' && after.kind === 'Secret';
  if (secret) out.push(...secretDifferences(before, after));
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED_TOP.has(key) || (secret && SECRET_VALUES.has(key))) continue;
    if (!sameJson(before[key], after[key])) out.push(`${key} changed`);
  }
  return out;
}

/** `this change to KongConsumer default/bob (konghq.com/plugins no longer names rate-limit-consumer)` */
export function describeChange(change: Change, stored?: K8sObject): string {
  const subject = change.object ?? change.oldObject!;
  const who = describe(refOf(subject));
  if (change.operation === 'DELETE') return `deleting ${who}`;
  const previous = change.oldObject ?? stored;
  if (change.operation === 'CREATE' || !previous) return `creating ${who}`;
  const diffs = differences(previous, change.object!);
  return `this change to ${who}${diffs.length ? ` (${diffs.join('; ')})` : ''}`;
}
