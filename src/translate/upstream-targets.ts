// The targets of a Kong service's upstream, as KIC 3.5 builds them (translate_upstreams.go getUpstreams, findPort,
// getServiceEndpoints, getEndpoints, targetsForEndpoints, updateTargetMap). The one computation behind
// `translate` (JSON and deck), `trace` and the rules, so that none lists a target KIC would not send to Kong.
// KIC's --enable-drain-support is off by default, and not read: a not-ready endpoint is skipped, a ready one is kept
// even while terminating. Pure over the translator's view, so the values that call it keep their recorded reads.
import { isIP } from 'node:net';
import { annotation, asArray, asString, isRecord, refKey, type K8sObject } from '../model/object.ts';
import { ALL_GATEWAY_ROUTE_KINDS } from '../model/views.ts';
import { descending } from './deck-common.ts';
import type { KongService, KongTarget } from './kong.ts';
import type { Translator } from './translator.ts';

export interface KicServicePort {
  port: number;
  name: string;
  protocol: string;
  /** The Service port's targetPort as written (a number or a name); undefined when absent. */
  targetPort?: number | string;
}

const isExternalName = (svc: K8sObject) => isRecord(svc.spec) && svc.spec.type === 'ExternalName';

/** getEndpoints: whether KIC gives the Service's DNS name as the only target, instead of its endpoints. */
export function isServiceUpstream(tr: Translator, service: K8sObject): boolean {
  return annotation(service, 'ingress.kubernetes.io/service-upstream') === 'true' || tr.classParameters().spec.serviceUpstream;
}

/**
 * findPort: a number names the Service port with that number (for an ExternalName Service, which declares none, the
 * number itself); a name names the port of that name or whose targetPort is that name; no port the one port there is.
 */
export function kicFindPort(svc: K8sObject, want: number | string | undefined): KicServicePort | undefined {
  if (typeof want === 'number' && isExternalName(svc)) return { port: want, name: '', protocol: 'TCP', targetPort: want };
  if (want === undefined || typeof want === 'string') if (isExternalName(svc)) return undefined;
  const ports = asArray(isRecord(svc.spec) ? svc.spec.ports : undefined)
    .filter(isRecord)
    .map((p): KicServicePort => {
      const targetPort = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined;
      return { port: typeof p.port === 'number' ? p.port : 0, name: asString(p.name) ?? '', protocol: asString(p.protocol) ?? 'TCP', ...(targetPort === undefined ? {} : { targetPort }) };
    });
  if (want === undefined) return ports.length === 1 ? ports[0] : undefined;
  if (typeof want === 'number') return ports.find((p) => p.port === want);
  return ports.find((p) => p.name === want || (typeof p.targetPort === 'string' && p.targetPort === want));
}

/**
 * targetsForEndpoints: an IPv6 address in brackets. Go's net.IP.To4 takes an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * for IPv4, so that one stays bare.
 */
function hostPort(address: string, port: string): string {
  const v6 = isIP(address) === 6 && !/^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(new URL(`http://[${address.replace(/%.*/, '')}]/`).hostname);
  return `${v6 ? `[${address}]` : address}:${port}`;
}

/**
 * getServiceEndpoints: a service upstream (`ingress.kubernetes.io/service-upstream: "true"`, or the IngressClassParameters
 * serviceUpstream of KIC's IngressClass) gives the Service's own DNS name, an ExternalName Service its external name
 * with the port asked for; otherwise the first address of each ready endpoint of the EndpointSlice ports with the
 * Service port's name, for each protocol the Service's ports use (TCP always), without duplicates within a protocol
 * (getUpstreams sums the weights of a target found twice).
 */
export function endpointTargets(tr: Translator, svc: K8sObject, port: KicServicePort): string[] {
  const ns = svc.metadata.namespace ?? '';
  if (isServiceUpstream(tr, svc)) return [`${svc.metadata.name}.${ns}.svc:${port.port}`];
  if (isExternalName(svc)) return [hostPort(asString((svc.spec as Record<string, unknown>).externalName) ?? '', String(port.targetPort ?? port.port))];
  const protocols = new Set(['TCP', ...asArray((svc.spec as Record<string, unknown> | undefined)?.ports).filter(isRecord).map((p) => asString(p.protocol)).filter((p): p is string => !!p)]);
  const slices = tr.view.lookup('endpointSlices', `${ns}/${svc.metadata.name}`);
  const out: string[] = [];
  for (const protocol of protocols) {
    const found = new Set<string>();
    for (const slice of slices) {
      for (const p of asArray(slice.ports).filter(isRecord)) {
        if (typeof p.port !== 'number' || p.port < 0 || (asString(p.protocol) ?? 'TCP') !== protocol || (asString(p.name) ?? '') !== port.name) continue;
        for (const endpoint of asArray(slice.endpoints).filter(isRecord)) {
          const conditions = isRecord(endpoint.conditions) ? endpoint.conditions : {};
          const address = asArray(endpoint.addresses)[0];
          if (conditions.ready === false || typeof address !== 'string') continue;
          found.add(hostPort(address, String(p.port)));
        }
      }
    }
    out.push(...found);
  }
  return out;
}

/**
 * getUpstreams: each backend's targets (a backend whose Service is missing or has no such port adds none), without a
 * weight (Kong's 100) for Ingress, TCPIngress, UDPIngress and KongServiceFacade backends, or, for a Gateway API
 * backendRef, its weight shared among its targets (at least 1 unless the weight is 0); a target two backends share
 * gets the sum of both weights (updateTargetMap, an unset weight counting 100). In deckgen's order (descending).
 */
export function upstreamTargets(tr: Translator, s: KongService): KongTarget[] {
  // Only Gateway API backendRefs carry a weight (backendref.go SetWeight; the CRDs default it to 1).
  const weighted = (ALL_GATEWAY_ROUTE_KINDS as readonly string[]).includes(s.sources[0]?.kind ?? '');
  const byTarget = new Map<string, KongTarget>();
  for (const b of s.backends) {
    const svc = tr.view.get(refKey(b.service));
    const port = svc ? kicFindPort(svc, b.port) : undefined;
    if (!svc || !port) continue;
    const found = endpointTargets(tr, svc, port);
    const weight = weighted && found.length ? (b.weight !== 0 ? Math.max(1, Math.floor(b.weight / found.length)) : 0) : undefined;
    for (const target of found) {
      const held = byTarget.get(target);
      const sum = held ? (held.weight ?? 100) + (weight ?? 100) : weight;
      byTarget.set(target, sum === undefined ? { target } : { target, weight: sum });
    }
  }
  return [...byTarget.values()].sort(descending((t) => t.target));
}
