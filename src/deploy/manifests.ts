// Every object ingress-guard runs as, from one set of functions: `ingress-guard install` prints them with the
// operator's options, and deploy/ (kustomize) is the same output for the defaults (src/deploy/kustomize.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { DEFAULT_POLICY } from '../engine/policy.ts';
import { KINDS } from '../model/kinds.ts';
import { CERT_MANAGER_INJECT, TIMEOUT_SECONDS, webhookManifest, type FailurePolicy, type KubernetesVersion } from './webhook-config.ts';
import type { Manifest } from './yaml.ts';

export const NAME = 'ingress-guard';
export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
export const IMAGE_REPOSITORY = 'ghcr.io/ingress-guard/ingress-guard';
export const DEFAULT_IMAGE = `${IMAGE_REPOSITORY}:${VERSION}`;
export const TLS_SECRET = 'ingress-guard-tls';
export const AUTH_SECRET = 'ingress-guard-auth';
export const CONFIG_MAP = 'ingress-guard-config';
/** Where the pod mounts its Secrets and configuration; the image's default --tls-cert/--tls-key match TLS_MOUNT. */
export const TLS_MOUNT = '/certs';
export const AUTH_MOUNT = '/auth';
export const CONFIG_MOUNT = '/etc/ingress-guard';
/** serve's default --shutdown-delay: the pod keeps answering this long after SIGTERM (src/cli/serve.ts). */
export const SHUTDOWN_DELAY_SECONDS = 5;
/** Slack for closing informers and flushing logs after the drain. */
const STOP_SLACK_SECONDS = 20;

const LABELS = { 'app.kubernetes.io/name': NAME };
const POD_LABELS = { ...LABELS, 'app.kubernetes.io/component': 'webhook' };

/**
 * How the serving certificate gets there. `generate`: install embeds it (Secret + caBundle); `cert-manager`:
 * Issuers and Certificates, cainjector fills the caBundle; `external`: the operator creates the Secret and
 * patches the caBundle (the kustomize base, docs/deploy.md).
 */
export type CertsSource = { mode: 'generate'; caCert: string; cert: string; key: string } | { mode: 'cert-manager' } | { mode: 'external' };

/** Caller authentication material: the PEM or token itself (install), or 'external' (a Secret the operator creates). */
export interface AuthOptions {
  clientCa?: string | 'external';
  pathToken?: string | 'external';
}

export interface InstallOptions {
  namespace: string;
  ingressClass: string;
  controllerName: string;
  image: string;
  replicas: number;
  failurePolicy: FailurePolicy;
  kubernetesVersion: KubernetesVersion;
  certs: CertsSource;
  auth: AuthOptions;
}

export const DEFAULTS: InstallOptions = {
  namespace: NAME,
  ingressClass: DEFAULT_POLICY.translate.ingressClass,
  controllerName: DEFAULT_POLICY.translate.gatewayControllerName,
  image: DEFAULT_IMAGE,
  replicas: 2,
  failurePolicy: 'Ignore',
  kubernetesVersion: { major: 1, minor: 28 },
  certs: { mode: 'external' },
  auth: {},
};

const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({ name, ...(namespace ? { namespace } : {}), labels: { ...LABELS }, ...extra });
const b64 = (text: string) => Buffer.from(text).toString('base64');

export function namespaceManifest(o: InstallOptions): Manifest {
  return {
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    comments: {
      'metadata.labels':
        "The webhook's own namespace is excluded from it (namespaceSelector on kubernetes.io/metadata.name),\nso its pods can always be recreated, even with failurePolicy Fail.",
    },
  };
}

export function serviceAccountManifest(o: InstallOptions): Manifest {
  return { object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME, o.namespace) } };
}

/** get/list/watch on exactly the kinds the engine reads (KINDS), one rule per API group. */
export function clusterRoleManifest(): Manifest {
  const byGroup = new Map<string, string[]>();
  for (const k of KINDS) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.resource]);
  return {
    header:
      'Read-only: the webhook keeps informer caches of everything that feeds KIC\'s translation and never writes.\nNote: list/watch on Secrets is cluster-wide. The engine keeps only digests of credential values, never\nthe values themselves (src/model/secret.ts), but the permission is still read access to every Secret.',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(NAME),
      rules: [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: ['get', 'list', 'watch'] })),
    },
  };
}

