// A tiny HTTPS client for wire tests: real TLS verification against the test CA.
import { request, type Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface WireResponse {
  status: number;
  text: string;
  json: any;
  peerSerial: string;
  reusedSocket: boolean;
  socket: TLSSocket;
}

export function post(port: number, ca: string, body: string | Buffer, options: { path?: string; agent?: Agent | false; contentType?: string } = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: options.path ?? '/validate?timeout=5s',
        ca,
        rejectUnauthorized: true,
        servername: 'localhost',
        agent: options.agent ?? false,
        headers: { 'content-type': options.contentType ?? 'application/json', accept: 'application/json, */*', 'user-agent': 'kube-apiserver-admission', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const peerSerial = socket.getPeerCertificate().serialNumber ?? '';
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json, peerSerial, reusedSocket: req.reusedSocket, socket });
        });
      },
    );
    // A server that answers 413 early may reset the connection while the body is still being written.
    req.on('error', reject);
    req.end(body);
  });
}

export function get(port: number, path: string): Promise<{ status: number; text: string }> {
  return fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.status, text: await r.text() }));
}
