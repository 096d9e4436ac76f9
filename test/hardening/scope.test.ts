// Scope by construction (issue 11): what a change re-judges is derived from what the rules read, and this
// file holds the invariant that makes that safe. Random sequences of creates, updates and deletes over
// objects taken from every rule's examples, seed 002's setup, examples/cluster and the golden inputs; after
// each step:
//   1. the findings `evaluate` reports (with the problems report as its "before") equal the difference
//      between auditing the whole state before and after the change, restricted as the engine restricts
//      (introduced findings, with the create downgrade; the changed object's pre-existing ones as warnings);
//   2. the problems report, followed event by event, equals a fresh rebuild over the same state (all but its
//      backfilled objects, which are history: the last valid version of each object);
//   3. `check --state` (StateCheck, the CLI's code path) gives the webhook's verdict.
// Each sequence runs under one of four policies (default, strict with KIC's GatewayAlpha gate, severities moved and a custom
// plugin, KIC's KongServiceFacade gate with Kong's expressions router).
// Denied changes are then applied anyway (an informer delivers what another path let through), so states
// drift into breakage as real clusters do.
//
// `npm test` runs a bounded number of sequences (a few seconds). Long mode:
//
//   INGRESS_GUARD_SCOPE_RUNS=2000 node --test test/hardening/scope.test.ts
//
// A failure prints fast-check's seed and shrunk sequence; replay with INGRESS_GUARD_PROPERTY_SEED=<seed>.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { StateCheck } from '../../src/cli/check.ts';
import { audit, evaluate, type Verdict } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, introducedSeverity, type Policy } from '../../src/engine/policy.ts';
import { ProblemTracker, type ProblemsReport } from '../../src/engine/problems.ts';
import { keyOf, refKey, type K8sObject } from '../../src/model/object.ts';
import { consumer as consumerYaml, httpRouteRules, KONG_BASE, kongPlugin as kongPluginYaml } from '../../src/rules/example-base.ts';
import { ruleById, RULES } from '../../src/rules/index.ts';
import type { Finding } from '../../src/rules/rule.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Store } from '../../src/state/store.ts';
import type { IndexName } from '../../src/state/indexes.ts';
import type { Change, StateView } from '../../src/state/view.ts';
import { consumer, endpointSlice, ingress, ingressClass, kongPlugin, service } from '../unit/builders.ts';
import { EXAMPLES, INPUTS, objectsFrom, SEED_002_SETUP, yamlObjects } from '../helpers.ts';
import { newKindsGroup, routeKindsGroup, versionsByKey } from './object-pool.ts';

const envRuns = Number(process.env.INGRESS_GUARD_SCOPE_RUNS);
const RUNS = Number.isInteger(envRuns) && envRuns > 0 ? envRuns : 1500;
const seed = Number(process.env.INGRESS_GUARD_PROPERTY_SEED);

/** The sources, each a group of objects written to meet: every rule's example pair, the seed states, each golden input. */
async function sourceGroups(extra: K8sObject[]): Promise<K8sObject[][]> {
  const groups: K8sObject[][] = [extra];
  for (const rule of RULES) if (rule.examples) groups.push([...yamlObjects(rule.examples.bad), ...yamlObjects(rule.examples.good)]);
  groups.push(routeKindsGroup());
  groups.push(newKindsGroup());
  groups.push(await objectsFrom(...SEED_002_SETUP));
  groups.push(await objectsFrom(join(EXAMPLES, 'cluster'), join(EXAMPLES, 'changes')));
  for (const file of readdirSync(INPUTS).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))) groups.push(await objectsFrom(file));
  return groups.filter((g) => g.length > 0);
}

/** A label-only update: nothing a rule reads changes, so nothing may be introduced. */
function relabelled(obj: K8sObject, n: number): K8sObject {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, 'example.com/touch': String(n) } } };
}

