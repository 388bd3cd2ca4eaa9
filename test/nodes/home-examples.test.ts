// The home's two example flows, run against the simulator's home fixture in a Node-RED runtime.
import assert from 'node:assert/strict';
import { accountOf } from '../../lib/account/account';
import type { Simulator } from '../../simulator';
import { exampleFlow, named, nextOn } from '../support/examples';
import { FAST_PUSH_SETTINGS, until } from '../support/push';
import { NODES, coreNode, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const CORE = [
  'common/20-inject.js',
  'common/25-catch.js',
  'function/10-switch.js',
  'function/15-change.js',
].map(coreNode);

describe('the home examples, run against the simulator', function () {
  this.timeout(30_000);
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), { fixture: 'home' }, FAST_PUSH_SETTINGS);

  it('13: says so when a device joins the home or is shared with the user', async function () {
    const flow = exampleFlow('12 - Tell me when a device joins the home.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    await until(() => (sim.httpCallsByAction.AppGetDeviceStatuses ?? 0) >= 1, 'the first read');
    await until(() => accountOf(helper.getNode('acc'))?.home.loaded === true, 'the home read');
    sim.model.home.addDevice({
      ProductId: 'LIGHT0A1B2',
      DeviceName: 'desk_lamp',
      FamilyId: 'f_demo_home',
      RoomId: 'r_bedroom',
      AliasName: '床头灯',
    });
    const joined = nextOn(named(flow, 'helper', 'a device joined'));
    // The account's schedule would read the home within its refresh; read it now.
    await accountOf(helper.getNode('acc'))!.home.snapshot({ refresh: true });
    assert.equal((await joined).payload, 'New in 卧室 of 我的家: 床头灯 (LIGHT0A1B2/desk_lamp)');
    sim.model.home.shareDevice('LIGHT0A1B2/owner_lamp', 'u-demo');
    const shared = nextOn(named(flow, 'helper', 'a device joined'));
    await accountOf(helper.getNode('acc'))!.home.snapshot({ refresh: true });
    assert.match((await shared).payload, /^Shared with you: .*LIGHT0A1B2\/owner_lamp/);
    sim.model.home.renameDevice('LIGHT0A1B2/living_lamp', 'Reading lamp');
    const other = nextOn(named(flow, 'helper', 'other changes'));
    await accountOf(helper.getNode('acc'))!.home.snapshot({ refresh: true });
    assert.equal((await other).topic, 'home/renamed');
  });

  it('14: lists the home room by room, and the offline lamps on request', async function () {
    const flow = exampleFlow('13 - The home, room by room.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const rooms = nextOn(named(flow, 'helper', 'rooms'));
    helper.getNode(named(flow, 'inject', 'list the home')).receive({});
    const grouped = (await rooms).payload as Record<string, string[]>;
    assert.deepEqual(grouped['我的家 · 卧室'].sort(), ['卧室台灯 (offline)', '卧室吸顶灯'].sort());
    assert.ok(grouped['shared with you'].length === 2);
    const home = nextOn(named(flow, 'helper', 'home'));
    const inject = flow.find((n) => n.name === 'offline lamps')!;
    helper.getNode(inject.id).receive({ filter: { productId: 'LIGHT0A1B2', online: false } });
    const offline = (await home).payload as { devices: Array<{ deviceName: string }> };
    assert.deepEqual(
      offline.devices.map((d) => d.deviceName),
      ['bedroom_lamp'],
    );
  });
});
