// The two languages stay in step: every text key and every help page in en-US exists in zh-CN
// and the other way round, so no label falls back to a raw key in either editor.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const LANGUAGES = ['en-US', 'zh-CN'] as const;

/** Every leaf key of a catalogue, dotted. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) =>
    keysOf(inner, prefix ? `${prefix}.${key}` : key),
  );
}

function readKeys(file: string): string[] {
  return keysOf(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown).sort();
}

describe('message catalogues', function () {
  const nodeLocales = path.join(ROOT, 'nodes', 'locales');
  const files = (lang: string): string[] => fs.readdirSync(path.join(nodeLocales, lang)).sort();

  it('has the same files in en-US and zh-CN', function () {
    assert.deepEqual(files('zh-CN'), files('en-US'));
  });

  for (const file of fs
    .readdirSync(path.join(nodeLocales, 'en-US'))
    .filter((f) => f.endsWith('.json'))) {
    it(`${file}: the same keys in both languages`, function () {
      const [en, zh] = LANGUAGES.map((lang) => readKeys(path.join(nodeLocales, lang, file)));
      assert.deepEqual(zh, en);
    });
  }

  it('lib/errors/locales: the same error keys in both languages', function () {
    const [en, zh] = LANGUAGES.map((lang) =>
      readKeys(path.join(ROOT, 'lib', 'errors', 'locales', `${lang}.json`)),
    );
    assert.ok(en.length > 20);
    assert.deepEqual(zh, en);
  });

  it('every node has help and texts in both languages', function () {
    const nodes = fs
      .readdirSync(path.join(ROOT, 'nodes'))
      .filter((f) => f.endsWith('.html'))
      .map((f) => f.replace(/\.html$/, ''));
    assert.ok(nodes.length >= 9);
    for (const lang of LANGUAGES) {
      for (const node of nodes) {
        for (const ext of ['.html', '.json']) {
          const file = path.join(nodeLocales, lang, node + ext);
          assert.ok(fs.existsSync(file), `${lang}/${node}${ext} is missing`);
        }
      }
    }
  });
});
