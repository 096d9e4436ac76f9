// `ingress-guard certs`: a private CA and a serving certificate for the webhook's Service, for clusters
// without cert-manager. The API server trusts the CA through the webhook's caBundle.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from 'selfsigned';
import { renderWebhookConfiguration, type FailurePolicy } from '../deploy/webhook-config.ts';
import { UsageError } from './check.ts';

export const CERTS_HELP = `Usage: ingress-guard certs [options]

Generates a private CA and a serving certificate signed by it for the webhook Service
(SANs: SERVICE, SERVICE.NS, SERVICE.NS.svc, SERVICE.NS.svc.cluster.local, localhost,
127.0.0.1), writes ca.crt, tls.crt and tls.key (mode 0600) into DIR, and prints the
base64 caBundle for the ValidatingWebhookConfiguration (stdout; which files it wrote or
kept goes to stderr).

Running it again keeps the files in DIR when they are a complete set for the same names
and still valid, and prints their caBundle: the deploy guide can be re-run safely. Files
that cannot be kept (half a set, other names, expired) are an error (exit 1) until --force.

Options:
  --service NAME             webhook Service name (default: ingress-guard)
  --namespace NS             its namespace (default: ingress-guard)
  --out DIR                  output directory, created if missing (default: certs)
  --days N                   validity of the CA and the certificate (default: 365)
  --host NAME|IP             extra SAN: a DNS name (RFC 1123, *.example.com allowed) or an
                             IP address (repeatable)
  --force                    write a new set over existing files (a new CA needs a new caBundle)
  --print-webhook-config     print the whole ValidatingWebhookConfiguration (caBundle
                             filled) instead of the caBundle alone
  --failure-policy P         with --print-webhook-config: Ignore (default) or Fail
  -h, --help                 this help

Every option can also come from the environment: INGRESS_GUARD_SERVICE,
INGRESS_GUARD_NAMESPACE, INGRESS_GUARD_OUT, INGRESS_GUARD_DAYS, INGRESS_GUARD_HOST
(comma-separated), INGRESS_GUARD_FORCE, INGRESS_GUARD_PRINT_WEBHOOK_CONFIG,
INGRESS_GUARD_FAILURE_POLICY. Flags win over the environment.

Then (docs/deploy.md): the Secret ingress-guard-tls from DIR/tls.crt and DIR/tls.key, and the
caBundle patched into the webhook. \`ingress-guard install\` does all of it in one output.
`;

export interface CertificateOptions {
  service: string;
  namespace: string;
  days?: number;
  extraHosts?: string[];
}

