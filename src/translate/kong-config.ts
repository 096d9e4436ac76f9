// The whole Kong configuration of a state, entity by entity, each with its sources. The engine never needs
// this (it translates neighbourhoods); `ingress-guard translate` prints it so users can see what KIC would build.
import { refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { consumerView, gatewayListeners, ingressView, streamIngressView } from '../model/views.ts';
import type { Store } from '../state/store.ts';
import type { StateView } from '../state/view.ts';
import type { KongCertificate, KongConfig, KongService } from './kong.ts';
import { ROUTE_KINDS, type Translator } from './translator.ts';
import { upstreamTargets } from './upstream-targets.ts';

function merge<T extends { sources: ObjectRef[] }>(into: Map<string, T>, key: string, entity: T): void {
  const existing = into.get(key);
  if (!existing) into.set(key, { ...entity, sources: [...entity.sources] });
  else for (const s of entity.sources) if (!existing.sources.some((e) => refKey(e) === refKey(s))) existing.sources.push(s);
}

/** Certificates from managed Ingress and TCPIngress `spec.tls` and from our Gateways' listeners, with their SNIs (hosts). */
export function certificatesOf(tr: Translator, store: Pick<StateView, 'list'>): KongCertificate[] {
  const certificates = new Map<string, KongCertificate>();
  const addCertificate = (secret: ObjectRef, snis: string[], source: K8sObject) => {
    if (!tr.view.get(refKey(secret))) return;
    const key = refKey(secret);
    merge(certificates, key, { secret, snis: [], sources: [refOf(source), secret] });
    const cert = certificates.get(key)!;
    for (const sni of snis) if (!cert.snis.includes(sni)) cert.snis.push(sni);
  };
  // TCPIngress spec.tls feeds the same certificates as Ingress tls (translate_kong_l4.go, tcpIngressToNetworkingTLS).
  for (const ing of [...store.list('Ingress'), ...store.list('TCPIngress')]) {
    if (!tr.isManaged(ing)) continue;
    for (const tls of ing.kind === 'Ingress' ? ingressView(ing).tls : streamIngressView(ing).tls) {
      if (tls.secretName) addCertificate({ group: '', kind: 'Secret', namespace: ing.metadata.namespace ?? '', name: tls.secretName }, tls.hosts, ing);
    }
  }
  for (const gw of store.list('Gateway')) {
    if (!tr.isManaged(gw)) continue;
    for (const l of gatewayListeners(gw)) {
      for (const c of l.certificateRefs) addCertificate({ group: '', kind: 'Secret', namespace: c.namespace ?? gw.metadata.namespace ?? '', name: c.name }, l.hostname ? [l.hostname] : [], gw);
    }
  }
  return [...certificates.values()];
}

export function translateAll(tr: Translator, store: Store): KongConfig {
  const services = new Map<string, KongService>();
  const routes: KongConfig['routes'] = [];
  for (const kind of ROUTE_KINDS) {
    for (const obj of store.list(kind)) {
      for (const s of tr.servicesOf(obj)) merge(services, s.name, s);
      routes.push(...tr.routesOf(obj));
    }
  }
  const upstreams: KongConfig['upstreams'] = [...services.values()].map((s) => ({
    name: s.host,
    targets: upstreamTargets(tr, s),
    sources: s.backends.map((b) => b.service),
  }));
  const plugins = [...store.list('KongPlugin'), ...store.list('KongClusterPlugin')].flatMap((p) => tr.instances(p));
  const fromFilters = [...store.list('HTTPRoute')].map((r) => tr.httpRouteFilterPlugins(r));
  // Only on the routes KIC keeps (kic-drops.ts: a service whose filters fail goes with its routes).
  const kept = new Set(routes.map((r) => r.name));
  const filterPlugins = fromFilters.flatMap((f) => f.generated).filter((p) => kept.has(p.route));
  const extensionRefPlugins = fromFilters.flatMap((f) => f.extensionRefs).filter((p) => kept.has(p.route));

  const consumers: KongConfig['consumers'] = [];
  const credentials: KongConfig['credentials'] = [];
  for (const c of store.list('KongConsumer')) {
    if (!tr.isManaged(c)) continue;
    const v = consumerView(c);
    const ns = c.metadata.namespace ?? '';
    const groups = v.consumerGroups.filter((g) => tr.view.get(refKey({ group: 'configuration.konghq.com', kind: 'KongConsumerGroup', namespace: ns, name: g })));
    consumers.push({ ...(v.username ? { username: v.username } : {}), ...(v.customId ? { custom_id: v.customId } : {}), groups, sources: [refOf(c)] });
    for (const name of v.credentials) {
      const secret = tr.view.get(refKey({ group: '', kind: 'Secret', namespace: ns, name }));
      const type = secret ? tr.credentialType(secret) : undefined;
      if (secret && type) {
        credentials.push({ type, consumer: tr.consumerId(c), secret: refOf(secret), sources: [refOf(c), refOf(secret)] });
      }
    }
  }
  const consumerGroups = [...store.list('KongConsumerGroup')].filter((g) => tr.isManaged(g)).map((g) => ({ name: g.metadata.name, sources: [refOf(g)] }));

  return { services: [...services.values()], routes, upstreams, plugins, filterPlugins, extensionRefPlugins, consumers, consumerGroups, credentials, certificates: certificatesOf(tr, store) };
}
