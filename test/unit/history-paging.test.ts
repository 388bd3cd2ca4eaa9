import assert from 'node:assert/strict';
import { followHistoryPages, readListover, type HistoryPage } from '../../lib/api/history';
import { readTemplateValue, type TemplateDefine } from '../../lib/shared/data-template';
import {
  lastRange,
  messageRange,
  readMaxPoints,
  readTime,
  RANGE_UNITS,
} from '../../lib/node/time-range';
import { IotExplorerError } from '../../lib/errors/errors';

type Reading = 'panels' | 'doc';

/**
 * A history of `total` points served `cap` at most per page (fewer than asked when the service
 * caps), with Listover in one of the two readings. Records every (context, limit) asked.
 */
function series(total: number, reading: Reading, cap = Infinity) {
  const asked: Array<{ context: string; limit: number }> = [];
  const fetch = (context: string, limit: number): Promise<HistoryPage> => {
    asked.push({ context, limit });
    const start = context === '' ? 0 : Number(context);
    const end = Math.min(total, start + Math.min(limit, cap));
    const items = Array.from({ length: end - start }, (_, i) => ({ Time: String(start + i) }));
    const done = end >= total;
    return Promise.resolve({
      requestId: `r${asked.length}`,
      items,
      context: String(end),
      listover: reading === 'panels' ? done : !done,
    });
  };
  return { fetch, asked };
}

const times = (items: Record<string, unknown>[]) => items.map((i) => Number(i.Time));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('history paging', function () {
  for (const reading of ['panels', 'doc'] as const) {
    describe(`Listover in the ${reading}' reading`, function () {
      it('reads a long series to its end and stops on the page where Listover changes', async function () {
        const { fetch, asked } = series(1234, reading);
        const out = await followHistoryPages(fetch, { maxPoints: 5000, pageSize: 500 });
        assert.deepEqual(times(out.items), range(1234));
        assert.equal(out.maxPointsReached, false);
        assert.equal(asked.length, 3, 'no page asked past the last');
        assert.deepEqual(
          asked.map((a) => a.context),
          ['', '500', '1000'],
        );
        assert.deepEqual(out.requestIds, ['r1', 'r2', 'r3']);
      });

      it('reads everything from a service that sends fewer points than asked', async function () {
        const { fetch } = series(230, reading, 40);
        const out = await followHistoryPages(fetch, { maxPoints: 5000, pageSize: 500 });
        assert.deepEqual(times(out.items), range(230));
      });

      it('stops at max points, says so, and never asks for more than the bound', async function () {
        const { fetch, asked } = series(1234, reading);
        const out = await followHistoryPages(fetch, { maxPoints: 700, pageSize: 500 });
        assert.equal(out.items.length, 700);
        assert.equal(out.maxPointsReached, true);
        assert.deepEqual(
          asked.map((a) => a.limit),
          [500, 200],
        );
      });
    });
  }

  for (const reading of ['panels', 'doc'] as const) {
    it(`ends a one-page series on the empty page that follows (${reading}' reading)`, async function () {
      const { fetch, asked } = series(12, reading);
      const out = await followHistoryPages(fetch, { maxPoints: 5000, pageSize: 500 });
      assert.equal(out.items.length, 12);
      assert.equal(asked.length, 2);
    });
  }

  it('a series exactly as long as the bound is not reported as cut', async function () {
    const { fetch } = series(500, 'doc');
    const out = await followHistoryPages(fetch, { maxPoints: 1000, pageSize: 500 });
    assert.equal(out.items.length, 500);
    assert.equal(out.maxPointsReached, false);
  });

  it('stops when the Context repeats or is missing, whatever Listover says', async function () {
    let calls = 0;
    const stuck = (): Promise<HistoryPage> => {
      calls += 1;
      return Promise.resolve({
        requestId: `r${calls}`,
        items: [{ Time: String(calls) }],
        context: 'same',
        listover: undefined,
      });
    };
    const out = await followHistoryPages(stuck, { maxPoints: 5000, pageSize: 1 });
    assert.equal(calls, 2, 'the second page repeats the first Context');
    assert.equal(out.items.length, 2);

    calls = 0;
    const noContext = (): Promise<HistoryPage> => {
      calls += 1;
      return Promise.resolve({
        requestId: 'r',
        items: [{ Time: '1' }],
        context: '',
        listover: false,
      });
    };
    await followHistoryPages(noContext, { maxPoints: 5000, pageSize: 1 });
    assert.equal(calls, 1);
  });

  it('reads Listover as a boolean, a text or 0/1, and nothing else', function () {
    assert.equal(readListover(true), true);
    assert.equal(readListover('true'), true);
    assert.equal(readListover(1), true);
    assert.equal(readListover(false), false);
    assert.equal(readListover('false'), false);
    assert.equal(readListover(0), false);
    assert.equal(readListover(undefined), undefined);
    assert.equal(readListover('yes'), undefined);
  });
});

