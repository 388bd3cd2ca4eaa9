// The editor's device and property lists (editor/lists.ts): what the pickers write must read
// back the same way at runtime (lib/shared/property-list.ts).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as lists from '../../editor/lists';
import * as template from '../../editor/template';
import { parsePropertyList } from '../../lib/shared/property-list';

const propertyId = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/);
const separator = fc.constantFrom(',', ' ', ', ', '，', '\t', ' ,  ');

describe('the editor’s device and property lists', function () {
  it('splits a property filter exactly as the runtime does', function () {
    fc.assert(
      fc.property(fc.array(fc.tuple(propertyId, separator), { maxLength: 6 }), (parts) => {
        const text = parts.map(([id, sep]) => id + sep).join('');
        assert.deepEqual([...lists.propertyIds(text)], parsePropertyList(text));
      }),
    );
  });

  it('ticks and unticks a property without touching ids typed by hand', function () {
    fc.assert(
      fc.property(fc.uniqueArray(propertyId, { maxLength: 6 }), propertyId, (typed, id) => {
        const text = typed.join(' ');
        const ticked = lists.withProperty(text, id, true);
        const others = typed.filter((t) => t !== id);
        assert.deepEqual(parsePropertyList(ticked), [...others, id]);
        assert.deepEqual(parsePropertyList(lists.withProperty(ticked, id, false)), others);
        // Ticking twice lists it once.
        assert.equal(lists.withProperty(ticked, id, true), ticked);
      }),
    );
    assert.equal(lists.withProperty('', 'brightness', true), 'brightness');
    assert.equal(
      lists.withProperty('power_switch brightness', 'color', true),
      'power_switch, brightness, color',
    );
  });

  it('offers a product’s properties only when the listed devices share it', function () {
    const lamp = { productId: 'LIGHT0A1B2', deviceName: 'living_lamp' };
    const bedroom = { productId: 'LIGHT0A1B2', deviceName: 'bedroom_lamp' };
    const lock = { productId: 'LOCK0C3D4E', deviceName: 'front_door' };
    assert.equal(lists.sharedProductId([]), '');
    assert.equal(lists.sharedProductId([lamp, bedroom]), 'LIGHT0A1B2');
    assert.equal(lists.sharedProductId([lamp, lock]), '');
    assert.equal(lists.listsDevice([lamp, lock], { ...lock }), true);
    assert.equal(lists.listsDevice([lamp], bedroom), false);
  });

  it('reads a template’s properties, tolerant of missing parts', function () {
    assert.deepEqual([...template.propertiesOf(undefined)], []);
    assert.deepEqual([...template.propertiesOf({ properties: 'no' })], []);
    const properties = template.propertiesOf({
      properties: [{ id: 'power_switch', define: { type: 'bool' } }, null, { name: 'no id' }],
    });
    assert.deepEqual(
      properties.map((p) => p.id),
      ['power_switch'],
    );
  });
});