interface World {
  policy: Policy;
  /** The webhook's side, as `serve` runs it: the store followed by its problems report. */
  store: Store;
  report: ProblemTracker;
  /** `check --state`'s side, on its own copy of the state. */
  check: StateCheck;
}

function world(objects: K8sObject[], policy: Policy = DEFAULT_POLICY): World {
  const store = new Store(objects);
  const report = new ProblemTracker(store, policy);
  store.subscribe((before, after) => report.observe(before, after));
  return { policy, store, report, check: new StateCheck(new Store(objects), policy) };
}

const ids = (findings: { id: string }[]) => findings.map((f) => f.id).sort();
const shape = (v: Verdict) => ({
  allowed: v.allowed,
  denials: v.denials.map((f) => `${f.id} ${f.message}`).sort(),
  warnings: v.warnings.map((f) => `${f.id} ${f.severity} ${f.preexisting ?? false} ${f.message}`).sort(),
});

function comparable(report: ProblemsReport): unknown {
  const sorted = <T>(list: T[] | undefined, map: (x: T) => unknown = (x) => x) => (list ?? []).map((x) => JSON.stringify(map(x))).sort();
  return {
    status: report.status,
    brokenObjects: sorted(report.brokenObjects, (b) => ({ ...b, findings: sorted(b.findings) })),
    excludedObjects: sorted(report.excludedObjects),
  };
}

let stepsJudged = 0;

/** Judges one change on both faces against the whole-state diff, then applies it to both states. */
function step(w: World, object: K8sObject, remove: boolean, label: string): void {
  const key = keyOf(object);
  const existing = w.store.get(key);
  if (remove && !existing) return;
  stepsJudged++;
  const change: Change = remove ? { operation: 'DELETE', oldObject: existing! } : existing ? { operation: 'UPDATE', object, oldObject: existing } : { operation: 'CREATE', object };
  const verdict = evaluate(w.store, change, w.policy, w.report);

  // 1. The whole-state diff, restricted as the engine restricts it.
  const before = audit(w.store, w.policy);
  const after = audit(new Overlay(w.store, change), w.policy);
  const beforeIds = new Set(ids(before));
  const introduced = after.filter((f) => !beforeIds.has(f.id));
  const want = {
    introduced: introduced.map((f) => `${f.id} ${introducedSeverity(w.policy, ruleById(f.rule)!, f.severity, change.operation)}`).sort(),
    preexisting: ids(after.filter((f) => beforeIds.has(f.id) && refKey(f.object) === key)),
  };
  // Rules that judge changes (ctx.before) find nothing in an audit: by definition not part of the state diff.
  // What holds for them: a change only ever adds their findings on the object it changed.
  const changeRule = (f: Finding) => ruleById(f.rule)?.judgesChanges === true;
  for (const f of [...verdict.denials, ...verdict.warnings].filter(changeRule)) assert.equal(refKey(f.object), key, `${label}: ${f.rule} on an object the change did not touch`);
  const got = {
    introduced: [...verdict.denials, ...verdict.warnings.filter((f) => !f.preexisting)].filter((f) => !changeRule(f)).map((f) => `${f.id} ${f.severity}`).sort(),
    preexisting: ids(verdict.warnings.filter((f) => f.preexisting)),
  };
  assert.deepEqual(got, want, `${label}: evaluate differs from the whole-state diff`);
  assert.equal(verdict.allowed, !want.introduced.some((f) => f.endsWith(' deny')), `${label}: allowed`);

  // 3. check --state judges it as the webhook does.
  const checked = w.check.judge(object, remove);
  assert.deepEqual(shape(checked!.verdict), shape(verdict), `${label}: check --state and the webhook disagree`);

  // Applied either way (denied: as if another path let it through), on both sides.
  const apply = (store: Store) => (remove ? store.delete(key) : store.upsert(object));
  apply(w.store);
  if (!checked!.verdict.allowed) apply(w.check.store);

  // 2. The report followed event by event equals a fresh rebuild.
  const fresh = new ProblemTracker(w.store, w.policy);
  assert.deepEqual(ids(w.report.allFindings()), ids(fresh.allFindings()), `${label}: problems report findings differ from a rebuild`);
  // backfilledObjects is history by design (the last valid version of each object), not a function of the state.
  // Its lists follow the order findings were made in, which is history too: compared as sets.
  assert.deepEqual(comparable(w.report.report()), comparable(fresh.report()), `${label}: problems report differs from a rebuild`);
}

