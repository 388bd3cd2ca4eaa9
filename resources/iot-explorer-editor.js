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

  window.IotExplorerEditor = {
    TARGET_TYPES: TARGET_TYPES,
    typedField: typedField,
    deviceTargetFields: deviceTargetFields,
    category: 'Tencent IoT',
    color: '#8EC1F5',
  };
})();
