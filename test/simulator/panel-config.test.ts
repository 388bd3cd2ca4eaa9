// AppGetProductsConfig over real HTTP: the lamp's and the air conditioner's panel config as a
// JSON text, the three answers for a product without one, run-time changes and fixture checks.

import assert from 'node:assert/strict';
import { FixtureError, loadFixture, startSimulator, type Simulator } from '../../simulator';
import { type Json, pluck, simControl, tokenApiCode, tokenApiOk } from './helpers';

const ALL = ['LIGHT0A1B2', 'LOCK0C3D4E', 'AIRC0F5G6H', 'THSNS7J8K9', 'DOORBL1M2N'];

describe('simulator home: AppGetProductsConfig', function () {
  let sim: Simulator;

  beforeEach(async function () {
    sim = await startSimulator();
  });

  afterEach(async function () {
    await sim.close();
  });

  it('answers Data[{ProductId, Config}] with Config a JSON text of the standard panel', async function () {
    const out = await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ['LIGHT0A1B2'] });
    assert.equal(out.Data.length, 1);
    assert.equal(out.Data[0].ProductId, 'LIGHT0A1B2');
    assert.equal(typeof out.Data[0].Config, 'string');
    const config = JSON.parse(out.Data[0].Config);
    assert.equal(config.Panel.type, 'standard');
    assert.deepEqual(
      config.Panel.standard.properties.map((p: { id: string; ui: { type: string } }) => [
        p.id,
        p.ui.type,
      ]),
      [
        ['power_switch', 'btn-big'],
        ['brightness', 'btn-col-1'],
        ['color', 'btn-col-2'],
        ['name', 'btn-col-2'],
      ],
    );
    // Booleans are JSON booleans (one of the three spellings a client must read).
    assert.equal(config.Panel.standard.navBar.visible, true);
    assert.equal(config.Global.trtc, false);
    assert.equal(config.ShortCut.powerSwitch, 'power_switch');
  });

  it('a product without a config: Config "" by default, "{}" or no entry when switched', async function () {
    const byDefault = await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ALL });
    assert.deepEqual(
      byDefault.Data.map((d: { ProductId: string; Config: string }) => [
        d.ProductId,
        d.Config === '' ? '' : 'config',
      ]),
      [
        ['LIGHT0A1B2', 'config'],
        ['LOCK0C3D4E', ''],
        ['AIRC0F5G6H', 'config'],
        ['THSNS7J8K9', ''],
        ['DOORBL1M2N', ''],
      ],
    );
    sim.model.homeOptions.missingPanelConfig = 'emptyObject';
    const lock = await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ['LOCK0C3D4E'] });
    assert.deepEqual(lock.Data, [{ ProductId: 'LOCK0C3D4E', Config: '{}' }]);
    // Switched over /_sim this time.
    const set = await simControl(sim, 'POST', '/_sim/home/options', { missingPanelConfig: 'omit' });
    assert.equal(set.status, 200);
    assert.equal(set.json.missingPanelConfig, 'omit');
    const omitted = await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ALL });
    assert.deepEqual(pluck(omitted.Data, 'ProductId'), ['LIGHT0A1B2', 'AIRC0F5G6H']);
    const bad = await simControl(sim, 'POST', '/_sim/home/options', { missingPanelConfig: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /missingPanelConfig must be one of empty, emptyObject, omit/);
  });

  it('leaves out unknown ids and repeats, needs ProductIds as an array of at most 100', async function () {
    const out = await tokenApiOk(sim, 'AppGetProductsConfig', {
      ProductIds: ['NOPE000000', 'AIRC0F5G6H', 'AIRC0F5G6H'],
    });
    assert.deepEqual(pluck(out.Data, 'ProductId'), ['AIRC0F5G6H']);
    assert.equal(
      (await tokenApiCode(sim, 'AppGetProductsConfig', {})).Code,
      'ErrorRequiredParamNotFound',
    );
    assert.equal(
      (await tokenApiCode(sim, 'AppGetProductsConfig', { ProductIds: 'LIGHT0A1B2' })).Code,
      'InvalidParameterValue',
    );
    const many = Array.from({ length: 101 }, (_, i) => `P${i}`);
    assert.equal(
      (await tokenApiCode(sim, 'AppGetProductsConfig', { ProductIds: many })).Code,
      'InvalidParameterValue',
    );
  });

  it('changes at run time through /_sim/products/<PID>/config (an object, a raw text, or none)', async function () {
    const panel = { Panel: { type: 'standard', standard: { properties: [] } } };
    const set = await simControl(sim, 'POST', '/_sim/products/LOCK0C3D4E/config', {
      Config: panel,
    });
    assert.equal(set.status, 200);
    const read = async (): Promise<Json> =>
      (await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ['LOCK0C3D4E'] })).Data[0];
    assert.deepEqual(JSON.parse((await read()).Config), panel);
    // A text is sent as it is, even one that is not JSON (a client must survive it).
    await simControl(sim, 'POST', '/_sim/products/LOCK0C3D4E/config', { Config: 'not json' });
    assert.equal((await read()).Config, 'not json');
    await simControl(sim, 'POST', '/_sim/products/LOCK0C3D4E/config', { Config: null });
    assert.equal((await read()).Config, '');
    const badType = await simControl(sim, 'POST', '/_sim/products/LOCK0C3D4E/config', {
      Config: { Panel: { standard: { properties: [{ id: 'lock_state', ui: { type: 'huge' } }] } } },
    });
    assert.equal(badType.status, 400);
    assert.match(badType.json.error, /properties\[0\]\.ui\.type must be one of btn-big/);
    const noProduct = await simControl(sim, 'POST', '/_sim/products/NOPE000000/config', {
      Config: {},
    });
    assert.equal(noProduct.status, 404);
  });

  it('counts AppGetProductsConfig among the calls per Action (/_sim/stats)', async function () {
    await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ['LIGHT0A1B2'] });
    await tokenApiOk(sim, 'AppGetProductsConfig', { ProductIds: ['LOCK0C3D4E'] });
    assert.equal(sim.httpCallsByAction.AppGetProductsConfig, 2);
    const stats = await simControl(sim, 'GET', '/_sim/stats');
    assert.equal(stats.json.callsByAction.AppGetProductsConfig, 2);
  });

  it('checks a fixture’s PanelConfig and names the entry', function () {
    const fixture = loadFixture();
    fixture.products[1].PanelConfig = {
      Panel: { standard: { properties: [{ id: 'battery', ui: { type: 'btn-col-9' } }] } },
    };
    assert.throws(
      () => loadFixture(fixture),
      (err: unknown) =>
        err instanceof FixtureError &&
        /products\[1\] \(LOCK0C3D4E\)\.PanelConfig\.Panel\.standard\.properties\[0\]\.ui\.type/.test(
          err.message,
        ),
    );
    fixture.products[1].PanelConfig = 42 as unknown as string;
    assert.throws(() => loadFixture(fixture), /PanelConfig: must be an object or a string/);
  });
});
