// Turns record.lua's output (every route list, request and assertion Kong's router unit spec makes) into the
// fixture test/router/kong-router-spec.test.ts reads: one case per (routes, request, expected winner), with the
// flavors it runs under. Run by hand:
//
//   node scripts/kong-router-spec/convert.ts /tmp/kong-router-spec.json > test/fixtures/kong-router-spec/unit.json
//
// A case's expectation is what the spec asserts about that request: a route of the list (by its 1-based index),
// no route, or some route (the test reads the match's fields without saying which route it is). Requests the
// spec asserts nothing about (the argument-type checks of select()) are dropped, and so are the #benchmarks
// route lists (10^5 generated routes each), counted in `skipped`.
import { readFileSync } from 'node:fs';

interface Recorded {
  source: Record<string, string>;
  routers: { index: number; flavor: string; subsystem: string; routes: unknown[]; rebuilt: boolean; describe: string[]; it: string | null; line: number | null }[];
  queries: {
    router: number;
    via: string;
    request: Record<string, unknown>;
    describe: string[];
    it: string | null;
    line: number | null;
    assertions: { expect: string | { route?: number; not_route?: number }; how: string; line: number | null }[];
    reads?: string[];
  }[];
}

const recorded = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Recorded;
const MAX_ROUTES = 1000;

type Expect = { route: number } | { none: true } | { some: true } | { notRoute: number };
const cases = new Map<string, Record<string, unknown> & { flavors: string[]; assertedBy: string[]; line: number | null; subsystem: string }>();
const skipped: Record<string, number> = {};
const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);

for (const q of recorded.queries) {
  const router = recorded.routers[q.router - 1]!;
  if (router.routes.length > MAX_ROUTES) {
    skip(`#benchmarks: ${router.routes.length} generated routes, not stored`);
    continue;
  }
  const routeExpects = new Set<number>();
  const notRoutes = new Set<number>();
  let none = false;
  let some = false;
  for (const a of q.assertions) {
    if (typeof a.expect === 'object') {
      if (a.expect.route !== undefined) routeExpects.add(a.expect.route);
      if (a.expect.not_route !== undefined) notRoutes.add(a.expect.not_route);
    } else if (a.expect === 'none') none = true;
    else if (a.expect === 'some') some = true;
  }
  let expect: Expect;
  if (routeExpects.size > 1 || (routeExpects.size && none) || (some && none)) {
    skip('contradictory assertions');
    continue;
  } else if (routeExpects.size === 1) expect = { route: [...routeExpects][0]! };
  else if (none) expect = { none: true };
  else if (some) expect = { some: true };
  else if (notRoutes.size === 1) expect = { notRoute: [...notRoutes][0]! };
  else {
    skip('nothing asserted about the match (select() argument checks)');
    continue;
  }
  const flavorDescribe = q.describe[0]!;
  const describe = q.describe.slice(1);
  const body = {
    describe,
    it: q.it,
    line: q.line,
    routerLine: router.line,
    subsystem: router.subsystem,
    ...(router.rebuilt ? { rebuilt: true } : {}),
    via: q.via,
    routes: router.routes,
    request: q.request,
    expect,
  };
  // What the test asserts, and where: a flavor may assert more (the traditional router's matched host), which
  // does not make it another case.
  const assertedBy = q.assertions.map((a) => `${a.how}${a.line ? ` (line ${a.line})` : ''}`);
  const key = JSON.stringify(body);
  const flavor = /flavor = (\w+)/.exec(flavorDescribe)?.[1] ?? router.flavor;
  const found = cases.get(key);
  if (found) {
    if (!found.flavors.includes(flavor)) found.flavors.push(flavor);
    for (const a of assertedBy) if (!found.assertedBy.includes(a)) found.assertedBy.push(a);
  } else cases.set(key, { id: '', flavors: [flavor], ...body, assertedBy: [...new Set(assertedBy)] });
}

const ids = new Map<string, number>();
const out = [...cases.values()].map((c) => {
  const base = `08-router_spec.lua:${c.line}`;
  const n = (ids.get(base) ?? 0) + 1;
  ids.set(base, n);
  return { ...c, id: n === 1 ? base : `${base}#${n}` };
});

const perFlavor: Record<string, number> = {};
for (const c of out) for (const f of c.flavors) perFlavor[`${f}/${String(c.subsystem)}`] = (perFlavor[`${f}/${String(c.subsystem)}`] ?? 0) + 1;

process.stdout.write(
  JSON.stringify(
    {
      source: {
        ...recorded.source,
        how: 'recorded by running the spec under scripts/kong-router-spec/record.lua (kong.router replaced by a recorder), converted by scripts/kong-router-spec/convert.ts',
      },
      counts: { cases: out.length, perFlavor, skipped },
      cases: out,
    },
    null,
    1,
  ) + '\n',
);
