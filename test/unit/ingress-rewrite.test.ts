// konghq.com/rewrite with KIC's RewriteURIs feature gate (translate/ingress-rewrite.ts), read from
// subtranslator/ingress.go generateRewriteURIConfig and MaybeRewriteURI.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { refKey } from '../../src/model/object.ts';
import { ingressRewriteDropsService } from '../../src/rules/ingress-rewrite.ts';
import { Store } from '../../src/state/store.ts';
import { traceText } from '../../src/trace/render.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { rewriteUriTemplate } from '../../src/translate/ingress-rewrite.ts';
import { Translator } from '../../src/translate/translator.ts';
import { objectsFrom } from '../helpers.ts';
import { run } from '../rules/support.ts';

test('rewriteUriTemplate: $N is a capture, \\$ a literal $, anything else after $ or \\ is an error at its byte offset', () => {
  const cases: [string, ReturnType<typeof rewriteUriTemplate>][] = [
    ['/api/$1', { uri: '/api/$(uri_captures[1])' }],
    ['/$12x$3', { uri: '/$(uri_captures[12])x$(uri_captures[3])' }],
    ['/a$1\\$', { uri: '/a$(uri_captures[1])$' }],
    ['/$1$2', { uri: '/$(uri_captures[1])$(uri_captures[2])' }],
    ['/price\\$', { uri: '/price$' }],
    ['/x/$a', { error: 'unexpected a at pos 4' }],
    ['/é\\x', { error: 'unexpected x at pos 4' }],
    ['/x$', { error: 'unexpected end of string' }],
    ['/x\\', { error: 'unexpected end of string' }],
    ['/$٣', { uri: '/$(uri_captures[٣])' }],
  ];
  for (const [input, want] of cases) assert.deepEqual(rewriteUriTemplate(input), want, input);
});

test('rewriteURIs: on, a parsable rewrite keeps its service and the rule is silent; off, the service goes and the rule warns', async () => {
  const objects = await objectsFrom(join(import.meta.dirname, '..', 'golden', 'deck', 'ingress-rewrite-refused', 'in.yaml'));
  const store = new Store(objects);
  const rewriting = store.get(refKey({ group: 'networking.k8s.io', kind: 'Ingress', namespace: 'default', name: 'rewriting' }))!;
  const on = new Translator(store, { ...DEFAULT_POLICY.translate, rewriteURIs: true });
  assert.deepEqual(on.droppedServices(rewriting), []);
  assert.deepEqual(on.routesOf(rewriting).map((r) => r.service), ['default.api.80']);
  assert.deepEqual(run(objects, [ingressRewriteDropsService], { rewriteURIs: true }), []);
  assert.equal(run(objects, [ingressRewriteDropsService], { rewriteURIs: false }).length, 2);
});

test('trace lists the request-transformer KIC nests for konghq.com/rewrite, only with rewriteURIs', async () => {
  const store = new Store(await objectsFrom(join(import.meta.dirname, '..', 'golden', 'deck', 'ingress-rewrite-uris', 'in.yaml')));
  const text = (rewriteURIs: boolean) => traceText(traceRequest(new Translator(store, { ...DEFAULT_POLICY.translate, rewriteURIs }), { url: 'http://rw.example.com/v1/a/b' }));
  assert.match(text(true), /request-transformer from Ingress default\/rewriting on route default\.rewriting\.api\.rw\.example\.com\.80 \(generated from metadata\.annotations\["konghq\.com\/rewrite"\]\)/);
  assert.doesNotMatch(text(false), /request-transformer/);
});
