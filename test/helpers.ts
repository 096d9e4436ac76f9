// Shared test helpers: real manifests from the fixtures, real stores, the real engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatFinding, type Verdict } from '../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../src/model/object.ts';
import { loadManifests, parseManifests } from '../src/state/manifests.ts';
import type { Store } from '../src/state/store.ts';

/** Everything the tests read lives in the repository: test/fixtures/README.md names where each file came from. */
export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const INPUTS = join(FIXTURES, 'inputs');
export const REVIEWS = join(FIXTURES, 'admissionreviews');
export const SEEDS = join(FIXTURES, 'seeds');
export const EXAMPLES = join(import.meta.dirname, '..', 'examples');

/** Seed 002's valid setup, in the guide's order (files in the fixtures' inputs). */
export const SEED_002_SETUP = [
  'a1-ingressclass-kong.yaml',
  'a2-gatewayclass-kong.yaml',
  'a3-gateway-kong.yaml',
  'b1-service-echo.yaml',
  'b2-httproutes-route-a-route-b.yaml',
  'b3-kongplugins.yaml',
  'b4-secret-bob-key-auth-kongconsumer-bob.yaml',
];

export async function objectsFrom(...files: string[]): Promise<K8sObject[]> {
  const loaded = await loadManifests(files.map((f) => (f.startsWith('/') ? f : join(INPUTS, f))));
  if (loaded.problems.length) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.objects.map((o) => o.object);
}

export function yamlObjects(text: string): K8sObject[] {
  const parsed = parseManifests(text, 'inline');
  if (parsed.problems.length) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.objects.map((o) => o.object);
}

/** The AdmissionReview request captured from a real kube-apiserver. */
export function review(file: string): { request: { operation: 'CREATE' | 'UPDATE' | 'DELETE'; object: K8sObject | null; oldObject: K8sObject | null; uid: string; dryRun: boolean } } {
  return JSON.parse(readFileSync(join(REVIEWS, file), 'utf8'));
}

/** Judges a change as the webhook would, and applies it to the store when allowed. */
export function apply(store: Store, object: K8sObject, policy: Policy = DEFAULT_POLICY): Verdict {
  const existing = store.get(keyOf(object));
  const verdict = evaluate(store, existing ? { operation: 'UPDATE', object, oldObject: existing } : { operation: 'CREATE', object }, policy);
  if (verdict.allowed) store.upsert(object);
  return verdict;
}

export function remove(store: Store, key: string, policy: Policy = DEFAULT_POLICY): Verdict {
  const existing = store.get(key);
  if (!existing) throw new Error(`${key} is not in the store`);
  const verdict = evaluate(store, { operation: 'DELETE', oldObject: existing }, policy);
  if (verdict.allowed) store.delete(key);
  return verdict;
}

export function messages(verdict: Verdict): string {
  return [...verdict.denials, ...verdict.warnings].map(formatFinding).join('\n');
}

export function withAnnotations(obj: K8sObject, annotations: Record<string, string | undefined>): K8sObject {
  const next: Record<string, string> = { ...obj.metadata.annotations };
  for (const [k, v] of Object.entries(annotations)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return { ...obj, metadata: { ...obj.metadata, annotations: next } };
}
