/**
 * {@link RpcRegistry}: the methods and subscriptions of the RPC server, by namespace
 * (`admin_peers` is method `peers` of namespace `admin`, as in geth `rpc/service.go`).
 * @module
 */
import { type ParamSpec, type ParamValues, parseParams } from './params.ts';

/** A method: its parameters and what it does. */
export interface RpcMethod {
  /**
   * Checks the raw params and runs the method; resolves with a JSON-serializable result.
   * @throws {RpcError} for an answer with that code; anything else becomes `-32000`
   */
  call(params: readonly unknown[] | Readonly<Record<string, unknown>>): unknown;
}

/** A subscription (geth's notifier): started by `<namespace>_subscribe`. */
export interface RpcSubscription {
  /**
   * Checks the params after the name and starts sending items to `emit`; returns the stop.
   * @throws {RpcError} like {@link RpcMethod.call}
   */
  start(
    params: readonly unknown[] | Readonly<Record<string, unknown>>,
    emit: (result: unknown) => void,
  ): () => void;
}

/** A method with typed parameters. */
export function rpcMethod<const P extends readonly ParamSpec<unknown>[]>(
  params: P,
  call: (args: ParamValues<P>) => unknown,
): RpcMethod {
  return { call: (raw) => call(parseParams(params, raw)) };
}

/** A subscription with typed parameters (those after its name). */
export function rpcSubscription<const P extends readonly ParamSpec<unknown>[]>(
  params: P,
  start: (emit: (result: unknown) => void, args: ParamValues<P>) => () => void,
): RpcSubscription {
  return { start: (raw, emit) => start(emit, parseParams(params, raw)) };
}

const NAME = /^[a-z][A-Za-z0-9]*$/;

/**
 * The methods and subscriptions of a server. Filled once at setup, then only read;
 * {@link RpcRegistry.restrict} gives the view of some namespaces (geth `--http.api`).
 */
export class RpcRegistry {
  readonly #methods: Map<string, RpcMethod>;
  readonly #subscriptions: Map<string, Map<string, RpcSubscription>>;

  constructor(
    methods: Map<string, RpcMethod> = new Map(),
    subscriptions: Map<string, Map<string, RpcSubscription>> = new Map(),
  ) {
    this.#methods = methods;
    this.#subscriptions = subscriptions;
  }

  /**
   * Adds `<namespace>_<name>`.
   * @throws {TypeError} for a name that is not lower camel case, or taken
   */
  method(namespace: string, name: string, method: RpcMethod): this {
    const full = fullName(namespace, name);
    if (this.#methods.has(full)) throw new TypeError(`name: ${full} is already registered`);
    this.#methods.set(full, method);
    return this;
  }

  /**
   * Adds subscription `name` of `namespace` (`<namespace>_subscribe` with `[name, ...]`).
   * @throws {TypeError} as {@link RpcRegistry.method}
   */
  subscription(namespace: string, name: string, subscription: RpcSubscription): this {
    const full = fullName(namespace, name);
    const names = this.#subscriptions.get(namespace) ?? new Map<string, RpcSubscription>();
    if (names.has(name)) throw new TypeError(`name: ${full} is already registered`);
    names.set(name, subscription);
    this.#subscriptions.set(namespace, names);
    return this;
  }

  /** The method called `full` (`admin_peers`). */
  lookup(full: string): RpcMethod | undefined {
    return this.#methods.get(full);
  }

  /** The subscriptions of `namespace`, or undefined when it has none. */
  subscriptionsOf(namespace: string): ReadonlyMap<string, RpcSubscription> | undefined {
    return this.#subscriptions.get(namespace);
  }

  /** The namespaces that have a method or a subscription, sorted. */
  namespaces(): string[] {
    const all = new Set([...this.#methods.keys()].map((m) => m.slice(0, m.indexOf('_'))));
    for (const ns of this.#subscriptions.keys()) all.add(ns);
    return [...all].sort();
  }

  /** A registry with only the methods and subscriptions of `namespaces`. */
  restrict(namespaces: readonly string[]): RpcRegistry {
    const keep = new Set(namespaces);
    const methods = new Map(
      [...this.#methods].filter(([full]) => keep.has(full.slice(0, full.indexOf('_')))),
    );
    const subscriptions = new Map([...this.#subscriptions].filter(([ns]) => keep.has(ns)));
    return new RpcRegistry(methods, subscriptions);
  }
}

function fullName(namespace: string, name: string): string {
  if (!NAME.test(namespace) || !NAME.test(name)) {
    throw new TypeError(`name: expected lower camel case, got '${namespace}_${name}'`);
  }
  return `${namespace}_${name}`;
}