export interface Certificates {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export interface CertsIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: Record<string, string | undefined>;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** DNS names the API server may use to reach the Service, plus local names for port-forwarding and tests. */
export function servingNames(service: string, namespace: string, extraHosts: string[] = []): { dns: string[]; ips: string[] } {
  const all = [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`, 'localhost', '127.0.0.1', ...extraHosts];
  const unique = [...new Set(all.map((h) => h.trim()).filter(Boolean))];
  return { dns: unique.filter((h) => !isIP(h)), ips: unique.filter((h) => isIP(h)) };
}

/**
 * A CA and a serving certificate signed by it (ECDSA P-256, SHA-256), PEM. Async because selfsigned 5
 * signs through WebCrypto.
 */
export async function generateCertificates(opts: CertificateOptions): Promise<Certificates> {
  const days = opts.days ?? 365;
  if (!Number.isInteger(days) || days < 1) throw new UsageError(`--days must be a positive integer, not "${days}"`);
  const notBeforeDate = new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfterDate = new Date(notBeforeDate.getTime() + CLOCK_SKEW_MS + days * DAY_MS);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;

  const ca = await generate([{ name: 'commonName', value: `${opts.service}-ca` }, { name: 'organizationName', value: 'ingress-guard' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });

  const { dns, ips } = servingNames(opts.service, opts.namespace, opts.extraHosts);
  const serving = await generate([{ name: 'commonName', value: `${opts.service}.${opts.namespace}.svc` }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { caCert: ca.cert, caKey: ca.private, cert: serving.cert, key: serving.private };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i;

/** A --host value must be a DNS name (RFC 1123, an optional leading wildcard label) or an IP address. */
export function checkHost(host: string): string {
  const h = host.trim();
  if (isIP(h) || (h.length <= 253 && DNS_NAME.test(h))) return h;
  throw new UsageError(`--host "${host}" is neither a DNS name (RFC 1123, e.g. webhook.example.com) nor an IP address`);
}

export interface CertificateFiles {
  ca: string;
  cert: string;
  key: string;
}

export function certificateFiles(dir: string): CertificateFiles {
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
}

/**
 * Why existing files cannot be kept for these options (undefined: they can): the certificate must be signed
 * by the CA, match the key, be valid now and cover every name asked for.
 */
function unusable(files: CertificateFiles, pems: { caCert: string; cert: string; key: string }, opts: CertificateOptions): string | undefined {
  let ca: X509Certificate, cert: X509Certificate;
  try {
    ca = new X509Certificate(pems.caCert);
    cert = new X509Certificate(pems.cert);
  } catch {
    return `${files.ca} or ${files.cert} is not a PEM certificate`;
  }
  if (!cert.verify(ca.publicKey)) return `${files.cert} is not signed by ${files.ca}`;
  try {
    if (!cert.checkPrivateKey(createPrivateKey(pems.key))) return `${files.key} does not match ${files.cert}`;
  } catch {
    return `${files.key} is not a PEM private key`;
  }
  if (Date.parse(cert.validTo) <= Date.now()) return `${files.cert} expired on ${cert.validTo}`;
  const { dns, ips } = servingNames(opts.service, opts.namespace, opts.extraHosts);
  const missing = [...dns.filter((d) => !cert.checkHost(d, { wildcards: false })), ...ips.filter((ip) => !cert.checkIP(ip))];
  if (missing.length) return `${files.cert} does not cover ${missing.join(', ')}`;
  return undefined;
}

export type EnsureResult = { certificates: Omit<Certificates, 'caKey'>; files: CertificateFiles; kept: boolean; validTo: string };

/**
 * The certificates in DIR: kept when all three files are there and fit the options (so running the deploy
 * guide again changes nothing), written anew when none is there or with force. Anything in between is an
 * error: half a set, or files for other names, would otherwise end up as a caBundle that trusts nothing.
 */
export async function ensureCertificates(dir: string, opts: CertificateOptions & { force?: boolean }): Promise<EnsureResult> {
  const files = certificateFiles(dir);
  const present: string[] = [];
  for (const f of Object.values(files)) if (await exists(f)) present.push(f);
  if (present.length && !opts.force) {
    if (present.length < 3) {
      throw new CertsError(`${present.join(', ')} exist${present.length === 1 ? 's' : ''} but not ${Object.values(files).filter((f) => !present.includes(f)).join(', ')}: use --force to write a new set (a new CA needs a new caBundle in the cluster)`);
    }
    const pems = { caCert: await readFile(files.ca, 'utf8'), cert: await readFile(files.cert, 'utf8'), key: await readFile(files.key, 'utf8') };
    const why = unusable(files, pems, opts);
    if (why) throw new CertsError(`cannot keep the certificates in ${dir}: ${why}. Use --force to write a new set (a new CA needs a new caBundle in the cluster)`);
    return { certificates: pems, files, kept: true, validTo: new X509Certificate(pems.cert).validTo };
  }
  const certs = await generateCertificates(opts);
  await mkdir(dir, { recursive: true });
  await writeFile(files.ca, certs.caCert, { mode: 0o644 });
  await writeFile(files.cert, certs.cert, { mode: 0o644 });
  // writeFile's mode only applies when the file is created: chmod covers --force over an existing file.
  await writeFile(files.key, certs.key, { mode: 0o600 });
  await chmod(files.key, 0o600);
  // The CA key is not written: nothing needs it after signing, and a leaked CA key could mint certificates
  // the API server would trust for this webhook. Rotation = run again with --force.
  return { certificates: { caCert: certs.caCert, cert: certs.cert, key: certs.key }, files, kept: false, validTo: new X509Certificate(certs.cert).validTo };
}

/** Existing files that cannot be kept: exit 1 with the reason (not a usage error). */
export class CertsError extends Error {}

function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return /^(1|true|yes|on)$/i.test(value);
}

export async function runCerts(argv: string[], io: CertsIO): Promise<number> {
  const env = io.env ?? process.env;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      namespace: { type: 'string' },
      out: { type: 'string' },
      days: { type: 'string' },
      host: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      'print-webhook-config': { type: 'boolean' },
      'failure-policy': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(CERTS_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`certs takes no positional arguments (got "${positionals.join(' ')}")`);

  const service = values.service ?? env.INGRESS_GUARD_SERVICE ?? 'ingress-guard';
  const namespace = values.namespace ?? env.INGRESS_GUARD_NAMESPACE ?? 'ingress-guard';
  const out = values.out ?? env.INGRESS_GUARD_OUT ?? 'certs';
  const daysText = values.days ?? env.INGRESS_GUARD_DAYS ?? '365';
  const hosts = values.host ?? (env.INGRESS_GUARD_HOST ? env.INGRESS_GUARD_HOST.split(',') : []);
  const force = values.force ?? envFlag(env.INGRESS_GUARD_FORCE) ?? false;
  const printConfig = values['print-webhook-config'] ?? envFlag(env.INGRESS_GUARD_PRINT_WEBHOOK_CONFIG) ?? false;
  const failurePolicy = values['failure-policy'] ?? env.INGRESS_GUARD_FAILURE_POLICY ?? 'Ignore';

  const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
  if (!dnsLabel.test(service)) throw new UsageError(`--service must be a DNS label (a Service name), not "${service}"`);
  if (!dnsLabel.test(namespace)) throw new UsageError(`--namespace must be a DNS label, not "${namespace}"`);
  if (!/^\d+$/.test(daysText) || Number(daysText) < 1) throw new UsageError(`--days must be a positive integer, not "${daysText}"`);
  if (failurePolicy !== 'Ignore' && failurePolicy !== 'Fail') throw new UsageError(`--failure-policy must be Ignore or Fail, not "${failurePolicy}"`);
  const extraHosts = hosts.filter((h) => h.trim() !== '').map(checkHost);

  let result: EnsureResult;
  try {
    result = await ensureCertificates(out, { service, namespace, days: Number(daysText), extraHosts, force });
  } catch (err) {
    if (!(err instanceof CertsError)) throw err;
    io.stderr(`ingress-guard: ${err.message}\n`);
    return 1;
  }
  const { files } = result;
  const caBundle = Buffer.from(result.certificates.caCert).toString('base64');
  if (printConfig) io.stdout(renderWebhookConfiguration({ service, namespace, caBundle, failurePolicy: failurePolicy as FailurePolicy }));
  else io.stdout(caBundle + '\n');
  // stderr, so `CA_BUNDLE=$(ingress-guard certs ...)` captures the caBundle alone. Never the key itself.
  if (result.kept) io.stderr(`kept ${files.ca}, ${files.cert}, ${files.key} (valid until ${result.validTo}); --force writes a new set\n`);
  else io.stderr(`wrote ${files.ca}, ${files.cert}, ${files.key} (key mode 0600; valid until ${result.validTo})\n`);
  return 0;
}
