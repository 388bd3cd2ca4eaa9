// A small HTTP server on 127.0.0.1 that answers what the simulator never would: replies that
// echo secrets, pages that never end, pages far too large. Each test says how it answers.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
  /** The request's Action (tokenapi and appapi both carry one). */
  action: string;
  body: Record<string, unknown>;
  /** '/tokenapi' or '/appapi'. */
  path: string;
}

export interface HostileServer {
  /** The tokenapi URL to give an account. */
  tokenapiUrl: string;
  /** The appapi (sign-in) URL beside it. */
  appapiUrl: string;
  /** Every request received, in order. */
  requests: HostileRequest[];
  close(): Promise<void>;
}

/**
 * Starts the server; `answer` decides each reply. A Buffer goes out as it is (for large pages
 * built once), anything else as JSON.
 */
export async function startHostileServer(
  answer: (request: HostileRequest) => unknown,
): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // answered as a request without params
      }
      const request: HostileRequest = {
        action: typeof body.Action === 'string' ? body.Action : '',
        body,
        path: (req.url ?? '').replace(/^.*\/(tokenapi|appapi)$/, '/$1'),
      };
      requests.push(request);
      Promise.resolve(answer(request)).then(
        (reply) => {
          const bytes = Buffer.isBuffer(reply) ? reply : Buffer.from(JSON.stringify(reply));
          res.writeHead(200, {
            'Content-Type': 'application/json',
            'Content-Length': bytes.length,
          });
          res.end(bytes);
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/exploreropen`;
  return {
    tokenapiUrl: `${base}/tokenapi`,
    appapiUrl: `${base}/appapi`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An API error reply in the documented envelope. */
export function apiErrorReply(code: string, message: string): unknown {
  return { Response: { Error: { Code: code, Message: message }, RequestId: 'hostile' } };
}
