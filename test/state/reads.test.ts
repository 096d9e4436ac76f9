// Recorded reads (state/reads.ts) and the translator's replay of memoised reads: what the derived scope
// of a change rests on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyOf } from '../../src/model/object.ts';
import { indexRead, kindRead, memoRead, objectRead, RecordingView, touchedReads } from '../../src/state/reads.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { LiveTranslation } from '../../src/translate/live-translation.ts';
import { Translator } from '../../src/translate/translator.ts';
import { ingress, ingressClass, kongPlugin, service } from '../unit/builders.ts';

test('a RecordingView notes gets, look-ups, listings (the kind and each key yielded) and arrival order into the innermost recorder', () => {
  const svc = service('echo');
  const view = new RecordingView(new Store([svc, ingressClass('kong')]));
  const [, outer] = view.record(() => {
    view.get('core/Service:default/missing');
    const [, inner] = view.record(() => view.lookup('dependants', keyOf(svc)));
    assert.deepEqual([...inner], [indexRead('dependants', keyOf(svc))]);
    for (const _ of view.list('Service')) break;
    view.sequence(keyOf(svc));
  });
  // The nested recorder's read is its caller's to pass on (the translator notes the reads or a link to them).
  assert.deepEqual([...outer], [objectRead('core/Service:default/missing'), kindRead('Service'), objectRead(keyOf(svc))]);
  // Outside any recorder nothing is noted (and nothing is kept).
  view.get(keyOf(svc));
  assert.equal(view.recording, false);
});

test('a memoised translation replays its reads on every hit, so each judgement that uses it records them', () => {
  const ing = ingress('web', { plugins: 'auth', paths: [{ host: 'a.example.com', path: '/', service: 'echo', port: 80 }] });
  const view = new RecordingView(new Store([ingressClass('kong', { isDefault: true }), service('echo'), kongPlugin('auth', 'key-auth'), ing]));
  const tr = new Translator(view, DEFAULT_TRANSLATE_CONFIG);
  const [, first] = view.record(() => tr.pluginsOf(ing));
  const [, second] = view.record(() => tr.pluginsOf(ing));
  assert.ok(first.has(objectRead('configuration.konghq.com/KongPlugin:default/auth')), [...first].join(', '));
  assert.deepEqual([...second].sort(), [...first].sort(), 'the memo hit records what the computation read');
});

test("a live memo's hit records a link to the value, and a change stales every value that used a stale one", () => {
  const ing = ingress('web', { plugins: 'auth', paths: [{ host: 'a.example.com', path: '/', service: 'echo', port: 80 }] });
  const store = new Store([ingressClass('kong', { isDefault: true }), service('echo'), kongPlugin('auth', 'key-auth'), ing]);
  const live = new LiveTranslation(store, DEFAULT_TRANSLATE_CONFIG);
  const view = live.translator.view as RecordingView;
  const [, first] = view.record(() => live.translator.translation(ing));
  const [, second] = view.record(() => live.translator.translation(ing));
  assert.deepEqual([...first], [...second]);
  // The translation without dropped services is not memoised: it records the links of the two values it is made of.
  assert.deepEqual([...second], [memoRead(`ingress:${keyOf(ing)}`), memoRead(`dropped:${keyOf(ing)}`)], 'links, not the reads behind them');
  // The IngressClass is read by the default-class answer, which the Ingress's translation uses, which its dropped
  // services use: all are stale, and a judgement that recorded their links is reached.
  const expanded = live.expand([objectRead('networking.k8s.io/IngressClass:/kong')]);
  for (const key of ['default-class', `ingress:${keyOf(ing)}`, `dropped:${keyOf(ing)}`]) assert.ok(expanded.includes(memoRead(key)), `${key} in ${expanded.join(', ')}`);
});

test('a change touches its key, every index entry of both versions, and its kind only when it appears or disappears', () => {
  const before = ingress('web', { paths: [{ host: 'a.example.com', path: '/', service: 'echo', port: 80 }] });
  const after = ingress('web', { paths: [{ host: 'b.example.com', path: '/', service: 'api', port: 80 }] });
  const update = touchedReads(before, after);
  for (const read of [
    objectRead(keyOf(after)),
    indexRead('routedHost', 'a.example.com'),
    indexRead('routedHost', 'b.example.com'),
    indexRead('dependants', 'core/Service:default/echo'),
    indexRead('dependants', 'core/Service:default/api'),
  ])
    assert.ok(update.has(read), read);
  assert.ok(!update.has(kindRead('Ingress')));
  assert.ok(touchedReads(undefined, after).has(kindRead('Ingress')));
  assert.ok(touchedReads(before, undefined).has(kindRead('Ingress')));
});
