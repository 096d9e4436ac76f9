// `node bench/review.ts`: where one review's CPU goes, without HTTP, TLS or the load generator. Builds the state
// as bench/server.ts does (the generated cluster through JSON, the Store, the problems report followed), then
// judges one workload's change with `evaluate` over and over, as the webhook does, and prints the mean time per
// review (wall, and the process's CPU, which a busy machine disturbs less) and, from a CPU profile of that loop alone (node:inspector), the functions under `evaluate` by self
// and inclusive share. On a shared machine, the shares compare; the absolute times only within one run.
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { parseReview } from '../src/admission/review.ts';
import { evaluate } from '../src/engine/evaluate.ts';
import { followStore } from '../src/engine/follow.ts';
import { DEFAULT_POLICY } from '../src/engine/policy.ts';
import type { K8sObject } from '../src/model/object.ts';
import { Store } from '../src/state/store.ts';
import { DEFAULT_SEED, generateCluster, WORKLOADS, workloads } from './generate.ts';

const { values } = parseArgs({
  options: { objects: { type: 'string' }, workloads: { type: 'string' }, iterations: { type: 'string' }, top: { type: 'string' }, 'no-profile': { type: 'boolean' } },
});
const count = Number(values.objects ?? 10000);
const names = (values.workloads ?? WORKLOADS.join(',')).split(',');
const iterations = Number(values.iterations ?? 2000);
const top = Number(values.top ?? 25);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const frame = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

/** Self and inclusive time of every function called (directly or not) by `evaluate`, as shares of the time under it. */
function underEvaluate(profile: Profile): { total: number; self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const chain: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) chain.push(frame(byId.get(at)!));
    const root = chain.findIndex((f) => f.startsWith('evaluate src/engine/evaluate.ts'));
    if (root < 0) return;
    total += dt;
    self.set(chain[0]!, (self.get(chain[0]!) ?? 0) + dt);
    for (const f of new Set(chain.slice(0, root + 1))) inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
  });
  return { total, self, inclusive };
}

const store = new Store();
const cluster = generateCluster(count, DEFAULT_SEED);
for (const text of cluster.objects.map((o) => JSON.stringify(o))) store.upsert(JSON.parse(text) as K8sObject);
const followed = followStore(store, DEFAULT_POLICY);
await followed.settled();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });

for (const workload of workloads(cluster).filter((w) => names.includes(w.name))) {
  const body = JSON.stringify(workload.review);
  const judge = () => {
    const parsed = parseReview(JSON.parse(body));
    if (!parsed.ok || !parsed.review.change) throw new Error(`workload ${workload.name}: not a review`);
    return evaluate(store, parsed.review.change, DEFAULT_POLICY, followed.tracker);
  };
  const first = judge();
  if ((first.allowed ? 'allowed' : 'denied') !== workload.expect) throw new Error(`workload ${workload.name}: ${first.allowed ? 'allowed' : 'denied'}, expected ${workload.expect}`);
  for (let i = 0; i < iterations / 10; i++) judge();
  if (!values['no-profile']) await session.post('Profiler.start');
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) judge();
  const used = process.cpuUsage(cpu);
  const us = ((performance.now() - started) / iterations) * 1000;
  const cpuUs = (used.user + used.system) / iterations;
  process.stdout.write(
    `${workload.name} at ${count} objects: ${us.toFixed(1)} us per review wall, ${cpuUs.toFixed(1)} us CPU (parse + evaluate, ${iterations} reviews; ${first.judged} subjects judged, ${first.allowed ? 'allowed' : 'denied'})\n`,
  );
  if (values['no-profile']) continue;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  const { total, self, inclusive } = underEvaluate(profile);
  if (total === 0) {
    process.stdout.write('  no profile samples under evaluate: raise --iterations\n\n');
    continue;
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([f, t]) => `  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${f}`)
      .join('\n');
  process.stdout.write(`  under evaluate, inclusive:\n${list(inclusive)}\n  under evaluate, self:\n${list(self)}\n\n`);
}
session.disconnect();
