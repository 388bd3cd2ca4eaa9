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

/** A command's arguments and what it does, in the usage text's columns. */
function usage(args: string, what: string): string {
  return args.length < 43 ? `${args.padEnd(43)}${what}` : `${args}  ${what}`;
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
  home: usage('', 'the families, rooms, devices and shares'),
  'device-add': usage(
    'PID/DN FAMILY_ID [ROOM_ID] [alias=A user=U online=false properties=JSON]',
    'bind a device to a family (created if new)',
  ),
  'device-remove': usage('PID/DN', 'unbind it from its family (its shares end)'),
  'device-rename': usage('PID/DN ALIAS', 'set its alias'),
  'device-move': usage('PID/DN ROOM_ID', 'move it to another room ("0" = the default room)'),
  share: usage('PID/DN [USER_ID]', 'share it with a user (default: the first user)'),
  unshare: usage('PID/DN [USER_ID]', 'end that share'),
  'room-add': usage('FAMILY_ID NAME [ROOM_ID]', 'add a room'),
  'room-remove': usage('FAMILY_ID ROOM_ID', 'remove a room (its devices go to "0")'),
  'family-add': usage('NAME [FAMILY_ID] [user=U address=A]', 'add a family, U its admin'),
  'family-remove': usage('FAMILY_ID', 'remove a family (its devices are unbound)'),
  'home-options': usage(
    '[listLimit=… missingPanelConfig=… shareFromUserId=…]',
    'show or set the home options',
  ),
  'panel-config': usage('PID JSON|none', "set or clear a product's panel config"),
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

function devicePath(id: string | undefined, section = '/_sim/devices'): string {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(id ?? '');
  if (!match) throw new Error(`expected a device as ProductId/DeviceName, got ${id ?? 'nothing'}`);
  return `${section}/${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}`;
}

/** `name=value` options of a home command, renamed to the /_sim body's fields. */
function homeFields(
  command: string,
  args: readonly string[],
  names: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseValues(args))) {
    const field = names[key];
    if (!field) {
      throw new Error(`${command} takes ${Object.keys(names).join('=, ')}=, not ${key}=`);
    }
    // Names and ids stay text even when they look like numbers (alias=123).
    out[field] = field === 'online' || field === 'properties' ? value : String(value);
  }
  return out;
}

/** The words before the first `name=value`, and the rest. */
function splitWords(args: readonly string[]): [string[], string[]] {
  const at = args.findIndex((a) => /^[A-Za-z]\w*=/.test(a));
  return at < 0 ? [[...args], []] : [args.slice(0, at), args.slice(at)];
}

const id = (part: string): string => encodeURIComponent(part);

/** The home's commands (home-control.ts routes); undefined for other commands. */
function homeRequest(command: string, args: readonly string[]): PokeRequest | undefined {
  const post = (path: string, body: Record<string, unknown> = {}): PokeRequest => ({
    method: 'POST',
    path,
    body: JSON.stringify(body),
  });
  const [words, options] = splitWords(args);
  const exactly = (n: number, usage: string): void => {
    if (words.length !== n || options.length > 0) throw new Error(`${command} takes ${usage}`);
  };
  switch (command) {
    case 'home':
      exactly(0, 'nothing');
      return { method: 'GET', path: '/_sim/home' };
    case 'device-add': {
      const [device, familyId, roomId, ...more] = words;
      if (!familyId || more.length > 0) {
        throw new Error('device-add takes PID/DN FAMILY_ID [ROOM_ID] [name=value …]');
      }
      const [productId, deviceName] = (device ?? '').split('/');
      devicePath(device);
      const fields = homeFields(command, options, {
        alias: 'AliasName',
        user: 'UserID',
        online: 'online',
        properties: 'properties',
      });
      return post('/_sim/home/devices', {
        ProductId: productId,
        DeviceName: deviceName,
        FamilyId: familyId,
        ...(roomId === undefined ? {} : { RoomId: roomId }),
        ...fields,
      });
    }
    case 'device-remove':
      exactly(1, 'PID/DN');
      return { method: 'DELETE', path: devicePath(words[0], '/_sim/home/devices') };
    case 'device-rename':
      exactly(2, 'PID/DN ALIAS');
      return post(devicePath(words[0], '/_sim/home/devices'), { AliasName: words[1] });
    case 'device-move':
      exactly(2, 'PID/DN ROOM_ID');
      return post(devicePath(words[0], '/_sim/home/devices'), { RoomId: words[1] });
    case 'share':
    case 'unshare':
      if (words.length < 1 || words.length > 2 || options.length > 0) {
        throw new Error(`${command} takes PID/DN [USER_ID]`);
      }
      return post(
        `${devicePath(words[0], '/_sim/home/devices')}/${command}`,
        words[1] === undefined ? {} : { UserID: words[1] },
      );
    case 'room-add':
      if (words.length < 2 || words.length > 3 || options.length > 0) {
        throw new Error('room-add takes FAMILY_ID NAME [ROOM_ID]');
      }
      return post(
        `/_sim/home/families/${id(words[0])}/rooms`,
        words[2] === undefined ? { RoomName: words[1] } : { RoomName: words[1], RoomId: words[2] },
      );
    case 'room-remove':
      exactly(2, 'FAMILY_ID ROOM_ID');
      return {
        method: 'DELETE',
        path: `/_sim/home/families/${id(words[0])}/rooms/${id(words[1])}`,
      };
    case 'family-add': {
      if (words.length < 1 || words.length > 2) {
        throw new Error('family-add takes NAME [FAMILY_ID] [user=U address=A]');
      }
      const fields = homeFields(command, options, { user: 'UserID', address: 'Address' });
      return post('/_sim/home/families', {
        Name: words[0],
        ...(words[1] === undefined ? {} : { FamilyId: words[1] }),
        ...fields,
      });
    }
    case 'family-remove':
      exactly(1, 'FAMILY_ID');
      return { method: 'DELETE', path: `/_sim/home/families/${id(words[0])}` };
    case 'home-options':
      if (words.length > 0) throw new Error('home-options takes name=value pairs only');
      return options.length === 0
        ? { method: 'GET', path: '/_sim/home/options' }
        : post('/_sim/home/options', parseValues(options));
    case 'panel-config': {
      const [productId, config, ...more] = args;
      if (!productId || config === undefined || more.length > 0) {
        throw new Error('panel-config takes PID and a JSON object (or none)');
      }
      let value: unknown = null;
      if (config !== 'none') {
        try {
          value = JSON.parse(config);
        } catch {
          throw new Error(`panel-config: not JSON: ${config}`);
        }
      }
      return post(`/_sim/products/${id(productId)}/config`, { Config: value });
    }
    default:
      return undefined;
  }
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
    default: {
      const home = homeRequest(command, args);
      if (home) return home;
      throw new Error(`unknown command ${command}`);
    }
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
