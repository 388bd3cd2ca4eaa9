/* Editor parts shared by the IoT Explorer nodes: loaded once by each node's editor file. */
(function () {
  'use strict';
  if (window.IotExplorerEditor) return;

  /** The TypedInput types a device field may come from. */
  var TARGET_TYPES = ['str', 'msg', 'flow', 'global', 'env'];

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

  /**
   * An editableList of devices, one row per device with a ProductId and a DeviceName input
   * (classes `iotx-product-id` / `iotx-device-name`, so pickers can be attached to them here).
   * `devices`: [{productId, deviceName}] or ['PID/DN']. `placeholders`: {productId, deviceName}.
   */
  function deviceList($list, devices, placeholders) {
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
      },
      removable: true,
      sortable: true,
      height: 'auto',
    });
    (devices || []).forEach(function (device) {
      $list.editableList('addItem', device);
    });
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

  window.IotExplorerEditor = {
    TARGET_TYPES: TARGET_TYPES,
    typedField: typedField,
    deviceTargetFields: deviceTargetFields,
    deviceList: deviceList,
    readDeviceList: readDeviceList,
    category: 'Tencent IoT',
    color: '#8EC1F5',
  };
})();
