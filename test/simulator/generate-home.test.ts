// Generated homes (generateHome, --home) and fixtures that extend another (`extends`, the shipped
// "home" fixture), read back over real HTTP with paging; and the per-Action call counters a
// benchmark of the home reads (HTTP and the push socket's YunApi).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import {
  FixtureError,
  generateHome,
  loadFixture,
  parseHomeSpec,
  startSimulator,
  type Simulator,
} from '../../simulator';
import { DEMO_TOKEN, type Json, pluck, readAllPages, simControl, tokenApiOk } from './helpers';
import { PushClient } from './push-client';

const CLI = path.join(__dirname, '..', '..', 'simulator', 'cli.js');

/** Every device the demo user sees: each family's, read page by page, and the shared ones. */
async function wholeHome(
  sim: Simulator,
): Promise<{ families: string[]; rooms: number; owned: Json[]; shared: Json[] }> {
  const families = await readAllPages(sim, 'AppGetFamilyList', 'FamilyList', {}, 50);
  let rooms = 0;
  const owned: Json[] = [];
  for (const f of families.items) {
    rooms += (await readAllPages(sim, 'AppGetRoomList', 'RoomList', { FamilyId: f.FamilyId }, 50))
      .total;
    const devices = await readAllPages(
      sim,
      'AppGetFamilyDeviceList',
      'DeviceList',
      { FamilyId: f.FamilyId, RoomId: '' },
      50,
    );
    owned.push(...devices.items);
  }
  const shared = await readAllPages(sim, 'AppListUserShareDevices', 'ShareDevices', {}, 100);
  return {
    families: pluck(families.items, 'FamilyId'),
    rooms,
    owned,
    shared: shared.items,
  };
}

