import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixtureError, loadFixture, validateFixture, type Fixture } from '../../simulator';
import { defaultFixturePath } from '../../simulator/fixture';

function base(): Fixture {
  return loadFixture();
}

function expectFixtureError(
  mutate: (f: Fixture & Record<string, unknown>) => void,
  pattern: RegExp,
): void {
  const f = base() as Fixture & Record<string, unknown>;
  mutate(f);
  assert.throws(
    () => validateFixture(JSON.parse(JSON.stringify(f))),
    (err: unknown) => {
      assert.ok(err instanceof FixtureError, String(err));
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('simulator fixture', function () {
  it('loads the shipped default fixture with the ids the other parts rely on', function () {
    const f = base();
    assert.ok(fs.existsSync(defaultFixturePath()));
    const token = (f.tokens ?? []).find((t) => t.Token === 'demo-access-token');
    assert.ok(token && token.ExpireAt >= 4102444800);
    const expired = (f.tokens ?? []).find((t) => t.Token === 'expired-access-token');
    assert.ok(expired && expired.ExpireAt * 1000 < Date.now());
    assert.deepEqual(f.appKeys, [{ AppKey: 'demoAppKey', AppSecret: 'demoAppSecret' }]);
    const ids = f.devices.map((d) => `${d.ProductId}/${d.DeviceName}`);
    for (const id of [
      'LIGHT0A1B2/living_lamp',
      'LIGHT0A1B2/bedroom_lamp',
      'LOCK0C3D4E/front_door',
      'AIRC0F5G6H/study_aircon',
      'AIRC0F5G6H/attic_aircon',
      'THSNS7J8K9/living_sensor',
      'LIGHT0A1B2/neighbor_lamp',
      'LIGHT0A1B2/spare_lamp',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    for (const p of f.products) assert.match(p.ProductId, /^[A-Z0-9]{10}$/);
    const types = new Set<string>();
    for (const p of f.products) {
      for (const a of p.DataTemplate.actions) for (const i of a.input) types.add(i.define.type);
      for (const prop of p.DataTemplate.properties) types.add(prop.define.type);
    }
    assert.deepEqual([...types].sort(), [
      'array',
      'bool',
      'enum',
      'float',
      'int',
      'string',
      'stringenum',
      'struct',
      'timestamp',
    ]);
  });

  it('copies an object fixture instead of keeping the caller’s', function () {
    const f = base();
    const loaded = loadFixture(f);
    loaded.users[0].NickName = 'changed';
    assert.notEqual(f.users[0].NickName, 'changed');
  });

  it('reports a file that is not JSON, naming the file', function () {
    const file = path.join(os.tmpdir(), `sim-fixture-${process.pid}.json`);
    fs.writeFileSync(file, '{ nope');
    try {
      assert.throws(
        () => loadFixture(file),
        (err: Error) =>
          err instanceof FixtureError &&
          err.message.includes(file) &&
          /not valid JSON/.test(err.message),
      );
    } finally {
      fs.unlinkSync(file);
    }
    assert.throws(() => loadFixture('/no/such/fixture.json'), /cannot read/);
  });

  it('names the bad entry', function () {
    expectFixtureError((f) => (f.extra = 1), /top level: unknown field extra/);
    expectFixtureError(
      (f) => delete (f.users[1] as Partial<Fixture['users'][0]>).Password,
      /users\[1\]\.Password/,
    );
    expectFixtureError(
      (f) => (f.tokens![0].UserID = 'ghost'),
      /tokens\[0\]\.UserID: no user ghost/,
    );
    expectFixtureError(
      (f) => (f.families[0].members[0].Role = 2 as 1),
      /families\[0\] \(f_demo_home\)\.members\[0\]\.Role/,
    );
    expectFixtureError(
      (f) => (f.products[0].DataTemplate.properties[1].define.type = 'double' as 'int'),
      /products\[0\] \(LIGHT0A1B2\)\.DataTemplate\.properties\[1\] \(brightness\)\.define: type must be one of/,
    );
    expectFixtureError(
      (f) => (f.devices[0].properties = { brightness: 101 }),
      /devices\[0\] \(LIGHT0A1B2\/living_lamp\)\.properties\.brightness: brightness must be an integer from 0 to 100/,
    );
    expectFixtureError(
      (f) => (f.devices[0].properties = { glow: 1 }),
      /properties\.glow: no such property/,
    );
    expectFixtureError(
      (f) => (f.devices[0].ProductId = 'NOPE000000'),
      /devices\[0\] .*ProductId: no product NOPE000000/,
    );
    expectFixtureError(
      (f) => (f.devices[0].RoomId = 'r_kitchen'),
      /RoomId: family f_demo_home has no room r_kitchen/,
    );
    expectFixtureError(
      (f) => (f.devices[0].actions = { fly: { delayMs: 1 } }),
      /actions\.fly: no such action in the product template/,
    );
    expectFixtureError(
      (f) =>
        (f.devices[2].actions!.unlock.output = { result: 0, battery: { $property: 'lock_state' } }),
      /actions\.unlock\.output\.battery: property lock_state is a enum, output battery a int/,
    );
    expectFixtureError(
      (f) => (f.devices[0].actions!.light_blink.delayMs = -5),
      /light_blink\.delayMs: must be a number/,
    );
    // The duplicate is the entry after the fixture's last device.
    expectFixtureError(
      (f) => f.devices.push({ ...f.devices[0] }),
      new RegExp(`devices\\[${base().devices.length}\\]: duplicate device LIGHT0A1B2/living_lamp`),
    );
    expectFixtureError(
      (f) => (f.script = [{ device: 'X/y', set: {} }]),
      /script\[0\] \(X\/y\)\.device: no device X\/y/,
    );
    expectFixtureError(
      (f) => (f.script = [{ device: 'THSNS7J8K9/living_sensor', walk: { humidity: 0 } }]),
      /script\[0\] .*walk\.humidity: must be a positive number/,
    );
    expectFixtureError(
      (f) => (f.script = [{ device: 'THSNS7J8K9/living_sensor', toggle: ['temperature'] }]),
      /toggle\[0\]: temperature is a float/,
    );
    expectFixtureError(
      (f) => (f.script = [{ device: 'THSNS7J8K9/living_sensor' }]),
      /does nothing/,
    );
    expectFixtureError(
      (f) => (f.faults = [{ kind: 'explode' as 'reset' }]),
      /faults\[0\]\.kind: must be one of/,
    );
  });
});
