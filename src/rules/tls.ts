// TLS rules: the Secrets that Ingress tls and Gateway listeners serve HTTPS with (TCPIngress tls: TLS streams). KIC turns each into a Kong
// certificate whose SNIs are the hosts; when it cannot (missing or unusable Secret) Kong answers those hosts
// with its default certificate. Rules read only the public facts redactSecret keeps (model/secret.ts).
import { refKey, type K8sObject, type ObjectRef } from '../model/object.ts';
import { isRedacted, type CertificateFacts, type RedactedSecret } from '../model/secret.ts';
import { gatewayListeners, ingressView, streamIngressView } from '../model/views.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name, quoteList } from './text.ts';
import { APP_CERT, APP_KEY, EXPIRED_APP_CERT, WILDCARD_CERT, WILDCARD_KEY } from './tls-example-certs.ts';

// ---- example manifests

function indent(pem: string): string {
  return pem
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function tlsSecret(secretName: string, cert: string, key: string): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${secretName}, namespace: default}
type: kubernetes.io/tls
stringData:
  tls.crt: |
${indent(cert)}
  tls.key: |
${indent(key)}
`;
}

function tlsIngress(ingressName: string, host: string, secretName: string): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${ingressName}, namespace: default}
spec:
  ingressClassName: kong
  tls: [{hosts: [${host}], secretName: ${secretName}}]
  rules: [{host: ${host}, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}]}}]
`;
}

