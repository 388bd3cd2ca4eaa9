// The user's calls: signing in (AppGetToken, on the appapi, signed), ending a token
// (AppLogoutUser) and who the token belongs to (AppGetUser). The policy around them (when to sign
// in, renewal, back-off) is lib/auth/'s.

import type {
  ApiRequester,
  AppCredentials,
  CallOptions,
  IssuedToken,
  UserLogin,
} from './contracts';
import { asText, isRecord } from './envelope';
import type { RequestPipeline } from './pipeline';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import type { AppApiParams } from './signature';

/** The signed-in user (`AppGetUser`). */
export interface UserInfo {
  userId: string;
  userName: string;
  nickName: string;
}

/** `AppGetToken`: signs the user in and returns the token with its ExpireAt. */
export async function appGetToken(
  pipeline: Pick<RequestPipeline, 'appApiRequest'>,
  app: AppCredentials,
  login: UserLogin,
  options: CallOptions = {},
): Promise<IssuedToken> {
  const params: AppApiParams =
    login.type === 'phone'
      ? {
          Type: 'phone',
          CountryCode: login.countryCode,
          PhoneNumber: login.phoneNumber,
          Password: login.password,
        }
      : { Type: 'email', Email: login.email, Password: login.password };
  const { requestId, data } = await pipeline.appApiRequest('AppGetToken', params, app, options);
  const issued = isRecord(data.Data) ? data.Data : undefined;
  const token = typeof issued?.Token === 'string' ? issued.Token : '';
  const expireAt = Number(issued?.ExpireAt);
  if (token === '' || !Number.isFinite(expireAt)) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: 'AppGetToken returned no Data.Token and Data.ExpireAt' },
      requestId,
    });
  }
  return { token, expireAt };
}

/** `AppLogoutUser`: ends a token we signed in for, so it does not outlive us. */
export async function logoutUser(
  pipeline: Pick<RequestPipeline, 'requestWithToken'>,
  token: string,
  options: CallOptions = {},
): Promise<void> {
  await pipeline.requestWithToken('AppLogoutUser', {}, token, options);
}

/** `AppGetUser`: who the token belongs to. */
export async function getUser(api: ApiRequester, options: CallOptions = {}): Promise<UserInfo> {
  const { data } = await api.request('AppGetUser', {}, options);
  // Documented under Data; some replies put the fields beside it: read either.
  const user = isRecord(data.Data) ? data.Data : data;
  return {
    userId: asText(user.UserID ?? user.UserId),
    userName: asText(user.UserName),
    nickName: asText(user.NickName),
  };
}
