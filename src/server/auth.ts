// Who may call the webhook. Both options are off by default and can be combined:
// - a client certificate signed by a configured CA (the API server presents one when its
//   --admission-control-config-file points at a kubeconfig with a client certificate for this webhook);
// - an unguessable path token: the webhook answers at /validate/<token> only.
// CVE-2025-1974 (ingress-nginx) was exploitable because any pod could POST a forged AdmissionReview.
import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const MIN_TOKEN_LENGTH = 32;
/** Fastify's route parameters are bounded (maxParamLength); tokens longer than this are refused at start. */
export const MAX_TOKEN_LENGTH = 256;
const TOKEN_CHARACTERS = /^[A-Za-z0-9._~-]+$/;

/**
 * Reads the path token: the file's content without surrounding whitespace. At least 32 characters, and only
 * characters that need no escaping in a URL path (A-Z a-z 0-9 . _ ~ -). Errors never quote the file.
 */
export async function loadPathToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the path token file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the path token in ${file} is ${token.length} characters long; it needs at least ${MIN_TOKEN_LENGTH} (e.g. head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')`);
  if (token.length > MAX_TOKEN_LENGTH) throw new Error(`the path token in ${file} is longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!TOKEN_CHARACTERS.test(token)) throw new Error(`the path token in ${file} may hold only A-Z, a-z, 0-9, ".", "_", "~" and "-"`);
  return token;
}

/** Constant-time comparison, whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export interface ClientCa {
  pem: string;
  /** Subjects of the CA certificates, for the start-up log. */
  subjects: string[];
}

/** Reads a PEM bundle of one or more CA certificates; each must parse. */
export async function loadClientCa(file: string): Promise<ClientCa> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the client CA file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseClientCa(pem, file);
}

export function parseClientCa(pem: string, file = 'the client CA'): ClientCa {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${file} holds no PEM certificate`);
  const subjects = blocks.map((block, i) => {
    try {
      return new X509Certificate(block).subject.replace(/\n/g, ', ');
    } catch {
      throw new Error(`certificate ${i + 1} in ${file} does not parse`);
    }
  });
  return { pem: blocks.join('\n') + '\n', subjects };
}

/**
 * Watches one file (a mounted Secret: its directory's `..data` link is swapped) and calls `onChange` with the
 * new content once it differs; a stat poll covers filesystems where fs.watch says nothing.
 */
export function watchFile(file: string, onChange: (text: string) => void, options: { pollMs?: number; debounceMs?: number } = {}): { close(): void; check(): Promise<void> } {
  let last: string | undefined;
  let lastStamp = '';
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const stamp = () => stat(file).then((s) => `${s.ino}:${s.size}:${s.mtimeMs}`, () => 'missing');
  async function check(): Promise<void> {
    if (closed) return;
    lastStamp = await stamp();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return; // mid-swap; the next event or poll retries
    }
    if (last === undefined) last = text;
    else if (text !== last && !closed) {
      last = text;
      onChange(text);
    }
  }
  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), options.debounceMs ?? 200);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, schedule);
    watcher.on('error', () => undefined);
  } catch {
    // the poll covers it
  }
  void check();
  const poll = setInterval(() => void stamp().then((s) => s !== lastStamp && schedule()), options.pollMs ?? 10_000);
  poll.unref();
  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
    check,
  };
}
