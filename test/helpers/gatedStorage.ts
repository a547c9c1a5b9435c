import type { Storage, StoreItems } from 'botbuilder';
import type { Connection } from 'mongoose';
import { MongoStorage } from '../../src/store/mongoStorage';

interface Gate { held: () => void; open: Promise<void> }

/**
 * The bot state's storage, whose next read or write can be held (a turn in flight, at its start
 * or at its save) until the test lets it go.
 */
export class GatedStorage implements Storage {
  private store?: MongoStorage;
  private gates: { read?: Gate & { keys: RegExp }; write?: Gate } = {};
  constructor(private readonly connection: () => Connection) {}
  private get inner(): MongoStorage {
    return (this.store ??= new MongoStorage(this.connection()));
  }

  /** Holds the next write; resolves once one is held, with what lets it go on. */
  holdNextWrite(): Promise<() => void> {
    const { gate, held } = this.hold();
    this.gates.write = gate;
    return held;
  }

  /**
   * Holds the next read of a key matching `keys` (a turn that has begun: `/users/` once its
   * conversation's state is read); resolves once one is held, with what lets it go on.
   */
  async holdNextRead(keys = /./): Promise<() => void> {
    const { gate, held } = this.hold();
    this.gates.read = { ...gate, keys };
    return held;
  }

  private hold(): { gate: Gate; held: Promise<() => void> } {
    let release!: () => void;
    const open = new Promise<void>((r) => { release = r; });
    let gate!: Gate;
    const held = new Promise<() => void>((resolve) => { gate = { held: () => resolve(release), open }; });
    return { gate, held };
  }

  private async pass(gate: Gate | undefined): Promise<void> {
    if (gate) {
      gate.held();
      await gate.open;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const gate = this.gates.read;
    if (gate && keys.some((k) => gate.keys.test(k))) {
      this.gates.read = undefined;
      await this.pass(gate);
    }
    return this.inner.read(keys);
  }

  delete(keys: string[]): Promise<void> { return this.inner.delete(keys); }

  async write(changes: StoreItems): Promise<void> {
    const gate = this.gates.write;
    this.gates.write = undefined;
    await this.pass(gate);
    return this.inner.write(changes);
  }
}
