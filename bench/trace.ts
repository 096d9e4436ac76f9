// `trace` against a generated state: how long one request takes once the state is loaded (issue 14's target:
// <= 50 ms per request). The first trace translates every route (the load); it is reported on its own, then
// each request of the set is traced and timed. Requests: the first host and path of every 50th Ingress and
// HTTPRoute (served), the same hosts with a path nothing routes (404 with nearest candidates), and hosts no
// route has. In this process, no HTTP.
// Run: node bench/trace.ts [--quick] [--json FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from '../src/engine/policy.ts';
import { httpRouteView, ingressView } from '../src/model/views.ts';
import { Store } from '../src/state/store.ts';
import { traceRequest, type TraceRequest } from '../src/trace/trace.ts';
import { Translator } from '../src/translate/translator.ts';
import { generateCluster } from './generate.ts';
import { percentile } from './problems.ts';

export interface TraceRow {
  objects: number;
  requests: number;
  /** The first trace: every route translated and split. */
  first_ms: number;
  median_ms: number;
  p99_ms: number;
  max_ms: number;
  /** How many of the requests a route served (the rest: 404). */
  served: number;
}

function requestsOf(store: Store): TraceRequest[] {
  const out: TraceRequest[] = [];
  let i = 0;
  for (const o of [...store.list('Ingress'), ...store.list('HTTPRoute')]) {
    if (i++ % 50) continue;
    const first = o.kind === 'Ingress' ? ingressView(o).paths[0] : undefined;
    const route = o.kind === 'HTTPRoute' ? httpRouteView(o) : undefined;
    const host = first?.host || route?.hostnames[0] || 'example.com';
    const path = first?.path || route?.rules[0]?.matches[0]?.path || '/';
    out.push({ url: `http://${host}${path}` }, { url: `https://${host}/nothing-routes-this` }, { url: `http://unknown-${i}.example.org${path}` });
  }
  return out;
}

export function measureTrace(count: number, maxRequests: number): TraceRow {
  const store = new Store(generateCluster(count).objects);
  const tr = new Translator(store, DEFAULT_POLICY.translate);
  const requests = requestsOf(store).slice(0, maxRequests);
  let t = performance.now();
  traceRequest(tr, requests[0]!);
  const first = performance.now() - t;
  const samples: number[] = [];
  let served = 0;
  for (const req of requests) {
    t = performance.now();
    const answer = traceRequest(tr, req);
    samples.push(performance.now() - t);
    if (answer.resolution.winner) served++;
  }
  samples.sort((a, b) => a - b);
  return { objects: count, requests: samples.length, first_ms: first, median_ms: percentile(samples, 0.5), p99_ms: percentile(samples, 0.99), max_ms: samples[samples.length - 1]!, served };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
  const sizes = values.quick ? [10_000] : [10_000, 50_000];
  const rows = sizes.map((n) => measureTrace(n, values.quick ? 100 : 300));
  console.log('objects  requests  served  first ms  median ms  p99 ms  max ms');
  for (const r of rows) console.log(`${String(r.objects).padStart(7)}  ${String(r.requests).padStart(8)}  ${String(r.served).padStart(6)}  ${r.first_ms.toFixed(0).padStart(8)}  ${r.median_ms.toFixed(2).padStart(9)}  ${r.p99_ms.toFixed(2).padStart(6)}  ${r.max_ms.toFixed(2).padStart(6)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ trace: rows }, null, 2));
}
