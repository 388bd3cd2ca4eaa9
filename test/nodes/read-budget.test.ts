import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { apiErrorReply, startHostileServer, type HostileServer } from '../support/hostile';

/**
 * A server that pages forever, each page as large as a reply may be (just under the transport's
 * 8 MiB): history pages of one huge point with a new Context each time, family pages of 50
 * families with huge names and a Total that is never reached. Without a budget on the whole read,
 * a 384 MB heap runs out after some 40 pages.
 */
async function pagingForever(): Promise<HostileServer> {
  const PAGE_BYTES = 7.5 * 1024 * 1024;
  const huge = 'x'.repeat(PAGE_BYTES);
  const family = 'f'.repeat(Math.floor(PAGE_BYTES / 50));
  const familyPage = Buffer.from(
    JSON.stringify({
      Response: {
        RequestId: 'families',
        Total: 1_000_000_000,
        FamilyList: Array.from({ length: 50 }, (_, i) => ({
          FamilyId: `f${i}`,
          Name: family,
          Role: 1,
        })),
      },
    }),
  );
  let page = 0;
  return startHostileServer((request) => {
    if (request.action === 'AppGetDeviceDataHistory') {
      page += 1;
      return {
        Response: {
          RequestId: `history-${page}`,
          Context: `page-${page}`,
          Listover: false,
          Results: [{ Time: String(1_700_000_000_000 + page), Value: huge }],
        },
      };
    }
    if (request.action === 'AppGetFamilyList') return familyPage;
    return apiErrorReply('InternalError', 'not served here');
  });
}

interface ChildReport {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  report?: Record<string, any>;
}

/** Runs test/support/small-heap-child.js with a 384 MB heap against `endpoint`. */
function runSmallHeapChild(mode: 'history' | 'families', endpoint: string): Promise<ChildReport> {
  const script = path.join(__dirname, '..', 'support', 'small-heap-child.js');
  const child = spawn(process.execPath, ['--max-old-space-size=384', script, mode, endpoint], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    child.on('exit', (exitCode, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      resolve({
        exitCode,
        signal,
        stderr: stderr.slice(-2000),
        report: line ? (JSON.parse(line) as Record<string, any>) : undefined,
      });
    });
  });
}

describe('every paged read has a budget: Node-RED stays up with a 384 MB heap', function () {
  // A child Node-RED, a few pages of 7.5 MiB each over loopback.
  this.timeout(180000);
  let server: HostileServer;

  beforeEach(async function () {
    server = await pagingForever();
  });
  afterEach(async function () {
    await server.close();
  });

  it('history: the read stops at its byte budget and the message says it was cut short', async function () {
    const run = await runSmallHeapChild('history', server.tokenapiUrl);
    assert.equal(run.exitCode, 0, `the child Node-RED died (${run.signal}): ${run.stderr}`);
    const output = run.report?.output;
    assert.ok(output, `a message on the output, got ${JSON.stringify(run.report)}`);
    assert.equal(output.iotexplorer.maxPointsReached, true);
    assert.equal(output.iotexplorer.cutShort, 'size');
    // 5000 points allow 10 MiB of replies: one page of 7.5 MiB fits, the second does not.
    assert.equal(output.payloadLength, 1);
    const pages = server.requests.filter((r) => r.action === 'AppGetDeviceDataHistory').length;
    assert.ok(pages <= 3, `stopped after ${pages} pages`);
  });

  it('a list (the families of the editor route): IOTX_READ_LIMIT, nothing partial', async function () {
    const run = await runSmallHeapChild('families', server.tokenapiUrl);
    assert.equal(run.exitCode, 0, `the child Node-RED died (${run.signal}): ${run.stderr}`);
    const answer = run.report?.output;
    assert.ok(answer, `an answer, got ${JSON.stringify(run.report)}`);
    assert.equal(answer.success, false);
    assert.equal(answer.code, 'IOTX_READ_LIMIT');
    assert.match(String(answer.message), /AppGetFamilyList/);
    const pages = server.requests.filter((r) => r.action === 'AppGetFamilyList').length;
    assert.ok(pages <= 3, `stopped after ${pages} pages`);
  });
});
