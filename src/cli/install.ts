// `ingress-guard install`: every manifest, ready for `kubectl apply -f -` (as `linkerd install`). The objects
// come from src/deploy/manifests.ts, the same functions deploy/ is generated from.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULTS, installManifests, VERSION, type CertsSource, type InstallOptions } from '../deploy/manifests.ts';
import { supportsMatchConditions, type KubernetesVersion } from '../deploy/webhook-config.ts';
import { toYamlStream } from '../deploy/yaml.ts';
import { loadPathToken, parseClientCa } from '../server/auth.ts';
import { CertsError, ensureCertificates, generateCertificates } from './certs.ts';
import { UsageError } from './check.ts';

export const INSTALL_HELP = `Usage: ingress-guard install [options] | kubectl apply -f -

Prints every manifest ingress-guard runs as: Namespace, ServiceAccount, read-only
ClusterRole (exactly the kinds the engine reads) and binding, ConfigMap (serve --config),
the certificate (a TLS Secret, or cert-manager objects), Service, Deployment,
PodDisruptionBudget, NetworkPolicy and the ValidatingWebhookConfiguration, last.

Options:
  --namespace NS              namespace to install into (default: ingress-guard); excluded
                              from the webhook, like kube-system
  --ingress-class NAME        KIC's --ingress-class (default: kong)
  --controller-name NAME      KIC's Gateway API controller name
                              (default: konghq.com/kic-gateway-controller)
  --image REF                 image to run (default: ${DEFAULTS.image}; no registry holds it
                              yet: build and push it, docs/deploy.md "The image")
  --replicas N                webhook replicas (default: 2; with 1 there is no
                              PodDisruptionBudget, which would block every node drain)
  --failure-policy P          Ignore (default) or Fail: what the API server does when the
                              webhook cannot answer. Install with Ignore first and switch to
                              Fail once the pods are ready (docs/deploy.md)
  --kubernetes-version X.Y    the target cluster's version (default: 1.28). Below 1.28 the
                              webhook has no matchConditions (refused there), so every Secret
                              write reaches it; the output says so in a comment
  --certs MODE                generate (default): a CA and serving certificate made now, in the
                              Secret ingress-guard-tls, the caBundle filled in;
                              cert-manager: Issuers and Certificates, caBundle injected by
                              cert-manager's cainjector (cert-manager must be installed)
  --certs-dir DIR             with --certs generate: keep the CA and certificate in DIR and
                              reuse them on later runs (as \`ingress-guard certs --out DIR\`),
                              so re-running install does not rotate them
  --client-ca FILE            require callers to present a client certificate signed by a CA
                              in FILE (PEM); put into the Secret ingress-guard-auth
  --path-token-file FILE      serve reviews at /validate/TOKEN only, TOKEN from FILE (32+
                              characters); put into ingress-guard-auth and the webhook's path
  -h, --help                  this help

The output holds secrets: with --certs generate the webhook's PRIVATE KEY (Secret
ingress-guard-tls), with --path-token-file the token. Pipe it to kubectl; do not commit or
log it. The private key is never written anywhere else (except DIR with --certs-dir).

  ingress-guard install | kubectl apply -f -
  ingress-guard install --certs cert-manager --failure-policy Fail | kubectl apply -f -
`;

export const INSTALL_OPTIONS = {
  namespace: { type: 'string' },
  'ingress-class': { type: 'string' },
  'controller-name': { type: 'string' },
  image: { type: 'string' },
  replicas: { type: 'string' },
  'failure-policy': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  certs: { type: 'string' },
  'certs-dir': { type: 'string' },
  'client-ca': { type: 'string' },
  'path-token-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface InstallIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** The oldest Kubernetes the output is for: policy/v1, discovery/v1 and the kubernetes.io/metadata.name label. */
const MIN_MINOR = 22;

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(text.trim());
  const v = m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
  if (!v) throw new UsageError(`install: --kubernetes-version must look like 1.28 or v1.28.3, not "${text}"`);
  if (v.major < 1 || (v.major === 1 && v.minor < MIN_MINOR)) throw new UsageError(`install: --kubernetes-version ${text} is older than 1.${MIN_MINOR}, the oldest the manifests support`);
  return v;
}

