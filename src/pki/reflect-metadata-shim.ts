// @peculiar/x509 depends on tsyringe, which refuses to load unless a Reflect metadata polyfill
// (normally the reflect-metadata package) is present. tsyringe only needs get/define of metadata
// on classes, and x509's injectables take no constructor arguments, so a small WeakMap store is
// enough. Installed only when nothing better is present; import this before '@peculiar/x509'.
type MetadataStore = WeakMap<object, Map<unknown, unknown>>;

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  hasMetadata?: (key: unknown, target: object) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: object) => void;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store: MetadataStore = new WeakMap();
  const own = (target: object, key: unknown): unknown => store.get(target)?.get(key);
  const lookup = (target: object, key: unknown): unknown => {
    // Walk the prototype chain, as reflect-metadata's getMetadata does.
    for (let cur: object | null = target; cur !== null; cur = Object.getPrototypeOf(cur) as object | null) {
      const found = store.get(cur);
      if (found?.has(key)) return found.get(key);
    }
    return undefined;
  };
  const define = (key: unknown, value: unknown, target: object): void => {
    let map = store.get(target);
    if (!map) store.set(target, (map = new Map()));
    map.set(key, value);
  };
  reflect.getOwnMetadata = (key, target) => own(target, key);
  reflect.getMetadata = (key, target) => lookup(target, key);
  reflect.defineMetadata = define;
  reflect.hasMetadata = (key, target) => lookup(target, key) !== undefined;
  reflect.metadata = (key, value) => (target) => define(key, value, target);
}

export {};