export function clusterRoleBindingManifest(o: InstallOptions): Manifest {
  return {
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(NAME),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: o.namespace }],
    },
  };
}

/** serve's configuration file (--config): the class and controller KIC runs with. */
export function configFileText(o: InstallOptions): string {
  return stringify({ ingressClass: o.ingressClass, gatewayControllerName: o.controllerName });
}

export function configMapManifest(o: InstallOptions): Manifest {
  return {
    header: `serve --config (README "Configuration"): also rules, strict, customPlugins, ignoreNamespaces. Read at start:\nthe Deployment's ingress-guard.dev/config-sha256 annotation rolls the pods when install changes it.`,
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(CONFIG_MAP, o.namespace), data: { 'config.yaml': configFileText(o) } },
  };
}

export function serviceManifest(o: InstallOptions): Manifest {
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(NAME, o.namespace),
      spec: { type: 'ClusterIP', selector: { ...POD_LABELS }, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    comments: { 'spec.ports.0': `The API server calls https://${NAME}.${o.namespace}.svc:443/validate.` },
  };
}

/** serve's arguments for caller authentication (files in the Secret AUTH_SECRET, mounted at AUTH_MOUNT). */
export function authArgs(auth: AuthOptions): string[] {
  return [
    ...(auth.clientCa ? ['--client-ca', `${AUTH_MOUNT}/client-ca.crt`] : []),
    ...(auth.pathToken ? ['--path-token-file', `${AUTH_MOUNT}/path-token`] : []),
  ];
}

// Directory mounts, not subPath: the kubelet updates the files when a Secret changes and serve reloads them.
export const AUTH_VOLUME_MOUNT = { name: 'auth', mountPath: AUTH_MOUNT, readOnly: true };
export const AUTH_VOLUME = { name: 'auth', secret: { secretName: AUTH_SECRET, defaultMode: 0o440 } };