export async function runInstall(argv: string[], io: InstallIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: INSTALL_OPTIONS });
  if (values.help) {
    io.stdout(INSTALL_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`install: unexpected argument "${positionals[0]}"`);

  const namespace = values.namespace ?? DEFAULTS.namespace;
  if (!DNS_LABEL.test(namespace)) throw new UsageError(`install: --namespace must be a DNS label (lower case, digits, "-"), not "${namespace}"`);
  const ingressClass = values['ingress-class'] ?? DEFAULTS.ingressClass;
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(ingressClass)) throw new UsageError(`install: --ingress-class must be an IngressClass name, not "${ingressClass}"`);
  const controllerName = values['controller-name'] ?? DEFAULTS.controllerName;
  // GatewayClass spec.controllerName: a domain-prefixed path.
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(controllerName) || controllerName.length > 253) {
    throw new UsageError(`install: --controller-name must be a domain-prefixed path like konghq.com/kic-gateway-controller, not "${controllerName}"`);
  }
  const image = values.image ?? DEFAULTS.image;
  if (!/^[^\s]+$/.test(image) || image.startsWith('-')) throw new UsageError(`install: --image must be an image reference like registry.example.com/ingress-guard:${VERSION}, not "${image}"`);
  const replicasText = values.replicas ?? String(DEFAULTS.replicas);
  if (!/^\d+$/.test(replicasText) || Number(replicasText) < 1) throw new UsageError(`install: --replicas must be a whole number of 1 or more, not "${replicasText}"`);
  const failurePolicy = values['failure-policy'] ?? DEFAULTS.failurePolicy;
  if (failurePolicy !== 'Ignore' && failurePolicy !== 'Fail') throw new UsageError(`install: --failure-policy must be Ignore or Fail, not "${failurePolicy}"`);
  const kubernetesVersion = values['kubernetes-version'] ? parseKubernetesVersion(values['kubernetes-version']) : DEFAULTS.kubernetesVersion;
  const certsMode = values.certs ?? 'generate';
  if (certsMode !== 'generate' && certsMode !== 'cert-manager') throw new UsageError(`install: --certs must be generate or cert-manager, not "${certsMode}"`);
  if (values['certs-dir'] !== undefined && certsMode !== 'generate') throw new UsageError('install: --certs-dir goes with --certs generate, not cert-manager');

  const auth: InstallOptions['auth'] = {};
  try {
    if (values['client-ca']) auth.clientCa = parseClientCa(await readFile(values['client-ca'], 'utf8'), values['client-ca']).pem;
    if (values['path-token-file']) auth.pathToken = await loadPathToken(values['path-token-file']);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`install: ${code ? `cannot read ${values['client-ca']}: ${code}` : (err as Error).message}`);
  }

  let certs: CertsSource = { mode: 'cert-manager' };
  if (certsMode === 'generate') {
    const names = { service: 'ingress-guard', namespace };
    if (values['certs-dir']) {
      try {
        const r = await ensureCertificates(values['certs-dir'], names);
        certs = { mode: 'generate', ...r.certificates };
        io.stderr(`${r.kept ? 'kept' : 'wrote'} ${r.files.ca}, ${r.files.cert}, ${r.files.key} (valid until ${r.validTo})\n`);
      } catch (err) {
        if (!(err instanceof CertsError)) throw err;
        io.stderr(`ingress-guard: ${err.message}\n`);
        return 1;
      }
    } else certs = { mode: 'generate', ...(await generateCertificates(names)) };
  }

  const options: InstallOptions = { namespace, ingressClass, controllerName, image, replicas: Number(replicasText), failurePolicy, kubernetesVersion, certs, auth };
  const k8s = `${kubernetesVersion.major}.${kubernetesVersion.minor}`;
  if (options.replicas === 1) io.stderr('note: --replicas 1: no PodDisruptionBudget (it would block node drains); each restart leaves the webhook unanswered\n');
  if (!supportsMatchConditions(kubernetesVersion)) io.stderr(`note: Kubernetes ${k8s}: no matchConditions, so every Secret write reaches the webhook, through an entry that always ignores failures (see the comment in the output)\n`);

  // The header records the options (never file contents), so the output says how to make it again.
  const shown = argv.filter((a) => a !== '--');
  io.stdout(
    toYamlStream(
      installManifests(options),
      `ingress-guard ${VERSION}: generated by \`ingress-guard install${shown.length ? ` ${shown.join(' ')}` : ''}\` (src/deploy/manifests.ts)
for Kubernetes ${k8s}; apply with \`... | kubectl apply -f -\`.${certs.mode === 'generate' || auth.pathToken ? `\nHOLDS SECRETS (${[certs.mode === 'generate' ? "the webhook's private key" : '', auth.pathToken ? 'the path token' : ''].filter(Boolean).join(', ')}): treat this output as a Secret.` : ''}`,
    ),
  );
  return 0;
}
