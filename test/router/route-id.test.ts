// Route IDs decide ties, so they must be the ones KIC and Kong compute. Expected values come from other
// projects' own tests and golden files, not from this code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kicRouteId, splitPartId, uuidV5 } from '../../src/router/route-id.ts';

test('uuidV5 is RFC 4122 v5, as lua-resty-jit-uuid generate_v5 (its test t/05-generate_v5.t)', () => {
  assert.equal(uuidV5('e6ebd542-06ae-11e6-8e82-bba81706b27d', 'hello'), '4850816f-1658-5890-8bfd-1ed14251f1f0');
  assert.equal(uuidV5('e6ebd542-06ae-11e6-8e82-bba81706b27d', 'foobar'), 'c9be99fc-326b-5066-bdba-dcd31a6d01ab');
  assert.equal(uuidV5('1b985f4a-06be-11e6-aff4-ff8d14e25128', 'hello'), 'e90a1bfc-d349-5ec0-89fe-b29f2419624b');
  assert.equal(uuidV5('1b985f4a-06be-11e6-aff4-ff8d14e25128', 'foobar'), '98520401-1e2b-5cbb-926b-c5c4aae4e69d');
  assert.throws(() => uuidV5('not-a-uuid', 'x'));
});

test('kicRouteId is go-kong Route.FillID (go-kong kong/ids_test.go)', () => {
  assert.equal(kicRouteId('some.service.name'), '7f0753cd-bff2-5f74-85b0-e8e2057d9500');
});

test('kicRouteId reproduces KIC 3.5 golden route IDs (internal/dataplane/testdata/golden)', () => {
  // ingress-v1-regex-prefix-exact-rule (and every golden with this Ingress)
  assert.equal(kicRouteId('foo-namespace.foo.foo-svc.example.com.80'), '3eee2c18-8fcc-5661-8f84-5c89adfa404f');
  // httproute-example
  assert.equal(kicRouteId('httproute.default.httproute-testing.0.0'), '073fc413-1c03-50b4-8f44-43367c13daba');
  assert.equal(kicRouteId('httproute.default.httproute-testing.1.0'), '4deff45c-4095-55d2-80ab-aea40c0ac7bd');
  assert.equal(kicRouteId('httproute.default.httproute-testing.3.0'), '80ab997f-3534-58af-a969-300888c6058a');
});

test('a workspace prefixes the name with "workspace/"', () => {
  assert.equal(kicRouteId('r', 'ws'), uuidV5(uuidV5('fd02801f-0957-4a15-a55a-c8d9606f30b5', 'routes'), 'ws/r'));
  assert.notEqual(kicRouteId('r', 'ws'), kicRouteId('r'));
});

test('split parts get uuidv5(7f145bf9-…, "<id>#<group>") (router.md V-T6)', () => {
  assert.equal(kicRouteId('a.ing-a.svc-a.h.example.com.80'), 'a96931d4-d67f-5b4e-9aaf-e99f77c951a5');
  assert.equal(splitPartId('a96931d4-d67f-5b4e-9aaf-e99f77c951a5', 2), 'b0e940d1-fc10-5bac-bba1-7ba349f01223');
  assert.equal(kicRouteId('b.ing-b.svc-b.h.example.com.80'), 'b58964ec-a579-5df2-82ee-0023f4d4d4ba');
});
