// The live translation (translate/live-translation.ts) answers exactly what a fresh translator answers: after
// random sequences of creates, updates and deletes, for every object of the state and every question rules and
// trace ask (translation, plugins, instances, backing services, ...), both over the store and over the store
// plus a random change (a review's "after" side); and once every object is deleted, nothing memoised stays.
//
// `npm test` runs a bounded number of sequences; INGRESS_GUARD_LIVE_RUNS raises it, INGRESS_GUARD_PROPERTY_SEED replays one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { RULES } from '../../src/rules/index.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { touchedReads } from '../../src/state/reads.ts';
import { Store } from '../../src/state/store.ts';
import type { Change, StateView } from '../../src/state/view.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { LiveTranslation } from '../../src/translate/live-translation.ts';
import { Translator } from '../../src/translate/translator.ts';
import { EXAMPLES, objectsFrom, SEED_002_SETUP, withAnnotations, yamlObjects } from '../helpers.ts';
import { ingress, ingressClass, service } from '../unit/builders.ts';
import { newKindsGroup, routeKindsGroup, versionsByKey } from './object-pool.ts';

const envRuns = Number(process.env.INGRESS_GUARD_LIVE_RUNS);
const RUNS = Number.isInteger(envRuns) && envRuns > 0 ? envRuns : 250;
const seed = Number(process.env.INGRESS_GUARD_PROPERTY_SEED);

const PLUGIN_KINDS = ['KongPlugin', 'KongClusterPlugin'];
const name = (o: K8sObject | undefined) => (o ? keyOf(o) : undefined);

/**
 * Every answer of `tr` about every object of `view`, in store order or `backward` (which value is computed
 * first, and so nested in which, depends on it). Objects in answers are named by key.
 */
function answers(tr: Translator, view: StateView, backward: boolean): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const objects = [...view.all()];
  if (backward) objects.reverse();
  out.set('default class', tr.ourClassIsDefault());
  out.set('default backend', name(tr.defaultBackendHolder()));
  out.set('class parameters', { ...tr.classParameters(), ingressClass: name(tr.classParameters().ingressClass), parameters: name(tr.classParameters().parameters) });
  for (const obj of objects) {
    const key = keyOf(obj);
    out.set(`managed ${key}`, tr.isManaged(obj));
    out.set(`translation ${key}`, tr.translation(obj));
    out.set(`dropped ${key}`, tr.droppedServices(obj));
    const plugins = tr.pluginsOf(obj);
    out.set(`plugins ${key}`, plugins.map((p) => ({ ...p, plugin: name(p.plugin) })));
    for (const p of plugins) if (p.plugin && PLUGIN_KINDS.includes(p.plugin.kind)) out.set(`instancesOn ${keyOf(p.plugin)} ${key}`, tr.instancesOn(p.plugin, obj));
    if (PLUGIN_KINDS.includes(obj.kind)) {
      out.set(`referrers ${key}`, tr.referrersOf(obj).map(keyOf));
      out.set(`instances ${key}`, tr.instances(obj));
      out.set(`principals ${key}`, tr.principalsOf(obj));
    }
    if (obj.kind === 'Service') out.set(`backed ${key}`, tr.kongServicesBackedBy(obj));
    if (obj.kind === 'HTTPRoute') out.set(`filters ${key}`, tr.httpRouteFilterPlugins(obj));
    if (obj.kind.endsWith('Route')) out.set(`gateways ${key}`, tr.ourGateways(obj).map(keyOf));
  }
  return out;
}

/** Groups of objects written to meet: every rule's example pair, the route kinds with plugins, seed 002, examples/cluster. */
const groups: K8sObject[][] = [
  ...RULES.filter((r) => r.examples).map((r) => [...yamlObjects(r.examples!.bad), ...yamlObjects(r.examples!.good)]),
  routeKindsGroup(),
  await objectsFrom(...SEED_002_SETUP),
  await objectsFrom(join(EXAMPLES, 'cluster'), join(EXAMPLES, 'changes')),
].filter((g) => g.length > 0);

/**
 * The default settings, KIC's GatewayAlpha gate (with BackendTLSPolicies), Kong's expressions router (HTTPRoute and
 * GRPCRoute priorities ranked together), and the KongServiceFacade gate with each router.
 */
