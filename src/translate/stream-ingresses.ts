// TCPIngress and UDPIngress (configuration.konghq.com/v1beta1) -> Kong services and routes, as KIC 3.5 does in
// internal/dataplane/translator/translate_kong_l4.go (ingressRulesFromTCPIngressV1beta1, ...UDPIngressV1beta1):
// one Kong route per rule matching the rule's port as a destination (and its host as an SNI, TCPIngress), and one
// Kong service per backend Service and port, shared by the rules that name it.
import { refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { streamIngressView } from '../model/views.ts';
import type { RouteTranslation } from './gateway-routes.ts';
import type { KongRoute, KongService } from './kong.ts';
import { kicRouteId } from '../router/route-id.ts';

export function translateStreamIngress(obj: K8sObject): RouteTranslation {
  const ns = obj.metadata.namespace ?? '';
  const source = refOf(obj);
  const udp = obj.kind === 'UDPIngress';
  // UDPIngress names carry a ".udp" suffix so they never collide with a TCPIngress's or an Ingress's.
  const suffix = udp ? '.udp' : '';
  const services = new Map<string, KongService>();
  const routes: KongRoute[] = [];
  for (const rule of streamIngressView(obj).rules) {
    // The CRD requires both; without them KIC cannot build the backend (NewServiceBackendForService) and skips the rule.
    if (!rule.serviceName || rule.servicePort === undefined) continue;
    const name = `${ns}.${rule.serviceName}.${rule.servicePort}${suffix}`;
    if (!services.has(name)) {
      const service: ObjectRef = { group: '', kind: 'Service', namespace: ns, name: rule.serviceName };
      services.set(name, {
        name,
        host: `${rule.serviceName}.${ns}.${rule.servicePort}.svc`,
        protocol: udp ? 'udp' : 'tcp',
        backends: [{ service, port: rule.servicePort, weight: 1 }],
        sources: [source],
      });
    }
    const routeName = `${ns}.${obj.metadata.name}.${rule.index}${suffix}`;
    const route: KongRoute = {
      id: kicRouteId(routeName),
      name: routeName,
      service: name,
      hosts: [],
      paths: [],
      methods: [],
      protocols: udp ? ['udp'] : ['tcp', 'tls'],
      destinations: rule.port === undefined ? [] : [rule.port],
      field: rule.field,
      sources: [source],
    };
    if (!udp && rule.host) route.snis = [rule.host];
    routes.push(route);
  }
  return { services: [...services.values()], routes };
}
