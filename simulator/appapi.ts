// The appapi Actions (signed with the app's AppSecret, no user token). Only AppGetToken is
// modelled: phone or email + password → {Token, ExpireAt}.

import { timingSafeEqual, createHash } from 'node:crypto';
import { errors } from './envelope';
import type { LoginLookup } from './model';
import { requiredString, type ApiContext, type Fields, type Params } from './params';
import { verifyAppApiSignature } from './signature';

/** An integer param sent as a number or as its decimal text. */
function integerParam(params: Params, name: string, min: number): number {
  const v = params[name];
  if (v === undefined || v === null || v === '') throw errors.requiredParam(name);
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw errors.badParam(`${name} must be an integer of at least ${min}`);
  }
  return n;
}

function samePassword(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** Checks AppKey, Timestamp, Nonce and Signature, in that order. */
function checkSignedRequest(params: Params, ctx: ApiContext): void {
  const appKey = requiredString(params, 'AppKey');
  requiredString(params, 'Signature');
  const timestamp = integerParam(params, 'Timestamp', 0);
  integerParam(params, 'Nonce', 1);
  const secret = ctx.model.appKeys.get(appKey);
  if (secret === undefined) throw errors.appKeyNotExist();
  if (Math.abs(ctx.now() / 1000 - timestamp) > ctx.timestampWindowSeconds) {
    throw errors.timestampExpired();
  }
  if (!verifyAppApiSignature(params, secret)) throw errors.signatureFailure();
}

function appGetToken(params: Params, ctx: ApiContext): Fields {
  checkSignedRequest(params, ctx);
  const type = requiredString(params, 'Type');
  let lookup: LoginLookup;
  if (type === 'phone') {
    lookup = {
      type,
      countryCode: requiredString(params, 'CountryCode'),
      phoneNumber: requiredString(params, 'PhoneNumber'),
    };
  } else if (type === 'email') {
    lookup = { type, email: requiredString(params, 'Email') };
  } else {
    throw errors.badParam('Type must be "phone" or "email"');
  }
  const password = requiredString(params, 'Password');
  const user = ctx.model.findLoginUser(lookup);
  // Unknown account and wrong password look the same to the caller.
  if (!user || !samePassword(password, user.password)) throw errors.loginFailed();
  if (user.locked) throw errors.loginForbidden();
  const { Token, ExpireAt } = ctx.model.issueToken(user.UserID);
  return { Data: { Token, ExpireAt } };
}

const appApiActions: Readonly<Record<string, (params: Params, ctx: ApiContext) => Fields>> = {
  AppGetToken: appGetToken,
};

/** Runs an appapi Action after the common params were checked. */
export function handleAppApi(action: string, params: Params, ctx: ApiContext): Fields {
  const handler = Object.hasOwn(appApiActions, action) ? appApiActions[action] : undefined;
  if (!handler) throw errors.invalidAction(action, 'appapi');
  return handler(params, ctx);
}
