/* Editor parts shared by the IoT Explorer nodes: loaded once by each node's editor file.
 * The pickers ask the account node's admin endpoints (lib/admin/endpoints.ts) for what the
 * user's account holds; a device node attaches each one in a line of its oneditprepare. */
(function (root) {
  'use strict';
  if (root.IotExplorerEditor) return;

  var ACCOUNT_NS = '@homeflow/node-red-tencent-iot-explorer/iot-explorer-account';

  if (root.document && root.document.head) {
    var style = root.document.createElement('style');
    style.textContent =
      '.iotx-line { margin-left: 104px; }' +
      '.iotx-error { color: var(--red-ui-text-color-error, #d6615f); }' +
      '.iotx-ok { color: var(--red-ui-text-color-success, #3e8e41); }' +
      '.iotx-fields .form-row label { width: 140px; }' +
      '.iotx-properties { display: inline-block; width: 70%; }' +
      // More specific than the editor's `.form-row label` (a fixed 100px width).
      '.red-ui-editor .form-row label.iotx-property {' +
      ' display: inline-block; width: auto; margin: 0 14px 2px 0; white-space: nowrap; }' +
      '.red-ui-editor .form-row label.iotx-property input[type="checkbox"] {' +
      ' width: auto; margin: 0 4px 0 0; vertical-align: middle; }';
    root.document.head.appendChild(style);
  }

  /** The TypedInput types a device field may come from. */
  var TARGET_TYPES = ['str', 'msg', 'flow', 'global', 'env'];

  /** A text of the account catalogue's `editor` section, in the editor's language. */
  function t(key, params) {
    return root.RED ? root.RED._(ACCOUNT_NS + ':editor.' + key, params) : key;
  }

  // ---------------------------------------------------------------------------------------
  // Data templates: the same semantics the simulator enforces (simulator/template.ts).

  function num(value) {
    if (value === undefined || value === null || value === '') return undefined;
    var n = Number(value);
    return isFinite(n) ? n : undefined;
  }

  function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function rangeParams(define) {
    var min = num(define.min);
    var max = num(define.max);
    return {
      min: min === undefined ? '−∞' : min,
      max: max === undefined ? '∞' : max,
    };
  }

  function inRange(n, define) {
    var min = num(define.min);
    var max = num(define.max);
    return (min === undefined || n >= min) && (max === undefined || n <= max);
  }

  /**
   * Checks a value against a template `define` (or an array's `arrayInfo`).
   * Returns undefined when it fits, else `{key, params}` of the reason (catalogue `editor.invalid.*`).
   */
  function checkValue(define, value, label) {
    var p = rangeParams(define);
    p.label = label;
    switch (define.type) {
      case 'bool':
        return value === 0 || value === 1 ? undefined : { key: 'bool', params: p };
      case 'int':
        return typeof value === 'number' && Math.floor(value) === value && inRange(value, define)
          ? undefined
          : { key: 'int', params: p };
      case 'float':
        return typeof value === 'number' && isFinite(value) && inRange(value, define)
          ? undefined
          : { key: 'float', params: p };
      case 'enum':
        return typeof value === 'number' &&
          Math.floor(value) === value &&
          define.mapping &&
          has(define.mapping, String(value))
          ? undefined
          : { key: 'enum', params: p };
      case 'stringenum':
        return typeof value === 'string' && define.mapping && has(define.mapping, value)
          ? undefined
          : { key: 'enum', params: p };
      case 'string': {
        if (typeof value !== 'string') return { key: 'string', params: p };
        var length = Array.from(value).length;
        var min = num(define.min);
        var max = num(define.max);
        if ((max !== undefined && length > max) || (min !== undefined && length < min)) {
          return { key: 'length', params: p };
        }
        return undefined;
      }
      case 'timestamp':
        if (typeof value === 'number' && Math.floor(value) === value && value >= 0)
          return undefined;
        if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return undefined;
        return { key: 'timestamp', params: p };
      case 'struct': {
        if (!isPlainObject(value)) return { key: 'struct', params: p };
        var specs = define.specs || [];
        var keys = Object.keys(value);
        for (var i = 0; i < keys.length; i++) {
          var spec = specs.filter(matchId(keys[i]))[0];
          var memberLabel = label + '.' + keys[i];
          if (!spec) return { key: 'member', params: { label: memberLabel } };
          var problem = checkValue(spec.dataType || {}, value[keys[i]], memberLabel);
          if (problem) return problem;
        }
        return undefined;
      }
      case 'array': {
        if (!Array.isArray(value)) return { key: 'array', params: p };
        if (!define.arrayInfo) return undefined;
        for (var j = 0; j < value.length; j++) {
          var elementProblem = checkValue(define.arrayInfo, value[j], label + '[' + j + ']');
          if (elementProblem) return elementProblem;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  function matchId(id) {
    return function (item) {
      return item && item.id === id;
    };
  }

  /** Checks a whole InputParams object against an action's `input` definitions. */
  function checkInput(action, input) {
    if (!isPlainObject(input)) return { key: 'notObject', params: {} };
    var params = action.input || [];
    var ids = Object.keys(input);
    for (var i = 0; i < ids.length; i++) {
      var param = params.filter(matchId(ids[i]))[0];
      if (!param) return { key: 'unknownInput', params: { label: ids[i], action: action.id } };
      var problem = checkValue(param.define || {}, input[ids[i]], ids[i]);
      if (problem) return problem;
    }
    for (var j = 0; j < params.length; j++) {
      if (params[j].required && !has(input, params[j].id)) {
        return { key: 'required', params: { label: params[j].id } };
      }
    }
    return undefined;
  }

  /** The actions of a parsed data template, tolerant of missing parts. */
  function actionsOf(template) {
    var actions = template && Array.isArray(template.actions) ? template.actions : [];
    return actions.filter(function (a) {
      return a && typeof a.id === 'string';
    });
  }

  /** The properties of a parsed data template, tolerant of missing parts. */
  function propertiesOf(template) {
    var properties = template && Array.isArray(template.properties) ? template.properties : [];
    return properties.filter(function (p) {
      return p && typeof p.id === 'string';
    });
  }

  // ---------------------------------------------------------------------------------------
  // Device and property lists: pure, so that they can be tested without a browser.

  /** The ids a property filter names, split as the runtime splits them (lib/node/device-node.ts). */
  function propertyIds(text) {
    return String(text || '')
      .split(/[\s,，]+/)
      .filter(function (id) {
        return id !== '';
      });
  }

  /** The filter text with `id` added (at the end) or removed; other ids stay as typed. */
  function withProperty(text, id, included) {
    var ids = propertyIds(text).filter(function (other) {
      return other !== id;
    });
    if (included) ids.push(id);
    return ids.join(', ');
  }

  /** The ProductId every listed device has, or '' when the list is empty or mixes products. */
  function sharedProductId(devices) {
    var ids = (devices || [])
      .map(function (d) {
        return d.productId;
      })
      .filter(function (id, i, all) {
        return id && all.indexOf(id) === i;
      });
    return ids.length === 1 ? ids[0] : '';
  }

  /** Whether `devices` ([{productId, deviceName}]) already holds `device`. */
  function listsDevice(devices, device) {
    return (devices || []).some(function (d) {
      return d.productId === device.productId && d.deviceName === device.deviceName;
    });
  }

  /** A short description of a define, e.g. "int 0…10 秒" or "enum 0 ok, 1 failed". */
  function describeDefine(define) {
    if (!define) return '';
    var parts = [define.type];
    if (define.mapping) {
      parts.push(
        Object.keys(define.mapping)
          .map(function (k) {
            return k + ' ' + define.mapping[k];
          })
          .join(', '),
      );
    }
    if (define.min !== undefined || define.max !== undefined) {
      var r = rangeParams(define);
      parts.push(r.min + '…' + r.max);
    }
    if (define.unit) parts.push(define.unit);
    if (define.type === 'struct') {
      parts.push(
        '{ ' +
          (define.specs || [])
            .map(function (s) {
              return s.id + ': ' + describeDefine(s.dataType);
            })
            .join('; ') +
          ' }',
      );
    }
    if (define.type === 'array' && define.arrayInfo) {
      parts.push('[' + describeDefine(define.arrayInfo) + ']');
    }
    return parts.join(' ');
  }

  function reasonText(problem) {
    return problem ? t('invalid.' + problem.key, problem.params) : '';
  }

  // ---------------------------------------------------------------------------------------
  // The account's admin endpoints.

  var SIGN_IN_SETTINGS = ['appKey', 'loginType', 'countryCode', 'appapiEndpoint'];
  var SIGN_IN_CREDENTIALS = ['appSecret', 'password', 'phoneNumber', 'email'];
  var UNCHANGED = '__PWRD__';

  /**
   * What the editor knows of an account right now, deployed or not (never a stored secret:
   * Node-RED's editor does not have them). A credential left out, or sent as `__PWRD__`, means
   * "as stored" to the runtime, which signs in with it for the one request.
   */
  function accountBody(accountId) {
    var account = root.RED.nodes.node(accountId);
    if (!account) return null;
    var signIn = account.authMode === 'signin';
    var body = {
      endpoint: account.endpoint,
      timeout: account.timeout,
      name: account.name,
      authMode: signIn ? 'signin' : 'token',
    };
    var credentials = account.credentials || {};
    if (signIn) {
      SIGN_IN_SETTINGS.forEach(function (name) {
        if (account[name] !== undefined) body[name] = account[name];
      });
      SIGN_IN_CREDENTIALS.forEach(function (name) {
        var value = credentials[name];
        if (typeof value === 'string' && value !== UNCHANGED) body[name] = value;
      });
      return body;
    }
    var typed = credentials.accessToken;
    if (typeof typed === 'string' && typed !== '' && typed !== UNCHANGED) body.accessToken = typed;
    return body;
  }

  /**
   * POSTs to `iot-explorer/accounts/<id>/<what>`; calls back with `(error, data)` where error
   * is `{code, text}` already in the editor's language.
   */
  function accountRequest(accountId, what, body, callback) {
    $.ajax({
      url: 'iot-explorer/accounts/' + encodeURIComponent(accountId) + '/' + what,
      method: 'POST',
      contentType: 'application/json',
      dataType: 'json',
      data: JSON.stringify(body || {}),
      timeout: 65000,
    })
      .done(function (answer) {
        if (answer && answer.success) return callback(null, answer.data);
        callback(answerError(answer || {}));
      })
      .fail(function (xhr) {
        var code = 'HTTP ' + (xhr.status || 0);
        callback({ code: code, text: t('requestFailed', { status: code }) });
      });
  }

  function answerError(answer) {
    var text = answer.message || '';
    if (answer.key) {
      var key = ACCOUNT_NS + ':errors.' + answer.key;
      var translated = root.RED._(key, answer.params || {});
      if (translated && translated !== key && translated.indexOf('errors.') < 0) text = translated;
    }
    return { code: answer.code || '', text: text };
  }

  /** Asks with the account a node's select currently names; fails clearly when none is set. */
  function requestForAccountField($account, what, extra, callback) {
    var id = $account.val();
    if (!id || id === '_ADD_') return callback({ code: '', text: t('chooseAccount') });
    var body = accountBody(id);
    if (!body) return callback({ code: '', text: t('chooseAccount') });
    accountRequest(id, what, $.extend(body, extra), callback);
  }

  function showProblem($line, error) {
    $line
      .empty()
      .removeClass('iotx-ok')
      .addClass('iotx-error')
      .append($('<i class="fa fa-exclamation-triangle"></i>'))
      .append(
        document.createTextNode(
          ' ' +
            error.text +
            (error.code && error.text.indexOf(error.code) < 0 ? ' (' + error.code + ')' : ''),
        ),
      )
      .show();
  }

  function showInfo($line, text, ok) {
    $line.empty().removeClass('iotx-error').toggleClass('iotx-ok', !!ok).text(text).toggle(!!text);
  }

  // ---------------------------------------------------------------------------------------
  // Typed fields.

  /**
   * Turns `#node-input-<name>` into a TypedInput bound to the hidden `<name>Type` input,
   * defaulting to `defaultType` for nodes saved before the field existed.
   */
  function typedField(name, types, defaultType) {
    var $input = $('#node-input-' + name);
    var $type = $('#node-input-' + name + 'Type');
    if (!$type.val()) $type.val(defaultType);
    $input.typedInput({ default: defaultType, types: types, typeField: $type });
    return $input;
  }

  /** The three device-target fields every device node has. */
  function deviceTargetFields(names) {
    names.forEach(function (name) {
      typedField(name, TARGET_TYPES, 'str');
    });
  }

  /** A typed field's literal text, or '' when it comes from msg/flow/global/env. */
  function literal(name) {
    var $input = $('#node-input-' + name);
    return $input.typedInput('type') === 'str' ? String($input.typedInput('value') || '') : '';
  }

  function setLiteral(name, value) {
    var $input = $('#node-input-' + name);
    $input.typedInput('type', 'str');
    $input.typedInput('value', value);
    $input.trigger('change');
  }

  function pickerRow(icon, labelKey, id) {
    var $row = $('<div class="form-row iotx-picker"></div>');
    $('<label></label>')
      .attr('for', id)
      .append($('<i class="fa"></i>').addClass(icon))
      .append(document.createTextNode(' ' + t(labelKey)))
      .appendTo($row);
    return $row;
  }

  /**
   * An editableList of devices, one row per device with a ProductId and a DeviceName input
   * (classes `iotx-product-id` / `iotx-device-name`, so pickers can be attached to them here).
   * `devices`: [{productId, deviceName}] or ['PID/DN']. `placeholders`: {productId, deviceName}.
   * `onChange()` (optional) runs when a row is added, removed or typed in.
   */
  function deviceList($list, devices, placeholders, onChange) {
    var changed = function () {
      if (onChange) onChange();
    };
    $list.editableList({
      addItem: function (row, index, data) {
        var id = typeof data === 'string' ? data.split('/') : [];
        var productId = data.productId || id[0] || '';
        var deviceName = data.deviceName || id.slice(1).join('/') || '';
        $('<input type="text" class="iotx-product-id" style="width: 45%">')
          .attr('placeholder', placeholders.productId)
          .val(productId)
          .appendTo(row);
        $('<span> / </span>').appendTo(row);
        $('<input type="text" class="iotx-device-name" style="width: 45%">')
          .attr('placeholder', placeholders.deviceName)
          .val(deviceName)
          .appendTo(row);
        changed();
      },
      removeItem: changed,
      removable: true,
      sortable: true,
      height: 'auto',
    });
    (devices || []).forEach(function (device) {
      $list.editableList('addItem', device);
    });
    // `change`, not `input`: a product's template is asked for once the id is typed, not per key.
    $list.on('change', '.iotx-product-id, .iotx-device-name', changed);
  }

  /**
   * Puts a picked device into a {@link deviceList}: into the first empty row, else a new row;
   * never twice. Returns the text for the picker's line.
   */
  function addToDeviceList($list, device) {
    var id = device.productId + '/' + device.deviceName;
    if (listsDevice(readDeviceList($list), device)) return t('alreadyListed', { device: id });
    var $empty = $list
      .editableList('items')
      .filter(function () {
        return !$(this).find('.iotx-product-id').val() && !$(this).find('.iotx-device-name').val();
      })
      .first();
    if ($empty.length) {
      $empty.find('.iotx-product-id').val(device.productId);
      $empty.find('.iotx-device-name').val(device.deviceName).trigger('change');
    } else {
      $list.editableList('addItem', { productId: device.productId, deviceName: device.deviceName });
    }
    return t('addedToList', { device: id });
  }

  /** The rows of a {@link deviceList} that name both ids, as [{productId, deviceName}]. */
  function readDeviceList($list) {
    var devices = [];
    $list.editableList('items').each(function () {
      var productId = $(this).find('.iotx-product-id').val().trim();
      var deviceName = $(this).find('.iotx-device-name').val().trim();
      if (productId && deviceName) devices.push({ productId: productId, deviceName: deviceName });
    });
    return devices;
  }

  // ---------------------------------------------------------------------------------------
  // Device picker.

  function deviceText(device) {
    var name = device.aliasName || device.deviceName;
    var state = device.online === true ? t('online') : device.online === false ? t('offline') : '';
    return (
      name +
      (device.roomName ? ' · ' + device.roomName : '') +
      ' — ' +
      device.productId +
      '/' +
      device.deviceName +
      (state ? ' (' + state + ')' : '')
    );
  }

  /**
   * Adds a family select and a device select before `options.before` (a form row); picking a
   * device fills the ProductId and DeviceName fields (as literal text) and calls onPick(device).
   * Options: accountField ('#node-input-account'), productField ('productId'),
   * deviceField ('deviceName'), before (jQuery row), onPick(device),
   * list: a {@link deviceList} (or a function giving one, or null for the fields) that picked
   * devices are added to instead of filling the fields.
   */
  function devicePicker(options) {
    var $account = $(options.accountField || '#node-input-account');
    var productField = options.productField || 'productId';
    var deviceField = options.deviceField || 'deviceName';
    var $rowFamily = pickerRow('fa-home', 'family', 'node-input-iotx-family');
    var $family = $('<select id="node-input-iotx-family" style="width: 60%"></select>').appendTo(
      $rowFamily,
    );
    var $refresh = $(
      '<button type="button" class="red-ui-button" style="margin-left: 4px"><i class="fa fa-refresh"></i></button>',
    )
      .attr('title', t('refresh'))
      .appendTo($rowFamily);
    var $rowDevice = pickerRow('fa-lightbulb-o', 'device', 'node-input-iotx-device');
    var $device = $('<select id="node-input-iotx-device" style="width: 70%"></select>').appendTo(
      $rowDevice,
    );
    var $line = $('<div class="form-row iotx-line iotx-picker-line" style="display:none"></div>');
    var devices = [];
    var generation = 0;

    /** The device list picks go to now, or null for the ProductId and DeviceName fields. */
    function targetList() {
      var list = typeof options.list === 'function' ? options.list() : options.list;
      return list && list.length ? list : null;
    }

    function placeholder($select, key) {
      $select.empty().append($('<option value=""></option>').text(t(key)));
    }

    function loadFamilies() {
      var mine = ++generation;
      placeholder($family, 'loading');
      placeholder($device, 'pickDevice');
      showInfo($line, '');
      requestForAccountField($account, 'families', {}, function (error, families) {
        if (mine !== generation) return;
        if (error) {
          placeholder($family, 'unavailable');
          return showProblem($line, error);
        }
        $family.empty();
        if (families.length === 0) {
          placeholder($family, 'noFamilies');
          return;
        }
        families.forEach(function (f) {
          $('<option></option>').val(f.familyId).text(f.name).appendTo($family);
        });
        loadDevices();
      });
    }

    function loadDevices() {
      var mine = ++generation;
      var familyId = $family.val();
      placeholder($device, 'loading');
      if (!familyId) return placeholder($device, 'pickDevice');
      requestForAccountField($account, 'devices', { familyId: familyId }, function (error, list) {
        if (mine !== generation) return;
        if (error) {
          placeholder($device, 'unavailable');
          return showProblem($line, error);
        }
        devices = list;
        placeholder($device, list.length ? 'pickDevice' : 'noDevices');
        var rooms = {};
        list.forEach(function (d, i) {
          var room = d.roomName || t('defaultRoom');
          if (!rooms[room])
            rooms[room] = $('<optgroup></optgroup>').attr('label', room).appendTo($device);
          $('<option></option>').val(String(i)).text(deviceText(d)).appendTo(rooms[room]);
        });
        var current = literal(productField) + '/' + literal(deviceField);
        list.forEach(function (d, i) {
          if (!targetList() && d.productId + '/' + d.deviceName === current) $device.val(String(i));
        });
        var found = targetList() ? 'devicesFoundList' : 'devicesFound';
        showInfo($line, t(found, { count: list.length }), true);
      });
    }

    $rowFamily.insertBefore(options.before);
    $rowDevice.insertBefore(options.before);
    $line.insertBefore(options.before);
    $account.on('change', loadFamilies);
    $family.on('change', loadDevices);
    $refresh.on('click', loadFamilies);
    $device.on('change', function () {
      var device = devices[Number($device.val())];
      if (!$device.val() || !device) return;
      var $target = targetList();
      if ($target) {
        // The select goes back to its placeholder, ready for the next device.
        showInfo($line, addToDeviceList($target, device), true);
        $device.val('');
      } else {
        setLiteral(productField, device.productId);
        setLiteral(deviceField, device.deviceName);
      }
      if (options.onPick) options.onPick(device);
    });
    loadFamilies();
    return {
      reload: loadFamilies,
      selected: function () {
        return $device.val() ? devices[Number($device.val())] : undefined;
      },
    };
  }

  // ---------------------------------------------------------------------------------------
  // Action picker.

  /**
   * Adds an action select before `options.before`, listing the actions of the product in the
   * ProductId field. Picking fills ActionId and calls onPick(action, {byUser}).
   * Options: accountField, productField ('productId'), actionField ('actionId'), before, onPick,
   * onTemplate(template) when the product's template arrives.
   */
  function actionPicker(options) {
    var $account = $(options.accountField || '#node-input-account');
    var productField = options.productField || 'productId';
    var actionField = options.actionField || 'actionId';
    var $row = pickerRow('fa-bolt', 'action', 'node-input-iotx-action');
    var $action = $('<select id="node-input-iotx-action" style="width: 70%"></select>').appendTo(
      $row,
    );
    var $line = $('<div class="form-row iotx-line iotx-picker-line" style="display:none"></div>');
    var actions = [];

    function placeholder(key) {
      $action.empty().append($('<option value=""></option>').text(t(key)));
    }

    function pick(notify) {
      var action = actions[Number($action.val())];
      if (!$action.val() || !action) return;
      if (notify) setLiteral(actionField, action.id);
      // `byUser` is false when the saved ActionId was found again on opening the dialog.
      if (options.onPick) options.onPick(action, { byUser: notify });
    }

    function waiting(key) {
      actions = [];
      showInfo($line, '');
      placeholder(key);
    }

    var template = productTemplate(
      $account,
      function () {
        return literal(productField);
      },
      {
        none: function () {
          waiting('pickDeviceFirst');
        },
        loading: function () {
          waiting('loading');
        },
        failed: function (error) {
          placeholder('unavailable');
          showProblem($line, error);
        },
        loaded: function (product) {
          actions = actionsOf(product.dataTemplate);
          placeholder(actions.length ? 'pickAction' : 'noActions');
          actions.forEach(function (a, i) {
            var text = a.name && a.name !== a.id ? a.name + ' (' + a.id + ')' : a.id;
            $('<option></option>')
              .val(String(i))
              .text(text)
              .attr('title', a.desc || '')
              .appendTo($action);
          });
          if (options.onTemplate) options.onTemplate(product.dataTemplate);
          var current = literal(actionField);
          actions.forEach(function (a, i) {
            if (a.id === current) $action.val(String(i));
          });
          pick(false);
        },
      },
    );

    $row.insertBefore(options.before);
    $line.insertBefore(options.before);
    $action.on('change', function () {
      pick(true);
    });
    $('#node-input-' + productField).on('change', template.load);
    $account.on('change', template.reload);
    template.load();
    return { reload: template.reload };
  }

  /**
   * Asks for the data template of the product `productId()` names, once per product (a newer
   * request wins over an older one still under way), and tells `show`: none() when no product
   * is named, loading(), failed(error) or loaded(product). Returns {load(), reload()}.
   */
  function productTemplate($account, productId, show) {
    var loaded = null;
    var generation = 0;

    function load() {
      var id = productId();
      if (id === loaded) return;
      loaded = id;
      var mine = ++generation;
      if (!id) return show.none();
      show.loading();
      requestForAccountField($account, 'product', { productId: id }, function (error, product) {
        if (mine !== generation) return;
        if (error) {
          loaded = null;
          return show.failed(error);
        }
        show.loaded(product);
      });
    }

    return {
      load: load,
      reload: function () {
        loaded = null;
        load();
      },
    };
  }

  // ---------------------------------------------------------------------------------------
  // Property picker.

  /**
   * Adds, after `options.after` (the row of a free-text property filter), one checkbox per
   * property of a product's data template; ticking one adds its id to the text field, unticking
   * removes it, and ids typed by hand stay. Options: accountField, field ('properties'), after,
   * productId() giving the product whose properties to offer ('' when there is none).
   * Returns {refresh()}: call it when the product may have changed.
   */
  function propertyPicker(options) {
    var $account = $(options.accountField || '#node-input-account');
    var $text = $('#node-input-' + (options.field || 'properties'));
    var $row = $('<div class="form-row iotx-property-picker"></div>');
    $('<label>&nbsp;</label>').appendTo($row);
    var $boxes = $('<div class="iotx-properties"></div>').appendTo($row);
    var $line = $('<div class="form-row iotx-line iotx-picker-line" style="display:none"></div>');

    /** Ticks the boxes the text names. */
    function sync() {
      var listed = propertyIds($text.val());
      $boxes.find('input[type=checkbox]').each(function () {
        $(this).prop('checked', listed.indexOf($(this).val()) >= 0);
      });
    }

    function render(properties) {
      $boxes.empty();
      $row.toggle(properties.length > 0);
      properties.forEach(function (p) {
        var define = describeDefine(p.define);
        $('<label class="iotx-property"></label>')
          .attr('title', (p.desc ? p.desc + ' — ' : '') + define)
          .append($('<input type="checkbox">').val(p.id))
          .append(
            document.createTextNode(
              ' ' + (p.name && p.name !== p.id ? p.name + ' (' + p.id + ')' : p.id),
            ),
          )
          .appendTo($boxes);
      });
      sync();
    }

    var template = productTemplate($account, options.productId, {
      none: function () {
        render([]);
        showInfo($line, t('propertiesNeedProduct'));
      },
      loading: function () {
        render([]);
        showInfo($line, t('loading'));
      },
      failed: function (error) {
        showProblem($line, error);
      },
      loaded: function (product) {
        var properties = propertiesOf(product.dataTemplate);
        render(properties);
        showInfo(
          $line,
          properties.length
            ? t('propertiesOf', { product: product.name || product.productId })
            : t('noProperties'),
          true,
        );
      },
    });

    $line.insertAfter(options.after);
    $row.insertAfter(options.after);
    $boxes.on('change', 'input[type=checkbox]', function () {
      $text
        .val(withProperty($text.val(), $(this).val(), $(this).prop('checked')))
        .trigger('change');
    });
    $text.on('change input', sync);
    $account.on('change', template.reload);
    template.load();
    return { refresh: template.load };
  }

  // ---------------------------------------------------------------------------------------
  // InputParams form.

  /**
   * One form control for a define. Returns `{$el, read}`; read() gives `{value, problem}` where
   * value is undefined when the field is left blank (not sent).
   */
  function fieldFor(define, initial, label) {
    define = define || {};
    var $el;
    var read;
    switch (define.type) {
      case 'bool': {
        var mapping = define.mapping || {};
        $el = $('<label class="iotx-switch"></label>');
        var $box = $('<input type="checkbox" style="width:auto; margin:0 6px 0 0">').appendTo($el);
        var $text = $('<span></span>').appendTo($el);
        var show = function () {
          var key = $box.prop('checked') ? '1' : '0';
          $text.text(mapping[key] !== undefined ? mapping[key] + ' (' + key + ')' : key);
        };
        $box.prop('checked', initial === 1 || initial === true).on('change', show);
        show();
        read = function () {
          return { value: $box.prop('checked') ? 1 : 0 };
        };
        break;
      }
      case 'enum':
      case 'stringenum': {
        $el = $('<select style="width: 60%"></select>');
        $('<option value=""></option>').text(t('notSent')).appendTo($el);
        Object.keys(define.mapping || {}).forEach(function (key) {
          $('<option></option>')
            .val(key)
            .text(define.mapping[key] + ' (' + key + ')')
            .appendTo($el);
        });
        if (initial !== undefined) $el.val(String(initial));
        read = function () {
          var raw = $el.val();
          if (raw === '' || raw === null) return { value: undefined };
          var value = define.type === 'enum' ? Number(raw) : raw;
          return { value: value, problem: checkValue(define, value, label) };
        };
        break;
      }
      case 'int':
      case 'float':
      case 'timestamp': {
        $el = $('<span></span>');
        var $number = $('<input type="number" style="width: 140px">').appendTo($el);
        if (define.type !== 'timestamp') {
          if (num(define.min) !== undefined) $number.attr('min', num(define.min));
          if (num(define.max) !== undefined) $number.attr('max', num(define.max));
          var step = num(define.step);
          $number.attr(
            'step',
            step !== undefined && step > 0 ? step : define.type === 'int' ? 1 : 'any',
          );
          var r = rangeParams(define);
          $number.attr('placeholder', r.min + ' … ' + r.max);
        } else {
          $number.attr({ min: 0, step: 1, placeholder: t('timestampPlaceholder') });
        }
        if (define.unit)
          $('<span style="margin-left: 6px"></span>').text(define.unit).appendTo($el);
        if (initial !== undefined && initial !== null) $number.val(String(initial));
        read = function () {
          var raw = String($number.val() || '').trim();
          $number.removeClass('input-error');
          if (raw === '') return { value: undefined };
          var value = Number(raw);
          var problem = checkValue(define, value, label);
          $number.toggleClass('input-error', !!problem);
          return { value: value, problem: problem };
        };
        break;
      }
      case 'struct': {
        $el = $('<div class="iotx-struct" style="margin-left: 20px"></div>');
        var members = (define.specs || []).map(function (spec) {
          var value = isPlainObject(initial) ? initial[spec.id] : undefined;
          var field = fieldFor(spec.dataType, value, label + '.' + spec.id);
          $('<div class="form-row"></div>')
            .append(
              $('<label></label>')
                .text(spec.name || spec.id)
                .attr('title', spec.id),
            )
            .append(field.$el)
            .appendTo($el);
          return { id: spec.id, field: field };
        });
        read = function () {
          var out = {};
          var problem;
          var any = false;
          members.forEach(function (m) {
            var got = m.field.read();
            if (got.value !== undefined) {
              out[m.id] = got.value;
              any = true;
            }
            problem = problem || got.problem;
          });
          return { value: any ? out : undefined, problem: problem };
        };
        break;
      }
      case 'array': {
        $el = $('<div class="iotx-array" style="margin-left: 20px"></div>');
        var $items = $('<div></div>').appendTo($el);
        var items = [];
        var info = define.arrayInfo || { type: 'string' };
        var add = function (value) {
          var index = items.length;
          var $item = $('<div class="form-row"></div>').appendTo($items);
          var entry = { field: fieldFor(info, value, label + '[' + index + ']'), $item: $item };
          $item.append(entry.field.$el);
          $(
            '<button type="button" class="red-ui-button red-ui-button-small" style="margin-left:4px"><i class="fa fa-times"></i></button>',
          )
            .attr('title', t('remove'))
            .on('click', function () {
              items.splice(items.indexOf(entry), 1);
              $item.remove();
              $el.trigger('change');
            })
            .appendTo($item);
          items.push(entry);
        };
        (Array.isArray(initial) ? initial : []).forEach(add);
        $(
          '<button type="button" class="red-ui-button red-ui-button-small"><i class="fa fa-plus"></i></button>',
        )
          .append(document.createTextNode(' ' + t('addItem')))
          .on('click', function () {
            add(undefined);
            $el.trigger('change');
          })
          .appendTo($el);
        read = function () {
          var values = [];
          var problem;
          items.forEach(function (entry) {
            var got = entry.field.read();
            if (got.value !== undefined) values.push(got.value);
            problem = problem || got.problem;
          });
          return {
            value: values.length ? values : undefined,
            problem: problem || (values.length ? checkValue(define, values, label) : undefined),
          };
        };
        break;
      }
      default: {
        // string, and any type a newer template may add: a text box.
        $el = $('<input type="text" style="width: 60%">');
        var maxLength = num(define.max);
        if (define.type === 'string' && maxLength !== undefined) {
          $el.attr('maxlength', maxLength).attr('placeholder', t('maxLength', { max: maxLength }));
        }
        if (typeof initial === 'string') $el.val(initial);
        read = function () {
          var raw = String($el.val() || '');
          $el.removeClass('input-error');
          if (raw === '') return { value: undefined };
          var problem = define.type === 'string' ? checkValue(define, raw, label) : undefined;
          $el.toggleClass('input-error', !!problem);
          return { value: raw, problem: problem };
        };
      }
    }
    return { $el: $el, read: read };
  }

  /**
   * A form for an action's `input` definitions that writes InputParams as JSON into the
   * TypedInput `options.inputField` ('inputParams'), with the action's `output` definitions shown
   * in `options.outputHelp`. A "raw JSON" switch gives the TypedInput back to the user.
   * Options: before (row to insert before), inputField, outputHelp (jQuery element).
   */
  function inputParamsForm(options) {
    var inputField = options.inputField || 'inputParams';
    var $input = $('#node-input-' + inputField);
    var $row = $('<div class="form-row iotx-form" style="display:none"></div>');
    var $header = $('<div style="margin-bottom: 6px"></div>').appendTo($row);
    $('<label style="width: auto; margin-right: 10px"></label>')
      .append($('<i class="fa fa-list-alt"></i>'))
      .append(document.createTextNode(' ' + t('form')))
      .appendTo($header);
    var $mode = $('<a href="#" class="red-ui-button red-ui-button-small"></a>').appendTo($header);
    var $fields = $('<div class="iotx-fields"></div>').appendTo($row);
    var $problem = $('<div class="iotx-line iotx-error" style="display:none"></div>').appendTo(
      $row,
    );
    var $output = options.outputHelp || $('<div class="form-tips"></div>').insertAfter($row);
    var current = null;
    var raw = false;
    var fields = [];

    function initialValues() {
      if ($input.typedInput('type') !== 'json') return {};
      try {
        var parsed = JSON.parse($input.typedInput('value') || '{}');
        return isPlainObject(parsed) ? parsed : {};
      } catch {
        return {};
      }
    }

    function write() {
      if (!current || raw) return;
      var out = {};
      var problem;
      fields.forEach(function (f) {
        var got = f.field.read();
        if (got.value !== undefined) out[f.id] = got.value;
        problem = problem || got.problem;
      });
      problem = problem || checkInput(current, out);
      if (problem) {
        $problem.text(reasonText(problem)).show();
      } else {
        $problem.hide();
      }
      $input.typedInput('type', 'json');
      $input.typedInput('value', JSON.stringify(out));
    }

    function showOutput(action) {
      $output.empty();
      var outputs = action.output || [];
      $('<p></p>').html(t('outputHelp')).appendTo($output);
      if (!outputs.length) {
        $('<p></p>').text(t('noOutput')).appendTo($output);
        return;
      }
      var $dl = $('<dl class="message-properties"></dl>').appendTo($output);
      outputs.forEach(function (o) {
        $('<dt></dt>')
          .text((o.id || '') + ' ')
          .append($('<span class="property-type"></span>').text((o.define || {}).type || ''))
          .appendTo($dl);
        $('<dd></dd>')
          .text((o.name && o.name !== o.id ? o.name + ': ' : '') + describeDefine(o.define))
          .appendTo($dl);
      });
    }

    function setRaw(value) {
      raw = value;
      $mode.text(raw ? t('useForm') : t('useJson'));
      $fields.toggle(!raw);
      if (raw) $problem.hide();
      else write();
    }

    /** Shows the form for `action`; `useForm` turns from a msg/flow/global source to the form. */
    function render(action, useForm) {
      current = action;
      fields = [];
      $fields.empty();
      if (!action) {
        $row.hide();
        $output.empty().hide();
        return;
      }
      var initial = initialValues();
      var inputs = action.input || [];
      if (!inputs.length) $('<div></div>').text(t('noInput')).appendTo($fields);
      inputs.forEach(function (param) {
        var field = fieldFor(param.define, initial[param.id], param.id);
        var $field = $('<div class="form-row"></div>').appendTo($fields);
        $('<label></label>')
          .text((param.name || param.id) + (param.required ? ' *' : ''))
          .attr('title', param.id + (param.desc ? ': ' + param.desc : ''))
          .appendTo($field);
        $field.append(field.$el);
        fields.push({ id: param.id, field: field });
      });
      $row.show();
      $output.show();
      showOutput(action);
      // A saved message-sourced InputParams stays as it is until the user turns to the form.
      setRaw(!useForm && $input.typedInput('type') !== 'json');
    }

    $row.insertBefore(options.before);
    $fields.on('change input', write);
    $mode.on('click', function (event) {
      event.preventDefault();
      setRaw(!raw);
    });
    return {
      render: render,
      /** Problems of the current form values, or undefined. */
      problem: function () {
        if (!current || raw) return undefined;
        var values;
        try {
          values = JSON.parse($input.typedInput('value'));
        } catch {
          return { key: 'notObject', params: {} };
        }
        return checkInput(current, values);
      },
    };
  }

  // ---------------------------------------------------------------------------------------
  // Account: test connection.

  /** Adds a "Test connection" button that asks AppGetUser with the settings in the dialog. */
  function connectionTest(options) {
    var $button = $(options.button);
    var $line = $(options.result);
    $button.on('click', function () {
      var signIn = $('#node-config-input-authMode').val() === 'signin';
      var body = {
        endpoint: $('#node-config-input-endpoint').val(),
        timeout: $('#node-config-input-timeout').val(),
        name: $('#node-config-input-name').val(),
        authMode: signIn ? 'signin' : 'token',
      };
      // What the dialog shows, deployed or not. Unchanged, the deployed node answers; else the
      // runtime signs in for this one request (an unchanged password field reads `__PWRD__`:
      // the runtime then uses the stored one).
      var fields = signIn
        ? SIGN_IN_SETTINGS.concat(SIGN_IN_CREDENTIALS)
        : ['accessToken', 'tokenExpireAt'];
      fields.forEach(function (name) {
        body[name] = $('#node-config-input-' + name).val() || '';
      });
      // Presets carry their own sign-in endpoint; the dialog blanks this one on save.
      if (signIn && $('#node-config-input-endpoint-preset').val() !== 'custom') {
        body.appapiEndpoint = '';
      }
      showInfo($line, t('testing'));
      $button.prop('disabled', true);
      accountRequest(options.nodeId, 'user', body, function (error, user) {
        $button.prop('disabled', false);
        if (error) return showProblem($line, error);
        var who = user.nickName || user.userName || user.userId;
        var text = t('testOk', { user: who, id: user.userId });
        text +=
          ' ' +
          (user.expiresAt
            ? t('expiresAt', { date: new Date(user.expiresAt * 1000).toLocaleString() })
            : t('expiryUnknown'));
        showInfo($line, text, true);
      });
    });
  }

  root.IotExplorerEditor = {
    ACCOUNT_NS: ACCOUNT_NS,
    TARGET_TYPES: TARGET_TYPES,
    typedField: typedField,
    deviceTargetFields: deviceTargetFields,
    deviceList: deviceList,
    readDeviceList: readDeviceList,
    devicePicker: devicePicker,
    actionPicker: actionPicker,
    propertyPicker: propertyPicker,
    literal: literal,
    inputParamsForm: inputParamsForm,
    connectionTest: connectionTest,
    accountRequest: accountRequest,
    template: {
      checkValue: checkValue,
      checkInput: checkInput,
      actionsOf: actionsOf,
      describeDefine: describeDefine,
      reasonText: reasonText,
      propertiesOf: propertiesOf,
    },
    lists: {
      propertyIds: propertyIds,
      withProperty: withProperty,
      sharedProductId: sharedProductId,
      listsDevice: listsDevice,
    },
    category: 'Tencent IoT',
    color: '#8EC1F5',
  };
})(typeof window !== 'undefined' ? window : globalThis);
