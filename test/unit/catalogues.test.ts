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

/** The node types: one folder each in nodes/, with its catalogues in locales/<lang>/. */
const NODE_TYPES = fs
  .readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** A node's catalogue or help file (`<type>.json`, `<type>.html`) in one language. */
function localeFile(lang: string, file: string): string {
  return path.join(ROOT, 'nodes', file.replace(/\.(json|html)$/, ''), 'locales', lang, file);
}

describe('message catalogues', function () {
  const files = (lang: string): string[] =>
    NODE_TYPES.flatMap((type) => {
      const dir = path.join(ROOT, 'nodes', type, 'locales', lang);
      return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    }).sort();

  it('has the same files in en-US and zh-CN', function () {
    assert.deepEqual(files('zh-CN'), files('en-US'));
  });

  for (const file of files('en-US').filter((f) => f.endsWith('.json'))) {
    it(`${file}: the same keys in both languages`, function () {
      const [en, zh] = LANGUAGES.map((lang) => readKeys(localeFile(lang, file)));
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
    const nodes = NODE_TYPES.filter((type) =>
      fs.existsSync(path.join(ROOT, 'nodes', type, `${type}.html`)),
    );
    assert.ok(nodes.length >= 9);
    for (const lang of LANGUAGES) {
      for (const node of nodes) {
        for (const ext of ['.html', '.json']) {
          const file = localeFile(lang, node + ext);
          assert.ok(fs.existsSync(file), `${lang}/${node}${ext} is missing`);
        }
      }
    }
  });
});