export function deploymentManifest(o: InstallOptions): Manifest {
  const auth = Boolean(o.auth.clientCa || o.auth.pathToken);
  const configHash = createHash('sha256').update(configFileText(o)).digest('hex').slice(0, 16);
  const podSelector = { matchLabels: { ...POD_LABELS } };
  const nonRoot = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 };
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAME, o.namespace, { labels: { ...POD_LABELS } }),
    spec: {
      replicas: o.replicas,
      revisionHistoryLimit: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      selector: podSelector,
      template: {
        metadata: { labels: { ...POD_LABELS }, annotations: { 'ingress-guard.dev/config-sha256': configHash } },
        spec: {
          serviceAccountName: NAME,
          terminationGracePeriodSeconds: SHUTDOWN_DELAY_SECONDS + TIMEOUT_SECONDS + STOP_SLACK_SECONDS,
          securityContext: { ...nonRoot, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: podSelector }],
          affinity: {
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: podSelector } }] },
          },
          containers: [
            {
              name: NAME,
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', '--tls-cert', `${TLS_MOUNT}/tls.crt`, '--tls-key', `${TLS_MOUNT}/tls.key`, '--config', `${CONFIG_MOUNT}/config.yaml`, ...authArgs(o.auth)],
              env: [
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [
                { name: 'https', containerPort: 8443, protocol: 'TCP' },
                { name: 'diagnostics', containerPort: 10254, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/readyz', port: 'diagnostics' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'diagnostics' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
              securityContext: { ...nonRoot, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [
                { name: 'tls', mountPath: TLS_MOUNT, readOnly: true },
                { name: 'config', mountPath: CONFIG_MOUNT, readOnly: true },
                ...(auth ? [AUTH_VOLUME_MOUNT] : []),
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'tls', secret: { secretName: TLS_SECRET, defaultMode: 0o440 } },
            { name: 'config', configMap: { name: CONFIG_MAP } },
            ...(auth ? [AUTH_VOLUME] : []),
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
  const c = 'spec.template.spec.containers.0';
  return {
    object,
    comments: {
      'spec.template.spec.terminationGracePeriodSeconds': `On SIGTERM serve stays ready-false but answering for --shutdown-delay (${SHUTDOWN_DELAY_SECONDS} s) while the endpoint is\nremoved, then drains in-flight reviews (the API server gives up after ${TIMEOUT_SECONDS} s): this covers both, with slack.`,
      'spec.template.spec.topologySpreadConstraints': 'ScheduleAnyway: a single-node cluster still gets every replica.',
      [`${c}.readinessProbe`]: 'Ready only once the caches are synced: the Service sends no reviews to a cold replica.',
      [`${c}.resources`]:
        'Memory grows with the informer caches (every Service, Secret, Ingress, ... in the cluster): raise the\nlimit for large clusters. The CPU limit is generous so throttling never eats into the 5 s admission timeout.',
      [`${c}.volumeMounts`]: 'Directory mounts, not subPath: the kubelet updates the files when a Secret changes and serve\nreloads the serving pair and the client CA without a restart.',
      'spec.template.spec.volumes.0': `Secret ${TLS_SECRET} (kubernetes.io/tls): from \`ingress-guard install\`, \`ingress-guard certs\` (docs/deploy.md)\nor cert-manager. defaultMode 288 is 0440 (owner and group read; the pod's fsGroup).`,
    },
  };
}

/** minAvailable 1 keeps one replica through node drains; with a single replica it would block every drain. */
export function podDisruptionBudgetManifest(o: InstallOptions): Manifest | undefined {
  if (o.replicas < 2) return undefined;
  return {
    header: 'Keeps one replica up through node drains: with failurePolicy Fail, zero replicas means every\nIngress/Service/Kong write in the cluster is rejected; with Ignore, it means nothing is checked.',
    object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(NAME, o.namespace), spec: { minAvailable: 1, selector: { matchLabels: { ...POD_LABELS } } } },
  };
}

export function networkPolicyManifest(o: InstallOptions): Manifest {
  const tcp = (port: number) => ({ port, protocol: 'TCP' });
  return {
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(NAME, o.namespace),
      spec: {
        podSelector: { matchLabels: { ...POD_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { ports: [tcp(8443)] },
          { from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [tcp(10254)] },
        ],
        egress: [
          { ports: [tcp(443), tcp(6443)] },
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: 53, protocol: 'UDP' }, tcp(53)],
          },
        ],
      },
    },
    comments: {
      'spec.ingress.0':
        'Admission calls come from the API server, whose source address is not selectable (host network,\nor outside the cluster on managed control planes): the webhook port is open to any source\n(docs/deploy.md, "Authenticating the API server", closes it).',
      'spec.ingress.1': 'Diagnostics (/metrics, /healthz, /readyz): this namespace and a namespace named "monitoring".\nKubelet probes come from the node and are not subject to NetworkPolicy in common CNIs.',
      'spec.egress.0':
        "The Kubernetes API (informers). 443 is the kubernetes Service port, 6443 the usual endpoint port\n(most CNIs evaluate egress after the Service's DNAT). Destination addresses are not restricted\nbecause the API server's addresses differ per cluster; narrow with ipBlock if you know them.",
      'spec.egress.1': 'DNS.',
    },
  };
}

/** The serving pair and its CA as a kubernetes.io/tls Secret (install --certs generate). */
export function tlsSecretManifest(o: InstallOptions, pair: { caCert: string; cert: string; key: string }): Manifest {
  return {
    header: 'The serving certificate and its PRIVATE KEY, generated by install: this output is a Secret too.',
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(TLS_SECRET, o.namespace),
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key), 'ca.crt': b64(pair.caCert) },
    },
  };
}

/** Caller authentication material given to install (--client-ca, --path-token-file). */
export function authSecretManifest(o: InstallOptions): Manifest | undefined {
  const data: Record<string, string> = {};
  if (o.auth.clientCa && o.auth.clientCa !== 'external') data['client-ca.crt'] = b64(o.auth.clientCa);
  if (o.auth.pathToken && o.auth.pathToken !== 'external') data['path-token'] = b64(o.auth.pathToken);
  if (!Object.keys(data).length) return undefined;
  return {
    header: "Caller authentication (docs/deploy.md, \"Authenticating the API server\"): the client CA and the path token.\nThe token also sits in the webhook's clientConfig.service.path.",
    object: { apiVersion: 'v1', kind: 'Secret', metadata: meta(AUTH_SECRET, o.namespace), type: 'Opaque', data },
  };
}

export const SERVING_CERTIFICATE = 'ingress-guard-serving';

