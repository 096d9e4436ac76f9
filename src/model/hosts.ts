// Which route hosts can serve a TLS host, as index entries: the tls-host-not-routed rule looks up the few
// entries that can match a host instead of reading every Ingress and HTTPRoute.
//
// A route host serves a TLS host when it is empty (serves every host), equal, a wildcard matching it, or
// matched by it when the TLS host is the wildcard (`*.example.com` covers `a.example.com` and
// `a.b.example.com`). Entries are lower-case: the host itself, and `.suffix` for every dot-suffix of it
// (what a wildcard TLS host looks up).
import type { K8sObject } from './object.ts';
import { gatewayRouteView, httpRouteView, ingressView } from './views.ts';

/** The hosts an Ingress's paths or an HTTPRoute's or GRPCRoute's rules are served for ('' = every host). */
export function routedHosts(obj: K8sObject): string[] {
  if (obj.kind === 'Ingress') return ingressView(obj).paths.map((p) => p.host);
  // A GRPCRoute is served by the same HTTP proxy listeners, so an Ingress certificate serves its hosts too.
  // Without hostnames it takes its listeners' (or every host): counted as every host, so no TLS host is called unrouted wrongly.
  if (obj.kind === 'HTTPRoute' || obj.kind === 'GRPCRoute') {
    const v = obj.kind === 'HTTPRoute' ? httpRouteView(obj) : gatewayRouteView(obj);
    return v.rules.length ? (v.hostnames.length ? v.hostnames : ['']) : [];
  }
  return [];
}

/** Index entries of one object: each routed host and each of its dot-suffixes. */
export function routedHostKeys(obj: K8sObject): string[] {
  const keys = new Set<string>();
  for (const raw of routedHosts(obj)) {
    const host = raw.toLowerCase();
    keys.add(host);
    for (let i = host.indexOf('.', 1); i > 0; i = host.indexOf('.', i + 1)) keys.add(host.slice(i));
  }
  return [...keys];
}

/** The entries whose routes may serve this TLS host: '', the host, the wildcards above it, and its suffix if it is a wildcard. */
export function routedHostCandidates(tlsHost: string): string[] {
  const host = tlsHost.toLowerCase();
  const keys = new Set(['', host]);
  for (let i = host.indexOf('.', 1); i > 0; i = host.indexOf('.', i + 1)) keys.add(`*${host.slice(i)}`);
  if (host.startsWith('*.')) keys.add(host.slice(1));
  return [...keys];
}
