// regex-route-tie: two regex paths the user wrote both match a request at the same Kong priority, so Kong's route-ID
// tie-break decides. Each finding case names the object it is on and words its message (or fix) must contain; each
// neighbour (disjoint regexes, different priorities, one Kong service, KIC's own regexes for Exact paths, ties KIC
// breaks itself under the expressions router) must stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { regexRouteTie } from '../../src/rules/regex-route-tie.ts';
import { routePrecedence } from '../../src/rules/route-precedence.ts';
import { Store } from '../../src/state/store.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';
import { run } from './support.ts';

/** The examples' base, a Gateway of ours in namespace team, and Services one and two in team and other. */
const BASE = `${KONG_BASE}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: team}
spec:
  gatewayClassName: kong
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
${['team/one', 'team/two', 'other/one', 'other/two']
  .map((s) => {
    const [ns, svc] = s.split('/');
    return `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${svc}, namespace: ${ns}}\nspec: {ports: [{name: http, port: 80}]}\n`;
  })
  .join('')}`;

interface Path {
  path: string;
  pathType?: string;
  service?: string;
  host?: string;
}

interface Spec {
  name: string;
  ns?: string;
  /** Minutes after 10:00: the older object has the smaller one. */
  at: number;
  paths: Path[];
  annotations?: Record<string, string>;
}

function meta(s: Spec): string {
  const anns = s.annotations ? `, annotations: ${JSON.stringify(s.annotations)}` : '';
  return `metadata: {name: ${s.name}, namespace: ${s.ns ?? 'team'}, creationTimestamp: "2026-01-01T10:${String(s.at).padStart(2, '0')}:00Z"${anns}}`;
}

/** An Ingress with one rule per path (ImplementationSpecific unless said). */
function ingress(s: Spec): string {
  const rules = s.paths
    .map((p) => `  - ${p.host ? `host: "${p.host}"\n    ` : ''}http:\n      paths:\n      - {path: "${p.path}", pathType: ${p.pathType ?? 'ImplementationSpecific'}, backend: {service: {name: ${p.service ?? 'one'}, port: {number: 80}}}}\n`)
    .join('');
  return `---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta(s)}\nspec:\n  ingressClassName: kong\n  rules:\n${rules}`;
}

/** An HTTPRoute on app.example.com with one rule per path (RegularExpression unless said). */
function httpRoute(s: Spec): string {
  const rules = s.paths.map((p) => `  - matches: [{path: {type: ${p.pathType ?? 'RegularExpression'}, value: "${p.path}"}}]\n    backendRefs: [{name: ${p.service ?? 'one'}, port: 80}]\n`).join('');
  return `---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n${meta(s)}\nspec:\n  parentRefs: [{name: kong, namespace: team}]\n  hostnames: [app.example.com]\n  rules:\n${rules}`;
}

interface Case {
  name: string;
  objects: string;
  expressions?: boolean;
  /** Per finding, in order: the object it is on and words its whole message (fix included) must contain; [] = silent. */
  want: [on: string, words: string[]][];
}