describe('simulator home: generated homes, extending fixtures, call counts', function () {
  let sim: Simulator | undefined;

  afterEach(async function () {
    await sim?.close();
    sim = undefined;
  });

  describe('generateHome', function () {
    it('builds 500 devices in 5 families, 25 of them shared, readable in full through the API', async function () {
      sim = await startSimulator({ fixture: generateHome({ devices: 500, families: 5 }) });
      const home = await wholeHome(sim);
      assert.deepEqual(home.families, ['f_gen_01', 'f_gen_02', 'f_gen_03', 'f_gen_04', 'f_gen_05']);
      assert.equal(home.rooms, 20);
      assert.equal(home.owned.length, 475);
      assert.equal(home.shared.length, 25);
      const ids = new Set(pluck([...home.owned, ...home.shared], 'DeviceId'));
      assert.equal(ids.size, 500);
      // Every family got its share, and several products are there, lamps the most.
      const perFamily = new Map<string, number>();
      for (const id of sim.model.devices.values()) {
        if (id.familyId) perFamily.set(id.familyId, (perFamily.get(id.familyId) ?? 0) + 1);
      }
      assert.deepEqual([...perFamily.values()].slice(0, 5), [95, 95, 95, 95, 95]);
      const byProduct = new Map<string, number>();
      for (const d of home.owned) byProduct.set(d.ProductId, (byProduct.get(d.ProductId) ?? 0) + 1);
      assert.equal(byProduct.size, 5);
      assert.equal(
        [...byProduct].sort((a, b) => b[1] - a[1])[0][0],
        'LIGHT0A1B2',
        JSON.stringify([...byProduct]),
      );
      // Some devices in the default room, some offline, none of the default fixture's.
      assert.ok(home.owned.some((d: Json) => d.RoomId === '0'));
      assert.ok([...sim.model.devices.values()].some((d) => !d.online));
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp'), undefined);
    });

    it('is deterministic: the same seed gives the same home, another seed another', function () {
      const a = generateHome({ devices: 200, families: 3, seed: 7 });
      const b = generateHome({ devices: 200, families: 3, seed: 7 });
      const c = generateHome({ devices: 200, families: 3, seed: 8 });
      assert.deepEqual(a, b);
      assert.notDeepEqual(a.devices, c.devices);
      assert.equal(a.families.filter((f) => f.FamilyId.startsWith('f_gen_0')).length, 3);
      assert.equal(a.devices.length, 200);
      assert.equal(a.devices.filter((d) => d.sharedWith).length, 10);
    });

    it('takes rooms and shared counts, keeps the base home beside it when asked, and refuses nonsense', function () {
      const small = generateHome({
        devices: 12,
        families: 2,
        rooms: 3,
        shared: 0,
        keepBaseHome: true,
      });
      assert.deepEqual(
        small.families.map((f) => [f.FamilyId, (f.rooms ?? []).length]),
        [
          ['f_demo_home', 3],
          ['f_neighbor_home', 1],
          ['f_owner_home', 2],
          ['f_gen_01', 2],
          ['f_gen_02', 1],
        ],
      );
      assert.equal(small.devices.length, loadFixture().devices.length + 12);
      assert.ok((small.scenes ?? []).length > 0, 'the base scenes stay');
      assert.throws(() => generateHome({ devices: 0 }), /devices must be an integer of at least 1/);
      assert.throws(() => generateHome({ devices: 5, shared: 6 }), /shared must not exceed/);
      assert.deepEqual(parseHomeSpec('devices=200,families=3,seed=4,keep'), {
        devices: 200,
        families: 3,
        seed: 4,
        keepBaseHome: true,
      });
      assert.throws(() => parseHomeSpec('families=3'), /needs devices=N/);
      assert.throws(() => parseHomeSpec('devices=2,colour=3'), /expected devices=N/);
    });

    it('starts from the command line with --home', async function () {
      const child = spawn(process.execPath, [
        CLI,
        '--port',
        '0',
        '--quiet',
        '--home',
        'devices=60,families=2,shared=6',
        '--list-limit',
        'clamp',
      ]);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /listening on (\S+)/.exec(out);
            if (match) resolve(match[1]);
          });
          child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        });
        const call = async (body: Record<string, unknown>): Promise<Json> => {
          const res = await fetch(url, {
            method: 'POST',
            body: JSON.stringify({ RequestId: 'r', AccessToken: DEMO_TOKEN, ...body }),
          });
          const reply: Json = await res.json();
          return reply.Response;
        };
        const families = await call({ Action: 'AppGetFamilyList' });
        assert.equal(families.Total, 2);
        const shared = await call({ Action: 'AppListUserShareDevices', Offset: 0, Limit: 500 });
        assert.deepEqual([shared.Total, shared.ShareDevices.length], [6, 6]);
        const page = await call({
          Action: 'AppGetFamilyDeviceList',
          FamilyId: 'f_gen_01',
          Limit: 999,
        });
        assert.deepEqual([page.Total, page.DeviceList.length], [27, 27]);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });

  describe('fixtures that extend another', function () {
    it('the shipped "home" fixture is the default one plus a second family, a study and more lamps', function () {
      const base = loadFixture();
      const home = loadFixture('home');
      const ids = (f: typeof base): string[] =>
        f.devices.map((d) => `${d.ProductId}/${d.DeviceName}`);
      assert.deepEqual(ids(home).slice(0, base.devices.length), ids(base));
      assert.deepEqual(
        home.families.find((f) => f.FamilyId === 'f_demo_home')?.rooms?.map((r) => r.RoomId),
        ['r_living', 'r_bedroom', 'r_hall', 'r_study'],
      );
      assert.equal(home.users.length, base.users.length);
      assert.equal(home.scenes?.length, base.scenes?.length);
      assert.ok(ids(home).includes('LOCK0C3D4E/garage_door'));
    });

    it('extends a file relative to itself, and names a bad extension', function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-extends-'));
      try {
        fs.writeFileSync(
          path.join(dir, 'base.json'),
          JSON.stringify({ extends: 'default', description: 'base' }),
        );
        fs.writeFileSync(
          path.join(dir, 'top.json'),
          JSON.stringify({
            extends: './base.json',
            families: [
              { FamilyId: 'f_demo_home', rooms: [{ RoomId: 'r_attic', RoomName: '阁楼' }] },
            ],
            devices: [
              {
                ProductId: 'LIGHT0A1B2',
                DeviceName: 'attic_lamp',
                FamilyId: 'f_demo_home',
                RoomId: 'r_attic',
              },
            ],
          }),
        );
        const top = loadFixture(path.join(dir, 'top.json'));
        assert.equal(top.description, 'base');
        const family = top.families.find((f) => f.FamilyId === 'f_demo_home');
        assert.deepEqual(family?.rooms?.at(-1)?.RoomId, 'r_attic');
        assert.equal(family?.Name, '我的家');
        fs.writeFileSync(path.join(dir, 'loop.json'), JSON.stringify({ extends: './loop.json' }));
        assert.throws(() => loadFixture(path.join(dir, 'loop.json')), /extends itself/);
        fs.writeFileSync(
          path.join(dir, 'bad.json'),
          JSON.stringify({
            extends: 'default',
            devices: [{ ProductId: 'LIGHT0A1B2', DeviceName: 'living_lamp' }],
          }),
        );
        assert.throws(
          () => loadFixture(path.join(dir, 'bad.json')),
          (err: unknown) =>
            err instanceof FixtureError &&
            /duplicate device LIGHT0A1B2\/living_lamp/.test(err.message),
        );
        assert.throws(() => loadFixture({ extends: 'no-such-fixture' }), /cannot read/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a share with a member of the device’s family, or of an unbound device', function () {
      const member = {
        extends: 'default',
        devices: [
          {
            ProductId: 'LIGHT0A1B2',
            DeviceName: 'x',
            FamilyId: 'f_demo_home',
            sharedWith: [{ UserID: 'u-demo' }],
          },
        ],
      };
      assert.throws(
        () => loadFixture(member),
        /sharedWith\[0\]\.UserID: u-demo is a member of f_demo_home/,
      );
      const unbound = {
        extends: 'default',
        devices: [{ ProductId: 'LIGHT0A1B2', DeviceName: 'y', sharedWith: [{ UserID: 'u-demo' }] }],
      };
      assert.throws(() => loadFixture(unbound), /only a device bound to a family can be shared/);
    });
  });

  describe('call counts per Action', function () {
    it('counts the home’s list calls over HTTP (/_sim/stats) and over the push socket (YunApi)', async function () {
      sim = await startSimulator({ fixture: 'home' });
      await wholeHome(sim);
      const stats = await simControl(sim, 'GET', '/_sim/stats');
      assert.deepEqual(
        {
          families: stats.json.callsByAction.AppGetFamilyList,
          rooms: stats.json.callsByAction.AppGetRoomList,
          devices: stats.json.callsByAction.AppGetFamilyDeviceList,
          shared: stats.json.callsByAction.AppListUserShareDevices,
        },
        { families: 1, rooms: 3, devices: 3, shared: 1 },
      );
      const client = await PushClient.open(sim.pushUrl);
      try {
        await client.yunApi('AppGetFamilyList', {}, DEMO_TOKEN);
        await client.yunApi('AppListUserShareDevices', { Offset: 0, Limit: 10 }, DEMO_TOKEN);
        assert.equal(sim.push.stats.yunApiByAction.AppGetFamilyList, 1);
        assert.equal(sim.push.stats.yunApiByAction.AppListUserShareDevices, 1);
        // The socket's calls are the socket's: the HTTP counts are unchanged.
        assert.equal(sim.httpCallsByAction.AppGetFamilyList, 1);
      } finally {
        client.close();
      }
      sim.resetRecords();
      assert.deepEqual((await simControl(sim, 'GET', '/_sim/stats')).json.callsByAction, {});
      await tokenApiOk(sim, 'AppGetFamilyList', {});
      assert.deepEqual((await simControl(sim, 'GET', '/_sim/stats')).json.callsByAction, {
        AppGetFamilyList: 1,
      });
    });
  });
});
