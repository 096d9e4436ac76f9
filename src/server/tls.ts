// Serving certificate loading and hot reload. Kubernetes Secret volumes swap a `..data` symlink
// atomically, so the directory is watched (not the files), with a periodic stat poll as a fallback
// for filesystems where fs.watch says nothing.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface TlsPair {
  cert: string;
  key: string;
}

export interface TlsInfo {
  serialNumber: string;
  validTo: string;
  fingerprint256: string;
}

/** Checks that the PEMs parse and that the key belongs to the certificate. Throws with a clear message. */
export function validatePair(pair: TlsPair): TlsInfo {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pair.cert);
  } catch (err) {
    throw new Error(`the certificate is not a valid PEM X.509 certificate: ${(err as Error).message}`);
  }
  let key;
  try {
    key = createPrivateKey(pair.key);
  } catch (err) {
    // Never include the key text.
    throw new Error(`the private key is not a valid PEM private key: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!x509.checkPrivateKey(key)) throw new Error('the private key does not match the certificate');
  return { serialNumber: x509.serialNumber, validTo: x509.validTo, fingerprint256: x509.fingerprint256 };
}

export async function loadPair(certFile: string, keyFile: string): Promise<TlsPair & { info: TlsInfo }> {
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  const pair = { cert, key };
  return { ...pair, info: validatePair(pair) };
}

export interface WatchOptions {
  certFile: string;
  keyFile: string;
  /** Called with each new valid pair (content differs from the last one). */
  onChange: (pair: TlsPair, info: TlsInfo) => void;
  /** Called when a changed pair is unusable; the old pair stays in service. */
  onError: (error: Error) => void;
  /** Stat poll interval, ms (default 10 s). */
  pollMs?: number;
  /** Debounce for bursts of events (a Secret update swaps several links), ms (default 200). */
  debounceMs?: number;
  /** The pair currently served, so the first check does not report it as new. */
  current?: TlsPair;
}

export interface TlsWatcher {
  close(): void;
  /** Re-reads now (tests, SIGHUP). */
  check(): Promise<void>;
}

export function watchPair(options: WatchOptions): TlsWatcher {
  const { certFile, keyFile, onChange, onError } = options;
  const debounceMs = options.debounceMs ?? 200;
  let last: TlsPair | undefined = options.current;
  let lastStamp = '';
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;

  async function stamp(): Promise<string> {
    const parts = await Promise.all(
      [certFile, keyFile].map((f) =>
        stat(f).then(
          (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
          () => 'missing',
        ),
      ),
    );
    return parts.join('|');
  }

  async function reload(): Promise<void> {
    if (closed) return;
    let pair: TlsPair;
    try {
      const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
      pair = { cert, key };
    } catch (err) {
      onError(new Error(`cannot read the TLS files: ${(err as Error).message}`));
      return;
    }
    if (last && pair.cert === last.cert && pair.key === last.key) return;
    let info: TlsInfo;
    try {
      info = validatePair(pair);
    } catch (err) {
      // Often transient: the certificate was written before the key. The next event or poll retries.
      onError(err as Error);
      return;
    }
    if (closed) return;
    last = pair;
    onChange(pair, info);
  }

  function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        lastStamp = await stamp();
        await reload();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void check();
    }, debounceMs);
  }

  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(certFile), dirname(keyFile)])) {
    try {
      const w = watch(dir, { persistent: false }, () => schedule());
      w.on('error', () => undefined); // the directory may vanish during a swap; the poll covers it
      watchers.push(w);
    } catch {
      // no inotify (or no directory yet): the poll covers it
    }
  }
  void stamp().then((s) => {
    lastStamp = s;
  });
  const poll = setInterval(() => {
    void stamp().then((s) => {
      if (s !== lastStamp) schedule();
    });
  }, options.pollMs ?? 10_000);
  poll.unref();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
    check,
  };
}