const BASE = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {ports: [{name: http, port: 80}]}
`;

/** Warn this many days before a certificate expires. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

interface TlsUse {
  secret: ObjectRef;
  /** The field naming the Secret. */
  field: string;
  /** Hosts KIC makes SNIs of the certificate, with their fields. */
  hosts: { host: string; field: string }[];
  /** What the certificate serves: HTTPS (Ingress, Gateway), or TLS streams (TCPIngress). */
  protocol: 'HTTPS' | 'TLS';
}

/** The TLS Secrets a managed Ingress or Gateway serves, one entry per Secret (hosts merged). */
function tlsUses(ctx: RuleContext, subject: K8sObject): TlsUse[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const ns = subject.metadata.namespace ?? '';
  const secret = (namespace: string, secretName: string): ObjectRef => ({ group: '', kind: 'Secret', namespace, name: secretName });
  const uses: TlsUse[] = [];
  if (subject.kind === 'Ingress' || subject.kind === 'TCPIngress') {
    // A TCPIngress's spec.tls feeds KIC's certificates like an Ingress's (translate_kong_l4.go, tcpIngressToNetworkingTLS).
    const protocol = subject.kind === 'Ingress' ? 'HTTPS' : 'TLS';
    for (const t of subject.kind === 'Ingress' ? ingressView(subject).tls : streamIngressView(subject).tls) {
      if (!t.secretName) continue;
      uses.push({ secret: secret(ns, t.secretName), field: `${t.field}.secretName`, hosts: t.hosts.map((host, j) => ({ host, field: `${t.field}.hosts[${j}]` })), protocol });
    }
  } else if (subject.kind === 'Gateway') {
    gatewayListeners(subject).forEach((l, i) => {
      l.certificateRefs.forEach((c, j) => {
        if ((c.kind ?? 'Secret') !== 'Secret' || (c.group ?? '') !== '') return;
        const hosts = l.hostname ? [{ host: l.hostname, field: `spec.listeners[${i}].hostname` }] : [];
        uses.push({ secret: secret(c.namespace ?? ns, c.name), field: `spec.listeners[${i}].tls.certificateRefs[${j}]`, hosts, protocol: 'HTTPS' });
      });
    });
  }
  const bySecret = new Map<string, TlsUse>();
  for (const u of uses) {
    const key = refKey(u.secret);
    const seen = bySecret.get(key);
    if (!seen) bySecret.set(key, { ...u, hosts: [...u.hosts] });
    else for (const h of u.hosts) if (!seen.hosts.some((s) => s.host === h.host)) seen.hosts.push(h);
  }
  return [...bySecret.values()];
}

function redacted(ctx: RuleContext, ref: ObjectRef): RedactedSecret | undefined {
  const obj = ctx.view.get(refKey(ref));
  return obj && isRedacted(obj) ? obj : undefined;
}

/** A Secret that exists but holds nothing yet (no field, or only empty ones), e.g. a placeholder before an issuer fills it. */
function holdsNothing(secret: RedactedSecret): boolean {
  return Object.values(secret.facts.fields).every((f) => f.empty);
}

/** Why KIC cannot build a certificate from the Secret, as a fixed phrase; undefined when it can. */
function unusable(secret: RedactedSecret): string | undefined {
  const c = secret.facts.certificate;
  if (!c) return 'it has no tls.crt';
  if (!c.parsed) return c.error ?? 'tls.crt does not parse';
  if (!c.keyMatches) return c.keyError ?? 'tls.key does not match the certificate';
  return undefined;
}

/** The certificate of a Secret KIC can use, if any. */
function usableCertificate(ctx: RuleContext, use: TlsUse): CertificateFacts | undefined {
  const secret = redacted(ctx, use.secret);
  return secret && !holdsNothing(secret) && !unusable(secret) ? secret.facts.certificate : undefined;
}

const hostsText = (use: TlsUse): string => (use.hosts.length ? quoteList(use.hosts.map((h) => h.host)) : 'its hosts');

export const missingTlsSecret: Rule = {
  id: 'missing-tls-secret',
  severity: 'warn',
  dangling: true,
  summary: 'An Ingress or TCPIngress tls entry or a Gateway listener names a TLS Secret that does not exist (or holds no certificate yet).',
  explanation:
    'KIC fails to fetch the Secret ("Failed to fetch the secret") and configures no certificate for the hosts: Kong answers HTTPS for them ' +
    'with its default certificate, which clients reject. A Secret whose fields are all empty counts as not there yet. ' +
    'A warning by default because the Secret may be created by the same apply or issued later by cert-manager.',
  examples: {
    bad: BASE + tlsIngress('web', 'app.example.com', 'app-tls'),
    good: BASE + tlsIngress('web', 'app.example.com', 'app-tls') + tlsSecret('app-tls', APP_CERT, APP_KEY),
  },
  kinds: ['Ingress', 'Gateway', 'TCPIngress'],
  check(ctx, subject) {
    return tlsUses(ctx, subject).flatMap((use): Draft[] => {
      const obj = ctx.view.get(refKey(use.secret));
      if (obj && !(isRedacted(obj) && holdsNothing(obj))) return [];
      const what = obj ? `${name(use.secret)}, which holds no certificate yet (all its fields are empty)` : `${name(use.secret)}, which does not exist`;
      return [
        {
          field: use.field,
          discriminator: refKey(use.secret),
          related: [use.secret],
          message:
            `${name(subject)} serves ${use.protocol} with ${what} (${use.field}). ` +
            `KIC configures no certificate for ${hostsText(use)}: Kong answers with its default certificate, which clients reject.`,
          fix: obj ? `put the certificate and its key into the Secret, or wait for its issuer.` : `create the kubernetes.io/tls Secret ${use.secret.name} or correct the name.`,
        },
      ];
    });
  },
};

export const invalidTlsSecret: Rule = {
  id: 'invalid-tls-secret',
  severity: 'deny',
  summary: 'A TLS Secret has no usable certificate: tls.crt does not parse, tls.key is missing, or the key does not match the certificate.',
  explanation:
    'KIC builds a Kong certificate from tls.crt and tls.key as Go\'s tls.X509KeyPair does: the first PEM certificate and the first PEM private key, ' +
    'which must belong together. When that fails ("failed to construct certificate from secret") the certificate is left out and Kong answers HTTPS ' +
    'for its hosts with its default certificate. Only the Secret\'s public facts are read; messages never show a value.',
  examples: {
    bad: BASE + tlsIngress('web', 'app.example.com', 'app-tls') + tlsSecret('app-tls', APP_CERT, WILDCARD_KEY),
    good: BASE + tlsIngress('web', 'app.example.com', 'app-tls') + tlsSecret('app-tls', APP_CERT, APP_KEY),
  },
  kinds: ['Ingress', 'Gateway', 'TCPIngress'],
  check(ctx, subject) {
    return tlsUses(ctx, subject).flatMap((use): Draft[] => {
      const secret = redacted(ctx, use.secret);
      if (!secret || holdsNothing(secret)) return [];
      const reason = unusable(secret);
      if (!reason) return [];
      return [
        {
          field: use.field,
          discriminator: refKey(use.secret),
          related: [use.secret],
          message:
            `${name(subject)} serves ${use.protocol} with ${name(use.secret)} (${use.field}), but ${reason}. ` +
            `KIC cannot build the certificate ("failed to construct certificate from secret") and leaves it out: ` +
            `Kong answers ${use.protocol} for ${hostsText(use)} with its default certificate, which clients reject.`,
          fix: `put a PEM certificate and its own private key into tls.crt and tls.key (kubectl create secret tls ${use.secret.name} --cert=FILE --key=FILE).`,
        },
      ];
    });
  },
};

const day = (iso: string): string => iso.slice(0, 10);

export const tlsCertificateExpiry: Rule = {
  id: 'tls-certificate-expiry',
  severity: 'warn',
  summary: `A served TLS certificate has expired, expires within ${EXPIRY_WARNING_DAYS} days, or is not valid yet.`,
  explanation:
    'Kong serves the certificate KIC gives it whatever its dates: once expired (or before notBefore) every client rejects the handshake for its hosts. ' +
    `ingress-guard warns ${EXPIRY_WARNING_DAYS} days ahead. Renewal is usually cert-manager's job: a warning here often means a stuck Certificate.`,
  examples: {
    bad: BASE + tlsIngress('web', 'app.example.com', 'app-tls') + tlsSecret('app-tls', EXPIRED_APP_CERT, APP_KEY),
    good: BASE + tlsIngress('web', 'app.example.com', 'app-tls') + tlsSecret('app-tls', APP_CERT, APP_KEY),
  },
  kinds: ['Ingress', 'Gateway', 'TCPIngress'],
  check(ctx, subject) {
    const t = ctx.now.getTime();
    return tlsUses(ctx, subject).flatMap((use): Draft[] => {
      const cert = usableCertificate(ctx, use);
      if (!cert?.notAfter) return [];
      const notAfter = Date.parse(cert.notAfter);
      const notBefore = cert.notBefore ? Date.parse(cert.notBefore) : Number.NEGATIVE_INFINITY;
      let state: string;
      if (notAfter <= t) {
        const ago = Math.floor((t - notAfter) / DAY_MS);
        state = `expired on ${day(cert.notAfter)}${ago >= 1 ? ` (${ago} day${ago === 1 ? '' : 's'} ago)` : ''}: clients reject the handshake`;
      } else if (notBefore > t) {
        state = `is not valid before ${day(cert.notBefore!)}: until then clients reject the handshake`;
      } else if (notAfter - t <= EXPIRY_WARNING_DAYS * DAY_MS) {
        const left = Math.ceil((notAfter - t) / DAY_MS);
        state = `expires on ${day(cert.notAfter)}, in ${left} day${left === 1 ? '' : 's'}: after that clients reject the handshake`;
      } else return [];
      return [
        {
          field: use.field,
          discriminator: refKey(use.secret),
          related: [use.secret],
          message: `${name(subject)} serves ${use.protocol} for ${hostsText(use)} with ${name(use.secret)} (${use.field}), whose certificate ${state}.`,
          fix: `renew the certificate in Secret ${use.secret.name} (if cert-manager issues it, check its Certificate's status).`,
        },
      ];
    });
  },
};

