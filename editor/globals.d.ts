// The few parts of Node-RED's editor API and of jQuery (with Node-RED's widgets) this package
// uses, typed by hand: the editor ships them, and @types packages for them would be a large
// dependency for a handful of calls.

/** A node (or config node) as the editor holds it: its saved properties, and `_()` for texts. */
interface RedEditorNode {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, unknown>;
  /** Whether every property passed its validator (set by the editor). */
  valid?: boolean;
  _(key: string, params?: Record<string, unknown>): string;
  [property: string]: unknown;
}

interface RedEditor {
  _(key: string, params?: Record<string, unknown>): string;
  nodes: {
    node(id: string): RedEditorNode | null;
    eachNode(callback: (node: RedEditorNode) => boolean | void): void;
  };
  editor: {
    /** Runs a node's validators, setting `valid`. */
    validateNode(node: RedEditorNode): boolean;
  };
  view: {
    redraw(full?: boolean): void;
  };
}

type JQueryEventHandler = (this: HTMLElement, event: JQuery.Event) => unknown;

declare namespace JQuery {
  interface Event {
    preventDefault(): void;
    target: EventTarget;
  }
  interface AjaxSettings {
    url: string;
    method: string;
    contentType?: string;
    dataType?: string;
    data?: string;
    timeout?: number;
  }
  interface Xhr {
    status: number;
    done(callback: (answer: unknown) => void): Xhr;
    fail(callback: (xhr: { status: number }) => void): Xhr;
  }
}

interface TypedInputOptions {
  default: string;
  types: string[];
  typeField: JQuery;
}

interface EditableListOptions<T> {
  addItem(row: JQuery, index: number, data: T): void;
  removeItem?(data: T): void;
  removable?: boolean;
  sortable?: boolean;
  height?: string | number;
}

interface JQuery<E extends HTMLElement = HTMLElement> {
  readonly length: number;
  [index: number]: E;
  val(): string | number | string[] | undefined;
  val(value: string | number): this;
  text(): string;
  text(value: string): this;
  html(value: string): this;
  attr(name: string): string | undefined;
  attr(name: string, value: string | number): this;
  attr(values: Record<string, string | number>): this;
  prop(name: string): unknown;
  prop(name: string, value: unknown): this;
  addClass(name: string): this;
  removeClass(name: string): this;
  toggleClass(name: string, on: boolean): this;
  toggle(show?: boolean): this;
  show(): this;
  hide(): this;
  empty(): this;
  remove(): this;
  append(...content: Array<JQuery | Node | string>): this;
  appendTo(target: JQuery | string): this;
  insertBefore(target: JQuery | string): this;
  insertAfter(target: JQuery | string): this;
  find(selector: string): JQuery;
  closest(selector: string): JQuery;
  filter(test: (this: HTMLElement, index: number) => boolean): JQuery;
  first(): JQuery;
  add(other: JQuery): JQuery;
  each(callback: (this: HTMLElement, index: number) => void): this;
  on(events: string, handler: JQueryEventHandler): this;
  on(events: string, selector: string, handler: JQueryEventHandler): this;
  trigger(event: string): this;
  typedInput(options: TypedInputOptions): this;
  typedInput(method: 'type' | 'value'): string;
  typedInput(method: 'type' | 'value', value: string): this;
  editableList<T>(options: EditableListOptions<T>): this;
  editableList(method: 'items'): JQuery;
  editableList(method: 'addItem', data: unknown): this;
  spinner(options: { min?: number; max?: number }): this;
}

interface JQueryStatic {
  (selector: string | HTMLElement | JQuery): JQuery;
  ajax(settings: JQuery.AjaxSettings): JQuery.Xhr;
}

declare const RED: RedEditor;
declare const $: JQueryStatic;
