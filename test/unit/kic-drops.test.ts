// What KIC builds and then leaves out (translate/kic-drops.ts) is left out by the translator itself, so routesOf,
// plugin instances and trace see what Kong receives. Inputs: the deck golden cases that show each drop.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { refKey } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { traceText } from '../../src/trace/render.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { Translator } from '../../src/translate/translator.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { objectsFrom, yamlObjects } from '../helpers.ts';

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'deck');

async function translatorOf(name: string): Promise<Translator> {
  return new Translator(new Store(await objectsFrom(join(GOLDEN, name, 'in.yaml'))), DEFAULT_POLICY.translate);
}

const get = (tr: Translator, kind: string, name: string, group = kind === 'Ingress' ? 'networking.k8s.io' : kind === 'HTTPRoute' ? 'gateway.networking.k8s.io' : 'configuration.konghq.com') =>
  tr.view.get(refKey({ group, kind, namespace: kind === 'KongClusterPlugin' ? undefined : 'default', name }))!;

test('konghq.com/rewrite drops the shared Kong service, with the other Ingress route in it', async () => {
  const tr = await translatorOf('ingress-rewrite-refused');
  const rewriting = get(tr, 'Ingress', 'rewriting');
  const plain = get(tr, 'Ingress', 'plain');
  assert.deepEqual(tr.routesOf(rewriting), []);
  assert.deepEqual(tr.routesOf(plain).map((r) => r.service), ['default.web.80']);
  const dropped = tr.droppedServices(plain);
  assert.deepEqual(dropped.map((d) => [d.service, d.cause.name, d.routes.length]), [['default.api.80', 'rewriting', 1]]);
  assert.match(dropped[0]!.reason, /Ingress default\/rewriting sets konghq.com\/rewrite.*RewriteURIs.*drops the Kong service default\.api\.80/);
  const api = tr.view.get(refKey({ group: '', kind: 'Service', namespace: 'default', name: 'api' }))!;
  assert.deepEqual(tr.kongServicesBackedBy(api), []);
});

test('trace says why a URL such a route would serve is not served', async () => {
  const tr = await translatorOf('ingress-rewrite-refused');
  const t = traceRequest(tr, { url: 'http://plain.example.com/' });
  assert.equal(t.outcome.status, 404);
  const text = traceText(t);
  assert.match(text, /Ingress default\/plain: Kong never receives its route default\.plain\.api\.plain\.example\.com\.80: Ingress default\/rewriting sets konghq\.com\/rewrite/);
});

test('an untranslatable HTTPRoute filter drops its Kong service; the other rule stays', async () => {
  const tr = await translatorOf('httproute-request-mirror');
  const route = get(tr, 'HTTPRoute', 'mirrored');
  const dropped = tr.droppedServices(route);
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!.reason, /HTTPRoute default\/mirrored has a filter KIC cannot translate/);
  const kept = tr.routesOf(route);
  assert.ok(kept.length > 0 && kept.every((r) => r.service !== dropped[0]!.service));
  assert.ok(!tr.servicesOf(route).some((s) => s.name === dropped[0]!.service));
});

test('two global KongClusterPlugins of one type give no instance; a lone one does', async () => {
  const tr = await translatorOf('global-plugins-duplicate');
  assert.deepEqual(tr.instances(get(tr, 'KongClusterPlugin', 'cors-a')), []);
  assert.deepEqual(tr.instances(get(tr, 'KongClusterPlugin', 'cors-b')), []);
  assert.equal(tr.instances(get(tr, 'KongClusterPlugin', 'prometheus')).length, 1);
});

test('konghq.com/rewrite on one Ingress naming a KongServiceFacade drops the facade Kong service for every Ingress naming it', () => {
  const facadeIngress = (name: string, annotations: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: default${annotations ? `, annotations: {${annotations}}` : ''}}
spec:
  ingressClassName: kong
  rules:
  - host: ${name}.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: pub}}}
`;
  const objects = yamlObjects(`${KONG_BASE}---
apiVersion: incubator.ingress-controller.konghq.com/v1alpha1
kind: KongServiceFacade
metadata: {name: pub, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backendRef: {name: echo, port: 1027}}
${facadeIngress('rewriting', 'konghq.com/rewrite: /v1')}${facadeIngress('plain', '')}`);
  const tr = new Translator(new Store(objects), { ...DEFAULT_POLICY.translate, kongServiceFacade: true });
  // translate_ingress.go runs MaybeRewriteURI on each Kong service TranslateIngresses built, the facade's included.
  assert.deepEqual(tr.routesOf(get(tr, 'Ingress', 'rewriting')), []);
  assert.deepEqual(tr.routesOf(get(tr, 'Ingress', 'plain')), []);
  assert.deepEqual(tr.droppedServices(get(tr, 'Ingress', 'plain')).map((d) => [d.service, d.cause.name]), [['default.pub.svc.facade', 'rewriting']]);
});
