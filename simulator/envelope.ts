// Reply envelopes and API errors.
//
// 'response' is the documented shape: {"Response":{...,"RequestId"}} and
// {"Response":{"Error":{"Code","Message"},"RequestId"}}.
// 'wrapper' is what the official clients parse: {"code":0,"msg":"","data":{...,"RequestId"}}
// and {"code":-1000,"msg":Message,"data":{"Error":{...},"RequestId"}}.

export type EnvelopeMode = 'response' | 'wrapper';

/** The wrapper `code` of an API error (Android/iOS REQ_ERROR_CODE). */
export const WRAPPER_ERROR_CODE = -1000;

/** An API error: HTTP 200 with an Error object. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    /** Replaces the echoed RequestId (the documented InvalidAccessToken reply carries ""). */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export function successBody(
  mode: EnvelopeMode,
  fields: Record<string, unknown>,
  requestId: string,
): string {
  const inner = { ...fields, RequestId: requestId };
  return JSON.stringify(
    mode === 'wrapper' ? { code: 0, msg: '', data: inner } : { Response: inner },
  );
}

export function errorBody(
  mode: EnvelopeMode,
  code: string,
  message: string,
  requestId: string,
): string {
  const inner = { Error: { Code: code, Message: message }, RequestId: requestId };
  return JSON.stringify(
    mode === 'wrapper'
      ? { code: WRAPPER_ERROR_CODE, msg: message, data: inner }
      : { Response: inner },
  );
}

// The errors the simulator returns, with short Chinese + English messages like the service's.

/** The assumed code of a call on a device that was shared with the caller and is no longer. */
export const UNSHARED_DEVICE_CODE = 'InvalidParameterValue.NoPermission';

export const errors = {
  invalidJson: (detail: string) =>
    new ApiError('InvalidParameterValue.InvalidJSON', `请求格式不是JSON: ${detail}`),
  requiredParam: (name: string) =>
    new ApiError('ErrorRequiredParamNotFound', `必选参数缺失: ${name} is required`),
  /** `text` names the param, e.g. "ProductId must be a string". */
  badParam: (text: string) => new ApiError('InvalidParameterValue', `参数取值错误: ${text}`),
  invalidAction: (action: string, endpoint: string) =>
    new ApiError('InvalidAction', `Action非法: ${action} is not an ${endpoint} action`),
  invalidToken: () => new ApiError('InvalidParameterValue.InvalidAccessToken', 'Token无效', ''),
  productNotExist: (productId: string) =>
    new ApiError('ResourceNotFound.StudioProductNotExist', `产品不存在: ${productId}`),
  deviceNotExist: (deviceId: string) =>
    new ApiError('ResourceNotFound.DeviceNotExist', `设备不存在: ${deviceId}`),
  deviceNotBind: (deviceId: string) =>
    new ApiError('ResourceNotFound.DeviceNotBind', `设备未绑定家庭: ${deviceId}`),
  actionNotExist: (actionId: string) =>
    new ApiError('InvalidParameterValue.ActionNilOrNotExist', `动作为空或不存在: ${actionId}`),
  actionInputInvalid: (reason: string) =>
    new ApiError('InvalidParameter.ActionInputParamsInvalid', `动作输入参数不合法: ${reason}`),
  propertyNotExist: (propertyId: string) =>
    new ApiError(
      'InvalidParameterValue.ModelPropertyNotExist',
      `属性ID不存在: ${propertyId} is not a property of the product`,
    ),
  deviceOffline: () => new ApiError('FailedOperation.DeviceOffline', '设备处于离线状态'),
  timeout: () => new ApiError('FailedOperation.Timeout', '调用超时'),
  /** AppRunScene's documented permission error (a scene or automation of another family). */
  noPermission: (what: string) =>
    new ApiError('InvalidParameterValue.NoPermission', `无权限: no permission for ${what}`),
  sceneRunInProgress: (sceneId: string) =>
    new ApiError(
      'UnsupportedOperation.SceneRunInProgress',
      `场景正在执行中: scene ${sceneId} is still running`,
    ),
  /**
   * A device whose owner no longer shares it with the caller. The real code is unseen; the app
   * API's own no-permission code is assumed (UNSHARED_DEVICE_CODE, README "The home").
   */
  shareEnded: (deviceId: string) =>
    new ApiError(UNSHARED_DEVICE_CODE, `无权限: ${deviceId} is no longer shared with you`),
  noPermissionToFamily: (familyId: string) =>
    new ApiError('UnauthorizedOperation.NoPermissionToFamily', `此家庭无权操作: ${familyId}`),
  appKeyNotExist: () =>
    new ApiError('InvalidParameterValue', '参数取值错误: AppKey does not exist (AppKey不存在)'),
  timestampExpired: () =>
    new ApiError('InvalidParameterValue', '参数取值错误: Timestamp expired (时间戳过期)'),
  signatureFailure: () =>
    new ApiError('AuthFailure.SignatureFailure', '签名错误: the Signature does not match'),
  loginFailed: () =>
    new ApiError('InternalError', 'InvalidParameterValue.UserLoginFailed|用户登录失败'),
  loginForbidden: () =>
    new ApiError('InternalError', 'InvalidParameterValue.UserLoginForbidden|账号被锁定'),
  requestLimit: () => new ApiError('RequestLimitExceeded', '请求的次数超过了频率限制'),
  internal: () => new ApiError('InternalError', '内部错误'),
};

/** The status an offline device's action call reports inside a success envelope. */
export const ACTION_UNREACHABLE = 'FailedOperation.ActionUnreachable|动作消息不可达';