/** A self-signed root, a CA Issuer and the serving Certificate written to TLS_SECRET. */
export function certManagerManifests(o: InstallOptions): { issuers: Manifest[]; certificates: Manifest[] } {
  const ecdsa = { algorithm: 'ECDSA', size: 256 };
  const ns = o.namespace;
  return {
    issuers: [
      {
        header: 'Bootstraps the private CA.',
        object: { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta('ingress-guard-selfsigned', ns), spec: { selfSigned: {} } },
      },
      {
        header: 'Signs the serving certificate with the CA in Secret ingress-guard-ca.',
        object: { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta('ingress-guard-ca', ns), spec: { ca: { secretName: 'ingress-guard-ca' } } },
      },
    ],
    certificates: [
      {
        object: {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: meta('ingress-guard-ca', ns),
          spec: { isCA: true, commonName: 'ingress-guard-ca', secretName: 'ingress-guard-ca', duration: '87600h', privateKey: ecdsa, issuerRef: { kind: 'Issuer', name: 'ingress-guard-selfsigned' } },
        },
        comments: { 'spec.duration': '10 years; the caBundle follows it through cainjector' },
      },
      {
        object: {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: meta(SERVING_CERTIFICATE, ns),
          spec: {
            secretName: TLS_SECRET,
            commonName: `${NAME}.${ns}.svc`,
            dnsNames: [NAME, `${NAME}.${ns}`, `${NAME}.${ns}.svc`, `${NAME}.${ns}.svc.cluster.local`],
            duration: '2160h',
            renewBefore: '720h',
            usages: ['server auth', 'digital signature'],
            privateKey: { ...ecdsa, rotationPolicy: 'Always' },
            issuerRef: { kind: 'Issuer', name: 'ingress-guard-ca' },
          },
        },
        comments: { 'spec.duration': '90 days, renewed 30 days before expiry; serve reloads the files without a restart' },
      },
    ],
  };
}

export function certManagerAnnotations(o: InstallOptions): Record<string, string> {
  return { [CERT_MANAGER_INJECT]: `${o.namespace}/${SERVING_CERTIFICATE}` };
}

function validatingWebhook(o: InstallOptions): Manifest {
  const pathToken = o.auth.pathToken && o.auth.pathToken !== 'external' ? o.auth.pathToken : undefined;
  return webhookManifest({
    namespace: o.namespace,
    failurePolicy: o.failurePolicy,
    kubernetesVersion: o.kubernetesVersion,
    ...(pathToken ? { path: `/validate/${pathToken}` } : {}),
    ...(o.certs.mode === 'generate' ? { caBundle: b64(o.certs.caCert) } : {}),
    ...(o.certs.mode === 'cert-manager' ? { annotations: certManagerAnnotations(o) } : {}),
  });
}

/** The objects deploy/base holds, each with its file name there (order = apply order). */
export function baseManifests(o: InstallOptions): { file: string; manifest: Manifest }[] {
  const pdb = podDisruptionBudgetManifest(o);
  return [
    { file: 'namespace.yaml', manifest: namespaceManifest(o) },
    { file: 'serviceaccount.yaml', manifest: serviceAccountManifest(o) },
    { file: 'clusterrole.yaml', manifest: clusterRoleManifest() },
    { file: 'clusterrolebinding.yaml', manifest: clusterRoleBindingManifest(o) },
    { file: 'configmap.yaml', manifest: configMapManifest(o) },
    { file: 'service.yaml', manifest: serviceManifest(o) },
    { file: 'deployment.yaml', manifest: deploymentManifest(o) },
    ...(pdb ? [{ file: 'poddisruptionbudget.yaml', manifest: pdb }] : []),
    { file: 'networkpolicy.yaml', manifest: networkPolicyManifest(o) },
    { file: 'validatingwebhookconfiguration.yaml', manifest: validatingWebhook(o) },
  ];
}

/**
 * Everything `install` prints, in apply order: Secrets and cert-manager objects before the Deployment that
 * mounts them, the webhook registration last (it is called as soon as it exists).
 */
export function installManifests(o: InstallOptions): Manifest[] {
  const base = baseManifests(o).map((b) => b.manifest);
  const at = base.findIndex((m) => m.object.kind === 'Service');
  const extra: Manifest[] = [];
  if (o.certs.mode === 'generate') extra.push(tlsSecretManifest(o, o.certs));
  if (o.certs.mode === 'cert-manager') {
    const cm = certManagerManifests(o);
    extra.push(...cm.issuers, ...cm.certificates);
  }
  const auth = authSecretManifest(o);
  if (auth) extra.push(auth);
  return [...base.slice(0, at), ...extra, ...base.slice(at)];
}
