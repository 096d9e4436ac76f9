// Objects written to meet, for the random create/update/delete sequences of the scope and live-translation properties.
import type { K8sObject } from '../../src/model/object.ts';
import { keyOf } from '../../src/model/object.ts';
import { withAnnotations } from '../helpers.ts';
import { BASE as ROUTE_KINDS_BASE, objects as routeObjects, ROUTES } from '../unit/route-kinds-world.ts';

/**
 * GRPCRoute, TCPRoute, TLSRoute, UDPRoute, TCPIngress and UDPIngress, each in two versions (with and without two
 * rate-limiting plugins), and a consumer sharing one of them: plugin scopes that appear and move as they come and go.
 */
export function routeKindsGroup(): K8sObject[] {
  const plugin = (name: string) => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${name}, namespace: default}\nplugin: rate-limiting\nconfig: {minute: 5}\n`;
  const bob = `apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: rl-b}}\nusername: bob\n`;
  const routes = routeObjects(...ROUTES);
  return [
    ...routeObjects(ROUTE_KINDS_BASE, plugin('rl-a'), plugin('rl-b'), bob),
    ...routes,
    ...routes.map((o) => withAnnotations(o, { 'konghq.com/plugins': 'rl-a, rl-b' })),
  ];
}

/** Every version of every object, by key (distinct versions of one key make updates). */
export function versionsByKey(objects: Iterable<K8sObject>): Map<string, K8sObject[]> {
  const pool = new Map<string, K8sObject[]>();
  for (const obj of objects) {
    const key = keyOf(obj);
    const versions = pool.get(key) ?? [];
    if (!versions.some((v) => JSON.stringify(v) === JSON.stringify(obj))) versions.push(obj);
    pool.set(key, versions);
  }
  return pool;
}
