// Wire tests for the route kinds beyond Ingress and HTTPRoute: the real HTTPS webhook routes a review of each
// resource (as registered in deploy/) to the engine, which judges it by the Kong configuration KIC would build.
// The bodies are a captured kube-apiserver review (15-update-httproute-route-a.json) with the resource and objects
// of the kind under test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { kindInfo } from '../../src/model/kinds.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook, type WebhookApp } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { REVIEWS, withAnnotations } from '../helpers.ts';
import { BASE, objects, ROUTES } from '../unit/route-kinds-world.ts';
import { makeCa, makeServing, type TestCa } from './certs.ts';
import { post } from './client.ts';

// rl-b is also named by consumer bob; rl-dup by nobody yet.
const PLUGINS = ['rl-a', 'rl-b', 'rl-dup'].map((n) => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${n}, namespace: default}\nplugin: rate-limiting\nconfig: {minute: 5}\n`);
const BOB = `apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: rl-b}}\nusername: bob\n`;

/** An UPDATE review of `object` (from `old`), shaped as the API server sends it for the object's resource. */
function updateReview(old: K8sObject, object: K8sObject, uid: string): string {
  const template = JSON.parse(readFileSync(join(REVIEWS, '15-update-httproute-route-a.json'), 'utf8'));
  const [group, version] = object.apiVersion.split('/') as [string, string];
  const info = kindInfo(group, object.kind)!;
  const kind = { group, version, kind: object.kind };
  const resource = { group, version, resource: info.resource };
  return JSON.stringify({
    ...template,
    request: { ...template.request, uid, kind, resource, requestKind: kind, requestResource: resource, name: object.metadata.name, object, oldObject: old },
  });
}

async function webhook(state: K8sObject[], policy: Policy): Promise<{ ca: TestCa; app: WebhookApp; port: number }> {
  const ca = await makeCa();
  const store = new Store(state);
  const app = buildWebhook({ getView: () => store, policy, tls: await makeServing(ca), logger: pino({ level: 'silent' }), metrics: createMetrics() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { ca, app, port: (app.server.address() as { port: number }).port };
}

const ALPHA: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, gatewayAlpha: true } };

describe('webhook over HTTPS: GRPCRoute, TCPRoute, TLSRoute, UDPRoute, TCPIngress, UDPIngress', () => {
  // Each route names rl-a; each change adds a second rate-limiting plugin to it (TCPRoute, TLSRoute, UDPRoute under gatewayAlpha).
  const routes = objects(...ROUTES).map((o) => withAnnotations(o, { 'konghq.com/plugins': 'rl-a' }));
  let server: Awaited<ReturnType<typeof webhook>>;

  before(async () => {
    server = await webhook([...objects(BASE, ...PLUGINS, BOB), ...routes], ALPHA);
  });
  after(async () => {
    await server.app.close();
  });

  for (const route of routes) {
    const ref = `${route.kind} default/${route.metadata.name}`;
    test(`${ref}: adding a second rate-limiting plugin is denied, naming the ${route.kind}`, async () => {
      const res = await post(server.port, server.ca.cert, updateReview(route, withAnnotations(route, { 'konghq.com/plugins': 'rl-a, rl-dup' }), `deny-${route.kind}`));
      assert.equal(res.status, 200, res.text);
      const r = res.json.response;
      assert.equal(r.allowed, false, JSON.stringify(r));
      assert.equal(r.status.code, 403);
      assert.match(r.status.message, new RegExp(`^duplicate-plugin-scope: ${ref} would carry 2 "rate-limiting" plugins on the same scope \\(route\\): KongPlugin default/rl-a and KongPlugin default/rl-dup\\.`));
      assert.equal(r.auditAnnotations['denied-rules'], 'duplicate-plugin-scope');
    });

    test(`${ref}: adding the plugin consumer bob also names is allowed (KIC scopes it to bob x route)`, async () => {
      const res = await post(server.port, server.ca.cert, updateReview(route, withAnnotations(route, { 'konghq.com/plugins': 'rl-a, rl-b' }), `allow-${route.kind}`));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.response.allowed, true, JSON.stringify(res.json.response));
      assert.equal(res.json.response.warnings, undefined);
    });
  }
});
