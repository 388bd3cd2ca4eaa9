import { strict as assert } from 'node:assert';
import { DeviceId } from '../../lib/shared/device-id';

describe('DeviceId', function () {
  it('formats a device as ProductId/DeviceName', function () {
    assert.equal(
      DeviceId.format({ productId: 'LIGHT0A1B2', deviceName: 'living_lamp' }),
      'LIGHT0A1B2/living_lamp',
    );
  });

  it('parses what it formats', function () {
    const device = { productId: 'LOCK0C3D4E', deviceName: 'front-door.1' };
    assert.deepEqual(DeviceId.parse(DeviceId.format(device)), device);
  });

  it('refuses texts that do not name one device', function () {
    for (const text of [
      '',
      'LIGHT0A1B2',
      '/lamp',
      'LIGHT0A1B2/',
      'a/b/c',
      'a /b',
      'a/b c',
      ' a/b',
    ]) {
      assert.equal(DeviceId.parse(text), undefined, JSON.stringify(text));
      assert.equal(DeviceId.isValid(text), false, JSON.stringify(text));
    }
  });
});
