// The command line's way to steer a simulator that is already running (the demo's, a soak
// run's): each command becomes one request to its /_sim control endpoints (control.ts).
//
//   node dist/simulator/cli.js event DOORBL1M2N/front_bell ring button=1
//   node dist/simulator/cli.js report THSNS7J8K9/living_sensor temperature=31.5 --url http://127.0.0.1:8700

export interface PokeRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under the simulator's origin, e.g. `/_sim/devices/DOORBL1M2N/front_bell/events/ring`. */
  path: string;
  /** A JSON text, for POST. */
  body?: string;
}

/** The commands, each with its arguments and what it does (for the usage text). */
export const POKE_COMMANDS: Readonly<Record<string, string>> = {
  event: 'PID/DN EVENT_ID [param=value ... | JSON]   the device posts an event',
  report: 'PID/DN prop=value ... | JSON               the device reports property values',
  online: 'PID/DN                                     the device comes online',
  offline: 'PID/DN                                     the device goes offline',
  'push-fault': 'KIND [count=N delayMs=N status=N action=A]  add a push socket fault',
  'push-clear': '                                           clear the push socket faults',
  'push-drop': '[close]                                    drop every open push socket',
  'push-stats': '                                           push counters, connections, faults',
};

export function isPokeCommand(word: string | undefined): boolean {
  return word !== undefined && Object.hasOwn(POKE_COMMANDS, word);
}

/**
 * `name=value` pairs as an object (a value is read as JSON when it is JSON, so `button=1` is a
 * number and `name="1"` a string; else it is the text itself), or one JSON object as it is.
 */
export function parseValues(args: readonly string[]): Record<string, unknown> {
  if (args.length === 1 && args[0].trim().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(args[0]);
    } catch {
      throw new Error(`not JSON: ${args[0]}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('the JSON must be an object');
    }
    return value as Record<string, unknown>;
  }
  const values: Record<string, unknown> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at < 1) throw new Error(`expected name=value, got ${arg}`);
    const text = arg.slice(at + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: the text itself.
    }
    values[arg.slice(0, at)] = value;
  }
  return values;
}

function devicePath(id: string | undefined): string {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(id ?? '');
  if (!match) throw new Error(`expected a device as ProductId/DeviceName, got ${id ?? 'nothing'}`);
  return `/_sim/devices/${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}`;
}

/** The request a command stands for; throws an Error naming what is wrong with its arguments. */
export function pokeRequest(command: string, args: readonly string[]): PokeRequest {
  switch (command) {
    case 'event': {
      const [device, eventId, ...params] = args;
      if (!eventId) throw new Error('event needs PID/DN and an event id');
      return {
        method: 'POST',
        path: `${devicePath(device)}/events/${encodeURIComponent(eventId)}`,
        body: JSON.stringify(parseValues(params)),
      };
    }
    case 'report': {
      const [device, ...values] = args;
      const body = parseValues(values);
      if (Object.keys(body).length === 0) throw new Error('report needs prop=value (or JSON)');
      return { method: 'POST', path: `${devicePath(device)}/report`, body: JSON.stringify(body) };
    }
    case 'online':
    case 'offline':
      if (args.length !== 1) throw new Error(`${command} takes one device, PID/DN`);
      return { method: 'POST', path: `${devicePath(args[0])}/${command}`, body: '' };
    case 'push-fault': {
      const [kind, ...rest] = args;
      if (!kind) throw new Error('push-fault needs a kind');
      return {
        method: 'POST',
        path: '/_sim/push/faults',
        body: JSON.stringify({ kind, ...parseValues(rest) }),
      };
    }
    case 'push-clear':
      return { method: 'DELETE', path: '/_sim/push/faults' };
    case 'push-drop':
      if (args.length > 1 || (args.length === 1 && args[0] !== 'close')) {
        throw new Error('push-drop takes nothing, or "close" for a close frame');
      }
      return {
        method: 'POST',
        path: '/_sim/push/drop',
        body: JSON.stringify({ mode: args[0] === 'close' ? 'close' : 'terminate' }),
      };
    case 'push-stats':
      return { method: 'GET', path: '/_sim/push' };
    default:
      throw new Error(`unknown command ${command}`);
  }
}

/** The origin of a simulator URL (its tokenapi URL will do too). */
export function simulatorOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`not an http URL: ${url}`);
  }
  return parsed.origin;
}

/** Sends the request to the running simulator at `url`; resolves to its status and body. */
export async function poke(
  url: string,
  request: PokeRequest,
  timeoutMs = 10000,
): Promise<{ status: number; body: string }> {
  const res = await fetch(simulatorOrigin(url) + request.path, {
    method: request.method,
    headers: request.body ? { 'Content-Type': 'application/json' } : undefined,
    body: request.body || undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.text() };
}
