// The HTTP side: routing, body parsing, recording, fault injection, keep-alive, close().

import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control';
import {
  dispatchApi,
  ENDPOINT_PATHS,
  parseBody,
  type ApiResult,
  type Endpoint,
  type ParsedBody,
} from './dispatch';
import { errorBody, errors, successBody, type EnvelopeMode } from './envelope';
import { FAULT_SERVICE_ACTS, FaultSet, parseFaultSpec, type FaultSpec } from './faults';
import { LISTOVER_READINGS } from './history';
import { parseHomeOptions } from './home-options';
import type { Fixture } from './fixture';
import { SimulatorModel } from './model';
import { deviceKeyOf, type ApiContext } from './params';
import { PUSH_PATHS, PushServer } from './push';
import { Scheduler, SimulatorClosedError } from './scheduler';
import { startScripts } from './script';
import type { ActionCall, RecordedRequest, Simulator, SimulatorOptions } from './types';

/** Request bodies larger than this get HTTP 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function gatewayPage(status: number): string {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

const NON_JSON_PAGE =
  '<!DOCTYPE html><html><head><title>系统繁忙</title></head><body><p>系统繁忙，请稍后再试 (service busy, please try again later)</p></body></html>';

interface ReceivedRequest {
  parsed: ParsedBody;
  value: unknown;
  action: string | undefined;
  device: string | undefined;
}

export class SimulatorServer implements Simulator {
  readonly requests: RecordedRequest[] = [];
  readonly actionCalls: ActionCall[] = [];
  readonly stats = { socketsOpened: 0, requests: 0 };
  readonly model: SimulatorModel;
  /** HTTP API calls by Action (tokenapi and appapi), counted like stats.requests. */
  readonly httpCallsByAction: Record<string, number> = {};
  readonly push: PushServer;
  envelope: EnvelopeMode;

  private readonly server: http.Server;
  private readonly scheduler = new Scheduler();
  private readonly faults = new FaultSet();
  private readonly sockets = new Set<Socket>();
  private readonly ctx: ApiContext;
  private readonly host: string;
  private readonly log: (line: string) => void;
  private readonly recordLimit: number;
  private boundPort = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly fixture: Fixture,
    private readonly options: SimulatorOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.model = new SimulatorModel(fixture, now, options.tokenTtlSeconds);
    this.model.deviceDelayMs = options.deviceDelayMs;
    checkHomeOptions(options);
    if (options.home !== undefined) {
      try {
        Object.assign(this.model.homeOptions, parseHomeOptions(options.home));
      } catch (err) {
        throw new Error(`simulator: ${(err as Error).message}`);
      }
    }
    this.model.scenes.delayScale = options.sceneDelayScale ?? 1;
    this.model.history.listoverReading = options.historyListover ?? 'panels';
    if (options.historyLimit !== undefined) this.model.history.pointLimit = options.historyLimit;
    this.envelope = options.envelope ?? 'response';
    this.host = options.host ?? '127.0.0.1';
    this.log = options.log ?? (() => undefined);
    this.recordLimit = options.recordLimit ?? Infinity;
    const scheduler = this.scheduler;
    this.ctx = {
      model: this.model,
      now,
      sleep: (ms) => scheduler.sleep(ms),
      after: (ms, fn) => scheduler.after(ms, fn),
      syncActionTimeoutMs: options.syncActionTimeoutMs ?? 5000,
      timestampWindowSeconds: options.timestampWindowSeconds ?? 300,
      recordAction: (call) => this.append(this.actionCalls, call),
    };
    for (const fault of fixture.faults ?? []) this.faults.add(fault);
    this.push = new PushServer(
      {
        model: this.model,
        scheduler,
        now,
        log: this.log,
        tokenapi: (body) => dispatchApi('tokenapi', body, this.ctx),
      },
      options.push,
    );
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) =>
      this.push.handleUpgrade(req, socket, head),
    );
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 65_000;
    this.server.on('connection', (socket: Socket) => {
      this.stats.socketsOpened += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  get tokenapiUrl(): string {
    return this.url + ENDPOINT_PATHS.tokenapi;
  }

  get appapiUrl(): string {
    return this.url + ENDPOINT_PATHS.appapi;
  }

  get pushUrl(): string {
    return this.url.replace(/^http/, 'ws') + PUSH_PATHS[0];
  }

  get pushUrlAlt(): string {
    return this.url.replace(/^http/, 'ws') + PUSH_PATHS[1];
  }

  /** Starts listening, then starts the fixture's scripts. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.options.port ?? 0, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    startScripts(this.model, this.scheduler, this.fixture.script ?? [], this.log);
  }

  // ---- the in-process control API ----

  setFault(fault: FaultSpec): void {
    this.faults.add(parseFaultSpec(fault));
  }

  clearFaults(): void {
    this.faults.clear();
  }

  listFaults(): FaultSpec[] {
    return this.faults.list();
  }

  setDeviceOnline(productId: string, deviceName: string, online: boolean): void {
    this.model.setOnline(this.model.requireDevice(productId, deviceName), online);
  }

  setDeviceProperty(
    productId: string,
    deviceName: string,
    propertyId: string,
    value: unknown,
  ): void {
    this.model.setProperty(this.model.requireDevice(productId, deviceName), propertyId, value);
  }

  reportProperties(productId: string, deviceName: string, values: Record<string, unknown>): void {
    this.model.reportProperties(this.model.requireDevice(productId, deviceName), values);
  }

  fireEvent(
    productId: string,
    deviceName: string,
    eventId: string,
    params?: Record<string, unknown>,
  ): void {
    this.model.postEvent(this.model.requireDevice(productId, deviceName), eventId, params);
  }

  issueToken(userId: string, ttlSeconds?: number): { Token: string; ExpireAt: number } {
    return this.model.issueToken(userId, ttlSeconds);
  }

  revokeToken(token: string): void {
    this.model.revokeToken(token);
  }

  resetRecords(): void {
    this.requests.length = 0;
    this.actionCalls.length = 0;
    this.stats.socketsOpened = 0;
    this.stats.requests = 0;
    for (const action of Object.keys(this.httpCallsByAction)) delete this.httpCallsByAction[action];
    this.push.resetStats();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.scheduler.close();
      this.push.close();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
    return this.closing;
  }

  // ---- HTTP ----

  private append<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.recordLimit) list.splice(0, list.length - this.recordLimit);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = Date.now();
    const pathname = new URL(req.url ?? '/', 'http://simulator').pathname;
    const method = req.method ?? 'GET';
    const endpoint = (Object.keys(ENDPOINT_PATHS) as Endpoint[]).find(
      (e) => ENDPOINT_PATHS[e] === pathname,
    );
    const isControl = pathname === '/_sim' || pathname.startsWith('/_sim/');
    readBody(req)
      .then(async (text) => {
        if (isControl && text !== undefined) {
          const status = handleControl(this, method, pathname, text, res);
          const shown = pathname.startsWith('/_sim/tokens') ? '/_sim/tokens' : pathname;
          this.log(`${method} ${shown} -> ${status}`);
          return;
        }
        if (text === undefined) {
          if (!isControl) this.record(pathname, req, '');
          writePlain(res, 413, 'Payload Too Large', { Connection: 'close' });
          this.log(`${method} ${pathname} -> 413 body too large`);
          return;
        }
        const request = this.record(pathname, req, text);
        if (!endpoint) {
          writePlain(res, 404, 'Not Found');
          this.log(`${method} ${pathname} -> 404`);
          return;
        }
        if (method !== 'POST') {
          writePlain(res, 405, 'Method Not Allowed', { Allow: 'POST' });
          this.log(`${method} ${pathname} -> 405`);
          return;
        }
        await this.onApiRequest(endpoint, pathname, request, res, started);
      })
      .catch((err: unknown) => {
        if (err instanceof SimulatorClosedError) return;
        this.log(`${method} ${pathname} -> simulator error: ${(err as Error).message}`);
        if (!res.headersSent && !res.destroyed) {
          const body = errorBody(this.envelope, 'InternalError', '内部错误', '');
          writeBody(res, 200, JSON_TYPE, body);
        }
      });
  }

  /** Records a request (anything but /_sim) and reads what fault matching needs from it. */
  private record(pathname: string, req: http.IncomingMessage, text: string): ReceivedRequest {
    const parsed = parseBody(text);
    const value = parsed.ok ? parsed.value : undefined;
    const action =
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { Action?: unknown }).Action === 'string'
        ? (value as { Action: string }).Action
        : undefined;
    this.append(this.requests, {
      path: pathname,
      action,
      body: parsed.ok ? parsed.value : text,
      headers: { ...req.headers },
      receivedAt: this.ctx.now(),
    });
    this.stats.requests += 1;
    if (action !== undefined)
      this.httpCallsByAction[action] = (this.httpCallsByAction[action] ?? 0) + 1;
    return { parsed, value, action, device: deviceKeyOf(value) };
  }

  private async onApiRequest(
    endpoint: Endpoint,
    pathname: string,
    request: ReceivedRequest,
    res: http.ServerResponse,
    started: number,
  ): Promise<void> {
    const { parsed, value, action, device } = request;
    const decision = this.faults.take(device, action);
    const fault = decision.replace;
    const describe = (outcome: string): void => {
      const target = device === undefined ? '' : ` ${device}`;
      const faultNote = fault
        ? ` [fault ${fault.kind}]`
        : decision.delayMs > 0
          ? ' [fault latency]'
          : '';
      this.log(
        `POST ${pathname} ${action ?? '-'}${target} -> ${outcome} ${Date.now() - started}ms${faultNote}`,
      );
    };

    if (fault && !FAULT_SERVICE_ACTS[fault.kind]) {
      await this.scheduler.sleep(decision.delayMs);
      if (fault.kind === 'http5xx') {
        const status = fault.status ?? 502;
        writeBody(res, status, HTML_TYPE, gatewayPage(status));
        describe(String(status));
      } else if (fault.kind === 'requestLimit') {
        const requestId =
          typeof value === 'object' &&
          value !== null &&
          typeof (value as { RequestId?: unknown }).RequestId === 'string'
            ? (value as { RequestId: string }).RequestId
            : '';
        const err = errors.requestLimit();
        writeBody(res, 200, JSON_TYPE, errorBody(this.envelope, err.code, err.message, requestId));
        describe(`200 ${err.code}`);
      } else {
        describe('no answer');
      }
      return;
    }

    const result = await dispatchApi(endpoint, parsed, this.ctx);
    await this.scheduler.sleep(decision.delayMs);
    const body = this.render(result);
    const outcome = result.error
      ? `200 ${result.error.code}`
      : `200 ${typeof result.fields.Status === 'string' ? result.fields.Status : 'ok'}`;

    switch (fault?.kind) {
      case 'nonJson':
        writeBody(res, 200, HTML_TYPE, NON_JSON_PAGE);
        describe('200 (not JSON)');
        return;
      case 'truncated': {
        const bytes = Buffer.from(body, 'utf8');
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': bytes.length });
        const socket = res.socket;
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => socket?.end());
        describe('200 (truncated)');
        return;
      }
      case 'reset': {
        const bytes = Buffer.from(body, 'utf8');
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': bytes.length });
        const socket = res.socket;
        res.write(bytes.subarray(0, Math.floor(bytes.length / 3)), () => socket?.resetAndDestroy());
        describe('200 (reset)');
        return;
      }
      default:
        writeBody(res, 200, JSON_TYPE, body);
        describe(outcome);
    }
  }

  private render(result: ApiResult): string {
    return result.error
      ? errorBody(this.envelope, result.error.code, result.error.message, result.requestId)
      : successBody(this.envelope, result.fields, result.requestId);
  }
}

/** Throws a clear Error for a bad scene or history option. */
function checkHomeOptions(options: SimulatorOptions): void {
  const scale = options.sceneDelayScale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale >= 0)) {
    throw new Error('simulator: sceneDelayScale must be a number ≥ 0');
  }
  const reading = options.historyListover;
  if (reading !== undefined && !LISTOVER_READINGS.includes(reading)) {
    throw new Error('simulator: historyListover must be "panels" or "doc"');
  }
}

/** Reads a body as UTF-8; undefined when it is larger than MAX_BODY_BYTES. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function writeBody(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  body: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body, 'utf8'),
    ...extraHeaders,
  });
  res.end(body);
}

function writePlain(
  res: http.ServerResponse,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): void {
  writeBody(res, status, 'text/plain; charset=utf-8', `${text}\n`, extraHeaders);
}
