// The selection's pickers and preview (editor/home-choices.ts): pure, tested without a browser.
// What a filter matches is the runtime's rule (lib/shared/home.ts), which the preview must follow.

import assert from 'node:assert/strict';
import {
  filterName,
  previewOf,
  productChoices,
  roomChoices,
  selectionProblem,
  selectionProductId,
  storedFilter,
  storedMode,
} from '../../editor/home-choices';
import type { HomeSummary } from '../../lib/shared/admin-api';
import { bareRecord, filterDevices, type DeviceRecord } from '../../lib/shared/home';

function record(over: Partial<DeviceRecord> & { productId: string; deviceName: string }) {
  return { ...bareRecord(over.productId, over.deviceName), ...over };
}

const HOME: HomeSummary = {
  families: [
    {
      familyId: 'f1',
      familyName: 'Home',
      role: 1,
      rooms: [
        { roomId: '0', roomName: null, deviceCount: 1 },
        { roomId: 'r_living', roomName: 'Living room', deviceCount: 3 },
      ],
    },
    {
      familyId: 'f2',
      familyName: 'Cottage',
      role: 1,
      rooms: [
        { roomId: '0', roomName: null, deviceCount: 0 },
        { roomId: 'r_porch', roomName: 'Porch', deviceCount: 1 },
      ],
    },
  ],
  devices: [
    record({
      productId: 'LAMP',
      deviceName: 'a',
      alias: 'Lamp A',
      familyId: 'f1',
      roomId: 'r_living',
      productName: 'Lamp',
      online: true,
    }),
    record({
      productId: 'LAMP',
      deviceName: 'b',
      alias: 'Lamp B',
      familyId: 'f1',
      roomId: 'r_living',
      productName: 'Lamp',
      online: false,
    }),
    record({
      productId: 'SENS',
      deviceName: 'c',
      familyId: 'f1',
      roomId: 'r_living',
      productName: 'Sensor',
    }),
    record({
      productId: 'LAMP',
      deviceName: 'd',
      alias: 'Lamp D',
      familyId: 'f1',
      roomId: 'r_living',
      productName: 'Lamp',
    }),
    record({ productId: 'AIRC', deviceName: 'e', familyId: 'f1', roomId: '0' }),
    record({
      productId: 'LAMP',
      deviceName: 'f',
      familyId: 'f2',
      roomId: 'r_porch',
      productName: 'Lamp',
    }),
    record({
      productId: 'LAMP',
      deviceName: 's',
      alias: 'Shared lamp',
      shared: true,
      sharedBy: 'u-owner',
      productName: 'Lamp',
    }),
  ],
};

describe('the selection in the editor', function () {
  it('reads a stored selection as the runtime does: absent is the listed devices', function () {
    assert.equal(storedMode(undefined), 'devices');
    assert.equal(storedMode('devices'), 'devices');
    assert.equal(storedMode('filter'), 'filter');
    assert.deepEqual(storedFilter(undefined), { filter: {} });
    assert.deepEqual(storedFilter({ roomId: 'r', shared: true }), {
      filter: { roomId: 'r', shared: true },
    });
    assert.deepEqual(storedFilter({ shared: 'yes' }), { wrong: 'filter.shared' });
  });

  it('refuses a filter selection that names nothing or holds a wrong field, never a device selection', function () {
    assert.equal(selectionProblem('devices', { filter: {} }), undefined);
    assert.deepEqual(selectionProblem('filter', { filter: {} }), { key: 'filterEmpty' });
    assert.deepEqual(selectionProblem('filter', { wrong: 'filter.colour' }), {
      key: 'filterWrong',
      params: { field: 'filter.colour' },
    });
    assert.equal(selectionProblem('filter', { filter: { online: false } }), undefined);
  });

  it("offers a family's rooms, or every room with its family and the default room once", function () {
    assert.deepEqual(
      roomChoices(HOME, 'f1').map((c) => [c.value, c.text]),
      [
        ['0', null],
        ['r_living', 'Living room'],
      ],
    );
    assert.deepEqual(
      roomChoices(HOME, '').map((c) => [c.value, c.text, c.familyId]),
      [
        ['0', null, undefined],
        ['r_living', 'Living room · Home', 'f1'],
        ['r_porch', 'Porch · Cottage', 'f2'],
      ],
    );
  });

  it('offers each product once, by name', function () {
    assert.deepEqual(
      productChoices(HOME.devices).map((c) => [c.value, c.text]),
      [
        ['LAMP', 'Lamp'],
        ['SENS', 'Sensor'],
        ['AIRC', 'AIRC'],
      ],
    );
  });

  it('previews what the runtime would select: the same devices, the first names, none or too many as errors', function () {
    const filter = { familyId: 'f1', roomId: 'r_living' };
    const preview = previewOf(HOME.devices, filter, 50);
    assert.equal(preview.kind, 'some');
    if (preview.kind !== 'some') return;
    assert.deepEqual(preview.devices, filterDevices(HOME.devices, filter));
    assert.equal(preview.count, 4);
    assert.deepEqual(preview.names, ['Lamp A', 'Lamp B', 'c']);
    assert.equal(preview.more, true);
    assert.deepEqual(previewOf(HOME.devices, {}, 50), { kind: 'empty' });
    assert.deepEqual(previewOf(HOME.devices, { productId: 'NONE' }, 50), { kind: 'none' });
    assert.deepEqual(previewOf(HOME.devices, { productId: 'LAMP' }, 3), {
      kind: 'tooMany',
      count: 5,
      max: 3,
    });
    const shared = previewOf(HOME.devices, { shared: true }, 50);
    assert.equal(shared.kind === 'some' && shared.names.join(), 'Shared lamp');
  });

  it("takes the filter's product, else the one every matched device shares", function () {
    const living = filterDevices(HOME.devices, { roomId: 'r_living' });
    assert.equal(selectionProductId({ roomId: 'r_living' }, living), '');
    assert.equal(selectionProductId({ productId: 'SENS' }, living), 'SENS');
    const lamps = filterDevices(HOME.devices, { roomId: 'r_porch' });
    assert.equal(selectionProductId({ roomId: 'r_porch' }, lamps), 'LAMP');
  });

  it('names what a filter selects for the canvas label', function () {
    const words = {
      defaultRoom: 'Default room',
      shared: 'Shared',
      own: 'Own',
      online: 'online',
      offline: 'offline',
    };
    assert.equal(filterName({ familyId: 'f1', roomId: 'r_living' }, HOME, words), 'Living room');
    assert.equal(filterName({ familyId: 'f1', roomId: '0' }, HOME, words), 'Default room');
    assert.equal(filterName({ productId: 'LAMP', online: true }, HOME, words), 'Lamp · online');
    assert.equal(filterName({ familyId: 'f2', shared: false }, HOME, words), 'Cottage · Own');
    assert.equal(filterName({ roomId: 'gone' }, undefined, words), 'gone');
  });
});