const BASES: [string, K8sObject[]][] = [
  ['empty', []],
  ['seed 002', await objectsFrom(...SEED_002_SETUP)],
  ['examples/cluster', await objectsFrom(join(EXAMPLES, 'cluster'))],
];

/** Operations on the keys of one to three source groups, so objects written to meet do (and part) often. */
const opsArb = () =>
  fc
    .shuffledSubarray(groups, { minLength: 1, maxLength: 3 })
    .chain((picked) => fc.array(opArb([...new Set(picked.flat().map(keyOf))]), { minLength: 1, maxLength: 25 }));
/**
 * The default policy, strict (dangling references deny) with KIC's GatewayAlpha gate (L4 routes and BackendTLSPolicies
 * translated), one with severities moved and a custom plugin, and KIC's KongServiceFacade gate with Kong's expressions router.
 */
const POLICIES: Policy[] = [
  DEFAULT_POLICY,
  { ...DEFAULT_POLICY, strict: true, translate: { ...DEFAULT_POLICY.translate, gatewayAlpha: true } },
  { ...DEFAULT_POLICY, rules: { 'missing-backend-service': 'deny', 'ingress-path-conflict': 'warn', 'tls-host-not-routed': 'off' }, customPlugins: ['keyauth'] },
  { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongServiceFacade: true, kongRouterFlavor: 'expressions' } },
];

const opArb = (few: string[]) => fc.record({
  key: fc.constantFrom(...few),
  kind: fc.constantFrom('put', 'put', 'relabel', 'delete'),
  version: fc.nat(),
});

// ---- fixed cases

const tlsIngress = (name: string, spec: string) =>
  yamlObjects(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: default
spec:
  ingressClassName: kong
${spec}`)[0]!;
const TLS_A = tlsIngress(
  'a',
  `  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}`,
);
const TLS_B = tlsIngress(
  'b',
  `  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}`,
);
const KONG_CLASS = yamlObjects(`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: kong
spec:
  controller: ingress-controllers.konghq.com/kong`)[0]!;

const WILDCARD_B = tlsIngress(
  'b',
  `  rules:
  - host: "*.example.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}`,
);
// HTTPRoute filters next to KongPlugins (filter-plugins.ts): versions of one route with a URLRewrite and the plugin in
// konghq.com/plugins, with an ExtensionRef to it (a read the dependants index does not hold), with a
// ResponseHeaderModifier; the plugin as request- or response-transformer, and a consumer that scopes it.
const FILTER_ROUTE = (annotation: string, filters: string) =>
  yamlObjects(httpRouteRules('fx', [`{matches: [{path: {type: PathPrefix, value: /fx}}], filters: [${filters}], backendRefs: [{name: echo, port: 1027}]}`], annotation))[0]!;
const FILTERS = [
  ...yamlObjects(KONG_BASE),
  ...yamlObjects(kongPluginYaml('fx-rt', 'request-transformer', 'config: {add: {headers: ["x-a:b"]}}')),
  ...yamlObjects(kongPluginYaml('fx-rt', 'response-transformer', 'config: {add: {headers: ["x-a:b"]}}')),
  ...yamlObjects(consumerYaml('fx-bob', 'username: fx-bob', 'konghq.com/plugins: fx-rt')),
  FILTER_ROUTE('fx-rt', '{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}'),
  FILTER_ROUTE('', '{type: ExtensionRef, extensionRef: {group: configuration.konghq.com, kind: KongPlugin, name: fx-rt}}, {type: RequestHeaderModifier, requestHeaderModifier: {remove: [x-b]}}'),
  FILTER_ROUTE('fx-rt', '{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}'),
];
// The fixed cases' objects join the random pool too, so sequences also route (and stop routing) TLS hosts.
const groups = await sourceGroups([KONG_CLASS, TLS_A, TLS_B, WILDCARD_B]);
groups.push(FILTERS);
const pool = versionsByKey(groups.flat());

