// A TLS front for the plain dev server, standing in for a secured cluster (Temporal Cloud, a
// self-hosted frontend with mTLS): HTTP/2 over TLS with a client certificate required, and an
// optional API key checked as Temporal Cloud does (`authorization: Bearer <key>`; a wrong one
// gets gRPC UNAUTHENTICATED). Every gRPC call is forwarded, trailers included, to the dev server.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';

export interface TlsProxyOptions {
  target: string;
  cert: string;
  key: string;
  /** CA that client certificates must chain to; omit to accept clients without one. */
  clientCa?: string;
  apiKey?: string;
}

export interface TlsProxy {
  address: string;
  port: number;
  stats: { calls: number; unauthenticated: number; clientSubjects: Set<string> };
  close(): Promise<void>;
}

const HOP_HEADERS = new Set([':scheme', ':authority', 'connection', 'keep-alive', 'host']);

export async function startTlsProxy(opts: TlsProxyOptions): Promise<TlsProxy> {
  const upstream = http2.connect(`http://${opts.target}`);
  upstream.on('error', () => undefined);
  const stats = { calls: 0, unauthenticated: 0, clientSubjects: new Set<string>() };
  const server = http2.createSecureServer({
    cert: readFileSync(opts.cert),
    key: readFileSync(opts.key),
    ALPNProtocols: ['h2'],
    ...(opts.clientCa ? { ca: readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const peer = (stream.session?.socket as TLSSocket | undefined)?.getPeerCertificate?.();
    if (peer?.subject?.CN) stats.clientSubjects.add(String(peer.subject.CN));
    if (opts.apiKey !== undefined && headers.authorization !== `Bearer ${opts.apiKey}`) {
      stats.unauthenticated++;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'Request unauthorized.' }, { endStream: true });
      return;
    }
    stats.calls++;
    const forward: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP_HEADERS.has(k) && v !== undefined) forward[k] = v;
    const req = upstream.request(forward);
    stream.pipe(req);
    let trailers: http2.IncomingHttpHeaders = {};
    req.on('trailers', (t) => (trailers = t));
    req.on('response', (h) => {
      const out: http2.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(h)) if (!HOP_HEADERS.has(k) && v !== undefined) out[k] = v;
      if (h['grpc-status'] !== undefined) {
        // Trailers-only response (an immediate gRPC error).
        stream.respond(out, { endStream: true });
        req.close();
        return;
      }
      stream.respond(out, { waitForTrailers: true });
      stream.on('wantTrailers', () => {
        const t: http2.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(trailers)) if (!k.startsWith(':') && v !== undefined) t[k] = v;
        stream.sendTrailers(t);
      });
      req.pipe(stream);
    });
    req.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => req.close(http2.constants.NGHTTP2_CANCEL));
    stream.on('close', () => {
      if (!req.closed) req.close(http2.constants.NGHTTP2_CANCEL);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        upstream.destroy();
        server.close(() => resolve());
      }),
  };
}