const CONFIGS: TranslateConfig[] = [
  DEFAULT_TRANSLATE_CONFIG,
  { ...DEFAULT_TRANSLATE_CONFIG, gatewayAlpha: true },
  { ...DEFAULT_TRANSLATE_CONFIG, kongRouterFlavor: 'expressions' },
  { ...DEFAULT_TRANSLATE_CONFIG, kongServiceFacade: true, gatewayAlpha: true },
  { ...DEFAULT_TRANSLATE_CONFIG, kongServiceFacade: true, kongRouterFlavor: 'expressions' },
];

const opArb = fc.record({ pick: fc.nat(), version: fc.nat(), remove: fc.boolean(), review: fc.nat() });
const sequenceArb = fc.record({
  // Half the runs on the kinds and settings KIC 3.5 fidelity added alone: among all groups they would meet rarely.
  picked: fc.oneof({ arbitrary: fc.shuffledSubarray(groups, { minLength: 1, maxLength: 3 }), weight: 1 }, { arbitrary: fc.constant([newKindsGroup()]), weight: 1 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 20 }),
  config: fc.constantFrom(...CONFIGS),
  /** Whether the store starts with the last version of every object of the picked groups (else empty). */
  seeded: fc.boolean(),
});

test(`the live translation answers what a fresh translator answers, over the store and over the store plus a change (${RUNS} random sequences)`, () => {
  fc.assert(
    fc.property(sequenceArb, ({ picked, ops, config, seeded }) => {
      const pool = versionsByKey(picked.flat());
      const keys = [...pool.keys()];
      const store = new Store(seeded ? [...pool.values()].map((versions) => versions[versions.length - 1]!) : []);
      const live = new LiveTranslation(store, config);
      store.subscribe((before, after) => live.observe(before, after));
      ops.forEach((op, i) => {
        const key = keys[op.pick % keys.length]!;
        const versions = pool.get(key)!;
        const stored = store.get(key);
        const backward = i % 2 === 1;
        // A review: a random change to another key, translated over the store plus that change.
        const other = keys[op.review % keys.length]!;
        const current = store.get(other);
        const next = pool.get(other)![op.version % pool.get(other)!.length]!;
        const change: Change = current && op.remove ? { operation: 'DELETE', oldObject: current } : current ? { operation: 'UPDATE', object: next, oldObject: current } : { operation: 'CREATE', object: next };
        const overlay = new Overlay(store, change);
        const review = live.forReview(overlay, touchedReads(current, overlay.object));
        assert.deepEqual(answers(review, overlay, backward), answers(new Translator(overlay, config), overlay, backward), `step ${i}: review of ${change.operation} ${other}`);
        // The event, then every answer of the live translator (which fills its memo for the next steps).
        if (op.remove && stored) store.delete(key);
        else store.upsert(versions[op.version % versions.length]!);
        const fresh = new Translator(store, config);
        assert.deepEqual(answers(live.translator, store, backward), answers(fresh, store, backward), `step ${i}: after ${op.remove && stored ? 'deleting' : 'writing'} ${key}`);
        // The whole configuration `translate` prints (custom entities, plugin defaults, upstreams, BackendTLSPolicy annotations).
        assert.deepEqual(toDeck(live.translator, translateAll(live.translator, store)), toDeck(fresh, translateAll(fresh, store)), `step ${i}: deck output`);
      });
      for (const key of keys) store.delete(key);
      // What is left names no object: cluster-wide values that read only absent objects (default class, class parameters,
      // default backend; expression priorities read their kind, which a delete touches).
      assert.ok(live.size <= 3, `${live.size} values memoised over an empty store`);
    }),
    { numRuns: RUNS, ...(Number.isInteger(seed) ? { seed } : {}) },
  );
});

test('an event drops the values that read the changed object and keeps the others', () => {
  const route = (name: string) => ingress(name, { paths: [{ host: `${name}.example.com`, path: '/', service: 'echo', port: 80 }] });
  const [a, b] = [route('a'), route('b')];
  const store = new Store([ingressClass('kong', { isDefault: true }), service('echo'), a, b]);
  const live = new LiveTranslation(store, DEFAULT_TRANSLATE_CONFIG);
  store.subscribe((before, after) => live.observe(before, after));
  const routesOfB = live.translator.routesOf(b);
  live.translator.routesOf(a);
  const moved = withAnnotations(a, { 'konghq.com/strip-path': 'true' });
  store.upsert(moved);
  assert.equal(live.translator.routesOf(b), routesOfB, "b's translation is kept (same value)");
  assert.equal(live.translator.routesOf(moved)[0]!.strip_path, true, "a's is translated again");
});