const cases: Case[] = [
  // ---- findings
  {
    name: 'KIC #3789: a broad and a narrow regex in one Ingress, host-less, to two Services',
    objects: ingress({ name: 'api', at: 1, paths: [{ path: '/~/api/v2/(.*)' }, { path: '/~/api/v2/(media/.*)', service: 'two' }] }),
    want: [
      [
        'Ingress team/api',
        [
          'has two routes whose regexes both match GET http://example.invalid/api/v2/media/x',
          'same Kong priority 0x0008000020000000',
          'regex /api/v2/(.*)',
          'regex /api/v2/(media/.*)',
          'by route ID',
          'applies to every route of api, so it cannot order these two',
        ],
      ],
    ],
  },
  {
    name: 'two Ingresses of different namespaces on one host: reported on the newer one, with a regex-priority that orders them',
    objects:
      ingress({ name: 'users', ns: 'other', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] }) +
      ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'app.example.com', service: 'two' }] }),
    want: [
      [
        'Ingress team/admins',
        ['Ingress team/admins and Ingress other/users have routes whose regexes both match GET http://app.example.com/users/admin', 'same Kong priority 0x1008000040000000', 'konghq.com/regex-priority: "1" on Ingress'],
      ],
    ],
  },
  {
    name: 'two HTTPRoutes with RegularExpression matches on one hostname',
    objects: httpRoute({ name: 'items', at: 1, paths: [{ path: '/items/[0-9]+' }] }) + httpRoute({ name: 'item-one', at: 2, paths: [{ path: '/items/1.*', service: 'two' }] }),
    want: [['HTTPRoute team/item-one', ['HTTPRoute team/item-one and HTTPRoute team/items', 'GET http://app.example.com/items/1', 'by route ID']]],
  },
  {
    name: 'an Ingress regex and an HTTPRoute regex on one host tie across kinds',
    objects: ingress({ name: 'legacy', at: 1, paths: [{ path: '/~/shop/.*', host: 'app.example.com' }] }) + httpRoute({ name: 'shop', at: 2, paths: [{ path: '/shop/cart.*', service: 'two' }] }),
    want: [['HTTPRoute team/shop', ['HTTPRoute team/shop and Ingress team/legacy', 'GET http://app.example.com/shop/cart']]],
  },
  {
    name: 'header matches share regex_priority bits in Kong 3.9 (Kong/kong#14457): from regex-priority 1 the next value that wins is 4, not 2',
    objects:
      ingress({ name: 'broad', at: 1, paths: [{ path: '/~/api/.*' }], annotations: { 'konghq.com/headers.x-team': 'a', 'konghq.com/regex-priority': '1' } }) +
      ingress({ name: 'narrow', at: 2, paths: [{ path: '/~/api/v1.*', service: 'two' }], annotations: { 'konghq.com/headers.x-team': 'a', 'konghq.com/regex-priority': '1' } }),
    want: [['Ingress team/narrow', ['with header x-team: a', 'konghq.com/regex-priority: "4" on Ingress team/narrow', 'konghq.com/regex-priority: "4" on Ingress team/broad']]],
  },
  {
    name: 'expressions router: two Ingress regexes of one length tie on KIC priority too, and KIC ignores regex-priority there',
    expressions: true,
    objects: ingress({ name: 'a', at: 1, paths: [{ path: '/~/v[0-9]/.*', host: 'app.example.com' }] }) + ingress({ name: 'b', at: 2, paths: [{ path: '/~/v1/[a-z]*', host: 'app.example.com', service: 'two' }] }),
    want: [['Ingress team/b', ['GET http://app.example.com/v1/', 'KIC ignores konghq.com/regex-priority with the expressions router']]],
  },
  // ---- neighbours
  {
    name: 'neighbour: KIC #3789 with disjoint regexes',
    objects: ingress({ name: 'api', at: 1, paths: [{ path: '/~/api/v2/(users/.*)' }, { path: '/~/api/v2/(media/.*)', service: 'two' }] }),
    want: [],
  },
  {
    name: 'neighbour: the two Ingresses ordered by konghq.com/regex-priority',
    objects:
      ingress({ name: 'users', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] }) +
      ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'app.example.com', service: 'two' }], annotations: { 'konghq.com/regex-priority': '10' } }),
    want: [],
  },
  {
    name: 'neighbour: the same regexes on different hosts',
    objects:
      ingress({ name: 'users', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] }) +
      ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'admin.example.com', service: 'two' }] }),
    want: [],
  },
  {
    name: 'neighbour: both regexes lead to one Kong service (the same backend answers)',
    objects: ingress({ name: 'users', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] }) + ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'app.example.com' }] }),
    want: [],
  },
  {
    name: "neighbour: KIC's own regex for an Exact path next to a written regex (route-precedence's and the path-conflict rules' business)",
    objects:
      ingress({ name: 'users', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] }) +
      ingress({ name: 'admin', at: 2, paths: [{ path: '/users/admin', pathType: 'Exact', host: 'app.example.com', service: 'two' }] }),
    want: [],
  },
  {
    name: 'neighbour: expressions router, KIC #3789 (regexes of different lengths: KIC ranks the longer first)',
    expressions: true,
    objects: ingress({ name: 'api', at: 1, paths: [{ path: '/~/api/v2/(.*)', host: 'app.example.com' }, { path: '/~/api/v2/(media/.*)', host: 'app.example.com', service: 'two' }] }),
    want: [],
  },
  {
    name: "neighbour: expressions router, two HTTPRoute regexes (KIC's relative order breaks the tie, oldest first)",
    expressions: true,
    objects: httpRoute({ name: 'items', at: 1, paths: [{ path: '/items/[0-9]+' }] }) + httpRoute({ name: 'item-one', at: 2, paths: [{ path: '/items/[1-2]+', service: 'two' }] }),
    want: [],
  },
];

for (const c of cases) {
  test(`regex-route-tie: ${c.name}`, () => {
    const got = run(yamlObjects(BASE + c.objects), [regexRouteTie], c.expressions ? { kongRouterFlavor: 'expressions' } : undefined);
    assert.deepEqual(
      got.map((f) => `${f.object.kind} ${f.object.namespace}/${f.object.name}`),
      c.want.map(([on]) => on),
      got.map((f) => f.message).join('\n'),
    );
    c.want.forEach(([, words], i) => {
      const f = got[i]!;
      for (const w of words) assert.ok(f.message.includes(w), `"${w}" missing in: ${f.message}`);
      assert.equal(f.severity, 'warn');
      for (const r of f.related) assert.ok(f.message.includes(`${r.kind} ${r.namespace}/${r.name}`), `names ${r.name}: ${f.message}`);
    });
  });
}