describe('history values typed by the data template', function () {
  const cases: Array<[TemplateDefine, unknown, unknown]> = [
    [{ type: 'float' }, '22.5', 22.5],
    [{ type: 'float' }, '-3', -3],
    [{ type: 'int' }, '42', 42],
    [{ type: 'enum', mapping: { 0: 'a' } }, '2', 2],
    [{ type: 'bool' }, '1', 1],
    [{ type: 'bool' }, 'false', 0],
    [{ type: 'timestamp' }, '1700000000000', 1700000000000],
    [{ type: 'string' }, '007', '007'],
    [{ type: 'stringenum' }, 'cool', 'cool'],
    [{ type: 'struct' }, '{"a":1}', { a: 1 }],
    [{ type: 'array' }, '[1,2]', [1, 2]],
    [{ type: 'float' }, 19.5, 19.5],
  ];
  for (const [define, raw, value] of cases) {
    it(`${define.type} ${JSON.stringify(raw)} → ${JSON.stringify(value)}`, function () {
      assert.deepEqual(readTemplateValue(define, raw), { value });
    });
  }

  const refused: Array<[TemplateDefine, string]> = [
    [{ type: 'float' }, 'n/a'],
    [{ type: 'float' }, ''],
    [{ type: 'int' }, '4.5'],
    [{ type: 'bool' }, '2'],
    [{ type: 'struct' }, '[1]'],
    [{ type: 'array' }, '{'],
  ];
  for (const [define, raw] of refused) {
    it(`${define.type} ${JSON.stringify(raw)} does not read (the caller keeps the text)`, function () {
      assert.equal(readTemplateValue(define, raw), undefined);
    });
  }
});

describe('history time ranges', function () {
  const NOW = Date.parse('2026-05-02T12:00:00Z');
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof IotExplorerError);
      return `${err.code} ${err.key} ${err.message}`;
    }
    return 'no error';
  };

  it('reads Dates, ISO texts and ms', function () {
    const ms = Date.parse('2026-05-01T08:00:00+08:00');
    assert.equal(readTime(new Date(ms), 'msg.start'), ms);
    assert.equal(readTime('2026-05-01T08:00:00+08:00', 'msg.start'), ms);
    assert.equal(readTime(ms, 'msg.start'), ms);
    assert.equal(readTime(String(ms), 'msg.start'), ms);
  });

  it('refuses what is not a date, naming the field and what came', function () {
    assert.match(
      code(() => readTime('yesterday', 'msg.start')),
      /IOTX_INVALID_FIELD history\.notADate msg\.start .*"yesterday"/,
    );
    assert.match(
      code(() => readTime({}, 'msg.end')),
      /msg\.end .*an object/,
    );
    assert.match(
      code(() => readTime(new Date('x'), 'msg.start')),
      /notADate/,
    );
    assert.match(
      code(() => readTime(-5, 'msg.start')),
      /notADate/,
    );
    assert.match(
      code(() => readTime(true, 'msg.start')),
      /a boolean/,
    );
  });

  it('takes a message range, with the end defaulting to now and clamped to now', function () {
    assert.deepEqual(messageRange(NOW - 1000, undefined, NOW), { from: NOW - 1000, to: NOW });
    assert.deepEqual(messageRange(NOW - 1000, NOW + 5000, NOW), { from: NOW - 1000, to: NOW });
  });

  it('refuses a missing start, a reversed range and one in the future', function () {
    assert.match(
      code(() => messageRange(undefined, NOW, NOW)),
      /IOTX_MISSING_FIELD history\.missingStart/,
    );
    assert.match(
      code(() => messageRange(NOW - 10, NOW - 20, NOW)),
      /IOTX_INVALID_FIELD history\.reversed/,
    );
    assert.match(
      code(() => messageRange(NOW - 10, NOW - 10, NOW)),
      /history\.reversed/,
    );
    assert.match(
      code(() => messageRange(NOW + 60000, NOW + 120000, NOW)),
      /IOTX_INVALID_FIELD history\.inFuture/,
    );
  });

  it('reads the last N minutes, hours or days, and refuses a senseless N', function () {
    assert.deepEqual(lastRange('24', 'hours', NOW), {
      from: NOW - 24 * RANGE_UNITS.hours,
      to: NOW,
    });
    assert.deepEqual(lastRange(90, 'minutes', NOW), {
      from: NOW - 90 * RANGE_UNITS.minutes,
      to: NOW,
    });
    for (const [n, unit] of [
      ['0', 'hours'],
      ['-1', 'days'],
      ['x', 'days'],
      ['5', 'weeks'],
      ['100000', 'days'],
    ]) {
      assert.match(
        code(() => lastRange(n, unit, NOW)),
        /IOTX_INVALID_FIELD history\.badRange/,
      );
    }
  });

  it('reads the point limit, refusing an absurd one', function () {
    assert.equal(readMaxPoints(''), 5000);
    assert.equal(readMaxPoints('200'), 200);
    for (const bad of ['0', '-3', '2.5', 'many', '100000000', 1e9]) {
      assert.match(
        code(() => readMaxPoints(bad)),
        /IOTX_INVALID_FIELD history\.maxPoints/,
      );
    }
  });
});