/** Each operation as a step: a version of the key from the pool put, the stored object relabelled, or deleted. */
function run(w: World, ops: { key: string; kind: string; version: number }[], where: string): void {
  ops.forEach((op, i) => {
    const versions = pool.get(op.key)!;
    const current = w.store.get(op.key);
    const label = `step ${i}${where}: ${op.kind} ${op.key}`;
    if (op.kind === 'delete') step(w, versions[0]!, true, label);
    else if (op.kind === 'relabel') {
      if (current) step(w, relabelled(current, i), false, label);
    } else step(w, versions[op.version % versions.length]!, false, label);
  });
}

test(`scope by construction: evaluate = whole-state diff, report = rebuild, check = webhook (${RUNS} random sequences)`, (t) => {
  const first = stepsJudged;
  fc.assert(
    fc.property(fc.constantFrom(...BASES.keys()), opsArb(), fc.constantFrom(...POLICIES), (base, ops, policy) => {
      run(world(BASES[base]![1], policy), ops, ` on ${BASES[base]![0]}`);
    }),
    { numRuns: RUNS, ...(Number.isInteger(seed) ? { seed } : {}) },
  );
  t.diagnostic(`${stepsJudged - first} changes judged`);
});

// The kinds and settings KIC 3.5 fidelity added meet rarely among all the groups above: sequences over them alone
// (a tenth of the runs), from a state holding all of them (either version) or none, change class parameters,
// facades, custom entities, colliding globals and BackendTLSPolicies under judgements made before.
const NEW_KINDS = versionsByKey(newKindsGroup());
const NEW_KIND_BASES = [[], [...NEW_KINDS.values()].map((v) => v[0]!), [...NEW_KINDS.values()].map((v) => v[v.length - 1]!)];

test(`scope by construction over the new kinds alone (${Math.ceil(RUNS / 10)} random sequences)`, () => {
  fc.assert(
    fc.property(fc.constantFrom(...NEW_KIND_BASES), fc.array(opArb([...NEW_KINDS.keys()]), { minLength: 1, maxLength: 25 }), fc.constantFrom(...POLICIES), (base, ops, policy) => {
      run(world(base, policy), ops, '');
    }),
    { numRuns: Math.ceil(RUNS / 10), ...(Number.isInteger(seed) ? { seed } : {}) },
  );
});

test('TLS: deleting the only Ingress that routes another one\'s TLS host warns, and the report and both faces agree after it', () => {
  const w = world([KONG_CLASS, TLS_A, TLS_B]);
  const verdict = evaluate(w.store, { operation: 'DELETE', oldObject: TLS_B }, DEFAULT_POLICY, w.report);
  assert.deepEqual(
    verdict.warnings.filter((f) => !f.preexisting).map((f) => `${f.rule} ${refKey(f.object)}`),
    ['tls-host-not-routed networking.k8s.io/Ingress:default/a'],
    'deleting b introduces the warning on a',
  );
  step(w, TLS_B, true, 'delete b');
  // A label-only update of a: the warning is pre-existing on both faces.
  const relabel = relabelled(w.store.get(keyOf(TLS_A))!, 1);
  const serve = evaluate(w.store, { operation: 'UPDATE', object: relabel, oldObject: w.store.get(keyOf(TLS_A))! }, DEFAULT_POLICY, w.report);
  assert.deepEqual(serve.warnings.filter((f) => f.rule === 'tls-host-not-routed').map((f) => `${f.rule} ${f.preexisting ?? false}`), ['tls-host-not-routed true']);
  step(w, relabel, false, 'relabel a');
});

