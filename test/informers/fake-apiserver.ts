// A tiny stand-in for kube-apiserver: list and watch (newline-delimited JSON over chunked encoding) with
// resourceVersions, a replayable event log, label-exists / field `type` selectors, scripted 404s and 410s.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

type Obj = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown };
type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface LogEntry {
  rv: number;
  type: EventType;
  object: Obj;
  previous: Obj | undefined;
}

interface Collection {
  items: Map<string, Obj>;
  log: LogEntry[];
  /** Events at or below this resourceVersion are compacted away: watching from older answers 410. */
  compactedBelow: number;
}

interface Watcher {
  path: string;
  query: URLSearchParams;
  res: ServerResponse;
  /** While set, events for this watch are held here instead of written. */
  held?: string[];
}

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  watch: boolean;
}

const objKey = (o: Obj): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function matches(o: Obj, query: URLSearchParams): boolean {
  // Label selectors as the API server reads them: `key`, `key=value`, `key==value`, `key!=value`, comma-joined (AND).
  for (const term of (query.get('labelSelector') ?? '').split(',').filter(Boolean)) {
    const m = /^([^=!]+)(?:(!=|==|=)(.*))?$/.exec(term);
    if (!m) throw new Error(`fake API server: unsupported label selector ${term}`);
    const value = o.metadata.labels?.[m[1]!];
    if (m[2] === undefined ? value === undefined : (value === m[3]) === (m[2] === '!=')) return false;
  }
  // Field selectors on `type` only, as Secrets support: `type=x`, `type==x`, `type!=x`, comma-joined (AND).
  for (const term of (query.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
    const m = /^type(!=|==|=)(.*)$/.exec(term);
    if (!m) throw new Error(`fake API server: unsupported field selector ${term}`);
    if ((o.type === m[2]) !== (m[1] !== '!=')) return false;
  }
  return true;
}

export class FakeApiServer {
  readonly requests: SeenRequest[] = [];
  /** Paths whose next list is held until `release(path)`. */
  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  private readonly collections = new Map<string, Collection>();
  private readonly watchers = new Set<Watcher>();
  private rv = 100;
  closedWatches = 0;
  /** Paths whose watch requests answer 500. */
  readonly failWatches = new Set<string>();
  notFound: (path: string) => boolean = (path) => path.startsWith('/apis/gateway.networking.k8s.io/');
  /** Paths answered 503, lists and watches, as a restarted kube-apiserver answers CRDs it has not loaded yet. */
  unavailable: (path: string) => boolean = () => false;
  private server: Server | undefined;
  port = 0;

  private collection(path: string): Collection {
    let c = this.collections.get(path);
    if (!c) this.collections.set(path, (c = { items: new Map(), log: [], compactedBelow: 0 }));
    return c;
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  watchersOn(path: string): number {
    return [...this.watchers].filter((w) => w.path === path).length;
  }

  hold(path: string): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(path, { promise, open });
  }

  release(path: string): void {
    this.gates.get(path)?.open();
    this.gates.delete(path);
  }

  /**
   * Records an event and streams it to matching watches. As in kube-apiserver, a selected watch sees an
   * object that stops matching its selector as DELETED, and one that starts matching as ADDED.
   */
  emit(path: string, type: EventType, object: Obj): void {
    const c = this.collection(path);
    const rv = ++this.rv;
    const stored: Obj = { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
    const previous = c.items.get(objKey(stored));
    if (type === 'DELETED') c.items.delete(objKey(stored));
    else c.items.set(objKey(stored), stored);
    const entry = { rv, type, object: stored, previous };
    c.log.push(entry);
    for (const w of this.watchers) {
      if (w.path === path) this.send(w, entry, w.query);
    }
  }

  /** Holds events on the matching watches of path until `resumeWatches`. */
  pauseWatches(path: string, which: (query: URLSearchParams) => boolean): void {
    for (const w of this.watchers) if (w.path === path && which(w.query)) w.held ??= [];
  }

  resumeWatches(): void {
    for (const w of this.watchers) {
      const held = w.held;
      w.held = undefined;
      for (const line of held ?? []) w.res.write(line);
    }
  }

  private send(w: Pick<Watcher, 'res' | 'held'>, e: LogEntry, query: URLSearchParams): void {
    const now = matches(e.object, query);
    const before = e.previous !== undefined && matches(e.previous, query);
    let type: EventType = e.type;
    if (e.type !== 'DELETED' && now && !before) type = 'ADDED';
    else if (e.type !== 'DELETED' && !now && before) type = 'DELETED';
    else if (!now && !(e.type === 'DELETED' && before)) return;
    const line = `${JSON.stringify({ type, object: e.object })}\n`;
    if (w.held) w.held.push(line);
    else w.res.write(line);
  }

  /** Replaces the whole item set without events (as if history were lost), and expires every watch on path. */
  expire(path: string, items: Obj[]): void {
    const c = this.collection(path);
    c.items.clear();
    for (const item of items) {
      const rv = ++this.rv;
      c.items.set(objKey(item), { ...item, metadata: { ...item.metadata, resourceVersion: String(rv) } });
    }
    c.log = [];
    c.compactedBelow = this.rv;
    for (const w of [...this.watchers]) {
      if (w.path !== path) continue;
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`);
    }
  }

  /** Ends every watch on path, as a load balancer or API server restart would. */
  dropWatches(path: string): void {
    for (const w of [...this.watchers]) if (w.path === path) w.res.destroy();
  }

  seed(path: string, items: Obj[]): void {
    for (const item of items) this.emit(path, 'ADDED', item);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({ path: url.pathname, query: url.searchParams, watch });
    if (this.notFound(url.pathname)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' }));
      return;
    }
    if (this.unavailable(url.pathname)) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'ServiceUnavailable', code: 503, message: 'the server is currently unable to handle the request' }));
      return;
    }
    if (watch && this.failWatches.has(url.pathname)) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 500, reason: 'InternalError' }));
      return;
    }
    const c = this.collection(url.pathname);
    if (!watch) {
      const gate = this.gates.get(url.pathname);
      if (gate) await gate.promise;
      const items = [...c.items.values()].filter((o) => matches(o, url.searchParams)).map(({ apiVersion: _a, kind: _k, ...rest }) => rest); // real lists omit these for built-ins
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items }));
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (from < c.compactedBelow) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })}\n`);
      return;
    }
    const watcher: Watcher = { path: url.pathname, query: url.searchParams, res };
    this.watchers.add(watcher);
    res.on('close', () => {
      if (this.watchers.delete(watcher)) this.closedWatches++;
    });
    for (const e of c.log) if (e.rv > from) this.send(watcher, e, url.searchParams);
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const gate of this.gates.values()) gate.open();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}

export function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'c', cluster: 'fake', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
