// A small test client for the simulator's push socket: a real `ws` WebSocket that keeps every
// frame it receives, sends request frames and waits for their replies or for pushes.

import WebSocket from 'ws';
import type { Json } from './helpers';

export interface PushFrame {
  params: {
    Time: string;
    Type: string;
    SubType: string;
    Topic: string;
    Payload: string;
    Seq: number;
    DeviceId?: string;
  };
  /** The decoded Payload ("" stays ""). */
  payload: Json;
}

/** Matches a push about `deviceId` of this Type and SubType. */
export function pushFrom(deviceId: string, type: string, subType: string) {
  return (p: PushFrame): boolean =>
    p.params.DeviceId === deviceId && p.params.Type === type && p.params.SubType === subType;
}

/** A frame from the server, read loosely. */
export type ServerFrame = Record<string, Json>;

let nextReqId = 1;

export class PushClient {
  readonly frames: ServerFrame[] = [];
  readonly binaryFrames: Buffer[] = [];
  readonly rawTexts: string[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.binaryFrames.push(Buffer.from(data as Buffer));
      } else {
        const text = (data as Buffer).toString('utf8');
        this.rawTexts.push(text);
        try {
          this.frames.push(JSON.parse(text) as ServerFrame);
        } catch {
          // Kept only in rawTexts.
        }
      }
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => this.wake());
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<PushClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new PushClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
      );
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first value `find` returns (checked on every frame), or rejects. */
  waitFor<T>(find: () => T | undefined, timeoutMs = 2000, what = 'a frame'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  sendFrame(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends {action, reqId, params} and waits for the reply with that reqId. */
  async request(
    action: string,
    params?: unknown,
    reqId: string | number = `t${nextReqId++}`,
    timeoutMs = 2000,
  ): Promise<ServerFrame> {
    this.sendFrame(params === undefined ? { action, reqId } : { action, reqId, params });
    return this.waitFor(
      () => this.frames.find((f) => !f.push && f.reqId === reqId),
      timeoutMs,
      `the reply to ${action} ${reqId}`,
    );
  }

  subscribe(deviceIds: string[], token: string): Promise<ServerFrame> {
    return this.request('ActivePush', { DeviceIds: deviceIds, AccessToken: token });
  }

  /** A YunApi call with AccessToken and RequestId inside ActionParams. */
  yunApi(
    action: string,
    actionParams: Record<string, unknown>,
    token: string,
  ): Promise<ServerFrame> {
    return this.request('YunApi', {
      Action: action,
      ActionParams: { AccessToken: token, RequestId: `rq-${nextReqId}`, ...actionParams },
    });
  }

  /** Every DeviceChange push so far, decoded. */
  pushes(): PushFrame[] {
    return this.frames
      .filter((f) => f.push === true && f.action === 'DeviceChange')
      .map((f) => {
        const params = typeof f.params === 'string' ? JSON.parse(f.params) : f.params;
        const payload =
          params.Payload === ''
            ? ''
            : JSON.parse(Buffer.from(params.Payload as string, 'base64').toString('utf8'));
        return { params, payload };
      });
  }

  /** Waits for a push that matches. */
  waitPush(
    match: (p: PushFrame) => boolean,
    timeoutMs = 2000,
    what = 'a push',
  ): Promise<PushFrame> {
    return this.waitFor(() => this.pushes().find(match), timeoutMs, what);
  }

  /** Waits `ms`, then returns the pushes that arrived (to check that none came). */
  async pushesAfter(ms: number): Promise<PushFrame[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.pushes();
  }

  waitClosed(timeoutMs = 2000): Promise<number> {
    return this.waitFor(() => this.closeCode, timeoutMs, 'the socket to close');
  }

  close(): void {
    this.ws.terminate();
  }
}