test('TLS: a wildcard route host elsewhere serves a TLS host; removing it warns', () => {
  const wildcard = WILDCARD_B;
  const w = world([KONG_CLASS, TLS_A]);
  step(w, wildcard, false, 'create b (*.example.com)');
  assert.deepEqual(w.report.allFindings().filter((f) => f.rule === 'tls-host-not-routed'), []);
  step(w, wildcard, true, 'delete b');
  assert.deepEqual(w.report.allFindings().map((f) => f.rule).filter((r) => r === 'tls-host-not-routed'), ['tls-host-not-routed']);
});

// ---- cost follows the change: no per-review work scans the cluster

/** A view that counts the objects it hands out and the kinds it lists. */
class CountingView implements StateView {
  objects = 0;
  readonly listed: string[] = [];
  private readonly base: StateView;
  constructor(base: StateView) {
    this.base = base;
  }
  get(key: string) {
    const obj = this.base.get(key);
    if (obj) this.objects++;
    return obj;
  }
  *list(kind: string) {
    this.listed.push(kind);
    for (const obj of this.base.list(kind)) {
      this.objects++;
      yield obj;
    }
  }
  all() {
    return this.base.all();
  }
  lookup(name: IndexName, value: string) {
    const found = this.base.lookup(name, value);
    this.objects += found.length;
    return found;
  }
  sequence(key: string) {
    return this.base.sequence(key);
  }
}

/** `teams` namespaces alike: Service, EndpointSlice, Ingress (TLS host routed by the other Ingress), KongPlugin, consumer. */
function teams(n: number): K8sObject[] {
  const objects: K8sObject[] = [ingressClass('kong', { isDefault: true })];
  for (let i = 0; i < n; i++) {
    const ns = `team-${i}`;
    objects.push(
      service('api', { ns }),
      endpointSlice('api-1', 'api', { ns }),
      kongPlugin('limit', 'rate-limiting', { ns, config: { minute: 5 } }),
      ingress('web', { ns, plugins: 'limit', paths: [{ host: `web.${ns}.example.com`, path: '/', service: 'api', port: 80 }], spec: { tls: [{ hosts: [`api.${ns}.example.com`] }] } }),
      ingress('api', { ns, paths: [{ host: `api.${ns}.example.com`, path: '/', service: 'api', port: 80 }] }),
      consumer('user', { ns, username: `user-${i}` }),
    );
  }
  return objects;
}

test('the objects a review reads do not grow with the cluster (20 teams or 200), and no rule scans a kind', () => {
  const changes = (objects: K8sObject[]): Change[] => {
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === 'team-3')!;
    const web = find('Ingress', 'web');
    return [
      { operation: 'UPDATE', object: { ...web, spec: { ...(web.spec as object), tls: [{ hosts: ['elsewhere.example.com'] }] } }, oldObject: web },
      { operation: 'DELETE', oldObject: find('Ingress', 'api') },
      { operation: 'DELETE', oldObject: find('EndpointSlice', 'api-1') },
      { operation: 'CREATE', object: consumer('other', { ns: 'team-3', username: 'user-5' }) },
      { operation: 'UPDATE', object: relabelled(find('Service', 'api'), 1), oldObject: find('Service', 'api') },
    ];
  };
  const cost = (n: number) => {
    const objects = teams(n);
    const store = new Store(objects);
    const report = new ProblemTracker(store, DEFAULT_POLICY);
    return changes(objects).map((change) => {
      const view = new CountingView(store);
      const verdict = evaluate(view, change, DEFAULT_POLICY, report);
      return { objects: view.objects, listed: view.listed, judged: verdict.judged };
    });
  };
  const small = cost(20);
  assert.deepEqual(cost(200), small);
  // The one listing is no-ready-endpoints' probe "does the state hold any EndpointSlice", which stops at the first.
  for (const c of small) assert.ok(c.listed.every((kind) => kind === 'EndpointSlice'), c.listed.join(', '));
});
