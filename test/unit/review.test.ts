// AdmissionReview parsing and answers (pure).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseReview, responseFor, shorten } from '../../src/admission/review.ts';
import type { Verdict } from '../../src/engine/evaluate.ts';
import { REVIEWS } from '../helpers.ts';

const body = (file: string): any => JSON.parse(readFileSync(join(REVIEWS, file), 'utf8'));

test('parseReview: UPDATE carries object and oldObject, DELETE only oldObject, cluster-scoped has no namespace', () => {
  const update = parseReview(body('13-update-kongconsumer-bob.json'));
  assert.ok(update.ok);
  assert.equal(update.review.kind?.kind, 'KongConsumer');
  assert.equal(update.review.change?.operation, 'UPDATE');
  assert.ok(update.review.change?.object && update.review.change.oldObject);
  const del = parseReview(body('27-delete-kongplugin-key-auth.json'));
  assert.ok(del.ok);
  assert.deepEqual(Object.keys(del.review.change!).sort(), ['oldObject', 'operation']);
  const dry = parseReview(body('12-update-kongconsumer-bob-dryrun.json'));
  assert.ok(dry.ok && dry.review.dryRun);
  const cls = parseReview(body('01-create-ingressclass-kong.json'));
  assert.ok(cls.ok);
  assert.equal(cls.review.namespace, undefined);
  assert.equal(cls.review.change?.operation, 'CREATE');
});

test('parseReview: every captured review parses and is routed to a kind the engine reads', () => {
  const files = capturedFiles();
  assert.equal(files.length, 33);
  for (const file of files) {
    const r = parseReview(body(file));
    assert.ok(r.ok, file);
    assert.ok(r.review.kind && r.review.change, file);
  }
});

function capturedFiles(): string[] {
  return (readFileSync(join(REVIEWS, 'README.md'), 'utf8').match(/`\d\d-[a-z0-9-]+\.json`/g) ?? []).map((s) => s.slice(1, -1)).filter((v, i, a) => a.indexOf(v) === i);
}

test('parseReview: a status subresource update is allowed without judging', () => {
  const b = body('13-update-kongconsumer-bob.json');
  b.request.subResource = 'status';
  const r = parseReview(b);
  assert.ok(r.ok);
  assert.equal(r.review.change, undefined);
});

test('parseReview: a Secret of a type the engine never reads (a Helm release) is allowed without judging', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sh.helm.release.v1.app.v1', namespace: 'default' }, type: 'helm.sh/release.v1', data: {} };
  const review = (type: string) => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'u', operation: 'CREATE', resource: { group: '', version: 'v1', resource: 'secrets' }, kind: { group: '', version: 'v1', kind: 'Secret' }, object: { ...secret, type } },
  });
  const helm = parseReview(review('helm.sh/release.v1'));
  assert.ok(helm.ok);
  assert.equal(helm.review.change, undefined);
  const opaque = parseReview(review('Opaque'));
  assert.ok(opaque.ok);
  assert.equal(opaque.review.change?.operation, 'CREATE');
});

test('shorten keeps short text, cuts long text at a sentence boundary under the limit', () => {
  assert.equal(shorten('One. Two.'), 'One. Two.');
  const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something.`).join(' ');
  const cut = shorten(long);
  assert.ok(cut.length < 500);
  assert.match(cut, /something\.$/);
  assert.ok(shorten('x'.repeat(2000)).length <= 480);
});

test('responseFor: denial message one finding per line, warnings short, audit annotations hold rule ids only', () => {
  const ref = { group: 'configuration.konghq.com', kind: 'KongConsumer', namespace: 'default', name: 'bob' };
  const finding = (rule: string, severity: 'deny' | 'warn', message: string) => ({ rule, severity, object: ref, message, problem: message, fix: '', related: [], id: rule, broken: ref, breaks: false });
  const verdict: Verdict = {
    allowed: false,
    operation: 'UPDATE',
    object: ref,
    denials: [finding('a-rule', 'deny', 'First.'), finding('b-rule', 'deny', 'Second.')],
    warnings: [finding('c-rule', 'warn', 'Long. '.repeat(200))],
    judged: 3,
  };
  const { response } = responseFor('uid-1', verdict);
  assert.equal(response.uid, 'uid-1');
  assert.equal(response.allowed, false);
  assert.deepEqual(response.status, { code: 403, reason: 'Forbidden', message: 'a-rule: First.\nb-rule: Second.' });
  assert.equal(response.warnings!.length, 1);
  assert.ok(response.warnings![0]!.length < 500);
  assert.deepEqual(response.auditAnnotations, { 'denied-rules': 'a-rule,b-rule', 'warned-rules': 'c-rule' });
  assert.deepEqual(responseFor('uid-2', 'allow').response, { uid: 'uid-2', allowed: true });
});
