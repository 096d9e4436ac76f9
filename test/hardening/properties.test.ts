// Property-based hardening (issue 7): hostile AdmissionReviews against the real HTTPS webhook, and hostile
// objects against the engine. Inputs are the 33 reviews a real kube-apiserver sent, mutated (fields dropped,
// wrong types, numbers for strings, strings up to ~1 MB, nesting thousands of levels deep, unicode and
// prototype keys, duplicate keys in the JSON text, other kinds and resources), plus bodies that are not
// reviews at all. One server serves the whole file.
//
// `npm test` runs a bounded number of cases (about 10 s). Long mode, e.g. before a release:
//
//   INGRESS_GUARD_PROPERTY_RUNS=100000 node --test test/hardening/properties.test.ts
//
// sets every property's run count (hours for the HTTPS ones at 100000). A failure prints fast-check's seed
// and shrunk counterexample; replay with INGRESS_GUARD_PROPERTY_SEED=<seed> (and the path it prints), and
// keep the counterexample as a regular test below, next to the others found this way.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { parseReview } from '../../src/admission/review.ts';
import { sameJson } from '../../src/engine/describe-change.ts';
import { audit, evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { kindForResource, KINDS } from '../../src/model/kinds.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook, type WebhookApp } from '../../src/server/webhook.ts';
import { parseManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import type { Change } from '../../src/state/view.ts';
import { objectsFrom, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, type TestCa } from '../wire/certs.ts';
import { CAPTURED, deepText, mutatedObjectArb, mutatedReviewArb, randomBodyArb, runs, stringArb, jsonArb, TEMPLATES } from './arbitraries.ts';

const seed = Number(process.env.INGRESS_GUARD_PROPERTY_SEED);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: runs(numRuns), ...(Number.isInteger(seed) ? { seed } : {}) });

/** How long one answer may take before the server counts as hung. */
const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  text: string;
  json: any;
}

