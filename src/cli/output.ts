// Rendering findings and verdicts for people (terminal) and machines (--output json).
import { describe, refKey, type K8sObject, type ObjectRef } from '../model/object.ts';
import type { Verdict } from '../engine/evaluate.ts';
import type { Finding } from '../rules/rule.ts';
import type { LoadProblem } from '../state/manifests.ts';
import type { StateView } from '../state/view.ts';

export interface JsonFinding {
  rule: string;
  severity: string;
  object: { apiVersion: string; kind: string; namespace?: string; name: string };
  field?: string;
  message: string;
  related: { kind: string; namespace?: string; name: string }[];
  preexisting?: boolean;
}

function apiVersionOf(ref: ObjectRef, obj: K8sObject | undefined): string {
  return obj?.apiVersion ?? (ref.group ? `${ref.group}/v1` : 'v1');
}

export function jsonFinding(f: Finding, lookup: (key: string) => K8sObject | undefined): JsonFinding {
  const object: JsonFinding['object'] = { apiVersion: apiVersionOf(f.object, lookup(refKey(f.object))), kind: f.object.kind, name: f.object.name };
  if (f.object.namespace) object.namespace = f.object.namespace;
  const out: JsonFinding = {
    rule: f.rule,
    severity: f.severity,
    object,
    message: f.message,
    related: f.related.map((r) => (r.namespace ? { kind: r.kind, namespace: r.namespace, name: r.name } : { kind: r.kind, name: r.name })),
  };
  if (f.field) out.field = f.field;
  if (f.preexisting) out.preexisting = true;
  return out;
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const badge = (severity: string) => (severity === 'deny' ? paint(31, 'deny') : paint(33, 'warn'));

function findingLines(findings: Finding[], indent: string): string[] {
  return findings.map((f) => `${indent}${badge(f.severity)}  ${paint(1, f.rule)}${f.field ? ` (${f.field})` : ''}\n${indent}      ${f.message}`);
}

/** Findings grouped by object, objects in order of first appearance. */
export function humanFindings(findings: Finding[]): string {
  const groups = new Map<string, { ref: ObjectRef; findings: Finding[] }>();
  for (const f of findings) {
    const key = refKey(f.object);
    const group = groups.get(key) ?? { ref: f.object, findings: [] };
    group.findings.push(f);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => [paint(1, describe(g.ref)), ...findingLines(g.findings, '  ')].join('\n')).join('\n\n');
}

export function humanVerdict(v: Verdict): string {
  const head = `${v.operation} ${describe(v.object)}: ${v.allowed ? paint(32, 'allowed') : paint(31, 'denied')}`;
  return [head, ...findingLines([...v.denials, ...v.warnings], '  ')].join('\n');
}

/** Exit statuses shared by every command: a crash or an input error never looks like "allowed" or "denied". */
export const EXIT = { ok: 0, denied: 1, input: 2, internal: 3 } as const;

/** Documents that could not be read, one line each for stderr. */
export function problemLines(problems: readonly LoadProblem[]): string {
  return problems.map((p) => `error: ${p.message}\n`).join('');
}

/** The same, for --output json: machines see what was left out too. */
export function jsonProblems(problems: readonly LoadProblem[]): { source: string; document?: number; message: string }[] {
  return problems.map((p) => (p.index < 0 ? { source: p.source, message: p.message } : { source: p.source, document: p.index, message: p.message }));
}

export function counts(findings: Finding[]): { deny: number; warn: number } {
  return { deny: findings.filter((f) => f.severity === 'deny').length, warn: findings.filter((f) => f.severity === 'warn').length };
}

export function lookupIn(view: StateView): (key: string) => K8sObject | undefined {
  return (key) => view.get(key);
}
