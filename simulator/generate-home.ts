// Large homes for tests and benchmarks: N devices of the fixture's products across F families
// and R rooms of one user, some of them shared with that user by another, all derived from a
// seed, so the same options give the same home on every run and machine.

import { loadFixture, type Fixture, type FixtureDevice, type FixtureFamily } from './fixture';
import { seededRandom } from './seeded-random';

export interface GenerateHomeOptions {
  /** Devices the user sees in all: owned (in the generated families) and shared. */
  devices: number;
  /** Families of the user. Default: one per 100 devices, at least 1. */
  families?: number;
  /** Named rooms in all, spread over the families. Default: 4 per family. */
  rooms?: number;
  /** How many of the devices another user shares with the user. Default: 5 % (rounded up). */
  shared?: number;
  /** Default 1. */
  seed?: number;
  /** The fixture whose users, tokens, app keys and products are used. Default: the shipped one. */
  base?: Fixture;
  /**
   * Keep the base's families, devices, scenes, automations, history and scripts and add the
   * generated home beside them. Default false: the generated home replaces them, so counts
   * are exactly what was asked for.
   */
  keepBaseHome?: boolean;
  /** Whose home it is. Default: the base's first user. */
  userId?: string;
  /** Who shares devices with the user. Default: u-owner if the base has it, else another user. */
  ownerId?: string;
}

/** The products' share of a generated home, and their device names (by ProductId). */
const KINDS: readonly { productId: string; prefix: string; label: string; weight: number }[] = [
  { productId: 'LIGHT0A1B2', prefix: 'lamp', label: '灯', weight: 40 },
  { productId: 'THSNS7J8K9', prefix: 'sensor', label: '温湿度', weight: 20 },
  { productId: 'AIRC0F5G6H', prefix: 'aircon', label: '空调', weight: 15 },
  { productId: 'LOCK0C3D4E', prefix: 'lock', label: '门锁', weight: 15 },
  { productId: 'DOORBL1M2N', prefix: 'bell', label: '门铃', weight: 10 },
];

/** The shipped fixtures' owner of shared devices. */
const DEFAULT_OWNER = 'u-owner';

const ROOM_NAMES = [
  '客厅',
  '卧室',
  '厨房',
  '书房',
  '门厅',
  '阳台',
  '餐厅',
  '车库',
  '儿童房',
  '花园',
];

function positiveInt(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`generateHome: ${name} must be an integer of at least ${min}`);
  }
  return value;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A fixture with a generated home: `families` families of `userId` (admin) with `rooms` rooms
 * between them, `devices - shared` devices in them (about one in ten in the default room, one
 * in ten offline), and `shared` devices of `ownerId`'s generated family shared with `userId`.
 * Ids: families `f_gen_01`…, rooms `r_gen_01_01`…, devices `<ProductId>/<kind>_0001`…, the
 * owner's family `f_gen_owner`. Deterministic for a given seed.
 */
