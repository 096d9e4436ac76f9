// The targets KIC 3.5 gives a backend's upstream (translate_upstreams.go findPort, getServiceEndpoints, getEndpoints,
// targetsForEndpoints), for `translate --output deck`. KIC's --enable-drain-support is off by default: a not-ready
// endpoint is skipped, a ready one is kept even while terminating.
import { isIP } from 'node:net';
import { asArray, asString, isRecord, type K8sObject } from '../model/object.ts';
import type { Translator } from './translator.ts';
import { isServiceUpstream } from './kong-config.ts';

export interface KicServicePort {
  port: number;
  name: string;
  protocol: string;
  /** The Service port's targetPort as written (a number or a name); undefined when absent. */
  targetPort?: number | string;
}

const isExternalName = (svc: K8sObject) => isRecord(svc.spec) && svc.spec.type === 'ExternalName';

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

/** targetsForEndpoints: an IPv6 address in brackets. */
const hostPort = (address: string, port: string) => `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;

/**
 * getServiceEndpoints: a service upstream (`ingress.kubernetes.io/service-upstream: "true"`, or the IngressClassParameters
 * serviceUpstream of KIC's IngressClass) gives the Service's own DNS name, an ExternalName
 * Service its external name with the port asked for; otherwise the first address of each ready endpoint of the
 * EndpointSlice ports with the Service port's name, for each protocol the Service's ports use (TCP always), without
 * duplicates within a protocol (the caller sums the weights of a target found twice).
 */
export function kicTargets(tr: Translator, svc: K8sObject, port: KicServicePort): string[] {
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
