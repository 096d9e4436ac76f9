import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResolution } from '../../src/router/render.ts';
import { resolve } from '../../src/router/resolve.ts';
import type { RouterRoute } from '../../src/router/route.ts';

const routes: RouterRoute<{ object: string }>[] = [
  { id: 'a0000000-0000-5000-8000-000000000000', name: 'ns.login', paths: ['~/login$'], provenance: { object: 'Ingress team-a/login' } },
  { id: 'b0000000-0000-5000-8000-000000000000', name: 'ns.api', paths: ['/'], methods: ['POST'], provenance: { object: 'Ingress team-b/api-post' } },
  { id: 'c0000000-0000-5000-8000-000000000000', name: 'ns.secure', hosts: ['a.com'], paths: ['/s'], protocols: ['https'] },
];
const label = (r: RouterRoute<{ object: string }>) => r.provenance?.object ?? r.name;

test('a winner, with why it beats the other matching route', () => {
  const lines = renderResolution(resolve(routes, { method: 'POST', path: '/login' }), { label });
  assert.equal(lines[0], 'POST http://(no Host)/login [traditional_compatible]');
  assert.match(lines[1]!, /^served by Ingress team-a\/login, priority 0x0008000020000000, route ID a0000000-/);
  assert.match(lines[2]!, /^ {2}over Ingress team-b\/api-post: it has a regex path/);
});

test('a 404 lists the nearest routes and the first reason each fails', () => {
  const lines = renderResolution(resolve(routes, { host: 'b.com:8080', path: '/a/../x' }), { label, nearest: 2 });
  assert.equal(lines[0], 'GET http://b.com:8080/x (normalised from /a/../x) [traditional_compatible]');
  assert.equal(lines[1], 'Kong answers 404 no Route matched with those values');
  assert.equal(lines[2], 'nearest routes:');
  assert.equal(lines.length, 5);
});

test('an https-only route answers http with 426', () => {
  const lines = renderResolution(resolve(routes, { host: 'a.com', path: '/s' }));
  assert.ok(lines.includes('Kong answers 426 Please use HTTPS protocol'));
});
