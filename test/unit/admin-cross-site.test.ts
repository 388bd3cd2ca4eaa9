// The cross-site rule alone (lib/admin/cross-site.ts): which headers a request may carry. The
// routes that apply it are tested in a runtime (test/nodes/admin-cross-site.test.ts).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import {
  crossSiteRefusal,
  readAllowedOrigins,
  type CrossSiteRule,
} from '../../lib/admin/cross-site';

const HOST = '127.0.0.1:1880';
const OWN = `http://${HOST}`;
const JSON_TYPE = { 'content-type': 'application/json' };

/** A request as Node's http server hands it over: method, lower-case headers, the socket. */
function request(
  headers: Record<string, string>,
  method = 'POST',
  encrypted = false,
): IncomingMessage {
  return {
    method,
    headers: { host: HOST, ...headers },
    socket: { encrypted },
  } as unknown as IncomingMessage;
}

const ROUTE_RULE: CrossSiteRule = { jsonOnly: true };

function outcome(req: IncomingMessage, rule: CrossSiteRule = ROUTE_RULE): string {
  const refused = crossSiteRefusal(req, rule);
  return refused ? `${refused.status} ${refused.error.code}` : 'pass';
}

describe('the cross-site rule', function () {
  describe('bodies', function () {
    it('lets a JSON post through, with or without a charset, in any case', function () {
      assert.equal(outcome(request(JSON_TYPE)), 'pass');
      assert.equal(outcome(request({ 'content-type': 'application/json; charset=utf-8' })), 'pass');
      assert.equal(outcome(request({ 'content-type': 'Application/JSON' })), 'pass');
    });

    it('refuses every body a form or a simple request can send, and none at all, with 415', function () {
      for (const type of [
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/plain',
        'text/plain; charset=utf-8',
        'application/json-patch+json',
        'application/jsonp',
      ]) {
        assert.equal(outcome(request({ 'content-type': type })), '415 IOTX_NOT_JSON', type);
      }
      assert.equal(outcome(request({})), '415 IOTX_NOT_JSON', 'no Content-Type');
    });

    it('names the refused type, cut short', function () {
      const refused = crossSiteRefusal(request({ 'content-type': 'text/plain' }), ROUTE_RULE);
      assert.equal(refused?.error.params.type, 'text/plain');
      const long = crossSiteRefusal(
        request({ 'content-type': `x/${'y'.repeat(500)}` }),
        ROUTE_RULE,
      );
      assert.ok(String(long?.error.params.type).length <= 120);
    });

    it('asks no body of a GET, and none of any request when the rule does not say jsonOnly', function () {
      assert.equal(outcome(request({}, 'GET')), 'pass');
      assert.equal(outcome(request({ 'content-type': 'text/plain' }), {}), 'pass');
    });
  });

  describe('Sec-Fetch-Site', function () {
    it('lets same-origin and none through', function () {
      for (const site of ['same-origin', 'none', 'Same-Origin']) {
        assert.equal(outcome(request({ ...JSON_TYPE, 'sec-fetch-site': site })), 'pass', site);
      }
    });

    it('refuses same-site (another port of the same host) and cross-site with 403', function () {
      for (const site of ['same-site', 'cross-site', 'something-new']) {
        assert.equal(
          outcome(request({ ...JSON_TYPE, 'sec-fetch-site': site })),
          '403 IOTX_CROSS_SITE',
          site,
        );
      }
    });

    it('refuses a cross-site form post for being cross-site first', function () {
      const form = {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        origin: 'https://evil.example',
      };
      assert.equal(outcome(request(form)), '403 IOTX_CROSS_SITE');
      // A form post is a navigation too: allowNavigation lets only GET and HEAD through.
      assert.equal(outcome(request(form), { allowNavigation: true }), '403 IOTX_CROSS_SITE');
    });
  });

  describe('Origin', function () {
    it("lets the request's own origin through, default ports and case normalised", function () {
      assert.equal(outcome(request({ ...JSON_TYPE, origin: OWN })), 'pass');
      const plain = { ...JSON_TYPE, host: 'home.example', origin: 'http://HOME.example:80' };
      assert.equal(outcome(request(plain)), 'pass');
      const tls = { ...JSON_TYPE, host: 'home.example', origin: 'https://home.example' };
      assert.equal(outcome(request(tls, 'POST', true)), 'pass');
      assert.equal(outcome(request(tls, 'POST', false)), '403 IOTX_CROSS_SITE', 'not https');
    });

    it('refuses another port of the same host, another host, null and what is not an origin', function () {
      for (const origin of [
        'http://127.0.0.1:1881',
        'http://localhost:1880',
        'https://127.0.0.1:1880',
        'https://evil.example',
        'null',
        'file://',
        'not a url',
      ]) {
        assert.equal(outcome(request({ ...JSON_TYPE, origin })), '403 IOTX_CROSS_SITE', origin);
      }
    });

    it('says which origin it refused', function () {
      const refused = crossSiteRefusal(request({ ...JSON_TYPE, origin: 'null' }), ROUTE_RULE);
      assert.equal(refused?.error.params.reason, 'Origin: null');
    });

    it('lets a listed origin through, but never a cross-site or same-site request', function () {
      const rule = { jsonOnly: true, allowedOrigins: ['https://home.example.com'] };
      const proxied = { ...JSON_TYPE, origin: 'https://home.example.com' };
      assert.equal(outcome(request(proxied), rule), 'pass');
      assert.equal(outcome(request({ ...proxied, 'sec-fetch-site': 'same-origin' }), rule), 'pass');
      assert.equal(
        outcome(request({ ...proxied, 'sec-fetch-site': 'cross-site' }), rule),
        '403 IOTX_CROSS_SITE',
      );
      assert.equal(
        outcome(request({ ...JSON_TYPE, origin: 'https://other.example.com' }), rule),
        '403 IOTX_CROSS_SITE',
      );
    });
  });

  describe('behind a reverse proxy', function () {
    const viaProxy = {
      ...JSON_TYPE,
      origin: 'https://home.example.com',
      'x-forwarded-host': 'home.example.com',
      'x-forwarded-proto': 'https',
    };

    it('takes X-Forwarded-Host and -Proto when the browser says same-origin', function () {
      assert.equal(outcome(request({ ...viaProxy, 'sec-fetch-site': 'same-origin' })), 'pass');
      // A list: the first entry is the one the browser talked to.
      const chained = {
        ...viaProxy,
        'sec-fetch-site': 'same-origin',
        'x-forwarded-host': 'home.example.com, inner.lan',
        'x-forwarded-proto': 'https, http',
      };
      assert.equal(outcome(request(chained)), 'pass');
      // The Host passed on unchanged, TLS ended at the proxy.
      const samehost = {
        ...JSON_TYPE,
        host: 'home.example.com',
        origin: 'https://home.example.com',
        'x-forwarded-proto': 'https',
        'sec-fetch-site': 'same-origin',
      };
      assert.equal(outcome(request(samehost)), 'pass');
    });

    it('ignores them without Sec-Fetch-Site: on Node-RED 4.1 a page can add them itself', function () {
      assert.equal(outcome(request(viaProxy)), '403 IOTX_CROSS_SITE');
      const forged = {
        ...JSON_TYPE,
        origin: 'https://evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      };
      assert.equal(outcome(request(forged)), '403 IOTX_CROSS_SITE');
    });
  });

  describe('navigations', function () {
    const link = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };

    it('lets a link from another site open a page when allowNavigation says so', function () {
      assert.equal(outcome(request(link, 'GET'), { allowNavigation: true }), 'pass');
      assert.equal(outcome(request(link, 'HEAD'), { allowNavigation: true }), 'pass');
    });

    it("refuses any other site's GET: a script, an image, a fetch", function () {
      assert.equal(outcome(request(link, 'GET')), '403 IOTX_CROSS_SITE', 'without the option');
      for (const mode of ['cors', 'no-cors']) {
        const read = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': mode };
        assert.equal(
          outcome(request(read, 'GET'), { allowNavigation: true }),
          '403 IOTX_CROSS_SITE',
          mode,
        );
      }
      const fetchRead = { origin: 'https://evil.example', 'sec-fetch-mode': 'cors' };
      assert.equal(
        outcome(request(fetchRead, 'GET'), { allowNavigation: true }),
        '403 IOTX_CROSS_SITE',
      );
    });
  });

  it('lets a program without browser headers through (curl, Node-RED tools)', function () {
    assert.equal(outcome(request(JSON_TYPE)), 'pass');
    assert.equal(outcome(request({}, 'GET'), { allowNavigation: true }), 'pass');
  });

  describe('the allowed-origins setting', function () {
    it('keeps origins and names every entry that is not one', function () {
      assert.deepEqual(
        readAllowedOrigins([
          'https://home.example.com',
          'http://10.0.0.2:8123/',
          'home.example.com',
          'https://home.example.com/nodered',
          'ftp://files.example',
          42,
        ]),
        {
          origins: ['https://home.example.com', 'http://10.0.0.2:8123'],
          invalid: [
            'home.example.com',
            'https://home.example.com/nodered',
            'ftp://files.example',
            '42',
          ],
        },
      );
      assert.deepEqual(readAllowedOrigins(undefined), { origins: [], invalid: [] });
      assert.deepEqual(readAllowedOrigins('https://a.example'), {
        origins: ['https://a.example'],
        invalid: [],
      });
    });
  });
});