class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('the AdmissionReview endpoint under hostile input (fast-check, real HTTPS)', () => {
  let ca: TestCa;
  let app: WebhookApp;
  let port: number;
  let agent: Agent;
  const logs = new LogCapture();
  const metrics = createMetrics();

  before(async () => {
    ca = await makeCa();
    const store = new Store(await objectsFrom(...SEED_002_SETUP));
    app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(ca), logger: pino({ level: 'debug' }, logs), metrics });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    // Keep-alive, as the API server's client: one bad request must not spoil the connection for the next.
    agent = new Agent({ keepAlive: true, maxSockets: 4, ca: ca.cert });
  });

  after(async () => {
    agent.destroy();
    await app.close();
  });

  function send(body: string, options: { contentType?: string; path?: string; method?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'POST',
          path: options.path ?? '/validate?timeout=5s',
          servername: 'localhost',
          agent,
          headers: { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            let json: any;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, text, json });
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (hang) for a ${body.length}-character body`));
      }, REQUEST_TIMEOUT_MS);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  /** 200 with a valid AdmissionReview echoing the uid, or a 4xx with a short JSON error; never 5xx. */
  function assertAnswer(body: string, res: Answer): void {
    assert.ok(res.status < 500, `status ${res.status}: ${res.text.slice(0, 300)}`);
    if (res.status === 200) {
      const sent = JSON.parse(body); // duplicate keys: the last one wins, in the server as here
      assert.equal(res.json?.apiVersion, 'admission.k8s.io/v1');
      assert.equal(res.json.kind, 'AdmissionReview');
      assert.equal(res.json.response.uid, sent.request.uid);
      assert.equal(typeof res.json.response.allowed, 'boolean');
      if (!res.json.response.allowed) {
        assert.equal(res.json.response.status.code, 403);
        assert.equal(typeof res.json.response.status.message, 'string');
      }
    } else {
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.equal(typeof res.json?.error, 'string', res.text.slice(0, 300));
      // An error never echoes the (possibly huge, possibly secret) input.
      assert.ok(res.json.error.length <= 300, `a ${res.json.error.length}-character error: ${res.json.error.slice(0, 300)}`);
    }
  }

  test('mutated captured reviews: always a valid AdmissionReview or a 4xx, never 5xx, never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedReviewArb(), async (input) => {
        assertAnswer(input.text, await send(input.text));
      }),
      params(600),
    );
  });

  test('bodies that are not reviews, or barely: 4xx (or a review), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(randomBodyArb, fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'), async (body, contentType) => {
        assertAnswer(body, await send(body, { contentType }));
      }),
      params(600),
    );
  });

  test('a well-formed object of a kind we do not judge is allowed without findings', async () => {
    const base = CAPTURED.find((c) => c.file === '04-create-service-echo.json')!.json;
    const otherResource = fc
      .record({ group: fc.oneof(fc.constantFrom('apps', 'batch', '', 'example.com', 'networking.k8s.io', 'configuration.konghq.com'), fc.domain()), version: fc.constantFrom('v1', 'v1beta1', 'v2alpha1'), resource: fc.oneof(fc.constantFrom('deployments', 'configmaps', 'pods', 'networkpolicies', 'kongingresses', 'tcpingresses'), stringArb), kind: stringArb })
      .filter((r) => !kindForResource(r.group, r.resource));
    const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    await fc.assert(
      fc.asyncProperty(otherResource, name, fc.constantFrom('CREATE', 'UPDATE', 'DELETE'), fc.dictionary(stringArb, jsonArb, { maxKeys: 5 }), fc.uuid(), async (r, objectName, operation, spec, uid) => {
        const object = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind || 'Thing', metadata: { name: objectName, namespace: 'default', annotations: { 'konghq.com/plugins': 'key-auth' } }, spec };
        const review = {
          ...base,
          request: { ...base.request, uid, operation, kind: { group: r.group, version: r.version, kind: object.kind }, resource: { group: r.group, version: r.version, resource: r.resource }, object: operation === 'DELETE' ? null : object, oldObject: operation === 'CREATE' ? null : object },
        };
        const body = JSON.stringify(review);
        const res = await send(body);
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.deepEqual(res.json.response, { uid, allowed: true });
      }),
      params(200),
    );
  });

  test('a subresource or CONNECT of a kind we judge is allowed without judging', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CAPTURED), fc.oneof(fc.constantFrom('status', 'scale'), stringArb.filter((s) => s !== '')), fc.boolean(), fc.uuid(), async (c, subResource, connect, uid) => {
        const review = structuredClone(c.json);
        review.request.uid = uid;
        if (connect) review.request.operation = 'CONNECT';
        else review.request.subResource = subResource;
        const res = await send(JSON.stringify(review));
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.deepEqual(res.json.response, { uid, allowed: true });
      }),
      params(60),
    );
  });

  // ---- counterexamples found by the properties above, kept as regular tests ----

  test('regression: an annotation that is not a string (konghq.com/plugins: false) is a 400, not a 500', async () => {
    // Found by the mutated-review property: pluginRefs called .split on a boolean (TypeError → 500).
    const review = structuredClone(CAPTURED.find((c) => c.file === '13-update-kongconsumer-bob.json')!.json);
    review.request.object.metadata.annotations['konghq.com/plugins'] = false;
    const res = await send(JSON.stringify(review));
    assert.equal(res.status, 400, res.text);
    assert.match(res.json.error, /request\.object is invalid: metadata\.annotations values must be strings \("konghq\.com\/plugins" is not\)/);
  });

  test('regression: metadata.namespace or creationTimestamp that is an object is a 400, not a 500', async () => {
    // Found by the engine property: refKey and Date.parse threw "Cannot convert object to primitive value".
    for (const [field, value] of [
      ['namespace', { toString: 1 }],
      ['creationTimestamp', { toString: 1 }],
      ['labels', 'app=x'],
    ] as const) {
      const review = structuredClone(CAPTURED.find((c) => c.file === '11-create-kongconsumer-bob.json')!.json);
      review.request.object.metadata[field] = value;
      const res = await send(JSON.stringify(review));
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.match(res.json.error, new RegExp(`metadata\\.${field}`));
    }
  });

  test('regression: an UPDATE nested 10,000 levels deep is a 400 (and the engine survives it anyway)', async () => {
    // Found by the deep-nesting mutation: describeChange compared specs with JSON.stringify, which threw
    // RangeError (stack) at ~10,000 levels; JSON.parse itself is iterative and handles 1,000,000.
    for (const depth of [1_001, 10_000, 1_000_000]) {
      const review = structuredClone(CAPTURED.find((c) => c.file === '13-update-kongconsumer-bob.json')!.json);
      review.request.object.spec = '@@deep@@';
      const body = JSON.stringify(review).replace('"@@deep@@"', deepText(depth, 'mixed'));
      const res = await send(body);
      assert.equal(res.status, 400, `${depth}: ${res.text.slice(0, 200)}`);
      assert.match(res.json.error, /request\.object nests deeper than 1000 levels/);
    }
    const store = new Store(await objectsFrom(...SEED_002_SETUP));
    const { request: r } = structuredClone(CAPTURED.find((c) => c.file === '13-update-kongconsumer-bob.json')!.json);
    r.object.spec = JSON.parse(deepText(100_000, 'mixed'));
    r.oldObject.spec = JSON.parse(deepText(100_000, 'mixed'));
    const verdict = evaluate(store, { operation: 'UPDATE', object: r.object, oldObject: r.oldObject }, DEFAULT_POLICY);
    assert.equal(verdict.allowed, false, 'still judged: bob loses his plugin');
  });

  test('regression: a forged field that nests deeply or is huge is never serialised into the error', async () => {
    // JSON.stringify(body.apiVersion) in the error message threw RangeError on a deeply nested apiVersion.
    const deep = `{"apiVersion":${deepText(100_000, 'array')},"kind":"AdmissionReview"}`;
    const res = await send(deep);
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.equal(res.json.error, 'apiVersion must be "admission.k8s.io/v1", not an array');
    const huge = await send(JSON.stringify({ apiVersion: 'x'.repeat(1_000_000), kind: 'AdmissionReview' }));
    assert.equal(huge.status, 400);
    assert.ok(huge.text.length < 200, huge.text.slice(0, 200));
    const forgedKind = structuredClone(CAPTURED[0]!.json);
    forgedKind.request.requestKind = { group: 'apps', version: { toString: 1 }, kind: { toString: 1 } };
    forgedKind.request.resource = { group: { toString: 1 }, resource: { toString: 1 } };
    assert.equal((await send(JSON.stringify(forgedKind))).status, 200);
    const longUid = structuredClone(CAPTURED[0]!.json);
    longUid.request.uid = 'u'.repeat(100_000);
    const res2 = await send(JSON.stringify(longUid));
    assert.equal(res2.status, 400);
    assert.match(res2.json.error, /request\.uid is longer than 128 characters/);
  });

  test('after all that: the server is up, answers a real review, logged no internal error, and no log line echoes a huge input', async () => {
    const c = CAPTURED.find((x) => x.file === '13-update-kongconsumer-bob.json')!;
    const res = await send(c.text);
    assert.equal(res.status, 200);
    assert.equal(res.json.response.uid, c.json.request.uid);
    assert.equal(res.json.response.allowed, false);
    const levels = logs.lines.map((l) => JSON.parse(l).level as number);
    assert.ok(levels.length > 100, 'the properties ran and were logged');
    const errors = logs.lines.filter((l) => JSON.parse(l).level >= 50);
    assert.deepEqual(errors, [], 'no internal error was logged');
    // Metric labels come from a fixed set: a forged kind must not mint a new time series.
    const reviews = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'ingress_guard_reviews_total')!;
    const kinds = new Set(reviews.values.map((v) => String(v.labels.kind)));
    for (const k of kinds) assert.ok(['', 'other', ...KINDS.map((x) => x.kind)].includes(k), `metric label kind=${JSON.stringify(k.slice(0, 80))}`);
    assert.ok(kinds.has('other'));
    const longest = Math.max(...logs.lines.map((l) => l.length));
    const long = logs.lines.find((l) => l.length === longest)!;
    assert.ok(longest < 8_192, `a ${longest}-character log line: ${long.replace(/(.)\1{50,}/g, '$1…').slice(0, 600)}`);
  });
});

describe('the engine under hostile objects (fast-check, in process)', () => {
  let base: K8sObject[];
  before(async () => {
    base = await objectsFrom(...SEED_002_SETUP);
  });

  test('the templates cover every kind the engine reads', () => {
    assert.deepEqual([...new Set(TEMPLATES.map((o) => o.kind))].sort(), KINDS.map((k) => k.kind).sort());
  });

  const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort();
  test('evaluate never throws on a mutated object of any kind (CREATE, UPDATE, DELETE), nor changes Object.prototype', () => {
    const store = new Store(base);
    fc.assert(
      fc.property(mutatedObjectArb(), mutatedObjectArb(), fc.constantFrom('CREATE', 'UPDATE', 'DELETE'), (object, other, operation) => {
        // UPDATE pairs the object with a mutated version of the same kind and name: a real update's shape.
        const old = { ...other, kind: object.kind, apiVersion: object.apiVersion, metadata: { ...other.metadata, name: object.metadata.name, namespace: object.metadata.namespace } } as K8sObject;
        const change: Change = operation === 'CREATE' ? { operation, object } : operation === 'UPDATE' ? { operation, object, oldObject: old } : { operation, oldObject: object };
        const verdict = evaluate(store, change, DEFAULT_POLICY);
        assert.equal(verdict.allowed, verdict.denials.length === 0);
        // Prototype keys among the mutations stay own keys (prototype-keys.test.ts): nothing reaches Object.prototype.
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), OBJECT_PROTOTYPE);
      }),
      params(1000),
    );
  });

  test('a state made of mutated objects: audit, the problems report and evaluate on it never throw', () => {
    fc.assert(
      fc.property(fc.array(mutatedObjectArb({ maxHuge: 20_000, maxDepth: 500 }), { minLength: 1, maxLength: 12 }), mutatedObjectArb(), (objects, change) => {
        const store = new Store(base);
        const tracker = new ProblemTracker(store, DEFAULT_POLICY);
        store.subscribe((before, after) => tracker.observe(before, after));
        for (const o of objects) store.upsert(o);
        audit(store, DEFAULT_POLICY);
        tracker.report();
        evaluate(store, { operation: 'CREATE', object: change }, DEFAULT_POLICY);
        for (const o of objects) store.delete(keyOf(o));
        tracker.report();
      }),
      params(150),
    );
  });

  test('sameJson agrees with JSON.stringify equality where the latter can run', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        assert.equal(sameJson(a, a), true);
        if (JSON.stringify(a) === JSON.stringify(b)) assert.equal(sameJson(a, b), true);
        else if (!sameJson(a, b)) assert.notEqual(JSON.stringify(a), JSON.stringify(b));
      }),
      params(500),
    );
  });

  test('regression: a manifest with an unquoted boolean annotation is a load problem, not a crash', () => {
    // YAML reads `konghq.com/strip-path: true` as a boolean; kubectl refuses it, so does the loader.
    const loaded = parseManifests('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    konghq.com/plugins: true\nspec: {}\n', 'inline.yaml');
    assert.equal(loaded.objects.length, 0);
    assert.match(loaded.problems[0]!.message, /not a valid Kubernetes object \(metadata\.annotations values must be strings \("konghq\.com\/plugins" is not\)\)/);
  });

  test('parseReview never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (body) => {
        const r = parseReview(body);
        assert.equal(typeof r.ok, 'boolean');
      }),
      params(1000),
    );
  });
});