test('regex-route-tie: the regex-priority it suggests works: the annotated Ingress then serves the witness, where the next values do not', () => {
  const objects = (rp: string) =>
    yamlObjects(
      BASE +
        ingress({ name: 'broad', at: 1, paths: [{ path: '/~/api/.*' }], annotations: { 'konghq.com/headers.x-team': 'a', 'konghq.com/regex-priority': '1' } }) +
        ingress({ name: 'narrow', at: 2, paths: [{ path: '/~/api/v1.*', service: 'two' }], annotations: { 'konghq.com/headers.x-team': 'a', 'konghq.com/regex-priority': rp } }),
    );
  const [finding] = run(objects('1'), [regexRouteTie]);
  const suggested = /konghq\.com\/regex-priority: "(\d+)" on Ingress team\/narrow/.exec(finding!.message)?.[1];
  assert.equal(suggested, '4');
  const served = (rp: string) =>
    traceRequest(new Translator(new Store(objects(rp)), DEFAULT_TRANSLATE_CONFIG), { url: 'http://example.invalid/api/v1', headers: { 'x-team': ['a'] } }).service?.name;
  assert.equal(served(suggested!), 'team.two.80');
  assert.deepEqual(run(objects(suggested!), [regexRouteTie]), []);
  // 2 ORs into the header count's bit (below the tie), 3 back to the tied value: the broad route keeps the request.
  assert.equal(served('2'), 'team.one.80');
  assert.equal(run(objects('3'), [regexRouteTie]).length, 1);
});

test('regex-route-tie and route-precedence never report one tie twice: regexes of different literal starts in one namespace', () => {
  // `/~/api/.*` and `/~/api/v1/.*` tie; route-precedence reports the pair when Kong (by route ID) picks the broad one,
  // regex-route-tie when it picks the narrow one. Exactly one of them speaks, whichever the names make win.
  // Route IDs (kicRouteId of team.<name>.<service>.app.example.com.80): broad eeee40f0-…; v1 40897757-… (lower: broad
  // wins), v1-e f5a586b5-… (greater: the narrow one wins).
  const seen = new Set<string>();
  for (const narrow of ['v1', 'v1-e']) {
    const objects = yamlObjects(
      BASE + ingress({ name: 'broad', at: 1, paths: [{ path: '/~/api/.*', host: 'app.example.com' }] }) + ingress({ name: narrow, at: 2, paths: [{ path: '/~/api/v1/.*', host: 'app.example.com', service: 'two' }] }),
    );
    const found = run(objects, [regexRouteTie, routePrecedence]).map((f) => f.rule);
    assert.equal(found.length, 1, `${narrow}: ${found.join(', ')}`);
    seen.add(found[0]!);
  }
  // The names cover both outcomes, so both rules' sides of the split are exercised.
  assert.deepEqual([...seen].sort(), ['regex-route-tie', 'route-precedence']);
});

test('regex-route-tie: judged on a CREATE too, as a warning on the created object naming the older one', () => {
  const store = new Store(yamlObjects(BASE + ingress({ name: 'users', at: 1, paths: [{ path: '/~/users/[a-z]+', host: 'app.example.com' }] })));
  const [object] = yamlObjects(ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'app.example.com', service: 'two' }] })) as [K8sObject];
  const verdict = evaluate(store, { operation: 'CREATE', object }, DEFAULT_POLICY);
  assert.deepEqual(verdict.denials, []);
  const warnings = verdict.warnings.filter((w) => w.rule === 'regex-route-tie');
  assert.deepEqual(
    warnings.map((w) => [w.object.name, w.related.map((r) => r.name)]),
    [['admins', ['users']]],
  );
});

test('regex-route-tie: an UPDATE of the older object that creates the tie warns, on the newer object, naming the change', () => {
  const older = (path: string) => ingress({ name: 'users', at: 1, paths: [{ path, host: 'app.example.com' }] });
  const store = new Store(yamlObjects(BASE + older('/~/members/[a-z]+') + ingress({ name: 'admins', at: 2, paths: [{ path: '/~/users/admin.*', host: 'app.example.com', service: 'two' }] })));
  const [object] = yamlObjects(older('/~/users/[a-z]+')) as [K8sObject];
  const verdict = evaluate(store, { operation: 'UPDATE', object }, DEFAULT_POLICY);
  const warnings = verdict.warnings.filter((w) => w.rule === 'regex-route-tie');
  assert.deepEqual(
    warnings.map((w) => w.object.name),
    ['admins'],
  );
  assert.match(warnings[0]!.message, /Ingress team\/users/);
});
