/** A typed wrapper over Node's EventEmitter: event names and argument tuples are checked at compile time. */
import { EventEmitter } from 'node:events';

/** Map of event name to listener argument tuple, e.g. `{ message: [UdsMessage]; close: [] }`. */
export type EventMap = Record<string, unknown[]>;

/** EventEmitter whose `on`/`off`/`once`/`emit` are typed by `E`. */
export class TypedEmitter<E extends EventMap> {
  private readonly ee = new EventEmitter();

  constructor() {
    this.ee.setMaxListeners(100);
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): () => void {
    this.ee.on(event, listener as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  /** Adds a one-shot listener. */
  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.ee.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.ee.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Calls every listener of `event` with `args`; returns whether there was one. */
  emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return this.ee.emit(event, ...args);
  }

  /** Number of listeners of `event`. */
  listenerCount<K extends keyof E & string>(event: K): number {
    return this.ee.listenerCount(event);
  }

  /** Removes every listener (of one event, or all). */
  removeAllListeners<K extends keyof E & string>(event?: K): this {
    if (event === undefined) this.ee.removeAllListeners();
    else this.ee.removeAllListeners(event);
    return this;
  }
}
