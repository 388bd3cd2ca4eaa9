import http from 'node:http';
import https from 'node:https';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';

/**
 * The small interface the API client needs from HTTP, so the library behind it can be swapped
 * (for a faster transport, or a fake in a unit test) without touching a node.
 */
export interface TransportRequest {
  url: URL;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Reads at most this many bytes of the reply (a paged read's remaining budget); a longer reply
   * fails as the transport's own limit does. Never raises the transport's own limit.
   */
  maxBytes?: number;
}

export interface TransportResponse {
  status: number;
  body: string;
  /** The reply body's size in bytes, as received. */
  bytes: number;
}

export interface Transport {
  post(request: TransportRequest): Promise<TransportResponse>;
  /** Ends idle keep-alive sockets. In-flight requests are ended by their own signals. */
  close(): void;
}

export interface HttpTransportOptions {
  /** Sockets per host; keep-alive reuses them. */
  maxSockets?: number;
  /** Largest reply we read, so a broken proxy cannot fill memory. */
  maxReplyBytes?: number;
}

/** Errors that prove nothing left this machine: retrying cannot run an action twice. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** A URL without user:password, for messages. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function networkError(err: NodeJS.ErrnoException, url: URL): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.Network,
    key: 'network',
    params: { endpoint: displayUrl(url), reason: err.code ?? err.message },
    notSent: err.code !== undefined && NOT_SENT_CODES.has(err.code),
  });
}

/** A reply longer than the limit: read no further. */
function replyTooLarge(limit: number): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.BadResponse,
    key: 'replyTooLarge',
    params: { limit },
  });
}

/** Whether a failed exchange is a reply that was longer than the limit it was read with. */
export function isReplyTooLarge(err: unknown): boolean {
  return err instanceof IotExplorerError && err.key === 'replyTooLarge';
}

/** The largest reply a transport reads unless told otherwise: 8 MiB. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/**
 * node:http(s) with keep-alive agents: no dependency, and keep-alive also on Node 18,
 * whose default agent closes every connection.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const maxReplyBytes = options.maxReplyBytes ?? MAX_REPLY_BYTES;

  /** The request options of each endpoint, worked out once (not from the URL on every call). */
  const targets = new Map<string, http.RequestOptions>();
  const targetOf = (url: URL): http.RequestOptions => {
    let target = targets.get(url.href);
    if (target === undefined) {
      const isHttps = url.protocol === 'https:';
      target = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: isHttps ? httpsAgent : httpAgent,
      };
      // As Node reads a URL: user:password in it becomes Basic authorization.
      if (url.username !== '' || url.password !== '') {
        target.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      }
      // A few endpoints per account at most: keep the map from growing with odd callers.
      if (targets.size >= 16) targets.clear();
      targets.set(url.href, target);
    }
    return target;
  };

  function post({
    url,
    body,
    timeoutMs,
    signal,
    maxBytes,
  }: TransportRequest): Promise<TransportResponse> {
    const limit = maxBytes === undefined ? maxReplyBytes : Math.min(maxBytes, maxReplyBytes);
    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      const target = targetOf(url);
      const request = (url.protocol === 'https:' ? https : http).request({
        ...target,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Accept: 'application/json',
        },
      });

      const finish = (error: IotExplorerError | undefined, response?: TransportResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else {
          resolve(response as TransportResponse);
        }
      };
      // Errors are built only when they happen: most exchanges end well.
      const fail = (key: 'badResponse', reason: string): void => {
        if (!settled) {
          finish(
            new IotExplorerError({ code: LocalErrorCode.BadResponse, key, params: { reason } }),
          );
        }
      };
      const onAbort = (): void =>
        finish(new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' }));
      const timer = setTimeout(
        () =>
          finish(
            new IotExplorerError({
              code: LocalErrorCode.Timeout,
              key: 'timeout',
              params: { timeout: timeoutMs },
            }),
          ),
        timeoutMs,
      );

      if (signal?.aborted) {
        onAbort();
        return;
      }
      // Removed by finish(), which runs once: no { once } (it costs as much again, per call).
      signal?.addEventListener('abort', onAbort);

      request.on('error', (err: NodeJS.ErrnoException) => {
        if (!settled) finish(networkError(err, url));
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            finish(replyTooLarge(limit));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (err: NodeJS.ErrnoException) =>
          fail('badResponse', `the connection broke during the reply (${err.code ?? err.message})`),
        );
        // 'close' without 'end' or 'error': the socket went away mid-reply.
        response.on('close', () => fail('badResponse', 'the connection closed during the reply'));
        response.on('end', () => {
          if (!response.complete) {
            fail('badResponse', 'the reply was cut short');
            return;
          }
          const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
          finish(undefined, {
            status: response.statusCode ?? 0,
            body: bytes.toString('utf8'),
            bytes: size,
          });
        });
      });
      request.end(body);
    });
  }

  return {
    post,
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
