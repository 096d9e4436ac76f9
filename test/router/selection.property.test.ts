// Property (issue 14): for random traditional_compatible route sets and requests, the winner is a route part whose
// predicates all match the request, and no matching part has a greater (priority, ID). "Matches" is decided here by
// a small reference matcher written from router.md §3 for the features the generator uses (plain and wildcard hosts,
// plain prefixes, start-anchored regexes, methods, case-insensitive header values), not by the router's own code; the
// priority is the router's (its formula has its own vector tests). Bounded: small pools, 300 runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { partPriority } from '../../src/router/priority.ts';
import { expandRoutes, resolve, winnerOf } from '../../src/router/resolve.ts';
import { normaliseRequest, type RequestInput } from '../../src/router/request.ts';
import type { RoutePart, RouterRoute } from '../../src/router/route.ts';
import { runs } from '../hardening/arbitraries.ts';

const seed = Number(process.env.INGRESS_GUARD_PROPERTY_SEED);

const HOSTS = ['a.com', 'b.a.com', '*.a.com', 'a.*', 'c.org'];
const PATHS = ['/', '/a', '/a/', '/a/b', '/ab', '~/a$', '~/a/[0-9]+', '~/a/b$', '~/b'];
const REQUEST_HOSTS = ['a.com', 'b.a.com', 'x.y.a.com', 'a.org', 'c.org', 'd.net'];
const REQUEST_PATHS = ['/', '/a', '/a/', '/a/b', '/a/1', '/ab', '/b', '/b/c', '/c'];

const routeArb = fc.record(
  {
    hosts: fc.subarray(HOSTS, { minLength: 1, maxLength: 2 }),
    paths: fc.subarray(PATHS, { minLength: 1, maxLength: 3 }),
    methods: fc.subarray(['GET', 'POST'], { minLength: 1 }),
    headers: fc.constantFrom<Record<string, string[]>>({ x: ['1'] }, { x: ['1', 'TWO'], y: ['z'] }),
    regexPriority: fc.integer({ min: 0, max: 3 }),
    id: fc.uuid(),
  },
  { requiredKeys: ['id'] },
);

const requestArb = fc.record({
  host: fc.option(fc.constantFrom(...REQUEST_HOSTS), { nil: undefined }),
  path: fc.constantFrom(...REQUEST_PATHS),
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  headers: fc.constantFrom<Record<string, string>>({}, { x: '1' }, { x: 'two' }, { x: '1', y: 'Z' }),
});

/** router.md §3.1, for the generated features only. */
function referenceMatches(part: RoutePart, q: RequestInput): boolean {
  const r = part.route;
  if (r.hosts?.length) {
    const h = q.host;
    if (h === undefined) return false;
    const ok = r.hosts.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : p.endsWith('.*') ? h.startsWith(p.slice(0, -1)) : h === p));
    if (!ok) return false;
  }
  if (part.paths?.length) {
    const path = q.path ?? '/';
    if (!part.paths.some((p) => (p.startsWith('~') ? new RegExp(`^(?:${p.slice(1)})`).test(path) : path.startsWith(p)))) return false;
  }
  if (r.methods?.length && !r.methods.includes(q.method ?? 'GET')) return false;
  for (const [name, values] of Object.entries(r.headers ?? {})) {
    const sent = (q.headers as Record<string, string> | undefined)?.[name];
    if (sent === undefined || !values.some((v) => v.toLowerCase() === sent.toLowerCase())) return false;
  }
  return true;
}

/** (priority, ID) of `a` is greater than `b`'s: Kong tries `a` first. */
function before(a: RoutePart, b: RoutePart): boolean {
  const [pa, pb] = [partPriority(a).value, partPriority(b).value];
  return pa !== pb ? pa > pb : a.id.toLowerCase() > b.id.toLowerCase();
}

test('router selection: the winner matches, and no matching part has a greater (priority, ID)', () => {
  let decided = 0;
  fc.assert(
    fc.property(fc.array(routeArb, { minLength: 1, maxLength: 8 }), requestArb, (specs, q) => {
      const routes: RouterRoute[] = specs.map((s, i) => ({ ...s, name: `r${i}` }));
      const parts = expandRoutes(routes);
      const matching = parts.filter((p) => referenceMatches(p, q));
      const res = resolve(routes, q);
      // The winner-only entry point (witness checks) picks the same part on the same path.
      const winner = winnerOf(routes, normaliseRequest(q));
      assert.equal(winner?.part, res.winner?.part);
      assert.equal(winner?.matchedPath, res.winner?.matchedPath);
      if (!matching.length) {
        assert.equal(res.winner, undefined);
        assert.equal(res.outcome.status, 404);
        return;
      }
      if (res.winner) {
        decided++;
        const w = res.winner.part;
        assert.ok(referenceMatches(w, q), `winner ${w.id} does not match`);
        for (const p of matching) assert.ok(p === w || !before(p, w), `${p.id} matches and outranks the winner ${w.id}`);
      } else {
        // Kong's top band (match weight 4): the possible winners all match, and every other matching part ranks below.
        const possible = res.possibleWinners.map((c) => c.part);
        assert.ok(possible.length > 1);
        for (const p of possible) assert.ok(referenceMatches(p, q));
        for (const p of matching) if (!possible.includes(p)) assert.ok(possible.some((w) => before(w, p)));
      }
    }),
    { numRuns: runs(300), ...(Number.isInteger(seed) ? { seed } : {}) },
  );
  assert.ok(decided > 0, 'some runs have a winner (the property is not vacuous)');
});
