// A small MQTT 3.1.1 broker on 127.0.0.1 for the tests of the MQTT example: CONNECT, SUBSCRIBE
// with + and # wildcards, PUBLISH (QoS 0 and 1 in, QoS 0 out), retained messages, PING and
// DISCONNECT. Enough for Node-RED's own mqtt nodes to run against a real socket, so that a test
// sees what a broker really hands a new subscriber: its retained messages, flagged as such.

import { EventEmitter } from 'node:events';
import net from 'node:net';

export interface Published {
  topic: string;
  payload: string;
  retain: boolean;
}

const CONNECT = 1;
const CONNACK = 2;
const PUBLISH = 3;
const PUBACK = 4;
const SUBSCRIBE = 8;
const SUBACK = 9;
const UNSUBSCRIBE = 10;
const UNSUBACK = 11;
const PINGREQ = 12;
const PINGRESP = 13;
const DISCONNECT = 14;

/** Whether a topic matches a subscription's filter (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const want = filter.split('/');
  const got = topic.split('/');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '#') return true;
    if (i >= got.length) return false;
    if (want[i] !== '+' && want[i] !== got[i]) return false;
  }
  return want.length === got.length;
}

function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

function packet(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first]), remainingLength(body.length), body]);
}

function mqttString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

class Session {
  readonly filters = new Set<string>();
  private buffer = Buffer.alloc(0);

  constructor(
    readonly socket: net.Socket,
    private readonly onPacket: (
      session: Session,
      type: number,
      flags: number,
      body: Buffer,
    ) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => socket.destroy());
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      let length = 0;
      let multiplier = 1;
      let offset = 1;
      let byte: number;
      do {
        if (offset >= this.buffer.length) return;
        byte = this.buffer[offset++];
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
      } while (byte & 0x80);
      if (this.buffer.length < offset + length) return;
      const first = this.buffer[0];
      const body = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      this.onPacket(this, first >> 4, first & 0x0f, body);
    }
  }

  send(data: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  deliver(message: Published, retain: boolean): void {
    const first = (PUBLISH << 4) | (retain ? 1 : 0);
    this.send(
      packet(first, Buffer.concat([mqttString(message.topic), Buffer.from(message.payload)])),
    );
  }
}

export class MqttBroker extends EventEmitter {
  /** Every PUBLISH a client sent, in order. */
  readonly published: Published[] = [];
  /** The retained message of each topic. */
  readonly retained = new Map<string, Published>();
  private readonly server: net.Server;
  private readonly sessions = new Set<Session>();

  constructor() {
    super();
    this.server = net.createServer((socket) => {
      const session = new Session(socket, (s, type, flags, body) =>
        this.handle(s, type, flags, body),
      );
      this.sessions.add(session);
      socket.on('close', () => this.sessions.delete(session));
    });
  }

  /** Listens on 127.0.0.1 on a free port; resolves to the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** How many clients are subscribed to a filter that matches `topic`. */
  subscribers(topic: string): number {
    return [...this.sessions].filter((s) => [...s.filters].some((f) => topicMatches(f, topic)))
      .length;
  }

  /** Publishes as a client would (QoS 0), e.g. a command, retained or not. */
  publish(message: Published): void {
    this.route(message);
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(message: Published): void {
    this.published.push(message);
    if (message.retain) {
      if (message.payload === '') this.retained.delete(message.topic);
      else this.retained.set(message.topic, message);
    }
    // Subscribed already: a live message, delivered without the retain flag (MQTT 3.1.1 §3.3.1.3).
    for (const session of this.sessions) {
      if ([...session.filters].some((f) => topicMatches(f, message.topic))) {
        session.deliver(message, false);
      }
    }
    this.emit('publish', message);
  }

  private handle(session: Session, type: number, flags: number, body: Buffer): void {
    switch (type) {
      case CONNECT:
        session.send(packet(CONNACK << 4, Buffer.from([0, 0])));
        break;
      case SUBSCRIBE: {
        const packetId = body.subarray(0, 2);
        const granted: number[] = [];
        const added: string[] = [];
        let offset = 2;
        while (offset < body.length) {
          const length = body.readUInt16BE(offset);
          const filter = body.toString('utf8', offset + 2, offset + 2 + length);
          offset += 2 + length + 1;
          session.filters.add(filter);
          added.push(filter);
          granted.push(0);
        }
        session.send(packet((SUBACK << 4) | 0, Buffer.concat([packetId, Buffer.from(granted)])));
        // A new subscriber gets the topic's retained message, flagged as retained.
        for (const message of this.retained.values()) {
          if (added.some((f) => topicMatches(f, message.topic))) session.deliver(message, true);
        }
        this.emit('subscribe', added);
        break;
      }
      case UNSUBSCRIBE: {
        const packetId = body.subarray(0, 2);
        let offset = 2;
        while (offset < body.length) {
          const length = body.readUInt16BE(offset);
          session.filters.delete(body.toString('utf8', offset + 2, offset + 2 + length));
          offset += 2 + length;
        }
        session.send(packet(UNSUBACK << 4, packetId));
        break;
      }
      case PUBLISH: {
        const qos = (flags >> 1) & 3;
        const length = body.readUInt16BE(0);
        const topic = body.toString('utf8', 2, 2 + length);
        let offset = 2 + length;
        if (qos > 0) {
          session.send(packet(PUBACK << 4, body.subarray(offset, offset + 2)));
          offset += 2;
        }
        this.route({ topic, payload: body.toString('utf8', offset), retain: (flags & 1) === 1 });
        break;
      }
      case PINGREQ:
        session.send(packet(PINGRESP << 4, Buffer.alloc(0)));
        break;
      case DISCONNECT:
        session.socket.end();
        break;
      default:
        // PUBACK from a client for a QoS 1 delivery: none is sent (deliveries are QoS 0).
        break;
    }
  }
}