export function generateHome(options: GenerateHomeOptions): Fixture {
  const total = positiveInt(options.devices, 'devices', 1);
  const familyCount = positiveInt(
    options.families ?? Math.max(1, Math.ceil(total / 100)),
    'families',
    1,
  );
  const roomCount = positiveInt(options.rooms ?? familyCount * 4, 'rooms', 0);
  const shared = positiveInt(options.shared ?? Math.ceil(total / 20), 'shared', 0);
  if (shared > total) throw new Error('generateHome: shared must not exceed devices');
  const random = seededRandom(options.seed ?? 1);
  const base = structuredClone(options.base ?? loadFixture());
  const userId = options.userId ?? base.users[0]?.UserID;
  const ownerId =
    options.ownerId ??
    (base.users.some((u) => u.UserID === DEFAULT_OWNER && u.UserID !== userId)
      ? DEFAULT_OWNER
      : base.users.find((u) => u.UserID !== userId)?.UserID);
  if (!userId || !base.users.some((u) => u.UserID === userId)) {
    throw new Error('generateHome: the base fixture has no such user');
  }
  if (
    shared > 0 &&
    (!ownerId || ownerId === userId || !base.users.some((u) => u.UserID === ownerId))
  ) {
    throw new Error('generateHome: shared devices need another user of the base fixture as owner');
  }
  const kinds = KINDS.filter((k) => base.products.some((p) => p.ProductId === k.productId));
  if (kinds.length === 0)
    throw new Error('generateHome: the base fixture has none of the products');
  const weightSum = kinds.reduce((sum, k) => sum + k.weight, 0);
  const pickKind = (): (typeof kinds)[number] => {
    let r = random() * weightSum;
    for (const k of kinds) {
      r -= k.weight;
      if (r < 0) return k;
    }
    return kinds[kinds.length - 1];
  };

  const time = 1700000000;
  const families: FixtureFamily[] = [];
  for (let f = 1; f <= familyCount; f++) {
    families.push({
      FamilyId: `f_gen_${pad(f, 2)}`,
      Name: `Home ${f}`,
      Address: `${f} Generated Road`,
      CreateTime: time + f,
      members: [{ UserID: userId, Role: 1 }],
      rooms: [],
    });
  }
  for (let r = 0; r < roomCount; r++) {
    const family = families[r % familyCount];
    const rooms = family.rooms!;
    const n = rooms.length + 1;
    const name = ROOM_NAMES[(n - 1) % ROOM_NAMES.length];
    rooms.push({
      RoomId: `r_gen_${family.FamilyId.slice(6)}_${pad(n, 2)}`,
      RoomName: n > ROOM_NAMES.length ? `${name} ${Math.ceil(n / ROOM_NAMES.length)}` : name,
      CreateTime: time + 100 + r,
    });
  }

  const counters = new Map<string, number>();
  const nextName = (prefix: string): string => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${pad(n, 4)}`;
  };
  const lampState = (kind: (typeof kinds)[number]): Record<string, unknown> | undefined =>
    kind.prefix === 'lamp'
      ? { power_switch: random() < 0.5 ? 1 : 0, brightness: Math.floor(random() * 101) }
      : undefined;

  const devices: FixtureDevice[] = [];
  for (let i = 0; i < total - shared; i++) {
    const kind = pickKind();
    // Spread over the families in turn, so each gets its share whatever the seed.
    const family = families[i % familyCount];
    const rooms = family.rooms ?? [];
    const room =
      rooms.length === 0 || random() < 0.1 ? undefined : rooms[Math.floor(random() * rooms.length)];
    const deviceName = nextName(kind.prefix);
    devices.push({
      ProductId: kind.productId,
      DeviceName: deviceName,
      AliasName: `${room?.RoomName ?? '默认房间'}${kind.label} ${deviceName.slice(-4)}`,
      FamilyId: family.FamilyId,
      RoomId: room?.RoomId ?? '0',
      online: random() >= 0.1,
      properties: lampState(kind),
      CreateTime: time + 1000 + i,
    });
  }
  const ownerFamilies: FixtureFamily[] = [];
  if (shared > 0) {
    ownerFamilies.push({
      FamilyId: 'f_gen_owner',
      Name: 'Owner home',
      CreateTime: time,
      members: [{ UserID: ownerId!, Role: 1 }],
      rooms: [{ RoomId: 'r_gen_owner_01', RoomName: '客厅', CreateTime: time }],
    });
    for (let i = 0; i < shared; i++) {
      const kind = pickKind();
      const deviceName = nextName(`shared_${kind.prefix}`);
      devices.push({
        ProductId: kind.productId,
        DeviceName: deviceName,
        AliasName: `Shared ${kind.label} ${deviceName.slice(-4)}`,
        FamilyId: 'f_gen_owner',
        RoomId: 'r_gen_owner_01',
        online: random() >= 0.1,
        properties: lampState(kind),
        CreateTime: time + 5000 + i,
        sharedWith: [{ UserID: userId, CreateTime: time + 6000 + i }],
      });
    }
  }

  const keep = options.keepBaseHome ?? false;
  const fixture: Fixture = {
    ...base,
    description: `Generated home: ${total} devices (${shared} shared) in ${familyCount} families and ${roomCount} rooms, seed ${options.seed ?? 1}${keep ? ', beside the base home' : ''}`,
    families: [...(keep ? base.families : []), ...families, ...ownerFamilies],
    devices: [...(keep ? base.devices : []), ...devices],
  };
  if (!keep) {
    fixture.scenes = [];
    fixture.automations = [];
    fixture.generatedHistory = [];
    fixture.pastEvents = [];
    fixture.script = [];
  }
  // Validated here, so a bad option shows now rather than when a simulator starts.
  return loadFixture(fixture);
}

/**
 * Reads the CLI's `--home` text: `devices=500,families=5,rooms=20,shared=10,seed=3,keep`
 * (devices required; `keep` keeps the base home). Throws an Error naming what is wrong.
 */
export function parseHomeSpec(text: string): Omit<GenerateHomeOptions, 'base'> {
  const out: Omit<GenerateHomeOptions, 'base'> = { devices: 0 };
  let sawDevices = false;
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    if (item === 'keep') {
      out.keepBaseHome = true;
      continue;
    }
    const match = /^(devices|families|rooms|shared|seed)=(\d+)$/.exec(item);
    if (!match) {
      throw new Error(
        `--home: expected devices=N, families=N, rooms=N, shared=N, seed=N or keep, got ${item}`,
      );
    }
    const value = Number(match[2]);
    if (match[1] === 'devices') sawDevices = true;
    (out as unknown as Record<string, number>)[match[1]] = value;
  }
  if (!sawDevices) throw new Error('--home needs devices=N');
  return out;
}