/** RFC 6125 matching as TLS clients do it: exact, or a `*.` wildcard standing for exactly one left-most label. */
export function sanCovers(san: string, host: string): boolean {
  const s = san.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (s === h) return true;
  if (!s.startsWith('*.') || h.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === s.slice(1);
}

function wildcardFor(host: string): string | undefined {
  const labels = host.split('.');
  return labels.length >= 3 && !host.startsWith('*.') ? `*.${labels.slice(1).join('.')}` : undefined;
}

function sanText(sans: string[]): string {
  if (!sans.length) return 'names no DNS subjectAltName at all';
  const shown = sans.slice(0, 5);
  return `is valid only for ${quoteList(shown)}${sans.length > shown.length ? ` and ${sans.length - shown.length} more` : ''}`;
}

export const tlsHostNotCovered: Rule = {
  id: 'tls-host-not-covered',
  severity: 'warn',
  summary: 'A TLS host (Ingress or TCPIngress tls hosts, Gateway listener hostname) is not covered by the certificate\'s subjectAltNames.',
  explanation:
    'KIC makes every tls host an SNI of the Secret\'s certificate, so Kong presents that certificate for the host; when its DNS subjectAltNames ' +
    'do not cover the host (a "*." wildcard covers exactly one label), clients reject the handshake with a name mismatch. ' +
    'The SNI miss is the HTTPS cause of "it works over HTTP but not HTTPS".',
  examples: {
    bad: BASE + tlsIngress('web', 'www.example.com', 'app-tls') + tlsSecret('app-tls', APP_CERT, APP_KEY),
    good: BASE + tlsIngress('web', 'www.example.com', 'wildcard-tls') + tlsSecret('wildcard-tls', WILDCARD_CERT, WILDCARD_KEY),
  },
  kinds: ['Ingress', 'Gateway', 'TCPIngress'],
  check(ctx, subject) {
    return tlsUses(ctx, subject).flatMap((use): Draft[] => {
      const cert = usableCertificate(ctx, use);
      if (!cert) return [];
      return use.hosts.flatMap(({ host, field }): Draft[] => {
        if (!host || cert.sans.some((san) => sanCovers(san, host))) return [];
        const wildcard = wildcardFor(host);
        return [
          {
            field,
            discriminator: `${refKey(use.secret)}|${host.toLowerCase()}`,
            related: [use.secret],
            message:
              `${name(subject)} serves host "${host}" (${field}) with ${name(use.secret)}, whose certificate ${sanText(cert.sans)}. ` +
              `Kong presents it for "${host}" and clients reject the handshake (hostname mismatch).`,
            fix: `use a certificate whose subjectAltNames include "${host}"${wildcard ? ` (or "${wildcard}")` : ''}, or serve the host with another Secret.`,
          },
        ];
      });
    });
  },
};

export const TLS_RULES: readonly Rule[] = [missingTlsSecret, invalidTlsSecret, tlsCertificateExpiry, tlsHostNotCovered];
